import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import type { Resource } from '../../shared/resources/resource';
import { DefenderXdrError, redactSecrets, type Executed } from '../../shared/transport/errors';
import { ApiSession } from '../../shared/transport/session';
import { readRequestSettings, refuseWriteFromAgent, type Operation } from './operation';

/** A resource and its operations, by their parameter values. */
export interface ResourceActions {
	resource: Resource;
	operations: Record<string, Operation>;
	/** The operation a new node starts with; saved workflows omit it, so it never changes. */
	defaultOperation: string;
}

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
export async function route(
	this: IExecuteFunctions,
	resources: readonly ResourceActions[],
): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const actions = resources.find((candidate) => candidate.resource.value === resource);
	const operation =
		actions && hasOwn(actions.operations, operationName)
			? actions.operations[operationName]
			: undefined;
	if (!actions || !operation) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operationName}" of "${resource}" is not supported`,
		);
	}
	const isToolCall = this.getNode().type.endsWith('Tool');

	const { api } = actions.resource;
	const write = hasOwn(actions.resource.writes, operationName)
		? actions.resource.writes[operationName]
		: undefined;

	let session: ApiSession;
	let concurrency: number;
	try {
		const requests = readRequestSettings(this, operation.defaultRequestTimeoutSeconds);
		concurrency = requests.concurrency;
		session = await ApiSession.open(this, api, requests.settings);
	} catch (error) {
		throw new NodeOperationError(this.getNode(), redactSecrets((error as Error).message), {
			description: `Check the options and the ${api.credentialName} credential selected on this node.`,
		});
	}

	const failure = (itemIndex: number, error: unknown, executed?: Executed): ItemOutcome => {
		const known =
			error instanceof DefenderXdrError
				? error.details
				: new DefenderXdrError({
						code: 'unexpected',
						message: (error as Error)?.message ?? String(error),
					}).details;
		// What is known to have run overrides what the failing step knew (a cancelled wait after a 204 ran).
		const details = executed ? new DefenderXdrError({ ...known, executed }).details : known;
		// Never a bare `{ error }`: n8n's own "continue (using error output)" would take such an item over.
		return {
			output: ERROR,
			json: [
				{
					...operation.subject.call(this, itemIndex),
					...(error instanceof DefenderXdrError ? error.about : {}),
					outcome: 'failed',
					error: { ...details },
				},
			],
		};
	};

	const outcomes: ItemOutcome[] = new Array(items.length);
	const completions: Array<Promise<void>> = [];
	await runPool(items.length, concurrency, async (itemIndex) => {
		try {
			refuseWriteFromAgent(this, itemIndex, write, { isToolCall });
			const result = await operation.execute.call(this, session, itemIndex, { isToolCall });
			outcomes[itemIndex] = { output: SUCCESS, json: result.items };
			const { awaitCompletion } = result;
			if (awaitCompletion) {
				// Waiting items poll side by side, outside the pool, so one slow action does not hold the others.
				completions.push(
					awaitCompletion().then(
						(json) => void (outcomes[itemIndex] = { output: SUCCESS, json }),
						// Whatever goes wrong while waiting, the POST was answered 204: the action ran.
						(error: unknown) => void (outcomes[itemIndex] = failure(itemIndex, error, 'yes')),
					),
				);
			}
		} catch (error) {
			outcomes[itemIndex] = failure(itemIndex, error);
		}
	});
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

/** Only output 0 reaches an AI agent: successes go there, and a failure is thrown so the agent reads it. */
function toolResult(this: IExecuteFunctions, outcomes: ItemOutcome[]): INodeExecutionData[][] {
	const failed = outcomes.find((outcome) => outcome.output === ERROR);
	if (failed) {
		const { error } = failed.json[0] as {
			error: { message: string; code: string; executed: string };
		};
		throw new NodeOperationError(
			this.getNode(),
			`${error.message} (code: ${error.code}, executed: ${error.executed})`,
		);
	}
	return [
		outcomes.flatMap((outcome, itemIndex) =>
			outcome.json.map((json) => ({ json, pairedItem: { item: itemIndex } })),
		),
	];
}

/** Runs `task(0..count-1)` with at most `limit` in flight; results are stored by index, so order is kept. */
async function runPool(
	count: number,
	limit: number,
	task: (index: number) => Promise<void>,
): Promise<void> {
	let next = 0;
	const worker = async () => {
		while (next < count) await task(next++);
	};
	await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
}

function hasOwn(object: object, key: string): boolean {
	return Object.prototype.hasOwnProperty.call(object, key);
}
