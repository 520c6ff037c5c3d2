import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { DefenderXdrError, redactSecrets, type Executed } from '../../shared/transport/graphError';
import { GraphSession } from '../../shared/transport/graphSession';
import * as incidentTask from './incidentTask';
import { DEFAULT_EXECUTE_OPTIONS, readOptions, type ExecutePhase } from './incidentTask/executeResponseAction.operation';

const SUCCESS = 0;
const ERROR = 1;

interface ItemOutcome {
	output: typeof SUCCESS | typeof ERROR;
	json: IDataObject[];
}

/**
 * Runs every input item through its operation, `concurrency` at a time, and puts each on exactly one
 * output, in input order, with `pairedItem`. Only a broken configuration throws; item failures go to Error.
 */
export async function route(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	if (resource !== 'incidentTask' || !(operation in incidentTask)) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
	}
	const isToolCall = this.getNode().type.endsWith('Tool');
	// Get, Get Many and Update have no options: they run with the defaults Execute Response Action shows.
	const settings = operation === 'executeResponseAction' ? readOptions(this, 0) : DEFAULT_EXECUTE_OPTIONS;

	let graph: GraphSession;
	try {
		graph = await GraphSession.open(this, {
			retry: { maxRetries: settings.maxRetries, maxRetryWaitSeconds: settings.maxRetryWait },
			requestTimeoutSeconds: settings.requestTimeout,
		});
	} catch (error) {
		throw new NodeOperationError(this.getNode(), redactSecrets((error as Error).message), {
			description: 'Check the Microsoft Defender XDR credential selected on this node.',
		});
	}

	const outcomes: ItemOutcome[] = new Array(items.length);
	const completions: Array<Promise<void>> = [];
	const run = async (itemIndex: number): Promise<void> => {
		try {
			const phase = await runOperation.call(this, operation, graph, itemIndex, isToolCall);
			outcomes[itemIndex] = { output: SUCCESS, json: phase.items };
			const { awaitCompletion } = phase;
			if (awaitCompletion) {
				// Waiting items poll side by side, outside the pool, so one slow action does not hold the others.
				completions.push(
					awaitCompletion().then(
						(json) => void (outcomes[itemIndex] = { output: SUCCESS, json }),
						// Whatever goes wrong while waiting, the POST was answered 204: the action ran.
						(error: unknown) => void (outcomes[itemIndex] = failure.call(this, operation, itemIndex, error, 'yes')),
					),
				);
			}
		} catch (error) {
			outcomes[itemIndex] = failure.call(this, operation, itemIndex, error);
		}
	};
	await runPool(items.length, settings.concurrency, run);
	await Promise.all(completions);

	if (isToolCall) return toolResult.call(this, outcomes);
	const success: INodeExecutionData[] = [];
	const errors: INodeExecutionData[] = [];
	outcomes.forEach((outcome, itemIndex) => {
		const target = outcome.output === SUCCESS ? success : errors;
		for (const json of outcome.json) target.push({ json, pairedItem: { item: itemIndex } });
	});
	return [success, errors];
}

async function runOperation(
	this: IExecuteFunctions,
	operation: string,
	graph: GraphSession,
	itemIndex: number,
	isToolCall: boolean,
): Promise<ExecutePhase> {
	if (operation === 'executeResponseAction') {
		return await incidentTask.executeResponseAction.execute.call(this, graph, itemIndex, isToolCall);
	}
	const single = incidentTask[operation as Exclude<keyof typeof incidentTask, 'executeResponseAction'>];
	return { items: await single.execute.call(this, graph, itemIndex) };
}

/** The Error-output item: never a bare `{ error }`, which n8n's own error output would take over. */
function failure(this: IExecuteFunctions, operation: string, itemIndex: number, error: unknown, executed?: Executed): ItemOutcome {
	const known =
		error instanceof DefenderXdrError
			? error.details
			: new DefenderXdrError({ code: 'unexpected', message: (error as Error)?.message ?? String(error) }).details;
	// What is known to have run overrides what the failing step knew (a cancelled wait after a 204 ran).
	const details = executed ? new DefenderXdrError({ ...known, executed }).details : known;
	return {
		output: ERROR,
		json: [
			{
				incidentTaskId: operation === 'getMany' ? null : parameterOrNull(this, 'incidentTaskId', itemIndex),
				actionType: operation === 'executeResponseAction' ? parameterOrNull(this, 'actionType', itemIndex) : null,
				outcome: 'failed',
				error: { ...details },
			},
		],
	};
}

function parameterOrNull(ctx: IExecuteFunctions, name: string, itemIndex: number): string | null {
	try {
		const value = ctx.getNodeParameter(name, itemIndex, null) as unknown;
		return value === null || value === undefined ? null : String(value);
	} catch {
		return null;
	}
}

/** Only output 0 reaches an AI agent: successes go there, and a failure is thrown so the agent reads it. */
function toolResult(this: IExecuteFunctions, outcomes: ItemOutcome[]): INodeExecutionData[][] {
	const failed = outcomes.find((outcome) => outcome.output === ERROR);
	if (failed) {
		const { error } = failed.json[0] as { error: { message: string; code: string; executed: string } };
		throw new NodeOperationError(this.getNode(), `${error.message} (code: ${error.code}, executed: ${error.executed})`);
	}
	return [outcomes.flatMap((outcome, itemIndex) => outcome.json.map((json) => ({ json, pairedItem: { item: itemIndex } })))];
}

/** Runs `task(0..count-1)` with at most `limit` in flight; results are stored by index, so order is kept. */
async function runPool(count: number, limit: number, task: (index: number) => Promise<void>): Promise<void> {
	let next = 0;
	const worker = async () => {
		while (next < count) await task(next++);
	};
	const workers = Math.max(1, Math.min(16, Math.floor(limit) || 1, count));
	await Promise.all(Array.from({ length: workers }, worker));
}
