// @ts-check
'use strict';

// The seeded tenant: stable IDs and fixed dates, so tests, the demo and the README can name them.
// Rows are listed oldest first; Graph lists them newest first (createdDateTime descending).

const { createHash } = require('node:crypto');

/** Fixed clock for every seeded date; entities added at runtime default to the real "now", so they are always newer. */
const SEED_BASE_TIME = '2026-01-05T08:00:00.000Z';
const SEED_TENANT_GUID = '4f6a2c1e-8d3b-4b7a-9c55-2e1d0f3a7b60';

const BASE_MS = Date.parse(SEED_BASE_TIME);
/** @param {number} minutes */
const at = (minutes) => new Date(BASE_MS + minutes * 60_000).toISOString();
/** @param {string} text */
const sha1 = (text) => createHash('sha1').update(text).digest('hex');
/** @param {string} text */
const sha256 = (text) => createHash('sha256').update(text).digest('hex');

/** @type {Record<string, (t: { name: string }) => { displayName: string, description: string, responseAction: Record<string, unknown> }>} */
const TEMPLATES = {
	isolateDevice: (t) => ({
		displayName: `Isolate device ${t.name}`,
		description: `Defender Experts observed hands-on-keyboard activity on ${t.name}. Isolate the device from the network while the investigation continues.`,
		responseAction: { '@odata.type': '#microsoft.graph.security.isolateDeviceResponseAction', identifier: 'deviceId', isolationType: 'full' },
	}),
	unIsolateDevice: (t) => ({
		displayName: `Release device ${t.name} from isolation`,
		description: `Remediation on ${t.name} is complete. Release the device from network isolation.`,
		responseAction: { '@odata.type': '#microsoft.graph.security.unIsolateDeviceResponseAction', identifier: 'deviceId' },
	}),
	restrictAppExecution: (t) => ({
		displayName: `Restrict app execution on ${t.name}`,
		description: `Unsigned binaries were launched from a user-writable folder on ${t.name}. Allow only Microsoft-signed applications to run.`,
		responseAction: { '@odata.type': '#microsoft.graph.security.restrictAppExecutionResponseAction', identifier: 'deviceId' },
	}),
	unRestrictAppExecution: (t) => ({
		displayName: `Remove app execution restriction on ${t.name}`,
		description: `The threat on ${t.name} is contained. Lift the application execution restriction.`,
		responseAction: { '@odata.type': '#microsoft.graph.security.unRestrictAppExecutionResponseAction', identifier: 'deviceId' },
	}),
	runAntiVirusScan: (t) => ({
		displayName: `Run antivirus scan on ${t.name}`,
		description: `Run a full Microsoft Defender Antivirus scan on ${t.name} to find further artifacts of the intrusion.`,
		responseAction: { '@odata.type': '#microsoft.graph.security.runAntivirusScanResponseAction', identifier: 'deviceId' },
	}),
	collectInvestigationPackage: (t) => ({
		displayName: `Collect investigation package from ${t.name}`,
		description: `Collect the forensic investigation package from ${t.name} for offline analysis.`,
		responseAction: { '@odata.type': '#microsoft.graph.security.collectInvestigationPackageResponseAction', identifier: 'deviceId' },
	}),
	stopAndQuarantineFile: (t) => ({
		displayName: `Stop and quarantine ${t.name}`,
		description: `The file ${t.name} (SHA1 ${sha1(t.name)}) was classified as malware. Stop its processes and quarantine it on every device where it was seen.`,
		responseAction: { '@odata.type': '#microsoft.graph.security.stopAndQuarantineFileResponseAction', identifier: 'sha1', deviceId: null },
	}),
	submitIocRule: (t) => ({
		displayName: `Block indicator ${t.name}`,
		description: `Submit a block indicator for ${t.name}, which was used as command-and-control in this incident.`,
		responseAction: { '@odata.type': '#microsoft.graph.security.submitIocResponseAction', identifier: t.name.includes('.') && !/^\d/.test(t.name) ? 'domainName' : 'ipAddress', action: 'block' },
	}),
	text: (t) => ({
		displayName: t.name,
		description: `Manual step requested by Defender Experts: ${t.name.toLowerCase()}.`,
		responseAction: { '@odata.type': '#microsoft.graph.security.responseAction' },
	}),
	forceUserPasswordReset: (t) => ({
		displayName: `Force password reset for ${t.name}`,
		description: `Credentials of ${t.name} were exposed to a phishing page. Force a password reset at next sign-in.`,
		responseAction: { '@odata.type': '#microsoft.graph.security.forceUserPasswordResetResponseAction', identifier: 'accountSid' },
	}),
	disableUser: (t) => ({
		displayName: `Disable user ${t.name}`,
		description: `The account ${t.name} signed in from an anonymizing proxy and created inbox rules. Disable it in Active Directory and Microsoft Entra ID.`,
		responseAction: { '@odata.type': '#microsoft.graph.security.disableUserResponseAction', identifier: 'accountSid' },
	}),
	enableUser: (t) => ({
		displayName: `Re-enable user ${t.name}`,
		description: `The investigation cleared ${t.name}. Re-enable the account.`,
		responseAction: { '@odata.type': '#microsoft.graph.security.enableUserResponseAction', identifier: 'accountSid' },
	}),
	markUserAsCompromised: (t) => ({
		displayName: `Mark ${t.name} as compromised`,
		description: `Raise the user risk of ${t.name} to high so Conditional Access policies apply.`,
		responseAction: { '@odata.type': '#microsoft.graph.security.markUserAsCompromisedResponseAction', identifier: 'recipientObjectId' },
	}),
	requireSignIn: (t) => ({
		displayName: `Require ${t.name} to sign in again`,
		description: `Revoke the active sessions of ${t.name} and require a fresh sign-in.`,
		responseAction: { '@odata.type': '#microsoft.graph.security.requireSignInResponseAction', identifier: 'recipientObjectId' },
	}),
	hardDeleteEmail: (t) => ({
		displayName: `Hard delete email "${t.name}"`,
		description: `Permanently delete the phishing message "${t.name}" from every mailbox that received it.`,
		responseAction: { '@odata.type': '#microsoft.graph.security.hardDeleteResponseAction', identifier: 'networkMessageId' },
	}),
	softDeleteEmail: (t) => ({
		displayName: `Soft delete email "${t.name}"`,
		description: `Move the message "${t.name}" to the recipients' Recoverable Items folder.`,
		responseAction: { '@odata.type': '#microsoft.graph.security.softDeleteResponseAction', identifier: 'networkMessageId' },
	}),
	unknownFutureValue: (t) => ({
		displayName: t.name,
		description: 'A task whose action type this API version does not know yet.',
		responseAction: { '@odata.type': '#microsoft.graph.security.responseAction' },
	}),
};

/**
 * One seeded task: [id, actionType, status, actionStatus, outcome after execute, incidentId, target, has responseAction, source]
 * @typedef {[string, string, string, string, string, string, string, boolean, ('guided'|'managed')?]} TaskRow
 */

/** @type {TaskRow[]} oldest first */
const TASK_ROWS = [
	// Open, notStarted, one per executable action type: execute ends `completed`.
	['task-isolate-open-001', 'isolateDevice', 'open', 'notStarted', 'completed', '1001', 'WS-FIN-042', true],
	['task-collect-open-001', 'collectInvestigationPackage', 'open', 'notStarted', 'completed', '1001', 'WS-FIN-042', false],
	['task-avscan-open-001', 'runAntiVirusScan', 'open', 'notStarted', 'completed', '1001', 'WS-FIN-042', true],
	['task-quarantine-open-001', 'stopAndQuarantineFile', 'open', 'notStarted', 'completed', '1002', 'invoice_0412.pdf.exe', false],
	['task-restrict-open-001', 'restrictAppExecution', 'open', 'notStarted', 'completed', '1002', 'SRV-SQL-07', true],
	['task-unrestrict-open-001', 'unRestrictAppExecution', 'open', 'notStarted', 'completed', '1003', 'SRV-SQL-07', false],
	['task-unisolate-open-001', 'unIsolateDevice', 'open', 'notStarted', 'completed', '1003', 'LT-HR-113', true],
	['task-ioc-open-001', 'submitIocRule', 'open', 'notStarted', 'completed', '1002', 'cdn-update-check.net', true, 'managed'],
	// Already started or closed.
	['task-isolate-inprogress-001', 'isolateDevice', 'inProgress', 'inProgress', 'inProgress', '1001', 'WS-FIN-051', true],
	['task-isolate-completed-001', 'isolateDevice', 'completed', 'completed', 'completed', '1001', 'WS-FIN-039', true],
	['task-restrict-notrelevant-001', 'restrictAppExecution', 'notRelevant', 'notStarted', 'completed', '1003', 'SRV-SQL-08', false],
	['task-avscan-failed-001', 'runAntiVirusScan', 'failed', 'failed', 'failed', '1002', 'SRV-FILE-02', true, 'managed'],
	['task-quarantine-partiallycompleted-001', 'stopAndQuarantineFile', 'inProgress', 'partiallyCompleted', 'partiallyCompleted', '1002', 'payroll_update.js', true],
	// Open, notStarted, but execute does not end `completed`.
	['task-avscan-fails-001', 'runAntiVirusScan', 'open', 'notStarted', 'failed', '1004', 'LT-EXEC-003', true],
	['task-quarantine-partial-001', 'stopAndQuarantineFile', 'open', 'notStarted', 'partiallyCompleted', '1005', 'svchost32.exe', false],
	['task-collect-stuck-001', 'collectInvestigationPackage', 'open', 'notStarted', 'inProgress', '1006', 'SRV-WEB-12', true],
	// The nine action types executeResponseAction refuses, open.
	['task-text-open-001', 'text', 'open', 'notStarted', 'completed', '1001', 'Confirm with the device owner that WS-FIN-042 can be reimaged', false],
	['task-pwreset-open-001', 'forceUserPasswordReset', 'open', 'notStarted', 'completed', '1004', 'megan.bowen@contoso.com', true],
	['task-disableuser-open-001', 'disableUser', 'open', 'notStarted', 'completed', '1004', 'alex.wilber@contoso.com', false],
	['task-markcompromised-open-001', 'markUserAsCompromised', 'open', 'notStarted', 'completed', '1008', 'lidia.holloway@contoso.com', true, 'managed'],
	['task-requiresignin-open-001', 'requireSignIn', 'open', 'notStarted', 'completed', '1008', 'lidia.holloway@contoso.com', false],
	['task-harddelete-open-001', 'hardDeleteEmail', 'open', 'notStarted', 'completed', '1008', 'Action required: payroll portal update', true],
	['task-softdelete-open-001', 'softDeleteEmail', 'open', 'notStarted', 'completed', '1008', 'Your mailbox is almost full', false],
	['task-enableuser-open-001', 'enableUser', 'open', 'notStarted', 'completed', '1007', 'diego.siciliani@contoso.com', false],
	['task-unknown-open-001', 'unknownFutureValue', 'open', 'notStarted', 'completed', '1007', 'Follow-up action added by a newer service version', false],
	// More open executable tasks, so paging with $top=10 spans several pages.
	['task-isolate-open-002', 'isolateDevice', 'open', 'notStarted', 'completed', '1004', 'LT-HR-113', false],
	['task-avscan-open-002', 'runAntiVirusScan', 'open', 'notStarted', 'completed', '1004', 'LT-HR-113', true],
	['task-isolate-open-003', 'isolateDevice', 'open', 'notStarted', 'completed', '1005', 'WS-DEV-201', true, 'managed'],
	['task-avscan-open-003', 'runAntiVirusScan', 'open', 'notStarted', 'completed', '1005', 'WS-DEV-201', false],
	['task-quarantine-open-002', 'stopAndQuarantineFile', 'open', 'notStarted', 'completed', '1005', 'devtools-helper.dll', true],
	['task-ioc-open-002', 'submitIocRule', 'open', 'notStarted', 'completed', '1006', '203.0.113.77', false],
	['task-collect-open-002', 'collectInvestigationPackage', 'open', 'notStarted', 'completed', '1006', 'SRV-WEB-12', true],
	['task-restrict-open-002', 'restrictAppExecution', 'open', 'notStarted', 'completed', '1006', 'SRV-WEB-12', false],
	['task-unisolate-open-002', 'unIsolateDevice', 'open', 'notStarted', 'completed', '1007', 'WS-OPS-088', false],
	['task-unrestrict-open-002', 'unRestrictAppExecution', 'open', 'notStarted', 'completed', '1007', 'WS-OPS-088', true],
	// Non-executable tasks in other states.
	['task-text-open-002', 'text', 'open', 'notStarted', 'completed', '1006', 'Check the web server logs for further exploitation attempts', false],
	['task-text-completed-001', 'text', 'completed', 'completed', 'completed', '1003', 'Confirm the unwanted software was removed from SRV-SQL-07', false],
	['task-pwreset-completed-001', 'forceUserPasswordReset', 'completed', 'completed', 'completed', '1004', 'adele.vance@contoso.com', true],
	['task-disableuser-notrelevant-001', 'disableUser', 'notRelevant', 'notStarted', 'completed', '1007', 'svc-backup@contoso.com', false],
	['task-softdelete-inprogress-001', 'softDeleteEmail', 'inProgress', 'inProgress', 'inProgress', '1008', 'Shared document: Q4 bonus plan', true, 'managed'],
	// Newest.
	['task-unisolate-completed-001', 'unIsolateDevice', 'completed', 'completed', 'completed', '1008', 'LT-SALES-019', true],
	['task-avscan-inprogress-001', 'runAntiVirusScan', 'inProgress', 'inProgress', 'inProgress', '1008', 'LT-SALES-019', false],
	['task-isolate-open-004', 'isolateDevice', 'open', 'notStarted', 'completed', '1008', 'LT-SALES-019', true],
	['task-avscan-open-004', 'runAntiVirusScan', 'open', 'notStarted', 'completed', '1008', 'LT-SALES-022', false],
];

const TASK_SPACING_MINUTES = 17;
const TASKS_START_MINUTES = 45;
const EXPERTS = 'Microsoft Defender Experts';

/**
 * @param {TaskRow} row
 * @param {number} index
 */
function buildTask(row, index) {
	const [id, actionType, status, actionStatus, , , target, withResponseAction, source] = row;
	const template = TEMPLATES[actionType];
	const { displayName, description, responseAction } = template({ name: target });
	const createdMinutes = TASKS_START_MINUTES + index * TASK_SPACING_MINUTES;
	const touched = status !== 'open' || actionStatus !== 'notStarted';
	/** @type {Record<string, unknown>} */
	const task = {
		id,
		displayName,
		description,
		actionType,
		actionStatus,
		status,
		source: source === 'managed' ? 'defenderExpertsManagedResponse' : 'defenderExpertsGuidedResponse',
		createdDateTime: at(createdMinutes),
		lastModifiedDateTime: at(createdMinutes + (touched ? 11 : 0)),
		createdByDisplayName: EXPERTS,
		lastModifiedByDisplayName: touched ? 'Nestor Wilke' : EXPERTS,
	};
	if (withResponseAction) task.responseAction = responseAction;
	return task;
}

/** @type {ReadonlyArray<Record<string, unknown>>} Graph-shaped incident tasks, oldest first. */
const SEED_TASKS = deepFreeze(TASK_ROWS.map(buildTask));

/** @type {Readonly<Record<string, string>>} Where each seeded task's actionStatus ends after a successful execute. */
const SEED_TASK_OUTCOMES = Object.freeze(Object.fromEntries(TASK_ROWS.map((row) => [row[0], row[4]])));

/** @type {Readonly<Record<string, string>>} The incident each seeded task belongs to (Graph's `incident` relationship). */
const SEED_TASK_INCIDENTS = Object.freeze(Object.fromEntries(TASK_ROWS.map((row) => [row[0], row[5]])));

/** Task IDs tests and the demo rely on, by role. */
const SEEDED_TASK_IDS = deepFreeze({
	openByActionType: {
		collectInvestigationPackage: 'task-collect-open-001',
		isolateDevice: 'task-isolate-open-001',
		unRestrictAppExecution: 'task-unrestrict-open-001',
		unIsolateDevice: 'task-unisolate-open-001',
		restrictAppExecution: 'task-restrict-open-001',
		runAntiVirusScan: 'task-avscan-open-001',
		stopAndQuarantineFile: 'task-quarantine-open-001',
		submitIocRule: 'task-ioc-open-001',
	},
	nonExecutableByActionType: {
		text: 'task-text-open-001',
		forceUserPasswordReset: 'task-pwreset-open-001',
		disableUser: 'task-disableuser-open-001',
		markUserAsCompromised: 'task-markcompromised-open-001',
		requireSignIn: 'task-requiresignin-open-001',
		hardDeleteEmail: 'task-harddelete-open-001',
		softDeleteEmail: 'task-softdelete-open-001',
		enableUser: 'task-enableuser-open-001',
		unknownFutureValue: 'task-unknown-open-001',
	},
	endsFailed: 'task-avscan-fails-001',
	endsPartiallyCompleted: 'task-quarantine-partial-001',
	neverCompletes: 'task-collect-stuck-001',
	inProgress: 'task-isolate-inprogress-001',
	completed: 'task-isolate-completed-001',
	notRelevant: 'task-restrict-notrelevant-001',
	failed: 'task-avscan-failed-001',
	partiallyCompleted: 'task-quarantine-partiallycompleted-001',
});

/**
 * [id, severity, status, displayName, created (minutes after base), last update (minutes after base), assignedTo, classification, determination]
 * @typedef {[string, string, string, string, number, number, string | null, string, string]} IncidentRow
 */

/** @type {IncidentRow[]} */
const INCIDENT_ROWS = [
	['1001', 'high', 'active', 'Multi-stage incident involving Execution & Ransomware on one endpoint', 0, 600, 'nestor.wilke@contoso.com', 'unknown', 'unknown'],
	['1002', 'medium', 'active', 'Suspicious file dropped and launched on multiple endpoints', 90, 240, null, 'unknown', 'unknown'],
	['1003', 'low', 'resolved', 'Unwanted software detected on one endpoint', 180, 420, 'nestor.wilke@contoso.com', 'truePositive', 'unwantedSoftware'],
	['1004', 'high', 'active', 'Credential theft campaign targeting Finance', 270, 900, null, 'unknown', 'unknown'],
	['1005', 'medium', 'inProgress', 'Malware detected on a developer workstation', 360, 480, 'isaiah.langer@contoso.com', 'unknown', 'unknown'],
	['1006', 'informational', 'resolved', 'Suspicious PowerShell activity on a web server', 450, 510, 'isaiah.langer@contoso.com', 'informationalExpectedActivity', 'securityTesting'],
	['1007', 'low', 'active', 'Anomalous sign-in followed by device activity', 540, 700, null, 'unknown', 'unknown'],
	['1008', 'high', 'active', 'Business email compromise with mailbox rule manipulation', 630, 1020, null, 'unknown', 'unknown'],
];

/** @param {IncidentRow} row */
function buildIncident(row) {
	const [id, severity, status, displayName, created, updated, assignedTo, classification, determination] = row;
	return {
		id,
		tenantId: SEED_TENANT_GUID,
		status,
		incidentWebUrl: `https://security.microsoft.com/incidents/${id}?tid=${SEED_TENANT_GUID}`,
		redirectIncidentId: null,
		displayName,
		createdDateTime: at(created),
		lastUpdateDateTime: at(updated),
		assignedTo,
		classification,
		determination,
		severity,
		priorityScore: { high: 80, medium: 50, low: 20, informational: 5 }[severity] ?? null,
		customTags: [],
		systemTags: status === 'resolved' ? [] : ['Defender Experts'],
		description: null,
		lastModifiedBy: assignedTo ?? 'Microsoft 365 Defender',
		resolvingComment: status === 'resolved' ? 'Resolved after remediation was confirmed.' : null,
		summary: null,
		comments: [],
	};
}

/** @type {ReadonlyArray<Record<string, unknown>>} */
const SEED_INCIDENTS = deepFreeze(INCIDENT_ROWS.map(buildIncident));

/**
 * [id, incidentId, severity, status, serviceSource, detectionSource, category, title, created (minutes after base), last update (minutes after base)]
 * @typedef {[string, string, string, string, string, string, string, string, number, number]} AlertRow
 */

/** @type {AlertRow[]} */
const ALERT_ROWS = [
	['alert-1001-01', '1001', 'high', 'inProgress', 'microsoftDefenderForEndpoint', 'microsoftDefenderForEndpoint', 'Execution', "Suspicious 'PowerShell' encoded command", 0, 120],
	['alert-1001-02', '1001', 'high', 'new', 'microsoftDefenderForEndpoint', 'antivirus', 'Ransomware', "Ransomware behavior detected in the file system", 12, 600],
	['alert-1002-01', '1002', 'medium', 'new', 'microsoftDefenderForEndpoint', 'antivirus', 'Malware', "'Trojan:Win32/Wacatac' malware was detected", 90, 240],
	['alert-1002-02', '1002', 'medium', 'new', 'microsoftDefenderForEndpoint', 'customTi', 'CommandAndControl', 'Connection to a custom network indicator', 101, 200],
	['alert-1003-01', '1003', 'low', 'resolved', 'microsoftDefenderForEndpoint', 'antivirus', 'UnwantedSoftware', "'Presenoker' unwanted software was detected", 180, 420],
	['alert-1004-01', '1004', 'high', 'new', 'microsoftDefenderForOffice365', 'microsoftDefenderForOffice365', 'InitialAccess', 'Email messages containing malicious URL removed after delivery', 270, 300],
	['alert-1004-02', '1004', 'medium', 'new', 'microsoftDefenderForIdentity', 'microsoftDefenderForIdentity', 'CredentialAccess', 'Suspected credential theft activity', 281, 900],
	['alert-1004-03', '1004', 'high', 'inProgress', 'microsoftDefenderForEndpoint', 'microsoftDefenderForEndpoint', 'CredentialAccess', 'Possible credential dumping from LSASS', 295, 880],
	['alert-1005-01', '1005', 'medium', 'inProgress', 'microsoftDefenderForEndpoint', 'antivirus', 'Malware', "'Lumma' malware was prevented", 360, 480],
	['alert-1005-02', '1005', 'low', 'new', 'microsoftDefenderForEndpoint', 'microsoftDefenderForEndpoint', 'DefenseEvasion', 'Suspicious process injection observed', 372, 400],
	['alert-1006-01', '1006', 'informational', 'resolved', 'microsoftDefenderForEndpoint', 'microsoftDefenderForEndpoint', 'Execution', 'Suspicious PowerShell command line', 450, 510],
	['alert-1007-01', '1007', 'low', 'new', 'microsoftDefenderForCloudApps', 'microsoftDefenderForCloudApps', 'InitialAccess', 'Activity from an anonymous proxy', 540, 560],
	['alert-1007-02', '1007', 'medium', 'new', 'microsoftDefenderForIdentity', 'microsoftDefenderForIdentity', 'Discovery', 'Account enumeration reconnaissance', 556, 700],
	['alert-1008-01', '1008', 'high', 'new', 'microsoftDefenderForOffice365', 'microsoftDefenderForOffice365', 'InitialAccess', 'A potentially malicious URL click was detected', 630, 640],
	['alert-1008-02', '1008', 'high', 'new', 'microsoftDefenderForCloudApps', 'microsoftDefenderForCloudApps', 'Persistence', 'Suspicious inbox manipulation rule', 644, 1020],
	['alert-1008-03', '1008', 'medium', 'inProgress', 'microsoftDefenderForOffice365', 'microsoftDefenderForOffice365', 'Exfiltration', 'Suspicious email forwarding activity', 651, 990],
];

/** @param {AlertRow} row */
function buildAlert(row) {
	const [id, incidentId, severity, status, serviceSource, detectionSource, category, title, created, updated] = row;
	const providerAlertId = sha256(id).slice(0, 24);
	return {
		id,
		providerAlertId,
		incidentId,
		status,
		severity,
		classification: status === 'resolved' ? 'truePositive' : null,
		determination: status === 'resolved' ? 'malware' : null,
		serviceSource,
		detectionSource,
		detectorId: sha1(title).slice(0, 36),
		tenantId: SEED_TENANT_GUID,
		title,
		description: `${title}. Review the alert story in the Microsoft Defender portal.`,
		recommendedActions: 'Investigate the alert story, contain affected assets and review related alerts.',
		category,
		assignedTo: null,
		alertWebUrl: `https://security.microsoft.com/alerts/${id}?tid=${SEED_TENANT_GUID}`,
		incidentWebUrl: `https://security.microsoft.com/incidents/${incidentId}?tid=${SEED_TENANT_GUID}`,
		actorDisplayName: null,
		threatDisplayName: null,
		threatFamilyName: null,
		mitreTechniques: [],
		createdDateTime: at(created),
		lastUpdateDateTime: at(updated),
		resolvedDateTime: status === 'resolved' ? at(updated) : null,
		firstActivityDateTime: at(created - 3),
		lastActivityDateTime: at(created - 1),
		comments: [],
		evidence: [],
		systemTags: [],
	};
}

/** @type {ReadonlyArray<Record<string, unknown>>} */
const SEED_ALERTS = deepFreeze(ALERT_ROWS.map(buildAlert));

/**
 * @template T
 * @param {T} value
 * @returns {T}
 */
function deepFreeze(value) {
	if (value && typeof value === 'object') {
		for (const inner of Object.values(value)) deepFreeze(inner);
		Object.freeze(value);
	}
	return value;
}

module.exports = {
	SEED_BASE_TIME,
	SEED_TENANT_GUID,
	SEED_TASKS,
	SEED_TASK_OUTCOMES,
	SEED_TASK_INCIDENTS,
	SEEDED_TASK_IDS,
	SEED_INCIDENTS,
	SEED_ALERTS,
};
