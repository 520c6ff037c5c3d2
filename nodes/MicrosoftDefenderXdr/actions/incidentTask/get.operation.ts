import { updateDisplayOptions, type IExecuteFunctions } from 'n8n-workflow';

import type { ApiSession } from '../../../shared/transport/session';
import { INCIDENT_TASK } from '../../../shared/resources/incidentTask';
import { optionsProperty, type OperationResult } from '../operation';
import {
	incidentTaskIdProperty,
	incidentTaskPath,
	readIncidentTaskId,
	taskSubject,
} from './common';

export const option = {
	name: 'Get',
	description: 'Read one incident task by its ID',
	action: 'Get an incident task',
};

export const description = updateDisplayOptions(
	{ show: { resource: ['incidentTask'], operation: ['get'] } },
	[incidentTaskIdProperty, optionsProperty()],
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
	const { body: task } = await session.get(incidentTaskPath(incidentTaskId), undefined, {
		subject: INCIDENT_TASK.subject,
	});
	return { items: [task] };
}
