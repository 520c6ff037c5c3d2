import { DEFENDER_ENDPOINT } from '../apis/endpoint';
import type { RequestSubject } from '../transport/errors';
import type { Resource, Write } from './resource';

/** The Defender for Endpoint application permission an operation needs, with admin consent. */
export function permissionHint(permissions: string): string {
	return `Check that the ${DEFENDER_ENDPOINT.credentialName} credential asks for a token for the Defender for Endpoint API (not Graph), and that its app registration has the WindowsDefenderATP application permission ${permissions}, with admin consent`;
}

/** One response action on a device: the API's endpoint and action type, and the permission it needs. */
export interface MachineActionDefinition {
	/** Completes "An AI agent may not ...". */
	what: string;
	/** The segment after `/api/machines/{id}/`, spelled as Microsoft's reference spells it. */
	endpoint: string;
	/** The `type` Defender gives the machine action it creates. */
	type: string;
	permission: string;
}

/**
 * The seven response actions, by the node's operation name: one home for their endpoints, action types and
 * permissions.
 */
export const MACHINE_ACTIONS = {
	isolate: {
		what: 'isolate devices',
		endpoint: 'isolate',
		type: 'Isolate',
		permission: 'Machine.Isolate',
	},
	releaseFromIsolation: {
		what: 'release devices from isolation',
		endpoint: 'unisolate',
		type: 'Unisolate',
		permission: 'Machine.Isolate',
	},
	runAntivirusScan: {
		what: 'run antivirus scans',
		endpoint: 'runAntiVirusScan',
		type: 'RunAntiVirusScan',
		permission: 'Machine.Scan',
	},
	collectInvestigationPackage: {
		what: 'collect investigation packages',
		endpoint: 'collectInvestigationPackage',
		type: 'CollectInvestigationPackage',
		permission: 'Machine.CollectForensics',
	},
	restrictAppExecution: {
		what: 'restrict app execution on devices',
		endpoint: 'restrictCodeExecution',
		type: 'RestrictCodeExecution',
		permission: 'Machine.RestrictExecution',
	},
	removeAppRestriction: {
		what: 'remove app restrictions from devices',
		endpoint: 'unrestrictCodeExecution',
		type: 'UnrestrictCodeExecution',
		permission: 'Machine.RestrictExecution',
	},
	stopAndQuarantineFile: {
		what: 'stop and quarantine files',
		endpoint: 'StopAndQuarantineFile',
		type: 'StopAndQuarantineFile',
		permission: 'Machine.StopAndQuarantine',
	},
} as const satisfies Record<string, MachineActionDefinition>;

export type MachineActionName = keyof typeof MACHINE_ACTIONS;

/** Reading devices and their actions. */
const DEVICE_SUBJECT: RequestSubject = {
	name: 'device',
	onBadRequest: 'the device ID or name and the values sent',
	onNotFound:
		"the device ID or computer DNS name, and that the credential's tenant is the one the device is onboarded to",
	onForbidden: permissionHint('Machine.Read.All'),
	unknownOutcome:
		"the action may or may not have been created. Check the device's action center in the Defender portal before sending it again.",
};

/** The request subject of one response action: its 403 names the action's own permission. */
export function machineActionSubject(name: MachineActionName): RequestSubject {
	const { permission } = MACHINE_ACTIONS[name];
	return {
		...DEVICE_SUBJECT,
		onBadRequest: `the device ID and the values sent; the device must be onboarded and on an operating system that supports this action`,
		onForbidden: permissionHint(permission),
	};
}

/** Devices (machines) in Defender for Endpoint. */
export const DEVICE: Resource = {
	value: 'device',
	displayName: 'Device',
	api: DEFENDER_ENDPOINT,
	path: '/api/machines',
	// Defender for Endpoint serves up to 10,000 machines a request.
	pageSize: 10000,
	subject: DEVICE_SUBJECT,
	writes: Object.fromEntries(
		Object.entries(MACHINE_ACTIONS).map(([name, action]): [string, Write] => [
			name,
			{ what: action.what, optIn: 'allowAsTool', dryRun: true },
		]),
	),
};
