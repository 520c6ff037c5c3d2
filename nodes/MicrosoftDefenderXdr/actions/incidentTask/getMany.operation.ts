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
import {
	checkedIdentifier,
	emptyFilterError,
	isBlank,
	parameterError,
	toBoolean,
	toChoice,
} from '../../../shared/parameters';
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

const properties: INodeProperties[] = [
	...LISTING_PROPERTIES,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Action Type',
				name: 'actionType',
				type: 'options',
				options: ALL_ACTION_TYPES.map((value) => ({ name: value, value })),
				default: 'isolateDevice',
				description: 'Only tasks that prescribe this action type',
			},
			{
				displayName: 'Executable Only',
				name: 'executableOnly',
				type: 'boolean',
				default: false,
				description:
					'Whether to return only tasks whose action type can be run by Execute Response Action',
			},
			{
				displayName: 'Incident ID',
				name: 'incidentId',
				type: 'string',
				default: '',
				placeholder: 'e.g. 2972395',
				description: 'Only the tasks of this incident',
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				options: [...TASK_STATUSES],
				default: 'open',
				description: 'Only tasks with this status',
			},
		],
	},
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
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	// A filter that was added but gave nothing is refused: left out, it would list every task.
	const labels: Record<string, string> = {
		status: 'Status filter',
		actionType: 'Action Type filter',
		incidentId: 'Incident ID filter',
		executableOnly: 'Executable Only filter',
	};
	for (const [name, label] of Object.entries(labels)) {
		if (Object.prototype.hasOwnProperty.call(filters, name) && isBlank(filters[name]))
			throw emptyFilterError(label);
	}
	// Filter values go into an OData string: only known values, so an expression cannot rewrite the query.
	const conditions: string[] = [];
	if (filters.status !== undefined) {
		conditions.push(
			`status eq '${toChoice(
				filters.status,
				'Status filter',
				TASK_STATUSES.map((known) => known.value),
				'invalidFilter',
			)}'`,
		);
	}
	if (filters.actionType !== undefined) {
		conditions.push(
			`actionType eq '${toChoice(filters.actionType, 'Action Type filter', ALL_ACTION_TYPES, 'invalidFilter')}'`,
		);
	}
	if (filters.incidentId !== undefined) {
		// Incident IDs are digits; one given as a number (5001) is read as its digits.
		const incident = checkedIdentifier(filters.incidentId, 'Incident ID filter', true);
		if ('problem' in incident) throw parameterError('invalidFilter', incident.problem);
		conditions.push(`incidentId eq '${incident.id}'`);
	}
	const executableOnly = toBoolean(filters.executableOnly, 'Executable Only filter');
	// A Limit keeps the most recently updated tasks, in the order Graph is asked for (it promises none otherwise).
	const query: Record<string, string> = {
		$top: String(Math.min(limit, INCIDENT_TASK.pageSize)),
		$orderby: RECENTLY_UPDATED_FIRST,
	};
	if (conditions.length) query.$filter = conditions.join(' and ');

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
