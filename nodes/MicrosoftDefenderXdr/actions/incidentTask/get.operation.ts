import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { GraphSession } from '../../../shared/transport/graphSession';
import { incidentTaskIdProperty, incidentTaskPath, readIncidentTaskId } from './common';

export const description: INodeProperties[] = [incidentTaskIdProperty('get')];

export async function execute(this: IExecuteFunctions, graph: GraphSession, itemIndex: number): Promise<IDataObject[]> {
	const incidentTaskId = readIncidentTaskId(this, itemIndex);
	const { body: task } = await graph.get('beta', incidentTaskPath(incidentTaskId));
	return [task];
}
