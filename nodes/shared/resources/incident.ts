import { GRAPH } from '../apis/graph';
import { RESOURCE_CLOUDS } from '../cloud';
import type { Resource } from './resource';

/** Incidents (Graph v1.0 `/security/incidents`). */
export const INCIDENT: Resource = {
	value: 'incident',
	displayName: 'Incident',
	api: GRAPH,
	path: '/v1.0/security/incidents',
	// Graph's largest page of incidents.
	pageSize: 50,
	subject: {
		name: 'incident',
		onBadRequest: 'the incident ID and the values sent',
		onNotFound:
			"the incident ID and that the credential's tenant is the one the incident belongs to",
		onForbidden:
			'Check that the app registration has the Graph application permission SecurityIncident.Read.All (to read incidents) or SecurityIncident.ReadWrite.All (to update them or add comments), with admin consent',
		unknownOutcome:
			'the change may or may not have been made. Check the incident in the Defender portal before sending it again.',
		offeredIn: RESOURCE_CLOUDS.incidents,
	},
	writes: {
		update: { what: 'update incidents', optIn: 'allowAsTool' },
		addComment: { what: 'comment on incidents', optIn: 'allowAsTool' },
	},
};
