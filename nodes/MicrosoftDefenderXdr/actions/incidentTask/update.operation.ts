import { updateDisplayOptions, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { TASK_STATUSES } from '../../../shared/incidentTask';
import { toChoice } from '../../../shared/parameters';
import type { GraphSession } from '../../../shared/transport/graphSession';
import {
	allowAsToolOption,
	optionsProperty,
	refuseChangeFromAgent,
	type OperationResult,
	type OperationRun,
} from '../operation';
import {
	incidentTaskIdProperty,
	incidentTaskPath,
	readIncidentTaskId,
	taskSubject,
} from './common';

const properties: INodeProperties[] = [
	incidentTaskIdProperty,
	{
		displayName: 'Status',
		name: 'status',
		type: 'options',
		options: [...TASK_STATUSES],
		default: 'completed',
		description:
			"The task's new status: the only field of an incident task that Graph lets you write",
	},
	optionsProperty([allowAsToolOption('update incident tasks')]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['incidentTask'], operation: ['update'] } },
	properties,
);

export function subject(this: IExecuteFunctions, itemIndex: number) {
	return taskSubject(this, itemIndex);
}

export async function execute(
	this: IExecuteFunctions,
	graph: GraphSession,
	itemIndex: number,
	run: OperationRun,
): Promise<OperationResult> {
	const incidentTaskId = readIncidentTaskId(this, itemIndex);
	// A task's status is a write like any other: an AI agent may set it only where the node opts in.
	refuseChangeFromAgent(this, itemIndex, run, 'update incident tasks');
	const statuses = TASK_STATUSES.map((known) => known.value);
	const status = toChoice(
		this.getNodeParameter('status', itemIndex),
		'Status',
		statuses,
		'invalidStatus',
	);
	const { body: task } = await graph.patch('beta', incidentTaskPath(incidentTaskId), { status });
	return { items: [task] };
}
