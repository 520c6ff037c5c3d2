import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { toBoolean, toInteger, toNumber } from '../../shared/parameters';
import { AGENT_OPT_INS, type Resource, type Write } from '../../shared/resources/resource';
import { DefenderXdrError } from '../../shared/transport/errors';
import { DEFAULT_REQUEST_SETTINGS, type RequestSettings } from '../../shared/transport/retryPolicy';
import type { ApiSession } from '../../shared/transport/session';

/** How the node was called: by a workflow, or by an AI agent using it as a tool. */
export interface OperationRun {
	isToolCall: boolean;
}

/** What one input item produced; `awaitCompletion` continues it outside the concurrency pool. */
export interface OperationResult {
	items: IDataObject[];
	awaitCompletion?: () => Promise<IDataObject[]>;
}

/** Every operation has this shape, so the router needs to know nothing about any of them. */
export interface Operation {
	/** How the Operation list shows it; its value is the operation's key in its resource's index. */
	option: { name: string; description: string; action: string };
	/** The parameters it shows, each already limited to its resource and operation. */
	description: INodeProperties[];
	/** The fields that say which input an output item is about; an Error item carries them too. */
	subject(this: IExecuteFunctions, itemIndex: number): IDataObject;
	execute(
		this: IExecuteFunctions,
		session: ApiSession,
		itemIndex: number,
		run: OperationRun,
	): Promise<OperationResult>;
	/** Request Timeout when the user sets none, for an operation whose requests may take longer than most. */
	defaultRequestTimeoutSeconds?: number;
}

const DEFAULT_CONCURRENCY = 4;
const MAX_CONCURRENCY = 16;

/**
 * The options every operation has: how its requests are sent. Their defaults are the transport's, written out as
 * numbers here; a test holds them equal to the transport's own defaults, which the trigger uses.
 */
const requestOptions = (requestTimeoutSeconds: number): INodeProperties[] => [
	{
		displayName: 'Concurrency',
		name: 'concurrency',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY },
		default: DEFAULT_CONCURRENCY,
		description: `How many items are sent to Microsoft at the same time (1 to ${MAX_CONCURRENCY})`,
	},
	{
		displayName: 'Max Retries',
		name: 'maxRetries',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 10 },
		default: 3,
		description:
			'How often a throttled (429) request, or a read that met 503 or a network fault, is retried',
	},
	{
		displayName: 'Max Retry Wait (Seconds)',
		name: 'maxRetryWait',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 120,
		description:
			'The longest single wait before a retry; a longer Retry-After fails the item instead',
	},
	{
		displayName: 'Request Timeout (Seconds)',
		name: 'requestTimeout',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: requestTimeoutSeconds,
		description:
			'How long to wait for one answer from Microsoft (Graph or Defender for Endpoint), or for an access token',
	},
];

/**
 * The `options` collection of an operation: its own options and the request options, in the order n8n shows.
 * An operation with a longer Request Timeout default passes it here and exports it as `defaultRequestTimeoutSeconds`.
 */
export function optionsProperty(
	ownOptions: INodeProperties[] = [],
	requestTimeoutSeconds = 60,
): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [...ownOptions, ...requestOptions(requestTimeoutSeconds)].sort((a, b) =>
			a.displayName.localeCompare(b.displayName),
		),
	};
}

/** The defaults of an options collection, read from its description: one home for each default. */
export function defaultsOf(options: INodeProperties): IDataObject {
	return Object.fromEntries(
		(options.options as INodeProperties[]).map((option) => [option.name, option.default]),
	);
}

/**
 * How this run sends its requests, from the options of the first item (a run has one Graph session);
 * `requestTimeoutSeconds` is the operation's Request Timeout when the user set none.
 */
export function readRequestSettings(
	ctx: IExecuteFunctions,
	requestTimeoutSeconds = DEFAULT_REQUEST_SETTINGS.requestTimeoutSeconds,
): { concurrency: number; settings: RequestSettings } {
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const count = (name: string, label: string, fallback: number, min: number, max: number) =>
		options[name] === undefined ? fallback : toInteger(options[name], label, min, max);
	const seconds = (name: string, label: string, fallback: number) =>
		options[name] === undefined ? fallback : toNumber(options[name], label, 0.001);
	return {
		concurrency: count('concurrency', 'Concurrency', DEFAULT_CONCURRENCY, 1, MAX_CONCURRENCY),
		settings: {
			maxRetries: count('maxRetries', 'Max Retries', DEFAULT_REQUEST_SETTINGS.maxRetries, 0, 10),
			maxRetryWaitSeconds: seconds(
				'maxRetryWait',
				'Max Retry Wait',
				DEFAULT_REQUEST_SETTINGS.maxRetryWaitSeconds,
			),
			requestTimeoutSeconds: seconds('requestTimeout', 'Request Timeout', requestTimeoutSeconds),
		},
	};
}

/** A parameter's raw value for an output item, or null when it is not set. */
export function rawParameter(ctx: IExecuteFunctions, name: string, itemIndex: number): unknown {
	try {
		const value = ctx.getNodeParameter(name, itemIndex, null) as unknown;
		return value === undefined ? null : value;
	} catch {
		return null;
	}
}

/** The option that lets an AI agent make one resource's write (off: the agent may only read, or make a dry run). */
export function agentOptInOption(resource: Resource, operation: string): INodeProperties {
	const write = resource.writes[operation];
	return {
		displayName: AGENT_OPT_INS[write.optIn],
		name: write.optIn,
		type: 'boolean',
		default: false,
		description: `Whether an AI agent using this node as a tool may ${write.what}. Off: the agent can only read${hasDryRun(write) ? ' and make dry runs' : ''}.`,
	};
}

const hasDryRun = (write: Write) => write.dryRun === true;

/**
 * The one gate for every write an AI agent asks for: refused, with nothing sent, unless the node opts in. A dry run
 * changes nothing, so it passes.
 */
export function refuseWriteFromAgent(
	ctx: IExecuteFunctions,
	itemIndex: number,
	write: Write | undefined,
	run: OperationRun,
): void {
	if (!write || !run.isToolCall) return;
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	if (toBoolean(options.dryRun, 'Dry Run')) return;
	const optIn = AGENT_OPT_INS[write.optIn];
	if (toBoolean(options[write.optIn], optIn)) return;
	throw new DefenderXdrError({
		code: 'changeNotAllowedAsTool',
		message: `An AI agent may not ${write.what} through this node: tick "${optIn}" in its options to let it${hasDryRun(write) ? ', or use a dry run' : ''}. Nothing was changed.`,
		executed: 'no',
	});
}

/** Return All and Limit, as every Get Many shows them. */
export const LISTING_PROPERTIES: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

/** How many entities an item of Get Many asks for: Infinity for Return All. */
export function readLimit(ctx: IExecuteFunctions, itemIndex: number): number {
	return toBoolean(ctx.getNodeParameter('returnAll', itemIndex, false), 'Return All')
		? Infinity
		: toInteger(ctx.getNodeParameter('limit', itemIndex, 50), 'Limit', 1);
}

/**
 * Reads pages until `limit` entities are kept. A next-page link to another origin is not followed (it would
 * carry the token there), and then nothing is returned: an incomplete list is not passed off as the list.
 */
export async function collect<T extends IDataObject>(
	session: ApiSession,
	pages: AsyncIterable<{ items: T[]; nextLinkRefused: boolean }>,
	limit: number,
	noun: string,
	keep: (entity: T) => boolean = () => true,
): Promise<T[]> {
	const kept: T[] = [];
	for await (const page of pages) {
		for (const entity of page.items) {
			if (!keep(entity)) continue;
			kept.push(entity);
			if (kept.length >= limit) return kept;
		}
		if (page.nextLinkRefused) {
			throw new DefenderXdrError({
				code: 'foreignNextLink',
				message: `${session.api.name} sent a next-page link to another origin than ${session.endpoints.root}; it was not followed, so the token is not sent there. ${kept.length} ${noun} had been read; the list is incomplete, so none are returned.`,
			});
		}
	}
	return kept;
}
