import type { INodeProperties, IPollFunctions } from 'n8n-workflow';

import {
	ALL_ACTION_TYPES,
	EXECUTABLE_ACTION_TYPES,
	isExecutableActionType,
} from '../../shared/incidentTask';
import { emptyFilterError, isBlank, toBoolean, toChoices } from '../../shared/parameters';
import { INCIDENT_TASK } from '../../shared/resources/incidentTask';
import { choices } from '../../shared/security';
import type { EntityListing, TriggerEvent } from './event';

const show = { event: ['newIncidentTask'] };

/** Every action type, the executable ones under the labels the node's Action Type list gives them. */
const actionTypeChoices = choices(
	ALL_ACTION_TYPES,
	Object.fromEntries(EXECUTABLE_ACTION_TYPES.map((type) => [type.value, type.name])),
);

const properties: INodeProperties[] = [
	{
		displayName: 'Executable Only',
		name: 'executableOnly',
		type: 'boolean',
		default: true,
		description:
			'Whether to trigger only on tasks whose action type the Execute Response Action operation can run (isolate device, run antivirus scan, ...)',
		displayOptions: { show },
	},
	{
		displayName: 'Action Types',
		name: 'actionTypes',
		type: 'multiOptions',
		options: actionTypeChoices.sort((a, b) => a.name.localeCompare(b.name)),
		default: [],
		description: 'Trigger only on tasks with one of these action types; none selected means any',
		displayOptions: { show },
	},
];

/**
 * `GET /beta/security/incidentTasks`: Graph filters only with `eq` joined by `and`, has no time filter and
 * promises no order, so every poll reads the whole list (one request of up to 500 tasks for most tenants).
 */
function listing(ctx: IPollFunctions): EntityListing {
	// An expression may hand over "false" as text, which must not count as true.
	// An expression that yields nothing is refused: read as false, it would trigger on every task.
	const executableOnlyValue = ctx.getNodeParameter('executableOnly', true);
	if (isBlank(executableOnlyValue)) throw emptyFilterError('Executable Only');
	const executableOnly = toBoolean(executableOnlyValue, 'Executable Only');
	// Only known values, checked before any request, go into the OData string.
	const actionTypes: readonly string[] = toChoices(
		ctx.getNodeParameter('actionTypes', []),
		'Action Types filter',
		ALL_ACTION_TYPES,
	);
	return {
		resource: INCIDENT_TASK,
		query: () => {
			const query: Record<string, string> = { $top: String(INCIDENT_TASK.pageSize) };
			if (actionTypes.length === 1) query.$filter = `actionType eq '${actionTypes[0]}'`;
			return query;
		},
		matches: (task) =>
			(!executableOnly || isExecutableActionType(task.actionType)) &&
			(actionTypes.length === 0 || actionTypes.includes(task.actionType as string)),
		newestFirst: false,
	};
}

export const newIncidentTask: TriggerEvent = {
	value: 'newIncidentTask',
	name: 'New Incident Task',
	description: 'Triggers when Defender Experts for XDR add a response task to an incident',
	resource: INCIDENT_TASK,
	entities: 'incident tasks',
	properties,
	listing,
};
