import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { describeValue, parameterError } from '../../../shared/parameters';
import { HUNTING_SUBJECT, HUNTING_TIME_LIMIT_SECONDS } from '../../../shared/security';
import type { GraphSession } from '../../../shared/transport/graphSession';
import { optionsProperty, rawParameter, type OperationResult } from '../operation';

/** Graph may take up to 3 minutes to answer a query: the default Request Timeout waits that long and a little more. */
export const defaultRequestTimeoutSeconds = HUNTING_TIME_LIMIT_SECONDS + 20;

/** Microsoft's limit on the query text is generous; this only keeps a runaway expression from being sent. */
const MAX_QUERY_LENGTH = 100_000;
// ISO 8601: a duration (P30D, PT12H), or an interval of start/end, start/duration or duration/end.
const DURATION = 'P(?=\\d|T\\d)(\\d+Y)?(\\d+M)?(\\d+W)?(\\d+D)?(T(\\d+H)?(\\d+M)?(\\d+(\\.\\d+)?S)?)?';
const INSTANT = '\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2})?)?';
const TIMESPAN = new RegExp(`^(${DURATION}|${INSTANT}|(${INSTANT}|${DURATION})/(${INSTANT}|${DURATION}))$`);

const properties: INodeProperties[] = [
	{
		displayName: 'Query',
		name: 'query',
		type: 'string',
		typeOptions: { rows: 8 },
		required: true,
		default: '',
		placeholder: 'DeviceInfo\n| where DeviceName startswith "ws-fin-"\n| project DeviceId, DeviceName, OSPlatform',
		description: 'The advanced hunting query, in Kusto Query Language (KQL). Graph stops a query after 3 minutes and returns at most 100,000 rows.',
	},
	{
		displayName: 'Timespan',
		name: 'timespan',
		type: 'string',
		default: '',
		placeholder: 'e.g. P7D',
		description: 'The time range to search, in ISO 8601 (a duration such as P7D, or start/end). Empty: Graph\'s default of the last 30 days.',
	},
	optionsProperty([], defaultRequestTimeoutSeconds),
];

export const description = updateDisplayOptions({ show: { resource: ['advancedHunting'], operation: ['runQuery'] } }, properties);

export function subject(this: IExecuteFunctions, itemIndex: number): IDataObject {
	return { query: rawParameter(this, 'query', itemIndex) as string };
}

/**
 * `POST /security/runHuntingQuery`; each result row becomes one item. A 429 is waited out and sent again (Graph did
 * not run it), but a query whose answer was lost (timeout, dropped connection, 5xx) is never sent again: it may still
 * be running and spending the tenant's hunting quota.
 */
export async function execute(this: IExecuteFunctions, graph: GraphSession, itemIndex: number): Promise<OperationResult> {
	const query = this.getNodeParameter('query', itemIndex, '') as unknown;
	if (typeof query !== 'string' || query.trim() === '' || query.length > MAX_QUERY_LENGTH) {
		throw parameterError('invalidQuery', `Query: ${describeValue(query)} is not a KQL query of 1 to ${MAX_QUERY_LENGTH} characters`);
	}
	const timespan = this.getNodeParameter('timespan', itemIndex, '') as unknown;
	if (timespan !== '' && (typeof timespan !== 'string' || !TIMESPAN.test(timespan.trim()))) {
		throw parameterError('invalidParameter', `Timespan: ${describeValue(timespan)} is not an ISO 8601 duration or interval such as P7D`);
	}
	const body: IDataObject = { Query: query, ...(timespan ? { Timespan: (timespan as string).trim() } : {}) };
	const { body: results } = await graph.post<{ results?: IDataObject[] }>('v1.0', '/security/runHuntingQuery', body, { safeToRepeat: false, subject: HUNTING_SUBJECT });
	return { items: results?.results ?? [] };
}
