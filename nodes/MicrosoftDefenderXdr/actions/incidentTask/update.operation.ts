import { updateDisplayOptions, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { TASK_STATUSES } from '../../../shared/incidentTask';
import { toChoice } from '../../../shared/parameters';
import type { GraphSession } from '../../../shared/transport/graphSession';
import { optionsProperty, type OperationResult } from '../operation';
import { incidentTaskIdProperty, incidentTaskPath, readIncidentTaskId, taskSubject } from './common';

const properties: INodeProperties[] = [
	incidentTaskIdProperty,
	{
		displayName: 'Status',
		name: 'status',
		type: 'options',
		options: [...TASK_STATUSES],
		default: 'completed',
		description: "The task's new status: the only field of an incident task that Graph lets you write",
	},
	optionsProperty(),
];

export const description = updateDisplayOptions({ show: { resource: ['incidentTask'], operation: ['update'] } }, properties);

export function subject(this: IExecuteFunctions, itemIndex: number) {
	return taskSubject(this, itemIndex);
}

export async function execute(this: IExecuteFunctions, graph: GraphSession, itemIndex: number): Promise<OperationResult> {
	const incidentTaskId = readIncidentTaskId(this, itemIndex);
	const statuses = TASK_STATUSES.map((known) => known.value);
	const status = toChoice(this.getNodeParameter('status', itemIndex), 'Status', statuses, 'invalidStatus');
	const { body: task } = await graph.patch('beta', incidentTaskPath(incidentTaskId), { status });
	return { items: [task] };
}
