import type { CloudName } from '../cloud';

/** Whether a response action ran: `no` is safe to retry, `unknown` needs a look at the task first. */
export type Executed = 'no' | 'unknown' | 'yes';

/** The `error` object of an Error-output item. */
export interface ItemErrorDetails {
	message: string;
	code: string;
	statusCode: number | null;
	requestId: string | null;
	retryable: boolean;
	executed: Executed;
}

/** A failure of one item, already phrased for the user. Everything the node reports goes through this type. */
export class DefenderXdrError extends Error {
	readonly details: ItemErrorDetails;

	constructor(details: Partial<ItemErrorDetails> & { message: string; code: string }) {
		super(redactSecrets(details.message));
		this.details = {
			message: this.message,
			code: details.code,
			statusCode: details.statusCode ?? null,
			requestId: details.requestId ?? null,
			// Only an action that surely did not run may be sent again: anything else risks running it twice.
			retryable: (details.executed ?? 'no') === 'no' && (details.retryable ?? false),
			executed: details.executed ?? 'no',
		};
	}
}

/** What the transport knows about a request that failed. */
export interface FailedRequest {
	method: string;
	statusCode?: number;
	graphCode?: string;
	graphMessage?: string;
	requestId?: string;
	/** `timeout` or `connectionDropped` when no HTTP answer came back. */
	networkFault?: 'timeout' | 'connectionDropped';
	retriesDone: number;
	cloud: CloudName;
}

/** Turns a failed Graph request into an item error whose message says what to check. */
export function describeFailedRequest(failure: FailedRequest): DefenderXdrError {
	const { method, statusCode, graphCode, requestId } = failure;
	const graphSays = failure.graphMessage ? `: ${failure.graphMessage}` : '';
	const isExecute = method === 'POST';
	const base = { statusCode: statusCode ?? null, requestId: requestId ?? null };

	if (failure.networkFault) {
		const what = failure.networkFault === 'timeout' ? 'did not answer in time' : 'dropped the connection';
		if (isExecute) {
			return new DefenderXdrError({
				...base,
				code: failure.networkFault,
				message: `Graph ${what} after the response action was sent, so it may or may not have run. Check the task's action status in the Defender portal before running it again (turn on "Verify Task" to let the node check for you).`,
				retryable: false,
				executed: 'unknown',
			});
		}
		return new DefenderXdrError({
			...base,
			code: failure.networkFault,
			message: `Graph ${what} (${failure.retriesDone} retries). Check the network path to the Graph endpoint, or raise Max Retries.`,
			retryable: true,
		});
	}

	switch (statusCode) {
		case 400:
			return new DefenderXdrError({
				...base,
				code: graphCode ?? 'BadRequest',
				message: `Graph refused the request (400)${graphSays}. Check the incident task ID and that the task's action type is one Graph can execute.${cloudNote(failure.cloud)}`,
			});
		case 401:
			return new DefenderXdrError({
				...base,
				code: graphCode ?? 'Unauthorized',
				message: `Graph rejected the access token (401) even after a refresh${graphSays}. Check the credential's tenant ID, client ID and secret, and that the app is registered in the tenant that owns the incident.`,
			});
		case 403:
			return new DefenderXdrError({
				...base,
				code: graphCode ?? 'Forbidden',
				message: `Permission denied (403)${graphSays}. Check that the app registration has the Graph security permissions for incidents and incident tasks (e.g. SecurityIncident.ReadWrite.All) with admin consent, and that the tenant has Defender Experts for XDR.${cloudNote(failure.cloud)}`,
			});
		case 404:
			return new DefenderXdrError({
				...base,
				code: graphCode ?? 'NotFound',
				message: `Not found (404)${graphSays}. Check the incident task ID and that the credential's tenant is the one the task belongs to.${cloudNote(failure.cloud)}`,
			});
		case 429:
		case 503:
			return new DefenderXdrError({
				...base,
				code: graphCode ?? (statusCode === 429 ? 'TooManyRequests' : 'ServiceUnavailable'),
				message: `Graph is ${statusCode === 429 ? 'throttling requests (429)' : 'unavailable (503)'} and still was after ${failure.retriesDone} retries${graphSays}. Nothing was executed; run again later, lower Concurrency, or raise Max Retries / Max Retry Wait.`,
				retryable: true,
			});
		case 504:
			if (isExecute) {
				return new DefenderXdrError({
					...base,
					code: graphCode ?? 'GatewayTimeout',
					message: `Graph timed out (504) after the response action was sent, so it may or may not have run${graphSays}. Check the task's action status before running it again (turn on "Verify Task" to let the node check for you).`,
					executed: 'unknown',
				});
			}
			break;
	}
	const isServerError = statusCode !== undefined && statusCode >= 500;
	return new DefenderXdrError({
		...base,
		code: graphCode ?? (statusCode ? `http${statusCode}` : 'requestFailed'),
		message: `Graph answered ${statusCode ?? 'with an error'}${graphSays}.`,
		retryable: isServerError,
		executed: isExecute && isServerError ? 'unknown' : 'no',
	});
}

function cloudNote(cloud: CloudName): string {
	if (cloud === 'global' || cloud === 'custom') return '';
	return ` Note: Microsoft documents incident tasks for the Global cloud only; this credential uses the ${cloud} cloud.`;
}

const SECRET_PATTERNS: Array<[RegExp, string]> = [
	[/Bearer\s+[A-Za-z0-9\-._~+/]+=*/gi, 'Bearer [redacted]'],
	[/eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, '[redacted token]'],
	[/("?(?:access_token|refresh_token|id_token|client_secret|clientSecret|authorization)"?\s*[:=]\s*"?)[^"&,\s}]+/gi, '$1[redacted]'],
];

/** Removes tokens, secrets and Authorization values from text that may reach an item, a message or a log. */
export function redactSecrets(text: string): string {
	return SECRET_PATTERNS.reduce((current, [pattern, replacement]) => current.replace(pattern, replacement), text);
}

export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** A promise's outcome as a value, so a failure can be inspected and turned into an item error. */
export async function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
	return await promise.then(
		(value) => ({ ok: true as const, value }),
		(error: unknown) => ({ ok: false as const, error }),
	);
}
