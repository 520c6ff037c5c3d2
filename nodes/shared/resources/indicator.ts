import { DEFENDER_ENDPOINT } from '../apis/endpoint';
import type { Resource } from './resource';

/**
 * Microsoft's limits on indicators: entries per import request and active indicators per tenant. (The request
 * limits, import requests a minute among them, are the API's, in `apis/endpoint.ts`.)
 */
export const INDICATOR_LIMITS = {
	importBatchSize: 500,
	tenantCap: 15000,
} as const;

/** Custom indicators of compromise (Defender for Endpoint `/api/indicators`). */
export const INDICATOR: Resource = {
	value: 'indicator',
	displayName: 'Indicator',
	api: DEFENDER_ENDPOINT,
	path: '/api/indicators',
	// The list takes `$top` up to 10,000 and pages with `$skip`.
	pageSize: 10000,
	subject: {
		name: 'indicator',
		onBadRequest:
			"the indicator's type, value and action, its title and description, and the optional fields sent",
		onNotFound:
			"the indicator ID (Defender shows it as a number, e.g. 995) and that the credential's tenant is the one the indicator belongs to",
		onForbidden:
			'Check that the app registration has the WindowsDefenderATP application permission Ti.ReadWrite.All, with admin consent, on the Defender for Endpoint credential',
		unknownOutcome:
			'the indicator may or may not have been saved. Check it under Settings > Endpoints > Indicators in the Defender portal, or list it with Get Many, before sending it again.',
	},
	writes: {
		submit: { what: 'submit indicators', optIn: 'allowAsTool', dryRun: true },
		import: { what: 'import indicators', optIn: 'allowAsTool', dryRun: true },
		delete: { what: 'delete indicators', optIn: 'allowAsTool', dryRun: true },
	},
};
