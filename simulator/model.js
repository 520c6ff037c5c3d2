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
const ACTION_STATUSES = Object.freeze([
	'notStarted',
	'inProgress',
	'partiallyCompleted',
	'completed',
	'failed',
]);

/** Where an executed task's `actionStatus` ends; `inProgress` means it never leaves inProgress (for wait-timeout tests). */
const TASK_OUTCOMES = Object.freeze(['completed', 'failed', 'partiallyCompleted', 'inProgress']);

const TASK_SOURCES = Object.freeze([
	'defenderExpertsGuidedResponse',
	'defenderExpertsManagedResponse',
]);

/**
 * The `@odata.type` of each task's `responseAction` (microsoft.graph.security.incidentTaskResponseAction subtypes).
 * Graph documents no subtype for submitIocRule, so it gets the base type; text and unknownFutureValue tasks have none.
 */
const RESPONSE_ACTION_TYPES = Object.freeze(
	/** @type {Record<string, string>} */ ({
		isolateDevice: '#microsoft.graph.security.isolateDeviceIncidentTaskResponseAction',
		unIsolateDevice: '#microsoft.graph.security.unIsolateDeviceIncidentTaskResponseAction',
		restrictAppExecution:
			'#microsoft.graph.security.restrictAppExecutionIncidentTaskResponseAction',
		unRestrictAppExecution:
			'#microsoft.graph.security.unRestrictAppExecutionIncidentTaskResponseAction',
		runAntiVirusScan: '#microsoft.graph.security.runAntivirusScanIncidentTaskResponseAction',
		collectInvestigationPackage:
			'#microsoft.graph.security.collectInvestigationPackageIncidentTaskResponseAction',
		stopAndQuarantineFile:
			'#microsoft.graph.security.stopAndQuarantineFileIncidentTaskResponseAction',
		submitIocRule: '#microsoft.graph.security.incidentTaskResponseAction',
		forceUserPasswordReset:
			'#microsoft.graph.security.forceUserPasswordResetIncidentTaskResponseAction',
		disableUser: '#microsoft.graph.security.disableUserIncidentTaskResponseAction',
		enableUser: '#microsoft.graph.security.enableUserIncidentTaskResponseAction',
		markUserAsCompromised:
			'#microsoft.graph.security.markUserAsCompromisedIncidentTaskResponseAction',
		requireSignIn: '#microsoft.graph.security.requireSignInIncidentTaskResponseAction',
		hardDeleteEmail: '#microsoft.graph.security.hardDeleteEmailIncidentTaskResponseAction',
		softDeleteEmail: '#microsoft.graph.security.softDeleteIncidentTaskResponseAction',
	}),
);

// Incidents and alerts (Graph v1.0, microsoft.graph.security). Evolvable enums keep Graph's member order:
// members after `unknownFutureValue` are served only to clients that send `Prefer: include-unknown-enum-members`.

/** `incident.status`; Defender Experts set awaitingAction, which comes after the sentinel. */
const INCIDENT_STATUSES = Object.freeze([
	'active',
	'resolved',
	'inProgress',
	'redirected',
	'unknownFutureValue',
	'awaitingAction',
]);

/** `alert.status` */
const ALERT_STATUSES = Object.freeze([
	'unknown',
	'new',
	'inProgress',
	'resolved',
	'unknownFutureValue',
]);

/** `alertSeverity`, shared by incidents and alerts. */
const ALERT_SEVERITIES = Object.freeze([
	'unknown',
	'informational',
	'low',
	'medium',
	'high',
	'unknownFutureValue',
]);

/** `alertClassification`, shared by incidents and alerts. */
const ALERT_CLASSIFICATIONS = Object.freeze([
	'unknown',
	'falsePositive',
	'truePositive',
	'informationalExpectedActivity',
	'unknownFutureValue',
]);

/** `alertDetermination`, shared by incidents and alerts (the names in Graph's current metadata). */
const ALERT_DETERMINATIONS = Object.freeze([
	'unknown',
	'apt',
	'malware',
	'securityPersonnel',
	'securityTesting',
	'unwantedSoftware',
	'other',
	'multiStagedAttack',
	'compromisedAccount',
	'phishing',
	'maliciousUserActivity',
	'notMalicious',
	'notEnoughDataToValidate',
	'confirmedActivity',
	'lineOfBusinessApplication',
	'unknownFutureValue',
]);

/** `alert.serviceSource` */
const SERVICE_SOURCES = Object.freeze([
	'unknown',
	'microsoftDefenderForEndpoint',
	'microsoftDefenderForIdentity',
	'microsoftDefenderForCloudApps',
	'microsoftDefenderForOffice365',
	'microsoft365Defender',
	'azureAdIdentityProtection',
	'microsoftAppGovernance',
	'dataLossPrevention',
	'unknownFutureValue',
	'microsoftDefenderForCloud',
	'microsoftSentinel',
	'microsoftInsiderRiskManagement',
	'microsoftThreatIntelligence',
]);

/** `alert.detectionSource` */
const DETECTION_SOURCES = Object.freeze([
	'unknown',
	'microsoftDefenderForEndpoint',
	'antivirus',
	'smartScreen',
	'customTi',
	'microsoftDefenderForOffice365',
	'automatedInvestigation',
	'microsoftThreatExperts',
	'customDetection',
	'microsoftDefenderForIdentity',
	'cloudAppSecurity',
	'microsoft365Defender',
	'azureAdIdentityProtection',
	'manual',
	'microsoftDataLossPrevention',
	'appGovernancePolicy',
	'appGovernanceDetection',
	'unknownFutureValue',
	'microsoftDefenderForCloud',
	'microsoftDefenderForIoT',
	'microsoftDefenderForServers',
	'microsoftDefenderForStorage',
	'microsoftDefenderForDNS',
	'microsoftDefenderForDatabases',
	'microsoftDefenderForContainers',
	'microsoftDefenderForNetwork',
	'microsoftDefenderForAppService',
	'microsoftDefenderForKeyVault',
	'microsoftDefenderForResourceManager',
	'microsoftDefenderForApiManagement',
	'nrtAlerts',
	'scheduledAlerts',
	'microsoftDefenderThreatIntelligenceAnalytics',
	'builtInMl',
	'microsoftInsiderRiskManagement',
	'microsoftThreatIntelligence',
	'microsoftSentinel',
]);

/** `microsoft.graph.security.action`: what identityAccounts invokeAction can do to an identity's account. */
const IDENTITY_ACTIONS = Object.freeze([
	'disable',
	'enable',
	'forcePasswordReset',
	'revokeAllSessions',
	'requireUserToSignInAgain',
	'markUserAsCompromised',
	'unknownFutureValue',
]);

/** `microsoft.graph.security.identityProvider`: where an identity's account lives. */
const IDENTITY_PROVIDERS = Object.freeze([
	'entraID',
	'activeDirectory',
	'okta',
	'unknownFutureValue',
]);

/**
 * The members of an evolvable enum that come after its `unknownFutureValue` sentinel.
 * @param {readonly string[]} members
 */
function membersAfterSentinel(members) {
	return Object.freeze(members.slice(members.indexOf('unknownFutureValue') + 1));
}

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
	RESPONSE_ACTION_TYPES,
	INCIDENT_STATUSES,
	ALERT_STATUSES,
	ALERT_SEVERITIES,
	ALERT_CLASSIFICATIONS,
	ALERT_DETERMINATIONS,
	SERVICE_SOURCES,
	DETECTION_SOURCES,
	IDENTITY_ACTIONS,
	IDENTITY_PROVIDERS,
	membersAfterSentinel,
	isExecutableActionType,
};
