import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { INCIDENT_TASK } from '../../../shared/resources/incidentTask';
import { recordPath } from '../../../shared/resources/resource';
import { idLocatorProperty, locatedIdOf, readLocatedId, type IdLocator } from '../idLocator';

/**
 * How a task is picked in the editor: from the recently updated first, or by ID. Graph gives a task no portal link,
 * and the portal's address for one is not documented, so there is no URL mode.
 */
const incidentTaskLocator: IdLocator = {
	name: 'incidentTaskId',
	displayName: 'Incident Task ID',
	noun: 'incident task',
	searchListMethod: 'searchIncidentTasks',
	idPlaceholder: 'e.g. 6f0c3e21-9c1a-4d2e-8b2f-7a51c4d0e9aa',
	description: 'The Defender Experts for XDR incident task: pick it or give its ID',
	hint: 'Map it from a task, e.g. {{ $json.id }} after the trigger or Get Many',
};

/** The `incidentTaskId` field, shown by each operation that addresses one task. */
export const incidentTaskIdProperty: INodeProperties = idLocatorProperty(incidentTaskLocator);

/** Reads and checks the task ID of an item; a malformed ID fails the item before any request. */
export function readIncidentTaskId(ctx: IExecuteFunctions, itemIndex: number): string {
	return readLocatedId(ctx, incidentTaskLocator, itemIndex, 'invalidIncidentTaskId');
}

/** The task ID an output item is about, as given or as read from the picker. */
export function incidentTaskIdOf(ctx: IExecuteFunctions, itemIndex: number): IDataObject[string] {
	return locatedIdOf(ctx, incidentTaskLocator, itemIndex);
}

/** The Graph path of one task; the ID is percent-encoded even though the ID rule already forbids `/`. */
export function incidentTaskPath(incidentTaskId: string, action = ''): string {
	return recordPath(INCIDENT_TASK, incidentTaskId, action);
}

/** Which task an output item is about; operations on many tasks have no single ID. */
export function taskSubject(ctx: IExecuteFunctions, itemIndex: number, withId = true): IDataObject {
	return { incidentTaskId: withId ? incidentTaskIdOf(ctx, itemIndex) : null, actionType: null };
}
