import { updateDisplayOptions, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { TASK_STATUSES } from '../../../shared/incidentTask';
import { toChoice } from '../../../shared/parameters';
import type { ApiSession } from '../../../shared/transport/session';
import { INCIDENT_TASK } from '../../../shared/resources/incidentTask';
import { agentOptInOption, optionsProperty, type OperationResult } from '../operation';
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
	optionsProperty([agentOptInOption(INCIDENT_TASK, 'update')]),
];

export const option = {
	name: 'Update',
	description: "Set an incident task's status (open, in progress, completed, failed, not relevant)",
	action: 'Update an incident task',
};

export const description = updateDisplayOptions(
	{ show: { resource: ['incidentTask'], operation: ['update'] } },
	properties,
);

export function subject(this: IExecuteFunctions, itemIndex: number) {
	return taskSubject(this, itemIndex);
}

export async function execute(
	this: IExecuteFunctions,
	session: ApiSession,
	itemIndex: number,
): Promise<OperationResult> {
	const incidentTaskId = readIncidentTaskId(this, itemIndex);
	const statuses = TASK_STATUSES.map((known) => known.value);
	const status = toChoice(
		this.getNodeParameter('status', itemIndex),
		'Status',
		statuses,
		'invalidStatus',
	);
	const { body: task } = await session.patch(
		incidentTaskPath(incidentTaskId),
		{ status },
		{ subject: INCIDENT_TASK.subject },
	);
	return { items: [task] };
}
