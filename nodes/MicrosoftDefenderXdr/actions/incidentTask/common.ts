import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readIdentifier } from '../../../shared/parameters';
import { rawParameter } from '../operation';

/** The `incidentTaskId` field, shown by each operation that addresses one task. */
export const incidentTaskIdProperty: INodeProperties = {
	displayName: 'Incident Task ID',
	name: 'incidentTaskId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 6f0c3e21-9c1a-4d2e-8b2f-7a51c4d0e9aa',
	description: 'The ID of the Defender Experts for XDR incident task',
	hint: 'Map it from a task, e.g. {{ $json.id }} after the trigger or Get Many',
};

/** Reads and checks the task ID of an item; a malformed ID fails the item before any request. */
export function readIncidentTaskId(ctx: IExecuteFunctions, itemIndex: number): string {
	return readIdentifier(ctx, 'incidentTaskId', 'The incident task ID', itemIndex, 'invalidIncidentTaskId');
}

/** The Graph path of one task; the ID is percent-encoded even though the ID rule already forbids `/`. */
export function incidentTaskPath(incidentTaskId: string, action = ''): string {
	return `/security/incidentTasks/${encodeURIComponent(incidentTaskId)}${action}`;
}

/** Which task an output item is about; operations on many tasks have no single ID. */
export function taskSubject(ctx: IExecuteFunctions, itemIndex: number, withId = true): IDataObject {
	return { incidentTaskId: withId ? (rawParameter(ctx, 'incidentTaskId', itemIndex) as IDataObject[string]) : null, actionType: null };
}
