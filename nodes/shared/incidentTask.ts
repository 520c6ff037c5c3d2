import type { SecurityNamespace } from '@microsoft/microsoft-graph-types-beta';
import type { IDataObject } from 'n8n-workflow';

/**
 * The incident-task domain, named once: action types and statuses (the ID rule is the one every Graph ID follows,
 * in `parameters.ts`).
 * Facts from Graph beta `microsoft.graph.security.incidentTask` and `executeResponseAction`; the tables are
 * checked against Microsoft's own type definitions at compile time, so a value Microsoft adds or drops breaks
 * the build instead of a workflow.
 */

/** Compiles only when the two unions hold exactly the same values. */
export type SameValues<Ours, Microsofts> = [
	Exclude<Ours, Microsofts>,
	Exclude<Microsofts, Ours>,
] extends [never, never]
	? true
	: never;

/** The only action types Graph can execute through `executeResponseAction`, with the labels users see. */
export const EXECUTABLE_ACTION_TYPES = [
	{ value: 'collectInvestigationPackage', name: 'Collect Investigation Package' },
	{ value: 'isolateDevice', name: 'Isolate Device' },
	{ value: 'unRestrictAppExecution', name: 'Remove App Execution Restriction' },
	{ value: 'unIsolateDevice', name: 'Release Device From Isolation' },
	{ value: 'restrictAppExecution', name: 'Restrict App Execution' },
	{ value: 'runAntiVirusScan', name: 'Run Antivirus Scan' },
	{ value: 'stopAndQuarantineFile', name: 'Stop and Quarantine File' },
	{ value: 'submitIocRule', name: 'Submit IoC Rule' },
] as const satisfies ReadonlyArray<{
	value: SecurityNamespace.IncidentTaskActionType;
	name: string;
}>;

export type ExecutableActionType = (typeof EXECUTABLE_ACTION_TYPES)[number]['value'];

/** Every `actionType` Graph documents for an incident task (executable or not). */
export const ALL_ACTION_TYPES = [
	'text',
	'isolateDevice',
	'stopAndQuarantineFile',
	'runAntiVirusScan',
	'collectInvestigationPackage',
	'restrictAppExecution',
	'submitIocRule',
	'forceUserPasswordReset',
	'disableUser',
	'markUserAsCompromised',
	'requireSignIn',
	'hardDeleteEmail',
	'softDeleteEmail',
	'unIsolateDevice',
	'unRestrictAppExecution',
	'enableUser',
	'unknownFutureValue',
] as const;
const actionTypesMatchGraph: SameValues<
	(typeof ALL_ACTION_TYPES)[number],
	SecurityNamespace.IncidentTaskActionType
> = true;

/** `status` values; `status` is the only field of a task that Graph lets us write. */
export const TASK_STATUSES = [
	{ value: 'open', name: 'Open' },
	{ value: 'inProgress', name: 'In Progress' },
	{ value: 'completed', name: 'Completed' },
	{ value: 'failed', name: 'Failed' },
	{ value: 'notRelevant', name: 'Not Relevant' },
] as const;
// Graph's `unknownFutureValue` is a marker, not a status anyone can set.
const statusesMatchGraph: SameValues<
	(typeof TASK_STATUSES)[number]['value'],
	Exclude<SecurityNamespace.IncidentTaskStatus, 'unknownFutureValue'>
> = true;

/** `actionStatus` values: how far the response action has got. */
export const ACTION_STATUSES = [
	'notStarted',
	'inProgress',
	'partiallyCompleted',
	'completed',
	'failed',
] as const;
const actionStatusesMatchGraph: SameValues<
	(typeof ACTION_STATUSES)[number],
	Exclude<SecurityNamespace.IncidentTaskActionStatus, 'unknownFutureValue'>
> = true;
void [actionTypesMatchGraph, statusesMatchGraph, actionStatusesMatchGraph];

/**
 * Graph promises no order for the task list unless asked; `lastUpdateDateTime` is the one property it documents for
 * `$orderby`, so lists that should start with the most recent tasks ask for it.
 */
export const RECENTLY_UPDATED_FIRST = 'lastUpdateDateTime desc';

/**
 * A task as Graph serves it: Microsoft's model, with the fields the node relies on named. Graph may send more, and
 * `responseAction` is deprecated and may be absent, so nothing depends on it.
 */
export type IncidentTask = IDataObject &
	Pick<
		SecurityNamespace.IncidentTask,
		| 'actionType'
		| 'actionStatus'
		| 'status'
		| 'displayName'
		| 'description'
		| 'source'
		| 'createdDateTime'
		| 'lastModifiedDateTime'
	> & {
		id: string;
	};

export function isExecutableActionType(actionType: unknown): actionType is ExecutableActionType {
	return EXECUTABLE_ACTION_TYPES.some((type) => type.value === actionType);
}

const STARTED_ACTION_STATUSES: readonly string[] = [
	'inProgress',
	'completed',
	'partiallyCompleted',
];
const CLOSED_TASK_STATUSES: readonly string[] = ['completed', 'notRelevant'];

/** Why a task must not simply be executed again, or undefined when it has not been started. */
export function alreadyStartedReason(task: IncidentTask): string | undefined {
	if (task.actionStatus && STARTED_ACTION_STATUSES.includes(task.actionStatus)) {
		return `The task's response action is already ${task.actionStatus}`;
	}
	if (task.status && CLOSED_TASK_STATUSES.includes(task.status)) {
		return `The task is already marked ${task.status}`;
	}
	return undefined;
}

export const TERMINAL_ACTION_STATUSES: readonly string[] = [
	'completed',
	'failed',
	'partiallyCompleted',
];
