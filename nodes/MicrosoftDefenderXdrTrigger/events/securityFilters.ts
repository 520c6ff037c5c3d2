import type { INodeProperties, IPollFunctions } from 'n8n-workflow';

import { toChoices } from '../../shared/parameters';
import { choices, SEVERITIES } from '../../shared/security';
import type { Resource } from '../../shared/resources/resource';
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
			description:
				'Trigger only on these statuses (as they are when the trigger polls); none selected means any',
			displayOptions: { show },
		},
	];
}

/**
 * `GET /v1.0/security/{incidents|alerts_v2}`: documented newest first, with `$filter` but no `$orderby`.
 * Graph documents `eq` (and `ge` on dates), so a single value is filtered by Graph, several by the trigger.
 * Each value is one Graph knows, checked before any request: an expression cannot widen or rewrite the filter.
 */
export function securityListing(
	ctx: IPollFunctions,
	resource: Resource,
	knownStatuses: readonly string[],
): EntityListing {
	const severities = toChoices(ctx.getNodeParameter('severity', []), 'Severity filter', SEVERITIES);
	const statuses = toChoices(ctx.getNodeParameter('status', []), 'Status filter', knownStatuses);
	return {
		resource,
		query: (since) => {
			const conditions: string[] = [];
			if (since) conditions.push(`createdDateTime ge ${since}`);
			if (severities.length === 1) conditions.push(`severity eq '${severities[0]}'`);
			if (statuses.length === 1) conditions.push(`status eq '${statuses[0]}'`);
			const query: Record<string, string> = {};
			if (conditions.length) query.$filter = conditions.join(' and ');
			return query;
		},
		matches: (entity) =>
			(severities.length === 0 || (severities as readonly unknown[]).includes(entity.severity)) &&
			(statuses.length === 0 || (statuses as readonly unknown[]).includes(entity.status)),
		newestFirst: true,
	};
}
