import { GRAPH } from '../apis/graph';
import { RESOURCE_CLOUDS } from '../cloud';
import type { Resource } from './resource';

/** Graph lets one advanced hunting request run for up to 3 minutes. */
export const HUNTING_TIME_LIMIT_SECONDS = 180;

/** Advanced hunting (Graph v1.0 `/security/runHuntingQuery`): a query reads, so nothing here writes. */
export const ADVANCED_HUNTING: Resource = {
	value: 'advancedHunting',
	displayName: 'Advanced Hunting',
	api: GRAPH,
	path: '/v1.0/security/runHuntingQuery',
	pageSize: 100000,
	subject: {
		name: 'hunting query',
		// A query has no ID: what Graph refuses is its KQL or its time range.
		onBadRequest: "the query's KQL and the Timespan",
		onNotFound:
			"that the credential's Cloud (and, for Custom, its Graph URL) reaches Microsoft Graph",
		onForbidden:
			'Check that the app registration has the Graph application permission ThreatHunting.Read.All with admin consent',
		unknownOutcome: `the query may still be running in Defender and counting against the tenant's advanced hunting quota, so it was not sent again. Narrow the query (Graph stops one after ${HUNTING_TIME_LIMIT_SECONDS / 60} minutes), or give Request Timeout more than ${HUNTING_TIME_LIMIT_SECONDS} s, before running it again.`,
		offeredIn: RESOURCE_CLOUDS.advancedHunting,
	},
	writes: {},
};
