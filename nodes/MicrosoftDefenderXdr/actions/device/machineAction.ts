import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { odataString } from '../../../shared/filters';
import { settleSeconds } from '../../../shared/transport/retryPolicy';
import { toBoolean, toChoice, toNumber } from '../../../shared/parameters';
import {
	DEVICE,
	MACHINE_ACTIONS,
	machineActionSubject,
	type MachineActionName,
} from '../../../shared/resources/device';
import { DEVICE_ACTION } from '../../../shared/resources/deviceAction';
import { recordPath } from '../../../shared/resources/resource';
import { DefenderXdrError, settle } from '../../../shared/transport/errors';
import type { ApiSession } from '../../../shared/transport/session';
import {
	agentOptInOption,
	defaultsOf,
	optionsProperty,
	type Operation,
	type OperationResult,
} from '../operation';
import {
	commentProperty,
	deviceIdProperty,
	deviceSubject,
	readComment,
	readDevice,
	readDeviceReference,
	type Machine,
} from './common';

/** A Defender machine action as the API returns it; only what the node reads is typed. */
export interface MachineAction extends IDataObject {
	id: string;
	type?: string;
	status?: string;
	machineId?: string;
	requestorComment?: string;
	creationDateTimeUtc?: string;
}

const IF_ACTION_PENDING = ['skip', 'error'] as const;
const ON_UNKNOWN_OUTCOME = ['verifyAndResend', 'fail'] as const;

/** Statuses after which a machine action changes no more. */
const FINAL_STATUSES = new Map<string, { code: string; says: string } | null>([
	['Succeeded', null],
	['Failed', { code: 'actionFailed', says: 'failed' }],
	[
		'TimeOut',
		{ code: 'actionTimedOut', says: 'timed out (the device did not take it up in time)' },
	],
	['Cancelled', { code: 'actionCancelled', says: 'was cancelled' }],
]);

/** Statuses of an action Defender is still working on: another of the same type is refused meanwhile. */
const ACTIVE_STATUSES = ['Pending', 'InProgress'] as const;

function actionOptions(name: MachineActionName): INodeProperties {
	return optionsProperty([
		agentOptInOption(DEVICE, name),
		{
			displayName: 'Dry Run',
			name: 'dryRun',
			type: 'boolean',
			default: false,
			description:
				'Whether to read the device and report the request that would be sent, without sending it',
		},
		{
			displayName: 'If an Action Is Pending',
			name: 'ifActionPending',
			type: 'options',
			options: [
				{ name: 'Skip (Success, Outcome Already Pending)', value: 'skip' },
				{ name: 'Fail the Item', value: 'error' },
			],
			default: 'skip',
			description:
				'What to do when Defender refuses the action because one of the same type is already pending on the device',
		},
		{
			displayName: 'If the Outcome Is Unknown',
			name: 'onUnknownOutcome',
			type: 'options',
			options: [
				{
					name: "Check the Device's Actions, Re-Send Only if None Was Created",
					value: 'verifyAndResend',
					description:
						"After a settle window, list the device's actions of this type since the request: one found means it was created (Success), none means it is sent again",
				},
				{
					name: 'Fail the Item (Executed: Unknown)',
					value: 'fail',
					description:
						'Leave the decision to a person: the item goes to Error with executed set to unknown',
				},
			],
			default: 'verifyAndResend',
			description:
				"What to do when Defender's answer to the action request is lost (timeout, dropped connection, 5xx): the action may or may not have been created",
		},
		{
			displayName: 'Poll Interval (Seconds)',
			name: 'pollInterval',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 15,
			description: 'How often to read the action while waiting for completion',
		},
		{
			displayName: 'Wait for Completion',
			name: 'waitForCompletion',
			type: 'boolean',
			default: false,
			description:
				'Whether to wait until Defender reports the action succeeded, failed, timed out or was cancelled',
		},
		{
			displayName: 'Wait Timeout (Seconds)',
			name: 'waitTimeout',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 900,
			description: 'How long to wait for completion before the item fails with waitTimeout',
		},
	]);
}

/** The options this flow reads itself; the request options go to the transport. */
interface ActionOptions {
	dryRun: boolean;
	ifActionPending: (typeof IF_ACTION_PENDING)[number];
	onUnknownOutcome: (typeof ON_UNKNOWN_OUTCOME)[number];
	waitForCompletion: boolean;
	waitTimeout: number;
	pollInterval: number;
}

function readOptions(
	ctx: IExecuteFunctions,
	itemIndex: number,
	defaults: IDataObject,
): ActionOptions {
	const options = {
		...defaults,
		...(ctx.getNodeParameter('options', itemIndex, {}) as IDataObject),
	};
	return {
		dryRun: toBoolean(options.dryRun, 'Dry Run'),
		ifActionPending: toChoice(
			options.ifActionPending,
			'If an Action Is Pending',
			IF_ACTION_PENDING,
		),
		onUnknownOutcome: toChoice(
			options.onUnknownOutcome,
			'If the Outcome Is Unknown',
			ON_UNKNOWN_OUTCOME,
		),
		waitForCompletion: toBoolean(options.waitForCompletion, 'Wait for Completion'),
		waitTimeout: toNumber(options.waitTimeout, 'Wait Timeout', 0.001),
		pollInterval: toNumber(options.pollInterval, 'Poll Interval', 0.001),
	};
}

/** What makes one response action different from the others: its name, its labels and its own parameters. */
export interface MachineActionSpec {
	name: MachineActionName;
	option: Operation['option'];
	/** Completes "Why ...", for the comment's description. */
	why: string;
	/** Parameters of its own (isolation type, scan type, SHA-1), shown after the device. */
	properties?: INodeProperties[];
	/** Its own fields of the request body, read and checked from the item; `Comment` is added by the flow. */
	body?: (ctx: IExecuteFunctions, itemIndex: number) => IDataObject;
}

/**
 * One response action on a device, with the safety of incident tasks: every value checked before a request; a
 * device name resolved with one read; a dry run that reads the device and reports the request; "already in
 * progress" settled by reading the pending action; a lost answer settled by listing the device's actions of that type
 * since the request, re-sent only when none was created; and an honest wait for the action's outcome.
 */
export function machineActionOperation(spec: MachineActionSpec): Operation {
	const options = actionOptions(spec.name);
	const defaults = defaultsOf(options);
	const properties = [
		deviceIdProperty,
		...(spec.properties ?? []),
		commentProperty(spec.why),
		options,
	];
	return {
		option: spec.option,
		description: updateDisplayOptions(
			{ show: { resource: [DEVICE.value], operation: [spec.name] } },
			properties,
		),
		subject(this: IExecuteFunctions, itemIndex: number) {
			return { ...deviceSubject(this, itemIndex), action: spec.name };
		},
		async execute(this: IExecuteFunctions, session: ApiSession, itemIndex: number) {
			const reference = readDeviceReference(this, itemIndex);
			const body = {
				Comment: readComment(this, itemIndex),
				...(spec.body?.(this, itemIndex) ?? {}),
			};
			const chosen = readOptions(this, itemIndex, defaults);
			return await runMachineAction(session, spec.name, reference, body, chosen);
		},
	};
}

async function runMachineAction(
	session: ApiSession,
	name: MachineActionName,
	reference: ReturnType<typeof readDeviceReference>,
	body: IDataObject,
	options: ActionOptions,
): Promise<OperationResult> {
	const definition = MACHINE_ACTIONS[name];
	// A name costs one read; a dry run reads the device anyway, to show what the action would hit. Reading takes
	// the read permission, so its 403 names that one.
	const device =
		'name' in reference || options.dryRun ? await readDevice(session, reference) : undefined;
	const deviceId = device?.id ?? ('id' in reference ? reference.id : '');
	const path = recordPath(DEVICE, deviceId, `/${definition.endpoint}`);
	const item = (outcome: string, fields: IDataObject): IDataObject => ({
		deviceId,
		action: name,
		outcome,
		deviceActionId: null,
		status: null,
		deviceAction: null,
		requestId: null,
		...fields,
		dryRun: options.dryRun,
	});

	if (options.dryRun && device) {
		return {
			items: [
				item('dryRun', {
					device: deviceSummary(device),
					wouldSend: { method: 'POST', path, body },
				}),
			],
		};
	}

	const sent = await sendAction(session, name, deviceId, path, body, options);
	const sentItem = item(sent.outcome, {
		deviceActionId: sent.action.id,
		status: sent.action.status ?? null,
		deviceAction: sent.action,
		requestId: sent.requestId,
		...(sent.note ? { note: sent.note } : {}),
	});
	if (!options.waitForCompletion) return { items: [sentItem] };
	return {
		items: [],
		awaitCompletion: async () => [await waitForCompletion(session, sentItem, sent.action, options)],
	};
}

interface SentAction {
	outcome: 'executed' | 'alreadyPending';
	action: MachineAction;
	requestId: string | null;
	note?: string;
}

/**
 * How far Defender's clock may be behind ours when the node looks for an action it created. Kept small: an action of
 * the same type and comment created earlier than this (another run's, say) must not pass for this request's. A
 * larger skew makes the node miss its own action and send again, which Defender refuses while that one is pending.
 */
const CLOCK_SKEW_MS = 2_000;

/**
 * Sends the action and never creates it twice. An answer that leaves the outcome open (5xx, timeout, dropped
 * connection) is settled, after a settle window, by listing the device's actions of this type created since the
 * first request with this comment: one found is the action (Success, with a note), none means Defender never created
 * it, so it is sent again. "Already in progress" is settled by reading the pending action.
 */
async function sendAction(
	session: ApiSession,
	name: MachineActionName,
	deviceId: string,
	path: string,
	body: IDataObject,
	options: ActionOptions,
): Promise<SentAction> {
	const { type } = MACHINE_ACTIONS[name];
	const subject = machineActionSubject(name);
	const comment = body.Comment as string;
	const firstSentAt = session.clock.now();
	let lost: DefenderXdrError | undefined;
	for (let attempt = 0; ; attempt++) {
		const sent = await settle(session.post<MachineAction>(path, body, { subject }));
		if (sent.ok) {
			return {
				outcome: 'executed',
				action: withoutContext(sent.value.body),
				requestId: sent.value.requestId,
				...(lost
					? {
							note: `Defender's first answer was lost (${lost.details.code}) and the device showed no ${type} action since, so it was sent again.`,
						}
					: {}),
			};
		}
		const failure = sent.error as DefenderXdrError;
		if (isAlreadyInProgress(failure)) {
			const pending = await findPendingAction(session, deviceId, type, failure);
			// After a lost answer the pending action may be the one the lost request created.
			if (lost && isOwnAction(pending, comment, firstSentAt)) {
				return {
					outcome: 'executed',
					action: pending,
					requestId: lost.details.requestId,
					note: `Defender's answer was lost (${lost.details.code}); the ${type} action it created is pending on the device, so it was not sent again.`,
				};
			}
			if (options.ifActionPending === 'error') {
				throw new DefenderXdrError(
					{
						...failure.details,
						code: 'actionAlreadyPending',
						message: `A ${type} action (${pending.id}) is already ${pending.status} on this device, so Defender refused another; nothing was sent again ("If an Action Is Pending" is set to fail the item).`,
						executed: 'no',
					},
					{ deviceActionId: pending.id, status: pending.status ?? null },
				);
			}
			return {
				outcome: 'alreadyPending',
				action: pending,
				requestId: failure.details.requestId,
				note: `A ${type} action was already ${pending.status} on this device (created ${pending.creationDateTimeUtc ?? 'earlier'}), so Defender refused another; none was created.`,
			};
		}
		if (failure.details.executed !== 'unknown') throw failure;
		lost = failure;
		if (options.onUnknownOutcome === 'fail') {
			throw new DefenderXdrError({
				...failure.details,
				message: `${failure.details.message} The node did not check or re-send it ("If the Outcome Is Unknown" is set to fail the item).`,
			});
		}
		const waitSeconds = settleSeconds(failure.details.code, session.settings.requestTimeoutSeconds);
		session.log(
			`The outcome of POST ${path} is unknown (${failure.details.code}); listing the device's ${type} actions in ${waitSeconds} s`,
		);
		await session.pause(waitSeconds);
		const listed = await settle(actionsCreatedSince(session, deviceId, type, firstSentAt));
		if (!listed.ok) {
			throw new DefenderXdrError({
				...failure.details,
				message: `${failure.details.message} Listing the device's actions to check failed too: ${(listed.error as Error).message}`,
			});
		}
		const created = listed.value.find((action) => isOwnAction(action, comment, firstSentAt));
		if (created) {
			return {
				outcome: 'executed',
				action: created,
				requestId: failure.details.requestId,
				note: `Defender's answer was lost (${failure.details.code}), but the device shows the ${type} action created at ${created.creationDateTimeUtc ?? 'that time'}, so it was not sent again.`,
			};
		}
		if (attempt >= session.settings.maxRetries) throw failure;
		session.log(
			`No ${type} action was created on device ${deviceId} since the request, so Defender never took it: sending it again`,
		);
	}
}

/** Defender's refusal of a second action of a type while one is running: its documented text, or its code. */
function isAlreadyInProgress(failure: DefenderXdrError): boolean {
	const { statusCode, code, message } = failure.details;
	return (
		statusCode === 400 &&
		(code === 'ActiveRequestAlreadyExists' || /action is already in progress/i.test(message))
	);
}

/** An action this run's request created: this type, this comment, created since the first request was sent. */
function isOwnAction(action: MachineAction, comment: string, sentAt: number): boolean {
	const created = Date.parse(action.creationDateTimeUtc ?? '');
	return action.requestorComment === comment && created >= sentAt - CLOCK_SKEW_MS;
}

const actionFilter = (deviceId: string, type: string) =>
	`machineId eq ${odataString(deviceId)} and type eq ${odataString(type)}`;

/** The device's action of this type that Defender is still working on; one read per active status. */
async function findPendingAction(
	session: ApiSession,
	deviceId: string,
	type: string,
	refusal: DefenderXdrError,
): Promise<MachineAction> {
	for (const status of ACTIVE_STATUSES) {
		const { body } = await session.get<{ value?: MachineAction[] }>(
			DEVICE_ACTION.path,
			{ $filter: `${actionFilter(deviceId, type)} and status eq '${status}'`, $top: '1' },
			{ subject: DEVICE_ACTION.subject },
		);
		const [pending] = Array.isArray(body.value) ? body.value : [];
		if (pending) return pending;
	}
	// Finished between the refusal and the read: the refusal stands, and the item may simply be run again.
	throw new DefenderXdrError({
		...refusal.details,
		message: `${refusal.details.message}. The device's ${type} action finished before the node could read it; run the item again to send a new one.`,
		executed: 'no',
		retryable: true,
	});
}

async function actionsCreatedSince(
	session: ApiSession,
	deviceId: string,
	type: string,
	sentAt: number,
): Promise<MachineAction[]> {
	const since = new Date(sentAt - CLOCK_SKEW_MS).toISOString();
	const { body } = await session.get<{ value?: MachineAction[] }>(
		DEVICE_ACTION.path,
		{ $filter: `${actionFilter(deviceId, type)} and creationDateTimeUtc ge ${since}` },
		{ subject: DEVICE_ACTION.subject },
	);
	return Array.isArray(body.value) ? body.value : [];
}

/** Reads the action until Defender reports an outcome or Wait Timeout passes. */
async function waitForCompletion(
	session: ApiSession,
	sentItem: IDataObject,
	sentAction: MachineAction,
	options: ActionOptions,
): Promise<IDataObject> {
	const deadline = session.clock.now() + options.waitTimeout * 1000;
	const path = recordPath(DEVICE_ACTION, sentAction.id);
	let action = sentAction;
	for (;;) {
		if (FINAL_STATUSES.has(action.status ?? '')) break;
		const remainingMs = deadline - session.clock.now();
		if (remainingMs <= 0) break;
		await session.pause(Math.min(options.pollInterval, remainingMs / 1000));
		const read = await settle(
			session.get<MachineAction>(path, undefined, { subject: DEVICE_ACTION.subject }),
		);
		if (!read.ok) {
			const { details } = read.error as DefenderXdrError;
			throw new DefenderXdrError(
				{
					...details,
					executed: 'yes',
					message: `The action was created, but reading its status failed: ${details.message}`,
				},
				{ deviceActionId: action.id, status: action.status ?? null },
			);
		}
		action = withoutContext(read.value.body);
	}
	const status = action.status ?? 'unknown';
	const failed = FINAL_STATUSES.get(status);
	if (failed === null) return { ...sentItem, outcome: 'completed', status, deviceAction: action };
	const pendingBefore =
		sentItem.outcome === 'alreadyPending' ? ' (it was already pending before this run)' : '';
	throw new DefenderXdrError(
		failed
			? {
					code: failed.code,
					message: `Defender reports the ${action.type ?? ''} action ${action.id}${pendingBefore} ${failed.says}. Check that the device is onboarded, online and healthy in the Defender portal, and the action's details in its action center.`,
					executed: 'yes',
					requestId: (sentItem.requestId as string | null) ?? null,
				}
			: {
					code: 'waitTimeout',
					message: `The ${action.type ?? ''} action ${action.id}${pendingBefore} was still ${status} after ${options.waitTimeout} s (Wait Timeout). It may still finish; read it later with Device Action > Get.`,
					executed: 'yes',
					requestId: (sentItem.requestId as string | null) ?? null,
				},
		{ deviceActionId: action.id, status },
	);
}

/** The action as the item shows it: OData's metadata link says nothing about the action. */
function withoutContext(action: MachineAction): MachineAction {
	const fields = { ...action };
	delete fields['@odata.context'];
	return fields;
}

function deviceSummary(device: Machine): IDataObject {
	return {
		id: device.id,
		computerDnsName: device.computerDnsName,
		osPlatform: device.osPlatform,
		healthStatus: device.healthStatus,
		lastSeen: device.lastSeen,
		riskScore: device.riskScore,
		machineTags: device.machineTags,
	};
}
