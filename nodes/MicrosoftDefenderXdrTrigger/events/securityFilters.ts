import type { INodeProperties, IPollFunctions } from 'n8n-workflow';

import { choices, SEVERITIES } from '../../shared/security';
import type { EntityListing } from './event';

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

/** Incidents and alerts share their filters: severity and status, each a multi-select. */
export function securityFilters(event: string, statuses: readonly string[]): INodeProperties[] {
	const show = { event: [event] };
	return [
		{
			displayName: 'Severity',
			name: 'severity',
			type: 'multiOptions',
			options: choices(SEVERITIES).sort(byName),
			default: [],
			description: 'Trigger only on these severities; none selected means any',
			displayOptions: { show },
		},
		{
			displayName: 'Status',
			name: 'status',
			type: 'multiOptions',
			options: choices(statuses).sort(byName),
			default: [],
			description: 'Trigger only on these statuses (as they are when the trigger polls); none selected means any',
			displayOptions: { show },
		},
	];
}

const PLAIN_VALUE = /^[A-Za-z]+$/;

/**
 * `GET /v1.0/security/{incidents|alerts_v2}`: documented newest first, with `$filter` but no `$orderby`.
 * Graph documents `eq` (and `ge` on dates), so a single value is filtered by Graph, several by the trigger.
 */
export function securityListing(ctx: IPollFunctions, path: string): EntityListing {
	const severities = ctx.getNodeParameter('severity', []) as string[];
	const statuses = ctx.getNodeParameter('status', []) as string[];
	return {
		version: 'v1.0',
		path,
		query: (since) => {
			const conditions: string[] = [];
			if (since) conditions.push(`createdDateTime ge ${since}`);
			// Only plain words go into the OData string; anything else is filtered by `matches` alone.
			if (severities.length === 1 && PLAIN_VALUE.test(severities[0])) conditions.push(`severity eq '${severities[0]}'`);
			if (statuses.length === 1 && PLAIN_VALUE.test(statuses[0])) conditions.push(`status eq '${statuses[0]}'`);
			const query: Record<string, string> = {};
			if (conditions.length) query.$filter = conditions.join(' and ');
			return query;
		},
		matches: (entity) =>
			(severities.length === 0 || severities.includes(entity.severity as string)) &&
			(statuses.length === 0 || statuses.includes(entity.status as string)),
		newestFirst: true,
	};
}
