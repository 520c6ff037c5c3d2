import {
	isOfferedIn,
	listed,
	NATIONAL_CLOUDS,
	type CloudName,
	type ResourceClouds,
} from '../cloud';

/** Whether a change was made: `no` is safe to retry, `unknown` needs a look at the record first. */
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
	/** What the failing step had learned about the item's subject (e.g. the device action it created). */
	readonly about: Record<string, string | null>;

	constructor(
		details: Partial<ItemErrorDetails> & { message: string; code: string },
		about: Record<string, string | null> = {},
	) {
		super(redactSecrets(details.message));
		this.about = about;
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

/** What a request is about: it says what to check when the API refuses it, and where Microsoft offers it. */
export interface RequestSubject {
	/** What the messages call it. */
	name: string;
	/** What to check after a 400: the ID and the values sent, say. */
	onBadRequest: string;
	/** What to check after a 404. */
	onNotFound: string;
	/** What to check after a 403: the permission Microsoft publishes, or what to try where it publishes none. */
	onForbidden: string;
	/** What the user should know when a change was sent and its answer was lost. */
	unknownOutcome: string;
	/** The Graph national clouds Microsoft offers it in; absent where every cloud of its API's credential has it. */
	offeredIn?: ResourceClouds;
}

/**
 * The refusal, before anything is sent, of a resource Microsoft does not offer in the credential's cloud; undefined
 * where it is offered. Sending would only fetch a token for an API that is not there.
 */
export function notOfferedInCloud(
	cloud: string,
	subject: RequestSubject,
): DefenderXdrError | undefined {
	if (!subject.offeredIn || isOfferedIn(subject.offeredIn, cloud as CloudName)) return undefined;
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
	/** The API's name in messages: "Graph", "Defender for Endpoint". */
	api: string;
	method: string;
	statusCode?: number;
	apiCode?: string;
	apiMessage?: string;
	requestId?: string;
	/** `timeout` or `connectionDropped` when no HTTP answer came back. */
	networkFault?: 'timeout' | 'connectionDropped';
	retriesDone: number;
	subject: RequestSubject;
	/** Whether the request may be repeated harmlessly; by default everything but a POST. */
	safeToRepeat?: boolean;
	/** What the network layer said, for a request with no HTTP answer. */
	detail?: string;
}

/** Turns a failed request into an item error whose message says what to check. */
export function describeFailedRequest(failure: FailedRequest): DefenderXdrError {
	const { api, statusCode, apiCode, requestId, subject } = failure;
	// The API's sentence ends where ours begins: one full stop between them, not two.
	const apiSays = failure.apiMessage ? `: ${failure.apiMessage.replace(/[.\s]+$/, '')}` : '';
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
				message: `${api} ${what} after the request was sent, so ${subject.unknownOutcome}`,
				executed: 'unknown',
			});
		}
		return new DefenderXdrError({
			...base,
			code: failure.networkFault,
			message: `${api} ${what} (${failure.retriesDone} retries${failure.detail ? `; ${failure.detail}` : ''}). Check the network path to the ${api} endpoint, or raise Max Retries or Request Timeout.`,
			retryable: true,
		});
	}

	switch (statusCode) {
		case 400:
			return new DefenderXdrError({
				...base,
				code: apiCode ?? 'BadRequest',
				message: `${api} refused the request (400)${apiSays}. Check ${subject.onBadRequest}.`,
			});
		case 401:
			return new DefenderXdrError({
				...base,
				code: apiCode ?? 'Unauthorized',
				message: `${api} rejected the access token (401) even after a refresh${apiSays}. Check the credential's tenant ID, client ID and secret, and that the app is registered in the tenant you mean to reach.`,
			});
		case 403:
			return new DefenderXdrError({
				...base,
				code: apiCode ?? 'Forbidden',
				message: `Permission denied (403)${apiSays}. ${subject.onForbidden}.`,
			});
		case 404:
			return new DefenderXdrError({
				...base,
				code: apiCode ?? 'NotFound',
				message: `Not found (404)${apiSays}. Check ${subject.onNotFound}.`,
			});
		case 429:
			return new DefenderXdrError({
				...base,
				code: apiCode ?? 'TooManyRequests',
				message: `${api} is throttling requests (429) and still was after ${failure.retriesDone} retries${apiSays}. Nothing was done; run again later, lower Concurrency, or raise Max Retries / Max Retry Wait.`,
				retryable: true,
			});
	}
	const isServerError = statusCode !== undefined && statusCode >= 500;
	if (isServerError && isChange) {
		return new DefenderXdrError({
			...base,
			code:
				apiCode ??
				(statusCode === 504
					? 'GatewayTimeout'
					: statusCode === 503
						? 'ServiceUnavailable'
						: `http${statusCode}`),
			message: `${api} answered ${statusCode} after the request was sent${apiSays}, so ${subject.unknownOutcome}`,
			executed: 'unknown',
		});
	}
	if (statusCode === 503) {
		return new DefenderXdrError({
			...base,
			code: apiCode ?? 'ServiceUnavailable',
			message: `${api} is unavailable (503) and still was after ${failure.retriesDone} retries${apiSays}. Nothing was changed; run again later, or raise Max Retries / Max Retry Wait.`,
			retryable: true,
		});
	}
	return new DefenderXdrError({
		...base,
		code: apiCode ?? (statusCode ? `http${statusCode}` : 'requestFailed'),
		message: `${api} answered ${statusCode ?? 'with an error'}${apiSays}.`,
		retryable: isServerError,
	});
}

/** A failed sign-in: nothing reached the API, so nothing was executed. */
export function describeTokenFailure(
	api: string,
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
		message: `Getting an access token from ${loginRoot} ${what}. Nothing was sent to ${api}. Check the credential's tenant ID, client ID and client secret (and the secret's expiry), and that the login endpoint is reachable.`,
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
