import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ALL_ACTION_TYPES, isExecutableActionType, MAX_PAGE_SIZE, printable, TASK_STATUSES, type IncidentTask } from '../../../shared/incidentTask';
import { DefenderXdrError } from '../../../shared/transport/graphError';
import type { GraphSession } from '../../../shared/transport/graphSession';

const show = { resource: ['incidentTask'], operation: ['getMany'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: { show },
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { ...show, returnAll: [false] } },
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: { show },
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
				description: 'Whether to return only tasks whose action type can be run by Execute Response Action',
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
];

export async function execute(this: IExecuteFunctions, graph: GraphSession, itemIndex: number): Promise<IDataObject[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? Infinity : (this.getNodeParameter('limit', itemIndex, 50) as number);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as {
		status?: string;
		actionType?: string;
		executableOnly?: boolean;
	};
	// Filter values go into an OData string: only known values, so an expression cannot rewrite the query.
	if (filters.status && !TASK_STATUSES.some((known) => known.value === filters.status)) {
		throw new DefenderXdrError({ code: 'invalidFilter', message: `"${printable(String(filters.status))}" is not a task status. No request was sent.` });
	}
	if (filters.actionType && !(ALL_ACTION_TYPES as readonly string[]).includes(filters.actionType)) {
		throw new DefenderXdrError({ code: 'invalidFilter', message: `"${printable(String(filters.actionType))}" is not an incident task action type. No request was sent.` });
	}
	const conditions: string[] = [];
	if (filters.status) conditions.push(`status eq '${filters.status}'`);
	if (filters.actionType) conditions.push(`actionType eq '${filters.actionType}'`);
	const query: Record<string, string> = { $top: String(Math.min(limit, MAX_PAGE_SIZE)) };
	if (conditions.length) query.$filter = conditions.join(' and ');

	const tasks: IncidentTask[] = [];
	for await (const page of graph.pages<IncidentTask>('beta', '/security/incidentTasks', query)) {
		for (const task of page.items) {
			if (filters.executableOnly && !isExecutableActionType(task.actionType)) continue;
			tasks.push(task);
			if (tasks.length >= limit) return tasks;
		}
		if (page.nextLinkRefused) {
			throw new DefenderXdrError({
				code: 'foreignNextLink',
				message: `Graph sent a next-page link to another origin than ${graph.endpoints.graphRoot}; it was not followed, so the token is not sent there. ${tasks.length} tasks had been read; the list is incomplete, so none are returned.`,
			});
		}
	}
	return tasks;
}
