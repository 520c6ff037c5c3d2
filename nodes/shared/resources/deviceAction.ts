import { DEFENDER_ENDPOINT } from '../apis/endpoint';
import { MACHINE_ACTIONS, permissionHint } from './device';
import type { Resource } from './resource';

/** Any one of the action permissions lets an app cancel an action, as Microsoft's reference lists them. */
const ACTION_PERMISSIONS = [...new Set(Object.values(MACHINE_ACTIONS).map((a) => a.permission))];

/** Machine actions in Defender for Endpoint: what was asked of a device, and how it went. */
export const DEVICE_ACTION: Resource = {
	value: 'deviceAction',
	displayName: 'Device Action',
	api: DEFENDER_ENDPOINT,
	path: '/api/machineactions',
	// Defender for Endpoint serves up to 10,000 machine actions a request.
	pageSize: 10000,
	subject: {
		name: 'device action',
		onBadRequest: 'the device action ID and the values sent',
		onNotFound:
			"the device action ID, and that the credential's tenant is the one the action was made in",
		onForbidden: permissionHint('Machine.Read.All'),
		unknownOutcome:
			'the cancellation may or may not have been made. Read the action to see its status before sending it again.',
	},
	writes: { cancel: { what: 'cancel device actions', optIn: 'allowAsTool' } },
};

/** Cancelling takes any one of the action permissions. */
export const CANCEL_SUBJECT = {
	...DEVICE_ACTION.subject,
	onForbidden: permissionHint(`${ACTION_PERMISSIONS.join(', ')} (any one of them)`),
};

/** The package link: Machine.Read.All for apps (Microsoft names Machine.CollectForensics for signed-in users). */
export const PACKAGE_URI_SUBJECT = {
	...DEVICE_ACTION.subject,
	onNotFound:
		'the device action ID: it must be a Collect Investigation Package action that has succeeded (until then Defender has no package and answers 404)',
	onForbidden: `${permissionHint('Machine.Read.All')} (for a signed-in user: Machine.CollectForensics)`,
};
