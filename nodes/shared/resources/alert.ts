import { GRAPH } from '../apis/graph';
import { RESOURCE_CLOUDS } from '../cloud';
import type { Resource } from './resource';

/** Alerts (Graph v1.0 `/security/alerts_v2`). */
export const ALERT: Resource = {
	value: 'alert',
	displayName: 'Alert',
	api: GRAPH,
	path: '/v1.0/security/alerts_v2',
	// alerts_v2 serves up to 2,000 alerts a page.
	pageSize: 2000,
	subject: {
		name: 'alert',
		onBadRequest: 'the alert ID and the values sent',
		onNotFound: "the alert ID and that the credential's tenant is the one the alert belongs to",
		onForbidden:
			'Check that the app registration has the Graph application permission SecurityAlert.Read.All (to read alerts) or SecurityAlert.ReadWrite.All (to update them or add comments), with admin consent',
		unknownOutcome:
			'the change may or may not have been made. Check the alert in the Defender portal before sending it again.',
		offeredIn: RESOURCE_CLOUDS.alerts,
	},
	writes: {
		update: { what: 'update alerts', optIn: 'allowAsTool' },
		addComment: { what: 'comment on alerts', optIn: 'allowAsTool' },
	},
};
