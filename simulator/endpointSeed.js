// @ts-check
'use strict';

// The seeded Defender for Endpoint tenant: the story's devices as MDE machines (same IDs as the alerts' evidence),
// two devices with scripted action outcomes, and a few indicators.

const { createHash } = require('node:crypto');
const { STORY, SEED_ALERTS, SEED_BASE_TIME } = require('./seed');

/**
 * @typedef {'succeeds' | 'fails' | 'timesOut'} ActionBehaviour how machine actions on the device end
 * @typedef {{ name: string, osPlatform: string, osBuild: number, ipAddress: string, group: string,
 *   aadDeviceId: string | null, deviceId: string, tags: string[], healthStatus: string,
 *   lastSeenMinutesAgo: number, behaviour: ActionBehaviour }} EndpointDevice
 */

const BASE_MS = Date.parse(SEED_BASE_TIME);
const PUBLIC_IP = '203.0.113.10';

/** The OS version MDE reports for each platform the story uses. */
const OS_VERSIONS = /** @type {Record<string, string>} */ ({
	Windows10: '22H2',
	Windows11: '23H2',
	WindowsServer2019: '1809',
	WindowsServer2022: '21H2',
});

const RBAC_GROUP_IDS = /** @type {Record<string, number>} */ ({
	'Finance workstations': 101,
	Servers: 102,
	Laptops: 103,
	'Engineering workstations': 104,
	'Operations workstations': 105,
	Kiosks: 106,
});

/** Extra tags beyond the device group's, so `machineTags` filters have something to find. */
const EXTRA_TAGS = /** @type {Record<string, string[]>} */ ({
	'WS-FIN-042': ['Finance', 'Ransomware-Story'],
	'WS-FIN-051': ['Finance'],
	'WS-FIN-039': ['Finance'],
	'SRV-FILE-02': ['Tier0', 'FileServer'],
	'SRV-SQL-07': ['Tier0', 'SQL'],
	'SRV-SQL-08': ['Tier0', 'SQL'],
	'LT-EXEC-003': ['VIP'],
});

/** Devices whose machine actions do not succeed, by name; outside the story so its devices behave normally. */
const SCRIPTED_DEVICES = [
	{
		name: 'KIOSK-LOBBY-01',
		osPlatform: 'Windows10',
		osBuild: 19045,
		ipAddress: '10.70.0.11',
		group: 'Kiosks',
		healthStatus: 'ImpairedCommunication',
		lastSeenMinutesAgo: 3,
		behaviour: /** @type {ActionBehaviour} */ ('fails'),
	},
	{
		name: 'LT-TRAVEL-077',
		osPlatform: 'Windows11',
		osBuild: 22631,
		ipAddress: '10.60.9.77',
		group: 'Laptops',
		healthStatus: 'Inactive',
		lastSeenMinutesAgo: 9 * 24 * 60,
		behaviour: /** @type {ActionBehaviour} */ ('timesOut'),
	},
];

/** @param {string} name the same derivation as the story devices' IDs */
const deviceIdOf = (name) => createHash('sha1').update(`device:${name}`).digest('hex');

/** @type {EndpointDevice[]} */
const ENDPOINT_DEVICES = [
	...Object.values(STORY.devices).map((device, index) => ({
		name: device.name,
		osPlatform: device.osPlatform,
		osBuild: device.osBuild,
		ipAddress: device.ipAddress,
		group: device.group,
		aadDeviceId: device.aadDeviceId,
		deviceId: device.deviceId,
		tags: [device.group, ...(EXTRA_TAGS[device.name] ?? [])],
		healthStatus: 'Active',
		lastSeenMinutesAgo: 2 + index,
		behaviour: /** @type {ActionBehaviour} */ ('succeeds'),
	})),
	...SCRIPTED_DEVICES.map((device) => ({
		...device,
		aadDeviceId: null,
		deviceId: deviceIdOf(device.name),
		tags: [device.group],
	})),
];

/** Devices named in seeded alerts' evidence: MDE rates them high risk. */
const DEVICES_IN_ALERTS = new Set(
	SEED_ALERTS.flatMap((alert) =>
		/** @type {{ mdeDeviceId?: string }[]} */ (alert.evidence).map((item) => item.mdeDeviceId),
	).filter(Boolean),
);

/**
 * The machines as MDE lists them. `lastSeen` is relative to `now`, so `findbyip` (which only looks back 30 days)
 * finds the active ones; everything else is fixed.
 * @param {number} now
 * @returns {Record<string, any>[]}
 */
function seedMachines(now) {
	return ENDPOINT_DEVICES.map((device, index) => {
		const inAlerts = DEVICES_IN_ALERTS.has(device.deviceId);
		const server = device.osPlatform.startsWith('WindowsServer');
		const macAddress = device.deviceId.slice(0, 12).toUpperCase();
		return {
			id: device.deviceId,
			computerDnsName: `${device.name.toLowerCase()}.${STORY.domain}`,
			firstSeen: new Date(BASE_MS - (400 - index * 11) * 86_400_000).toISOString(),
			lastSeen: new Date(now - device.lastSeenMinutesAgo * 60_000).toISOString(),
			osPlatform: device.osPlatform,
			version: OS_VERSIONS[device.osPlatform] ?? null,
			osProcessor: 'x64',
			osBuild: device.osBuild,
			osArchitecture: '64-bit',
			onboardingStatus: 'Onboarded',
			lastIpAddress: device.ipAddress,
			lastExternalIpAddress: PUBLIC_IP,
			healthStatus: device.healthStatus,
			defenderAvStatus: 'Updated',
			rbacGroupName: device.group,
			rbacGroupId: RBAC_GROUP_IDS[device.group] ?? 0,
			riskScore: inAlerts ? 'High' : server ? 'Low' : 'None',
			exposureLevel: inAlerts ? 'Medium' : 'Low',
			deviceValue: server ? 'High' : 'Normal',
			isAadJoined: device.aadDeviceId !== null,
			aadDeviceId: device.aadDeviceId,
			machineTags: [...device.tags],
			ipAddresses: [
				{
					ipAddress: device.ipAddress,
					macAddress,
					type: 'Ethernet',
					operationalStatus: device.healthStatus === 'Inactive' ? 'Down' : 'Up',
				},
			],
		};
	});
}

/** How actions end on each device, by device ID. */
const ACTION_BEHAVIOUR = Object.freeze(
	Object.fromEntries(ENDPOINT_DEVICES.map((device) => [device.deviceId, device.behaviour])),
);

const [FAILING, OFFLINE] = SCRIPTED_DEVICES.map((device) => deviceIdOf(device.name));

/** Devices tests and the README name. */
const SEEDED_MACHINE_IDS = Object.freeze({
	/** WS-FIN-042, the ransomware story's first device (evidence of alert-1001-01). */
	storyWorkstation: STORY.devices['WS-FIN-042'].deviceId,
	/** SRV-SQL-07, a server in two alerts. */
	storyServer: STORY.devices['SRV-SQL-07'].deviceId,
	/** KIOSK-LOBBY-01: every action goes Pending -> InProgress -> Failed. */
	failingActions: FAILING,
	/** LT-TRAVEL-077, offline for 9 days: every action stays Pending, then TimeOut. */
	offline: OFFLINE,
});

/** [type, value, action, severity, title, minutes after the seed base] */
const INDICATOR_ROWS = /** @type {[string, string, string, string, string, number][]} */ ([
	[
		'FileSha256',
		STORY.files['svcupdate.exe'].sha256,
		'BlockAndRemediate',
		'High',
		'svcupdate.exe ransomware dropper',
		130,
	],
	['IpAddress', '198.51.100.23', 'Block', 'Medium', 'Command-and-control address', 140],
	['DomainName', 'cdn-update-check.net', 'Block', 'Medium', 'Fake update domain', 141],
	['Url', 'https://contoso-payroll.net/login', 'Warn', 'Low', 'Payroll phishing page', 150],
]);

/** @returns {Record<string, any>[]} */
function seedIndicators() {
	return INDICATOR_ROWS.map(
		([indicatorType, indicatorValue, action, severity, title, minutes], index) => {
			const created = new Date(BASE_MS + minutes * 60_000).toISOString();
			return {
				id: String(5001 + index),
				indicatorValue,
				indicatorType,
				action,
				application: null,
				source: 'Contoso SOC',
				sourceType: 'User',
				createdBy: 'soc.lead@contoso.com',
				createdBySource: 'Portal',
				createdByDisplayName: 'SOC Lead',
				severity,
				category: 1,
				title,
				description: `${title}, blocked during the seeded incidents.`,
				recommendedActions: null,
				creationTimeDateTimeUtc: created,
				expirationTime: null,
				lastUpdateTime: created,
				lastUpdatedBy: 'soc.lead@contoso.com',
				rbacGroupNames: [],
				rbacGroupIds: [],
				generateAlert: action !== 'Allowed',
				educateUrl: null,
			};
		},
	);
}

module.exports = {
	ACTION_BEHAVIOUR,
	SEEDED_MACHINE_IDS,
	seedMachines,
	seedIndicators,
};
