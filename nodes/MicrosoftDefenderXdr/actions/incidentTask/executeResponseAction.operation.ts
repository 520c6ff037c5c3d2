import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	alreadyStartedReason,
	EXECUTABLE_ACTION_TYPES,
	isExecutableActionType,
	printable,
	TERMINAL_ACTION_STATUSES,
	type IncidentTask,
} from '../../../shared/incidentTask';
import { DefenderXdrError, settle } from '../../../shared/transport/graphError';
import type { GraphSession } from '../../../shared/transport/graphSession';
import { incidentTaskIdProperty, incidentTaskPath, readIncidentTaskId } from './common';

const show = { resource: ['incidentTask'], operation: ['executeResponseAction'] };

export const description: INodeProperties[] = [
	incidentTaskIdProperty('executeResponseAction'),
	{
		displayName: 'Action Type',
		name: 'actionType',
		type: 'options',
		required: true,
		options: EXECUTABLE_ACTION_TYPES.map(({ name, value }) => ({ name, value })),
		default: 'isolateDevice',
		description: 'The response action the task prescribes. Only these eight can be executed through Graph. Map it from the task with an expression such as {{ $JSON.actionType }}.',
		displayOptions: { show },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Allow Execute as AI Tool',
				name: 'allowExecuteAsTool',
				type: 'boolean',
				default: false,
				description:
					'Whether an AI agent using this node as a tool may execute response actions. Off: the agent can only read tasks and make dry runs.',
			},
			{
				displayName: 'Concurrency',
				name: 'concurrency',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 16 },
				default: 4,
				description: 'How many items are sent to Graph at the same time (1 to 16)',
			},
			{
				displayName: 'Dry Run',
				name: 'dryRun',
				type: 'boolean',
				default: false,
				description: 'Whether to check the task and report what would be executed, without executing it',
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
				displayName: 'Max Retries',
				name: 'maxRetries',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 10 },
				default: 3,
				description: 'How often a throttled (429) or unavailable (503) request is retried',
			},
			{
				displayName: 'Max Retry Wait (Seconds)',
				name: 'maxRetryWait',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 120,
				description: 'The longest single wait before a retry; a longer Retry-After fails the item instead',
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
				displayName: 'Request Timeout (Seconds)',
				name: 'requestTimeout',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 60,
				description: 'How long to wait for one answer from Graph',
			},
			{
				displayName: 'Verify Task',
				name: 'verifyTask',
				type: 'boolean',
				default: true,
				description:
					'Whether to read the task first and execute only if it prescribes the selected action type and has not been started',
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
		],
	},
];

export interface ExecuteOptions {
	verifyTask: boolean;
	ifAlreadyStarted: 'skip' | 'error' | 'executeAgain';
	dryRun: boolean;
	waitForCompletion: boolean;
	waitTimeout: number;
	pollInterval: number;
	concurrency: number;
	maxRetries: number;
	maxRetryWait: number;
	requestTimeout: number;
	allowExecuteAsTool: boolean;
}

/** The options' defaults, read from the description above: one home for each default. */
export const DEFAULT_EXECUTE_OPTIONS = Object.fromEntries(
	(description.find((property) => property.name === 'options')?.options as INodeProperties[]).map((option) => [option.name, option.default]),
) as unknown as ExecuteOptions;

export function readOptions(ctx: IExecuteFunctions, itemIndex: number): ExecuteOptions {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as Partial<ExecuteOptions>;
	return { ...DEFAULT_EXECUTE_OPTIONS, ...options };
}

/** The audit trail every execute item carries: what the node did, when, and what Graph said. */
interface Audit {
	incidentTaskId: string;
	actionType: string;
	node: string;
	dryRun: boolean;
	actionStatusBefore?: string;
}

/** Result of the first phase; `waitForCompletion` continues it outside the concurrency pool. */
export interface ExecutePhase {
	items: IDataObject[];
	awaitCompletion?: () => Promise<IDataObject[]>;
}

export async function execute(
	this: IExecuteFunctions,
	graph: GraphSession,
	itemIndex: number,
	isToolCall = false,
): Promise<ExecutePhase> {
	const incidentTaskId = readIncidentTaskId(this, itemIndex);
	const actionType = this.getNodeParameter('actionType', itemIndex) as unknown;
	if (!isExecutableActionType(actionType)) {
		throw new DefenderXdrError({
			code: 'unsupportedActionType',
			message: `Currently ${printable(String(actionType))} is not supported. Only ${EXECUTABLE_ACTION_TYPES.map((t) => t.value).join(', ')} can be executed. No request was sent.`,
		});
	}
	const options = readOptions(this, itemIndex);
	const dryRun = options.dryRun;
	if (isToolCall && !dryRun && !options.allowExecuteAsTool) {
		throw new DefenderXdrError({
			code: 'executeNotAllowedAsTool',
			message:
				'Executing response actions from an AI agent is turned off for this node. Use a dry run, or tick "Allow Execute as AI Tool" in the node options. Nothing was executed.',
		});
	}
	const audit: Audit = { incidentTaskId, actionType, node: this.getNode().name, dryRun };
	const path = incidentTaskPath(incidentTaskId);

	let task: IncidentTask | undefined;
	if (options.verifyTask || dryRun) {
		task = await readTask(graph, path);
		audit.actionStatusBefore = task.actionStatus;
		if (task.actionType !== actionType) {
			throw new DefenderXdrError({
				code: 'actionTypeMismatch',
				message: `The task wants ${printable(String(task.actionType))}, the node is set to ${actionType}. Nothing was executed; map Action Type from the task ({{ $json.actionType }}) or pick the matching one.`,
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
			return { items: [success(audit, 'skipped', { reason: `${startedReason}; not executed again`, actionStatus: task.actionStatus, task })] };
		}
	}

	if (dryRun && task) {
		// The incident is context for a human approver; a task whose incident cannot be read still dry-runs.
		const incident = await settle(graph.get('beta', `${path}/incident`));
		return {
			items: [
				success(audit, 'dryRun', {
					actionStatus: task.actionStatus,
					wouldExecute: `POST ${path}/executeResponseAction`,
					task: dryRunSummary(task, incident.ok ? incident.value.body : null),
				}),
			],
		};
	}

	// Re-reading the task settles an unknown outcome only if it was notStarted before this POST.
	const executed = await postExecute(graph, path, task?.actionStatus === 'notStarted');
	const executedItem = success(audit, 'executed', {
		statusCode: executed.statusCode,
		requestId: executed.requestId,
		clientRequestId: executed.clientRequestId,
		executedAt: executed.executedAt,
		...(executed.note ? { note: executed.note } : {}),
		...(executed.actionStatusAfter ? { actionStatus: executed.actionStatusAfter, actionStatusAfter: executed.actionStatusAfter } : {}),
	});
	if (!options.waitForCompletion) return { items: [executedItem] };
	return {
		items: [],
		awaitCompletion: async () => [await waitForCompletion(graph, path, executedItem, options)],
	};
}

async function readTask(graph: GraphSession, path: string): Promise<IncidentTask> {
	const { body } = await graph.get<IncidentTask>('beta', path);
	return body;
}

const UNKNOWN_OUTCOME_SETTLE_SECONDS = 2;

interface PostResult {
	statusCode: number | null;
	requestId: string | null;
	clientRequestId: string | null;
	executedAt: string;
	actionStatusAfter?: string;
	note?: string;
}

/**
 * Sends the POST once. When the outcome is unknown (504, timeout, dropped connection) and the task may be
 * read (Verify Task saw it notStarted), the task decides: still `notStarted` means Graph never ran it, so it
 * is sent again; anything else means it ran. Otherwise the item fails with `executed: unknown`.
 */
async function postExecute(graph: GraphSession, path: string, mayReadTask: boolean): Promise<PostResult> {
	for (let attempt = 0; ; attempt++) {
		const executedAt = new Date().toISOString();
		const sent = await settle(graph.post('beta', `${path}/executeResponseAction`));
		if (sent.ok) {
			const { statusCode, requestId, clientRequestId } = sent.value;
			return { statusCode, requestId, clientRequestId, executedAt };
		}
		const failure = sent.error as DefenderXdrError;
		if (failure.details.executed !== 'unknown' || !mayReadTask) throw failure;
		// Give Graph a moment to record an action that did start before asking.
		await graph.pause(UNKNOWN_OUTCOME_SETTLE_SECONDS);
		const reread = await settle(readTask(graph, path));
		if (!reread.ok) throw failure;
		const actionStatus = reread.value.actionStatus;
		if (actionStatus === 'notStarted' && attempt < graph.retryPolicy.maxRetries) {
			graph.log(`The outcome of POST ${path}/executeResponseAction was unknown (${failure.details.code}); the task is still notStarted, so it is sent again`);
			continue;
		}
		if (actionStatus === 'notStarted') throw failure;
		return {
			statusCode: failure.details.statusCode,
			requestId: failure.details.requestId,
			clientRequestId: null,
			executedAt,
			actionStatusAfter: actionStatus,
			note: `Graph's answer was lost (${failure.details.code}), but the task shows the action ${actionStatus ?? 'started'}, so it ran; it was not sent again.`,
		};
	}
}

async function waitForCompletion(
	graph: GraphSession,
	path: string,
	executedItem: IDataObject,
	options: ExecuteOptions,
): Promise<IDataObject> {
	const deadline = Date.now() + options.waitTimeout * 1000;
	let task: IncidentTask | undefined;
	for (;;) {
		const read = await settle(readTask(graph, path));
		if (!read.ok) {
			const { details } = read.error as DefenderXdrError;
			throw new DefenderXdrError({ ...details, executed: 'yes', message: `The action was executed, but reading its status failed: ${details.message}` });
		}
		task = read.value;
		if (task.actionStatus && TERMINAL_ACTION_STATUSES.includes(task.actionStatus)) break;
		const remainingMs = deadline - Date.now();
		if (remainingMs <= 0) break;
		await graph.pause(Math.min(options.pollInterval, remainingMs / 1000));
	}
	const actionStatus = task.actionStatus;
	const after = { actionStatus, actionStatusAfter: actionStatus, task };
	if (actionStatus === 'completed') return { ...executedItem, ...after, outcome: 'completed', completedAt: new Date().toISOString() };
	const failure =
		actionStatus === 'failed'
			? { code: 'actionFailed', message: 'The response action was executed and Defender reports it failed. Check the task and the device or file in the Defender portal.' }
			: actionStatus === 'partiallyCompleted'
				? { code: 'actionPartiallyCompleted', message: 'The response action was executed and only partially completed. Check the task in the Defender portal for what did not finish.' }
				: { code: 'waitTimeout', message: `The response action was executed but was still ${actionStatus ?? 'running'} after ${options.waitTimeout} s (Wait Timeout). It may still finish; check the task later.` };
	throw new DefenderXdrError({
		...failure,
		statusCode: (executedItem.statusCode as number | null) ?? null,
		requestId: (executedItem.requestId as string | null) ?? null,
		executed: 'yes',
	});
}

function success(audit: Audit, outcome: 'executed' | 'skipped' | 'dryRun' | 'completed', extra: IDataObject): IDataObject {
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
