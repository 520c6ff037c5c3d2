import type { INodeProperties, IPollFunctions } from 'n8n-workflow';

import type { EntityListing } from './event';

/** `microsoft.graph.security.alertSeverity`, shared by incidents and alerts. */
const SEVERITIES = [
	{ name: 'High', value: 'high' },
	{ name: 'Informational', value: 'informational' },
	{ name: 'Low', value: 'low' },
	{ name: 'Medium', value: 'medium' },
	{ name: 'Unknown', value: 'unknown' },
];

/** Incidents and alerts list the same way: a server-side time filter, severity and status, newest first. */
export function securityFilters(event: string, statuses: Array<{ name: string; value: string }>): INodeProperties[] {
	const show = { event: [event] };
	return [
		{
			displayName: 'Severity',
			name: 'severity',
			type: 'multiOptions',
			options: SEVERITIES,
			default: [],
			description: 'Trigger only on these severities; none selected means any',
			displayOptions: { show },
		},
		{
			displayName: 'Status',
			name: 'status',
			type: 'multiOptions',
			options: statuses,
			default: [],
			description: 'Trigger only on these statuses (as they are when the trigger polls); none selected means any',
			displayOptions: { show },
		},
	];
}

/** `GET /v1.0/security/{incidents|alerts_v2}` with every filter applied by Graph. */
export function securityListing(ctx: IPollFunctions, path: string): EntityListing {
	const severities = ctx.getNodeParameter('severity', []) as string[];
	const statuses = ctx.getNodeParameter('status', []) as string[];
	return {
		version: 'v1.0',
		path,
		query: (since) => {
			const conditions = [anyOf('severity', severities), anyOf('status', statuses)].filter(Boolean);
			if (since) conditions.unshift(`createdDateTime ge ${since}`);
			const query: Record<string, string> = { $orderby: 'createdDateTime desc' };
			if (conditions.length) query.$filter = conditions.join(' and ');
			return query;
		},
		matches: () => true,
	};
}

function anyOf(property: string, values: string[]): string {
	if (values.length === 0) return '';
	const clause = values.map((value) => `${property} eq '${value.replace(/'/g, "''")}'`).join(' or ');
	return values.length === 1 ? clause : `(${clause})`;
}
