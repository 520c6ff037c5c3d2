import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { SETTLE_SECONDS, settleSeconds } from '../../../shared/transport/retryPolicy';
import {
	alreadyStartedReason,
	EXECUTABLE_ACTION_TYPES,
	isExecutableActionType,
	TERMINAL_ACTION_STATUSES,
	type IncidentTask,
} from '../../../shared/incidentTask';
import {
	describeValue,
	identifierProblem,
	parameterError,
	toBoolean,
	toChoice,
	toNumber,
} from '../../../shared/parameters';
import { INCIDENT } from '../../../shared/resources/incident';
import { INCIDENT_TASK } from '../../../shared/resources/incidentTask';
import { recordPath } from '../../../shared/resources/resource';
import { DefenderXdrError, settle } from '../../../shared/transport/errors';
import type { ApiSession } from '../../../shared/transport/session';
import {
	agentOptInOption,
	defaultsOf,
	optionsProperty,
	rawParameter,
	type OperationResult,
	type OperationRun,
} from '../operation';
import {
	incidentTaskIdOf,
	incidentTaskIdProperty,
	incidentTaskPath,
	readIncidentTaskId,
} from './common';
import { taskListingFor } from './taskListing';

const IF_ALREADY_STARTED = ['skip', 'error', 'executeAgain'] as const;
const ON_UNKNOWN_OUTCOME = ['verifyAndResend', 'fail'] as const;

const executeOptions = optionsProperty([
	agentOptInOption(INCIDENT_TASK, 'executeResponseAction'),
	{
		displayName: 'Dry Run',
		name: 'dryRun',
		type: 'boolean',
		default: false,
		description:
			'Whether to check the task and report what would be executed, without executing it',
	},
	{
		displayName: 'If Already Started',
		name: 'ifAlreadyStarted',
		type: 'options',
		options: [
			{ name: 'Skip (Success, Outcome Skipped)', value: 'skip' },
			{ name: 'Fail the Item', value: 'error' },
			{ name: 'Execute Again', value: 'executeAgain' },
		],
		default: 'skip',
		description:
			'What to do when the task is already in progress, completed or not relevant (needs Verify Task)',
	},
	{
		displayName: 'If the Outcome Is Unknown',
		name: 'onUnknownOutcome',
		type: 'options',
		options: [
			{
				name: 'Check the Task, Re-Send Only if Not Started',
				value: 'verifyAndResend',
				description:
					'After a settle window, read the task: started means it ran (Success), notStarted means it is sent again',
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
			"What to do when Graph's answer to the execute request is lost (timeout, dropped connection, 5xx): the action may or may not have run. Needs Verify Task.",
	},
	{
		displayName: 'Poll Interval (Seconds)',
		name: 'pollInterval',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 15,
		description: 'How often to read the task while waiting for completion',
	},
	{
		displayName: 'Verify Task',
		name: 'verifyTask',
		type: 'boolean',
		default: true,
		description:
			"Whether to read the task first and execute only if it prescribes the selected action type and has not been started. From 100 items on, tasks are read from Graph's task listing, 500 per request.",
	},
	{
		displayName: 'Wait for Completion',
		name: 'waitForCompletion',
		type: 'boolean',
		default: false,
		description: 'Whether to wait until the response action has completed or failed',
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

const properties: INodeProperties[] = [
	incidentTaskIdProperty,
	{
		displayName: 'Action Type',
		name: 'actionType',
		type: 'options',
		required: true,
		options: EXECUTABLE_ACTION_TYPES.map(({ name, value }) => ({ name, value })),
		default: 'isolateDevice',
		description:
			'The response action the task prescribes. Only these eight can be executed through Graph.',
		hint: 'To take it from the task, switch to Expression and enter {{ $json.actionType }}',
	},
	{
		// The options collection starts empty in the editor, so the safe defaults are said here.
		displayName:
			'Each task is read first and executed only if it prescribes this action type and has not started (Verify Task, on by default). A lost answer is settled by reading the task, never by sending blindly again.',
		name: 'safeDefaultsNotice',
		type: 'notice',
		default: '',
	},
	executeOptions,
];

export const option = {
	name: 'Execute Response Action',
	description:
		'Run the remediation a Defender Experts incident task prescribes (isolate or release a device, restrict apps, antivirus scan, quarantine a file, collect an investigation package, submit an IoC rule)',
	action: 'Execute a response action',
};

export const description = updateDisplayOptions(
	{ show: { resource: ['incidentTask'], operation: ['executeResponseAction'] } },
	properties,
);

/** The options this operation reads itself; the request options (concurrency, retries, timeout) go to the transport. */
export interface ExecuteOptions {
	verifyTask: boolean;
	ifAlreadyStarted: 'skip' | 'error' | 'executeAgain';
	dryRun: boolean;
	waitForCompletion: boolean;
	waitTimeout: number;
	pollInterval: number;
	onUnknownOutcome: (typeof ON_UNKNOWN_OUTCOME)[number];
}

/** The options' defaults, read from the description above: one home for each default. */
const DEFAULT_EXECUTE_OPTIONS = defaultsOf(executeOptions) as unknown as ExecuteOptions;

/** The options of one item, each checked: an expression that yields "false" means false, a bad value is named. */
function readOptions(ctx: IExecuteFunctions, itemIndex: number): ExecuteOptions {
	const given = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const options = { ...DEFAULT_EXECUTE_OPTIONS, ...given };
	return {
		...options,
		verifyTask: toBoolean(options.verifyTask, 'Verify Task'),
		dryRun: toBoolean(options.dryRun, 'Dry Run'),
		waitForCompletion: toBoolean(options.waitForCompletion, 'Wait for Completion'),
		ifAlreadyStarted: toChoice(options.ifAlreadyStarted, 'If Already Started', IF_ALREADY_STARTED),
		onUnknownOutcome: toChoice(
			options.onUnknownOutcome,
			'If the Outcome Is Unknown',
			ON_UNKNOWN_OUTCOME,
		),
		waitTimeout: toNumber(options.waitTimeout, 'Wait Timeout', 0.001),
		pollInterval: toNumber(options.pollInterval, 'Poll Interval', 0.001),
	};
}

/** The audit trail every execute item carries: what the node did, when, and what Graph said. */
interface Audit {
	incidentTaskId: string;
	actionType: string;
	node: string;
	dryRun: boolean;
	actionStatusBefore?: string;
}

export function subject(this: IExecuteFunctions, itemIndex: number): IDataObject {
	return {
		incidentTaskId: incidentTaskIdOf(this, itemIndex) as string,
		actionType: rawParameter(this, 'actionType', itemIndex) as string,
	};
}

export async function execute(
	this: IExecuteFunctions,
	session: ApiSession,
	itemIndex: number,
	{ isToolCall }: OperationRun,
): Promise<OperationResult> {
	const incidentTaskId = readIncidentTaskId(this, itemIndex);
	const actionType = this.getNodeParameter('actionType', itemIndex) as unknown;
	if (!isExecutableActionType(actionType)) {
		const named =
			typeof actionType === 'string'
				? describeValue(actionType).slice(1, -1)
				: describeValue(actionType);
		throw parameterError(
			'unsupportedActionType',
			`Currently ${named} is not supported. Only ${EXECUTABLE_ACTION_TYPES.map((t) => t.value).join(', ')} can be executed (Action Type)`,
		);
	}
	const options = readOptions(this, itemIndex);
	const { dryRun } = options;
	const audit: Audit = { incidentTaskId, actionType, node: this.getNode().name, dryRun };
	const path = incidentTaskPath(incidentTaskId);

	let task: IncidentTask | undefined;
	// Measured: a Retry 2.3 s after a worker was killed read 12 of 300 tasks the dead attempt had run as notStarted.
	if (options.verifyTask && !dryRun) await settleBeforeRetry(this, session);
	if (options.verifyTask || dryRun) {
		// A large batch is verified from the run's task listing; a task it does not hold is read on its own.
		task =
			(await taskListingFor(this, session)?.take(incidentTaskId)) ??
			(await readTask(session, path));
		audit.actionStatusBefore = task.actionStatus;
		if (task.actionType !== actionType) {
			const wanted =
				typeof task.actionType === 'string'
					? describeValue(task.actionType).slice(1, -1)
					: describeValue(task.actionType);
			// An agent sets parameters by calling again; a person edits the node, where the task's field can be mapped.
			const remedy = !isExecutableActionType(task.actionType)
				? 'Graph cannot execute that action type, so the task has to be handled in the Defender portal.'
				: isToolCall
					? `If ${wanted} is the action to run, call again with Action Type ${wanted}.`
					: `Set Action Type to ${wanted}, or map it from the task with the expression {{ $json.actionType }}.`;
			throw new DefenderXdrError({
				code: 'actionTypeMismatch',
				message: `The task wants ${wanted}, the node is set to ${actionType}. Nothing was executed. ${remedy}`,
			});
		}
		const startedReason = alreadyStartedReason(task);
		if (startedReason && options.ifAlreadyStarted !== 'executeAgain') {
			if (options.ifAlreadyStarted === 'error') {
				throw new DefenderXdrError({
					code: 'alreadyStarted',
					message: `${startedReason}; not executed again (If Already Started is set to fail the item).`,
				});
			}
			return {
				items: [
					success(audit, 'skipped', {
						reason: `${startedReason}; not executed again`,
						actionStatus: task.actionStatus,
						task,
					}),
				],
			};
		}
	}

	if (dryRun && task) {
		// The incident is context for a human approver, read through Graph's documented incident path; a task whose
		// incident cannot be read still dry-runs.
		const incidentId = incidentIdOf(task);
		const incident =
			incidentId === undefined
				? undefined
				: await settle(
						session.get(recordPath(INCIDENT, incidentId), undefined, {
							subject: INCIDENT.subject,
						}),
					);
		return {
			items: [
				success(audit, 'dryRun', {
					actionStatus: task.actionStatus,
					// The request exactly as the real run sends it, Graph version included.
					wouldExecute: `POST ${path}/executeResponseAction`,
					task: dryRunSummary(task, incident?.ok ? incident.value.body : null),
				}),
			],
		};
	}

	// Re-reading the task settles an unknown outcome only if it was notStarted before this POST.
	const executed = await postExecute(
		session,
		path,
		task?.actionStatus === 'notStarted',
		options.onUnknownOutcome,
	);
	const executedItem = success(audit, 'executed', {
		statusCode: executed.statusCode,
		requestId: executed.requestId,
		clientRequestId: executed.clientRequestId,
		executedAt: executed.executedAt,
		...(executed.note ? { note: executed.note } : {}),
		...(executed.actionStatusAfter
			? { actionStatus: executed.actionStatusAfter, actionStatusAfter: executed.actionStatusAfter }
			: {}),
	});
	if (!options.waitForCompletion) return { items: [executedItem] };
	return {
		items: [],
		awaitCompletion: async () => [await waitForCompletion(session, path, executedItem, options)],
	};
}

async function readTask(session: ApiSession, path: string): Promise<IncidentTask> {
	const { body } = await session.get<IncidentTask>(path, undefined, {
		subject: INCIDENT_TASK.subject,
	});
	return body;
}

const retriesSettled = new WeakMap<ApiSession, Promise<void>>();

/**
 * n8n's Retry runs the batch again from its first item, possibly seconds after the attempt before it died with POSTs
 * on the wire; a task whose action Graph ran but does not show yet would read notStarted and be sent again. The in-run
 * settle window cannot span two runs, so a retried run waits it once, before its first read.
 */
function settleBeforeRetry(ctx: IExecuteFunctions, session: ApiSession): Promise<void> {
	if (ctx.getMode() !== 'retry') return Promise.resolve();
	let settled = retriesSettled.get(session);
	if (!settled) {
		session.log(
			`This run is a Retry: waiting ${SETTLE_SECONDS} s before reading the tasks, so actions the earlier attempt sent show as started`,
		);
		settled = session.pause(SETTLE_SECONDS);
		retriesSettled.set(session, settled);
	}
	return settled;
}

interface PostResult {
	statusCode: number | null;
	requestId: string | null;
	clientRequestId: string | null;
	executedAt: string;
	actionStatusAfter?: string;
	note?: string;
}

/**
 * Sends the POST, and never makes Graph run the action twice. An answer that leaves the outcome open (5xx, timeout,
 * dropped connection) is settled by the task, read after the settle window: still `notStarted` means Graph never
 * ran it, so it is sent again; started means the first POST ran. Without a readable task, or when the user chose
 * to decide, the item fails with `executed: unknown`.
 */
async function postExecute(
	session: ApiSession,
	path: string,
	mayReadTask: boolean,
	onUnknownOutcome: ExecuteOptions['onUnknownOutcome'],
): Promise<PostResult> {
	let unknownOutcome: DefenderXdrError | undefined;
	for (let attempt = 0; ; attempt++) {
		const executedAt = new Date(session.clock.now()).toISOString();
		const sent = await settle(
			session.post(`${path}/executeResponseAction`, undefined, { subject: INCIDENT_TASK.subject }),
		);
		if (sent.ok) {
			const { statusCode, requestId, clientRequestId } = sent.value;
			return {
				statusCode,
				requestId,
				clientRequestId,
				executedAt,
				...(unknownOutcome
					? {
							note: `The first request's answer was lost (${unknownOutcome.details.code}); the task still showed notStarted after the settle window, so it was sent again once.`,
						}
					: {}),
			};
		}
		const failure = sent.error as DefenderXdrError;
		// A re-send refused by Graph (say, "already executed") may mean the first one ran after all: the task tells.
		const isRefusedResend = unknownOutcome !== undefined && failure.details.executed === 'no';
		if (failure.details.executed !== 'unknown' && !isRefusedResend) throw failure;
		unknownOutcome ??= failure;
		if (!mayReadTask) throw unknownOutcome;
		if (onUnknownOutcome === 'fail') {
			throw new DefenderXdrError({
				...unknownOutcome.details,
				message: `${unknownOutcome.details.message} The node did not check or re-send it ("If the Outcome Is Unknown" is set to fail the item).`,
			});
		}
		const waitSeconds = settleSeconds(failure.details.code, session.settings.requestTimeoutSeconds);
		session.log(
			`The outcome of POST ${path}/executeResponseAction is unknown (${failure.details.code}); reading the task in ${waitSeconds} s`,
		);
		await session.pause(waitSeconds);
		const reread = await settle(readTask(session, path));
		if (!reread.ok) throw unknownOutcome;
		const actionStatus = reread.value.actionStatus;
		if (
			actionStatus === 'notStarted' &&
			!isRefusedResend &&
			attempt < session.settings.maxRetries
		) {
			session.log(
				`The task behind ${path} is still notStarted after the settle window, so Graph never ran it: sending it again`,
			);
			continue;
		}
		if (actionStatus === 'notStarted') throw isRefusedResend ? failure : unknownOutcome;
		return {
			statusCode: unknownOutcome.details.statusCode,
			requestId: unknownOutcome.details.requestId,
			clientRequestId: null,
			executedAt,
			actionStatusAfter: actionStatus,
			note: `Graph's answer was lost (${unknownOutcome.details.code}), but the task shows the action ${actionStatus ?? 'started'}, so it ran; it was not sent again.`,
		};
	}
}

async function waitForCompletion(
	session: ApiSession,
	path: string,
	executedItem: IDataObject,
	options: ExecuteOptions,
): Promise<IDataObject> {
	const deadline = session.clock.now() + options.waitTimeout * 1000;
	let task: IncidentTask | undefined;
	for (;;) {
		const read = await settle(readTask(session, path));
		if (!read.ok) {
			const { details } = read.error as DefenderXdrError;
			throw new DefenderXdrError({
				...details,
				executed: 'yes',
				message: `The action was executed, but reading its status failed: ${details.message}`,
			});
		}
		task = read.value;
		if (task.actionStatus && TERMINAL_ACTION_STATUSES.includes(task.actionStatus)) break;
		const remainingMs = deadline - session.clock.now();
		if (remainingMs <= 0) break;
		await session.pause(Math.min(options.pollInterval, remainingMs / 1000));
	}
	const actionStatus = task.actionStatus;
	const after = { actionStatus, actionStatusAfter: actionStatus, task };
	if (actionStatus === 'completed')
		return {
			...executedItem,
			...after,
			outcome: 'completed',
			completedAt: new Date(session.clock.now()).toISOString(),
		};
	const failure =
		actionStatus === 'failed'
			? {
					code: 'actionFailed',
					message:
						'The response action was executed and Defender reports it failed. Check the task and the device or file in the Defender portal.',
				}
			: actionStatus === 'partiallyCompleted'
				? {
						code: 'actionPartiallyCompleted',
						message:
							'The response action was executed and only partially completed. Check the task in the Defender portal for what did not finish.',
					}
				: {
						code: 'waitTimeout',
						message: `The response action was executed but was still ${actionStatus ?? 'running'} after ${options.waitTimeout} s (Wait Timeout). It may still finish; check the task later.`,
					};
	throw new DefenderXdrError({
		...failure,
		statusCode: (executedItem.statusCode as number | null) ?? null,
		requestId: (executedItem.requestId as string | null) ?? null,
		executed: 'yes',
	});
}

function success(
	audit: Audit,
	outcome: 'executed' | 'skipped' | 'dryRun' | 'completed',
	extra: IDataObject,
): IDataObject {
	return {
		incidentTaskId: audit.incidentTaskId,
		actionType: audit.actionType,
		outcome,
		statusCode: null,
		requestId: null,
		executedAt: null,
		...extra,
		actionStatusBefore: audit.actionStatusBefore ?? null,
		dryRun: audit.dryRun,
		node: audit.node,
	};
}

/** The task's incident ID: Graph shows the `incident` relationship as `{ id }`, and filters tasks by `incidentId`. */
function incidentIdOf(task: IncidentTask): string | undefined {
	const related = task.incident as IDataObject | undefined;
	const id = related && typeof related === 'object' ? related.id : task.incidentId;
	const text = typeof id === 'number' ? String(id) : id;
	return typeof text === 'string' && identifierProblem(text, 'incident ID') === undefined
		? text
		: undefined;
}

function dryRunSummary(task: IncidentTask, incident: IDataObject | null): IDataObject {
	return {
		id: task.id,
		displayName: task.displayName,
		description: task.description,
		actionType: task.actionType,
		status: task.status,
		actionStatus: task.actionStatus,
		incident: incident && {
			id: incident.id,
			displayName: incident.displayName,
			severity: incident.severity,
			status: incident.status,
			incidentWebUrl: incident.incidentWebUrl,
		},
	};
}
