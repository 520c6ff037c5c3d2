import type { IDataObject } from 'n8n-workflow';

/**
 * The incident-task domain, named once: action types, statuses and the ID rule.
 * Facts from Graph beta `microsoft.graph.security.incidentTask` and `executeResponseAction`.
 */

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
] as const;

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

/** `status` values; `status` is the only field of a task that Graph lets us write. */
export const TASK_STATUSES = [
	{ value: 'open', name: 'Open' },
	{ value: 'inProgress', name: 'In Progress' },
	{ value: 'completed', name: 'Completed' },
	{ value: 'failed', name: 'Failed' },
	{ value: 'notRelevant', name: 'Not Relevant' },
] as const;

/** Graph's largest page (`$top`) for incident tasks. */
export const MAX_PAGE_SIZE = 500;

/** The fields we rely on; Graph may add more, and `responseAction` is deprecated and may be absent. */
export interface IncidentTask extends IDataObject {
	id: string;
	actionType?: string;
	actionStatus?: string;
	status?: string;
	displayName?: string;
	description?: string;
	source?: string;
	createdDateTime?: string;
	lastModifiedDateTime?: string;
}

const INCIDENT_TASK_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Why an incident task ID is refused, or undefined when it may be sent to Graph. */
export function incidentTaskIdProblem(incidentTaskId: unknown): string | undefined {
	if (typeof incidentTaskId !== 'string' || incidentTaskId.length === 0) {
		return 'The incident task ID is empty';
	}
	if (incidentTaskId.length > 128) {
		return `The incident task ID is ${incidentTaskId.length} characters long; at most 128 are allowed`;
	}
	if (!INCIDENT_TASK_ID.test(incidentTaskId) || incidentTaskId === '.' || incidentTaskId === '..') {
		return `The incident task ID "${printable(incidentTaskId)}" is malformed: use only letters, digits, "-", "_", "." and ":"`;
	}
	return undefined;
}

export function isExecutableActionType(actionType: unknown): actionType is ExecutableActionType {
	return EXECUTABLE_ACTION_TYPES.some((type) => type.value === actionType);
}

const STARTED_ACTION_STATUSES: readonly string[] = ['inProgress', 'completed', 'partiallyCompleted'];
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

export const TERMINAL_ACTION_STATUSES: readonly string[] = ['completed', 'failed', 'partiallyCompleted'];

/** Shortens and de-controls a user-supplied value before it is echoed in a message. */
export function printable(value: string, max = 64): string {
	const visible = value.replace(/[\u0000-\u001f\u007f]/g, '?');
	return visible.length > max ? `${visible.slice(0, max)}…` : visible;
}
