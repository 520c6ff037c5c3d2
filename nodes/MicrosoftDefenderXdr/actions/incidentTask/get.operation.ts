import { updateDisplayOptions, type IExecuteFunctions } from 'n8n-workflow';

import type { GraphSession } from '../../../shared/transport/graphSession';
import { optionsProperty, type OperationResult } from '../operation';
import {
	incidentTaskIdProperty,
	incidentTaskPath,
	readIncidentTaskId,
	taskSubject,
} from './common';

export const description = updateDisplayOptions(
	{ show: { resource: ['incidentTask'], operation: ['get'] } },
	[incidentTaskIdProperty, optionsProperty()],
);

export function subject(this: IExecuteFunctions, itemIndex: number) {
	return taskSubject(this, itemIndex);
}

export async function execute(
	this: IExecuteFunctions,
	graph: GraphSession,
	itemIndex: number,
): Promise<OperationResult> {
	const incidentTaskId = readIncidentTaskId(this, itemIndex);
	const { body: task } = await graph.get('beta', incidentTaskPath(incidentTaskId));
	return { items: [task] };
}
