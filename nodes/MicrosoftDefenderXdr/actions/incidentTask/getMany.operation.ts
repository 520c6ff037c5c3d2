import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import {
	ALL_ACTION_TYPES,
	isExecutableActionType,
	RECENTLY_UPDATED_FIRST,
	TASK_STATUSES,
	type IncidentTask,
} from '../../../shared/incidentTask';
import { filterProperties, readFilters, type ListFilter } from '../../../shared/filters';
import { INCIDENT_TASK } from '../../../shared/resources/incidentTask';
import type { ApiSession } from '../../../shared/transport/session';
import {
	collect,
	LISTING_PROPERTIES,
	optionsProperty,
	readLimit,
	type OperationResult,
} from '../operation';
import { taskSubject } from './common';

/** Graph filters tasks with `eq` on status, action type and incident; Executable Only is applied to what it returns. */
const TASK_FILTERS: ListFilter[] = [
	{
		name: 'actionType',
		displayName: 'Action Type',
		apiProperty: 'actionType',
		kind: 'choice',
		choices: ALL_ACTION_TYPES.map((value) => ({ name: value, value })),
		default: 'isolateDevice',
		description: 'Only tasks that prescribe this action type',
	},
	{
		name: 'executableOnly',
		displayName: 'Executable Only',
		apiProperty: 'actionType',
		kind: 'flag',
		description:
			'Whether to return only tasks whose action type can be run by Execute Response Action',
	},
	{
		name: 'incidentId',
		displayName: 'Incident ID',
		apiProperty: 'incidentId',
		kind: 'identifier',
		placeholder: 'e.g. 2972395',
		description: 'Only the tasks of this incident',
	},
	{
		name: 'status',
		displayName: 'Status',
		apiProperty: 'status',
		kind: 'choice',
		choices: [...TASK_STATUSES],
		default: 'open',
		description: 'Only tasks with this status',
	},
];

const properties: INodeProperties[] = [
	...LISTING_PROPERTIES,
	filterProperties(TASK_FILTERS),
	optionsProperty(),
];

export const option = {
	name: 'Get Many',
	description: 'List incident tasks, optionally by status, action type or incident',
	action: 'Get many incident tasks',
};

export const description = updateDisplayOptions(
	{ show: { resource: ['incidentTask'], operation: ['getMany'] } },
	properties,
);

export function subject(this: IExecuteFunctions, itemIndex: number) {
	return taskSubject(this, itemIndex, false);
}

export async function execute(
	this: IExecuteFunctions,
	session: ApiSession,
	itemIndex: number,
): Promise<OperationResult> {
	const limit = readLimit(this, itemIndex);
	const { $filter, flags } = readFilters(
		TASK_FILTERS,
		this.getNodeParameter('filters', itemIndex, {}) as IDataObject,
	);
	const executableOnly = flags.executableOnly === true;
	// A Limit keeps the most recently updated tasks, in the order Graph is asked for (it promises none otherwise).
	const query: Record<string, string> = {
		$top: String(Math.min(limit, INCIDENT_TASK.pageSize)),
		$orderby: RECENTLY_UPDATED_FIRST,
	};
	if ($filter) query.$filter = $filter;

	const pages = session.pages<IncidentTask>(INCIDENT_TASK.path, query, {
		subject: INCIDENT_TASK.subject,
	});
	return {
		items: await collect(
			session,
			pages,
			limit,
			'tasks',
			(task) => !executableOnly || isExecutableActionType(task.actionType),
		),
	};
}
