import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { incidentTaskIdProblem } from '../../../shared/incidentTask';
import { DefenderXdrError } from '../../../shared/transport/graphError';

/** The `incidentTaskId` field, shown by each operation that addresses one task. */
export function incidentTaskIdProperty(operation: string): INodeProperties {
	return {
		displayName: 'Incident Task ID',
		name: 'incidentTaskId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. {{ $json.ID }} (task ID)',
		description: 'The ID of the Defender Experts for XDR incident task',
		displayOptions: { show: { resource: ['incidentTask'], operation: [operation] } },
	};
}

/** Reads and checks the task ID of an item; a malformed ID fails the item before any request. */
export function readIncidentTaskId(ctx: IExecuteFunctions, itemIndex: number): string {
	const incidentTaskId = ctx.getNodeParameter('incidentTaskId', itemIndex, '') as unknown;
	const problem = incidentTaskIdProblem(incidentTaskId);
	if (problem) {
		throw new DefenderXdrError({ code: 'invalidIncidentTaskId', message: `${problem}. No request was sent.` });
	}
	return incidentTaskId as string;
}

/** The Graph path of one task; the ID is percent-encoded even though the ID rule already forbids `/`. */
export function incidentTaskPath(incidentTaskId: string, action = ''): string {
	return `/security/incidentTasks/${encodeURIComponent(incidentTaskId)}${action}`;
}
