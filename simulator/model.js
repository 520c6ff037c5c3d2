// @ts-check
'use strict';

// The simulator plays Graph, so it keeps Graph's own vocabulary here rather than importing the node's:
// a node bug in those lists must show up as a disagreement with the simulator, not be copied into it.

/** Every `incidentTask.actionType` value (Graph beta, microsoft.graph.security.incidentTaskActionType). */
const ACTION_TYPES = Object.freeze([
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
]);

/** The action types `executeResponseAction` accepts; every other one answers 400 `Currently X is not supported`. */
const EXECUTABLE_ACTION_TYPES = Object.freeze([
	'collectInvestigationPackage',
	'isolateDevice',
	'unRestrictAppExecution',
	'unIsolateDevice',
	'restrictAppExecution',
	'runAntiVirusScan',
	'stopAndQuarantineFile',
	'submitIocRule',
]);

/** `incidentTask.status`, the analyst-facing field and the only one PATCH may change. */
const TASK_STATUSES = Object.freeze(['open', 'inProgress', 'completed', 'failed', 'notRelevant']);

/** `incidentTask.actionStatus`, the state of the response action itself. */
const ACTION_STATUSES = Object.freeze(['notStarted', 'inProgress', 'partiallyCompleted', 'completed', 'failed']);

/** Where an executed task's `actionStatus` ends; `inProgress` means it never leaves inProgress (for wait-timeout tests). */
const TASK_OUTCOMES = Object.freeze(['completed', 'failed', 'partiallyCompleted', 'inProgress']);

const TASK_SOURCES = Object.freeze(['defenderExpertsGuidedResponse', 'defenderExpertsManagedResponse']);

/** @param {string} actionType */
function isExecutableActionType(actionType) {
	return EXECUTABLE_ACTION_TYPES.includes(actionType);
}

module.exports = {
	ACTION_TYPES,
	EXECUTABLE_ACTION_TYPES,
	TASK_STATUSES,
	ACTION_STATUSES,
	TASK_OUTCOMES,
	TASK_SOURCES,
	isExecutableActionType,
};
