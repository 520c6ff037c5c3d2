import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { describeValue, impossibleDateReason, parameterError } from '../../../shared/parameters';
import {
	ADVANCED_HUNTING,
	HUNTING_TIME_LIMIT_SECONDS,
} from '../../../shared/resources/advancedHunting';
import type { ApiSession } from '../../../shared/transport/session';
import { optionsProperty, rawParameter, type OperationResult } from '../operation';

export const option = {
	name: 'Run Query',
	description:
		'Run a KQL advanced hunting query over Defender XDR data (devices, processes, network, alerts); one item per result row',
	action: 'Run an advanced hunting query',
};

/** Graph may take up to 3 minutes to answer a query: the default Request Timeout waits that long and a little more. */
export const defaultRequestTimeoutSeconds = HUNTING_TIME_LIMIT_SECONDS + 20;

/** Microsoft's limit on the query text is generous; this only keeps a runaway expression from being sent. */
const MAX_QUERY_LENGTH = 100_000;
// ISO 8601 durations (P30D, PT12H, P2W): weeks stand alone, and a T must be followed by a time.
const DURATION =
	/^P(?:\d+W|(?=\d|T\d)(?:\d+Y)?(?:\d+M)?(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?)$/;
// ISO 8601 dates and date-times, as Graph's examples write them (2024-02-01T08:00:00Z).
const INSTANT = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?$/;
const TIMESPAN_FORMS =
	'a duration (P7D), a start (2026-01-05T00:00:00Z), start/end, start/duration or duration/end';

/** Why one side of a timespan is not a real date or a duration that spans time; undefined when it is. */
function partProblem(part: string): string | undefined {
	if (DURATION.test(part)) return /[1-9]/.test(part) ? undefined : `${part} is an empty duration`;
	if (!INSTANT.test(part)) return `${describeValue(part)} is neither a duration nor a date`;
	const impossible = impossibleDateReason(part);
	return impossible && `${part} is not a real date: ${impossible}`;
}

/**
 * Why a timespan is not one of the forms Graph documents for runHuntingQuery, or undefined when it is: a
 * duration back from now, a start until now, start/end (start first), start/duration or duration/end. Two
 * durations name no point in time, and a date that does not exist would be rolled over by Graph's parser.
 */
function timespanProblem(timespan: string): string | undefined {
	const parts = timespan.split('/');
	if (parts.length > 2) return 'it has more than one "/"';
	for (const part of parts) {
		const problem = partProblem(part);
		if (problem) return problem;
	}
	if (parts.length === 2) {
		const [start, end] = parts;
		if (DURATION.test(start) && DURATION.test(end))
			return 'two durations name no point in time; give a start or an end date';
		if (INSTANT.test(start) && INSTANT.test(end) && Date.parse(start) >= Date.parse(end))
			return 'the start is not before the end';
	}
	return undefined;
}

const properties: INodeProperties[] = [
	{
		displayName: 'Query',
		name: 'query',
		type: 'string',
		typeOptions: { rows: 8 },
		required: true,
		default: '',
		placeholder:
			'DeviceInfo\n| where DeviceName startswith "ws-fin-"\n| project DeviceId, DeviceName, OSPlatform',
		description:
			'The advanced hunting query, in Kusto Query Language (KQL). Graph stops a query after 3 minutes and returns at most 100,000 rows.',
	},
	{
		displayName: 'Timespan',
		name: 'timespan',
		type: 'string',
		default: '',
		placeholder: 'e.g. P7D',
		description:
			"The time range to search, in ISO 8601 (a duration such as P7D, or start/end). Empty: Graph's default of the last 30 days.",
	},
	optionsProperty([], defaultRequestTimeoutSeconds),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['advancedHunting'], operation: ['runQuery'] } },
	properties,
);

export function subject(this: IExecuteFunctions, itemIndex: number): IDataObject {
	return { query: rawParameter(this, 'query', itemIndex) as string };
}

/**
 * `POST /security/runHuntingQuery`; each result row becomes one item. A 429 is waited out and sent again (Graph did
 * not run it), but a query whose answer was lost (timeout, dropped connection, 5xx) is never sent again: it may still
 * be running and spending the tenant's hunting quota.
 */
export async function execute(
	this: IExecuteFunctions,
	session: ApiSession,
	itemIndex: number,
): Promise<OperationResult> {
	const query = this.getNodeParameter('query', itemIndex, '') as unknown;
	if (typeof query !== 'string' || query.trim() === '' || query.length > MAX_QUERY_LENGTH) {
		throw parameterError(
			'invalidQuery',
			`Query: ${describeValue(query)} is not a KQL query of 1 to ${MAX_QUERY_LENGTH} characters`,
		);
	}
	const timespan = this.getNodeParameter('timespan', itemIndex, '') as unknown;
	if (timespan !== '') {
		const problem =
			typeof timespan === 'string' ? timespanProblem(timespan.trim()) : 'it is not text';
		if (problem)
			throw parameterError(
				'invalidParameter',
				`Timespan: ${describeValue(timespan)} is not a time range Graph accepts (${problem}). Use ${TIMESPAN_FORMS}`,
			);
	}
	const body: IDataObject = {
		Query: query,
		...(timespan ? { Timespan: (timespan as string).trim() } : {}),
	};
	const { body: results } = await session.post<{ results?: IDataObject[] }>(
		ADVANCED_HUNTING.path,
		body,
		{ safeToRepeat: false, subject: ADVANCED_HUNTING.subject },
	);
	return { items: results?.results ?? [] };
}
