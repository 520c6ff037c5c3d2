/** The one retry policy for every Graph request (SPEC section 3). */
export interface RetryPolicy {
	/** Retries after the first attempt, for throttling (429/503) and, on idempotent requests, 504 and network faults. */
	maxRetries: number;
	/** The longest single wait we accept; a longer Retry-After fails the request instead of stalling the workflow. */
	maxRetryWaitSeconds: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 3, maxRetryWaitSeconds: 120 };

/** How long one Graph answer may take when the caller (the trigger) sets nothing. */
export const DEFAULT_REQUEST_TIMEOUT_SECONDS = 60;

/** Status codes Graph uses to say "not now, try later": the request was not processed. */
export const THROTTLING_STATUSES: readonly number[] = [429, 503];

/** `Retry-After` as seconds (delta-seconds or an HTTP date), or undefined when absent or unreadable. */
export function parseRetryAfter(value: unknown, nowMs = Date.now()): number | undefined {
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
