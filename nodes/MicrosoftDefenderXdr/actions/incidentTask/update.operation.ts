import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { TASK_STATUSES } from '../../../shared/incidentTask';
import { DefenderXdrError } from '../../../shared/transport/graphError';
import type { GraphSession } from '../../../shared/transport/graphSession';
import { incidentTaskIdProperty, incidentTaskPath, readIncidentTaskId } from './common';

export const description: INodeProperties[] = [
	incidentTaskIdProperty('update'),
	{
		displayName: 'Status',
		name: 'status',
		type: 'options',
		options: [...TASK_STATUSES],
		default: 'completed',
		description: "The task's new status: the only field of an incident task that Graph lets you write",
		displayOptions: { show: { resource: ['incidentTask'], operation: ['update'] } },
	},
];

export async function execute(this: IExecuteFunctions, graph: GraphSession, itemIndex: number): Promise<IDataObject[]> {
	const incidentTaskId = readIncidentTaskId(this, itemIndex);
	const status = this.getNodeParameter('status', itemIndex) as string;
	if (!TASK_STATUSES.some((known) => known.value === status)) {
		throw new DefenderXdrError({
			code: 'invalidStatus',
			message: `"${String(status)}" is not a task status; use one of ${TASK_STATUSES.map((s) => s.value).join(', ')}. No request was sent.`,
		});
	}
	const { body: task } = await graph.patch('beta', incidentTaskPath(incidentTaskId), { status });
	return [task];
}
