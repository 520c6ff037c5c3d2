/** The one retry policy for every Graph request, read by the node's options and used as is by the trigger. */
export interface RetryPolicy {
	/** Retries after the first attempt: 429 always; 503, 504 and network faults only for requests safe to repeat. */
	maxRetries: number;
	/** The longest single wait we accept; a longer Retry-After fails the request instead of stalling the workflow. */
	maxRetryWaitSeconds: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 3, maxRetryWaitSeconds: 120 };

/** How long one Graph answer (or one token request) may take. */
export const DEFAULT_REQUEST_TIMEOUT_SECONDS = 60;

/** Everything the transport needs to know about one run's requests. */
export interface RequestSettings extends RetryPolicy {
	requestTimeoutSeconds: number;
}

export const DEFAULT_REQUEST_SETTINGS: RequestSettings = {
	...DEFAULT_RETRY_POLICY,
	requestTimeoutSeconds: DEFAULT_REQUEST_TIMEOUT_SECONDS,
};

/** How long an API needs, after it answered, to show what a request changed: a read sooner may miss it. */
export const SETTLE_SECONDS = 5;

/**
 * The wait before reading state back after a change's answer was lost. A request that timed out may still be on its
 * way, so it gets a full request timeout more; an answered or dropped one is not travelling any more.
 */
export function settleSeconds(failureCode: string, requestTimeoutSeconds: number): number {
	return failureCode === 'timeout' ? requestTimeoutSeconds + SETTLE_SECONDS : SETTLE_SECONDS;
}

/** `Retry-After` as seconds (delta-seconds or an HTTP date), or undefined when absent or unreadable. */
export function parseRetryAfter(value: unknown, nowMs: number): number | undefined {
	if (Array.isArray(value)) value = value[0];
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	const text = String(value).trim();
	if (text === '') return undefined;
	if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
	if (!/^[A-Za-z]{3},/.test(text)) return undefined; // an HTTP date starts with the day name
	const dateMs = Date.parse(text);
	if (Number.isNaN(dateMs)) return undefined;
	return Math.max(0, (dateMs - nowMs) / 1000);
}

/** Exponential backoff with full jitter: attempt 0 waits up to 1 s, then 2 s, 4 s, ... capped at 32 s. */
export function backoffSeconds(attempt: number, random: () => number = Math.random): number {
	const ceiling = Math.min(32, 2 ** attempt);
	return 0.25 + random() * ceiling;
}
