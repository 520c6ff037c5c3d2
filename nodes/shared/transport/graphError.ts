import {
	isOfferedIn,
	listed,
	NATIONAL_CLOUDS,
	RESOURCE_CLOUDS,
	type CloudName,
	type ResourceClouds,
} from '../cloud';

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

/** What a request is about: it says what to check when Graph refuses it, and where Microsoft offers it. */
export interface GraphSubject {
	/** e.g. "incident task", "incident", "alert", "hunting query" */
	name: string;
	/** What to check after a 400, e.g. "the incident ID and the values sent". */
	onBadRequest: string;
	/** What to check after a 404. */
	onNotFound: string;
	/** What to check after a 403: the permission Microsoft publishes, or what to try where it publishes none. */
	onForbidden: string;
	/** What the user should know when a change was sent and its answer was lost. */
	unknownOutcome: string;
	/** The national clouds Microsoft offers it in. */
	offeredIn: ResourceClouds;
}

/** The subject of a request that does not name one: the incident-task routes the node started with. */
export const INCIDENT_TASK_SUBJECT: GraphSubject = {
	name: 'incident task',
	onBadRequest:
		"the incident task ID and the values sent, and that the task's action type is one Graph can execute",
	onNotFound:
		"the incident task ID and that the credential's tenant is the one the task belongs to",
	// Every incident-task page of Microsoft's Graph reference leaves its permission table without a usable entry.
	onForbidden:
		'Microsoft publishes no Graph permission for incident tasks yet. What to try: the application permission SecurityIncident.ReadWrite.All with admin consent, and check that the tenant has Defender Experts for XDR, whose analysts create incident tasks',
	unknownOutcome:
		'the response action may or may not have run. Check the task\'s action status in the Defender portal before running it again (turn on "Verify Task" to let the node check for you).',
	offeredIn: RESOURCE_CLOUDS.incidentTasks,
};

/**
 * The refusal, before anything is sent, of a resource Microsoft does not offer in the credential's cloud; undefined
 * where it is offered. Sending would only fetch a token for an API that is not there.
 */
export function notOfferedInCloud(
	cloud: CloudName,
	subject: GraphSubject = INCIDENT_TASK_SUBJECT,
): DefenderXdrError | undefined {
	if (isOfferedIn(subject.offeredIn, cloud)) return undefined;
	const offeredIn = listed(
		subject.offeredIn.clouds.map((known) => NATIONAL_CLOUDS[known].shortName),
	);
	const clouds = subject.offeredIn.clouds.length === 1 ? 'cloud' : 'clouds';
	return new DefenderXdrError({
		code: 'notOfferedInCloud',
		message: `Microsoft does not offer ${subject.offeredIn.resource} in the ${NATIONAL_CLOUDS[cloud as keyof typeof NATIONAL_CLOUDS].shortName} cloud that this credential uses; its Graph documentation names the ${offeredIn} ${clouds} only. Nothing was sent. Use a credential for a tenant in the ${offeredIn} ${clouds}.`,
		executed: 'no',
	});
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
	subject?: GraphSubject;
	/** Whether the request may be repeated harmlessly; by default everything but a POST. */
	safeToRepeat?: boolean;
	/** What the network layer said, for a request with no HTTP answer. */
	detail?: string;
}

/** Turns a failed Graph request into an item error whose message says what to check. */
export function describeFailedRequest(failure: FailedRequest): DefenderXdrError {
	const { statusCode, graphCode, requestId } = failure;
	const subject = failure.subject ?? INCIDENT_TASK_SUBJECT;
	// Graph's sentence ends where ours begins: one full stop between them, not two.
	const graphSays = failure.graphMessage ? `: ${failure.graphMessage.replace(/[.\s]+$/, '')}` : '';
	// A change whose answer was lost may have happened: it is reported, never assumed either way.
	const isChange = !(failure.safeToRepeat ?? failure.method !== 'POST');
	const base = { statusCode: statusCode ?? null, requestId: requestId ?? null };

	if (failure.networkFault) {
		const what =
			failure.networkFault === 'timeout' ? 'did not answer in time' : 'dropped the connection';
		if (isChange) {
			return new DefenderXdrError({
				...base,
				code: failure.networkFault,
				message: `Graph ${what} after the request was sent, so ${subject.unknownOutcome}`,
				executed: 'unknown',
			});
		}
		return new DefenderXdrError({
			...base,
			code: failure.networkFault,
			message: `Graph ${what} (${failure.retriesDone} retries${failure.detail ? `; ${failure.detail}` : ''}). Check the network path to the Graph endpoint, or raise Max Retries or Request Timeout.`,
			retryable: true,
		});
	}

	switch (statusCode) {
		case 400:
			return new DefenderXdrError({
				...base,
				code: graphCode ?? 'BadRequest',
				message: `Graph refused the request (400)${graphSays}. Check ${subject.onBadRequest}.`,
			});
		case 401:
			return new DefenderXdrError({
				...base,
				code: graphCode ?? 'Unauthorized',
				message: `Graph rejected the access token (401) even after a refresh${graphSays}. Check the credential's tenant ID, client ID and secret, and that the app is registered in the tenant you mean to reach.`,
			});
		case 403:
			return new DefenderXdrError({
				...base,
				code: graphCode ?? 'Forbidden',
				message: `Permission denied (403)${graphSays}. ${subject.onForbidden}.`,
			});
		case 404:
			return new DefenderXdrError({
				...base,
				code: graphCode ?? 'NotFound',
				message: `Not found (404)${graphSays}. Check ${subject.onNotFound}.`,
			});
		case 429:
			return new DefenderXdrError({
				...base,
				code: graphCode ?? 'TooManyRequests',
				message: `Graph is throttling requests (429) and still was after ${failure.retriesDone} retries${graphSays}. Nothing was done; run again later, lower Concurrency, or raise Max Retries / Max Retry Wait.`,
				retryable: true,
			});
	}
	const isServerError = statusCode !== undefined && statusCode >= 500;
	if (isServerError && isChange) {
		return new DefenderXdrError({
			...base,
			code:
				graphCode ??
				(statusCode === 504
					? 'GatewayTimeout'
					: statusCode === 503
						? 'ServiceUnavailable'
						: `http${statusCode}`),
			message: `Graph answered ${statusCode} after the request was sent${graphSays}, so ${subject.unknownOutcome}`,
			executed: 'unknown',
		});
	}
	if (statusCode === 503) {
		return new DefenderXdrError({
			...base,
			code: graphCode ?? 'ServiceUnavailable',
			message: `Graph is unavailable (503) and still was after ${failure.retriesDone} retries${graphSays}. Nothing was changed; run again later, or raise Max Retries / Max Retry Wait.`,
			retryable: true,
		});
	}
	return new DefenderXdrError({
		...base,
		code: graphCode ?? (statusCode ? `http${statusCode}` : 'requestFailed'),
		message: `Graph answered ${statusCode ?? 'with an error'}${graphSays}.`,
		retryable: isServerError,
	});
}

/** A failed sign-in: nothing reached Graph, so nothing was executed. */
export function describeTokenFailure(
	loginRoot: string,
	detail: string,
	timeoutSeconds?: number,
): DefenderXdrError {
	const what =
		timeoutSeconds !== undefined
			? `did not answer within ${timeoutSeconds} s (Request Timeout)`
			: `failed: ${detail.replace(/[.\s]+$/, '')}`;
	return new DefenderXdrError({
		code: 'tokenRequestFailed',
		message: `Getting an access token from ${loginRoot} ${what}. Nothing was sent to Graph. Check the credential's tenant ID, client ID and client secret (and the secret's expiry), and that the login endpoint is reachable.`,
		executed: 'no',
	});
}

const SECRET_PATTERNS: Array<[RegExp, string]> = [
	[/Bearer\s+[A-Za-z0-9\-._~+/]+=*/gi, 'Bearer [redacted]'],
	[/eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, '[redacted token]'],
	[
		/("?(?:access_token|refresh_token|id_token|client_secret|clientSecret|authorization)"?\s*[:=]\s*"?)[^"&,\s}]+/gi,
		'$1[redacted]',
	],
];

/** Removes tokens, secrets and Authorization values from text that may reach an item, a message or a log. */
export function redactSecrets(text: string): string {
	return SECRET_PATTERNS.reduce(
		(current, [pattern, replacement]) => current.replace(pattern, replacement),
		text,
	);
}

export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** A promise's outcome as a value, so a failure can be inspected and turned into an item error. */
export async function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
	return await promise.then(
		(value) => ({ ok: true as const, value }),
		(error: unknown) => ({ ok: false as const, error }),
	);
}
