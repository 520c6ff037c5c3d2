import { DefenderXdrError, redactSecrets } from './errors';

/** The error of a wait or a request ended by a cancelled execution. */
export function cancelled(): DefenderXdrError {
	return new DefenderXdrError({ code: 'cancelled', message: 'The execution was cancelled' });
}

/**
 * Races a promise with a deadline and the cancel signal; the loser is left to settle on its own. The deadline is
 * a timer of the runtime, not the session's clock: it bounds how long a real socket may stay silent.
 */
export async function bounded<T>(
	promise: Promise<T>,
	deadlineMs: number,
	cancel: AbortSignal | undefined,
): Promise<T> {
	const deadline = AbortSignal.timeout(deadlineMs);
	let stop: (() => void) | undefined;
	try {
		return await Promise.race([
			promise,
			new Promise<never>((_resolve, reject) => {
				stop = () =>
					reject(
						cancel?.aborted
							? cancelled()
							: Object.assign(new Error(`no answer within ${Math.round(deadlineMs / 1000)} s`), {
									code: 'deadline',
								}),
					);
				if (cancel?.aborted) stop();
				cancel?.addEventListener('abort', stop, { once: true });
				deadline.addEventListener('abort', stop, { once: true });
			}),
		]);
	} finally {
		if (stop) {
			cancel?.removeEventListener('abort', stop);
			deadline.removeEventListener('abort', stop);
		}
	}
}

export function headerOf(
	headers: Record<string, unknown> | undefined,
	name: string,
): string | null {
	if (!headers) return null;
	const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
	const value = key === undefined ? undefined : headers[key];
	if (value === undefined || value === null) return null;
	return Array.isArray(value) ? String(value[0]) : String(value);
}

/** A body as parsed JSON: n8n hands over text when the answer was not declared as JSON. */
export function parsedBody(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	try {
		return JSON.parse(body);
	} catch {
		return undefined;
	}
}

const TIMEOUT_CODES = ['ETIMEDOUT', 'ECONNABORTED', 'ESOCKETTIMEDOUT', 'deadline'];
const DROPPED_CODES = [
	'ECONNRESET',
	'EPIPE',
	'ECONNREFUSED',
	'EAI_AGAIN',
	'ENOTFOUND',
	'EHOSTUNREACH',
	'ERR_SOCKET_CLOSED',
	'UND_ERR_SOCKET',
];

/** n8n wraps HTTP failures in NodeApiError; the network fault survives only as a code (`httpCode` there). */
export function networkFaultOf(error: unknown): 'timeout' | 'connectionDropped' | undefined {
	for (const code of codesOf(error)) {
		if (TIMEOUT_CODES.includes(code)) return 'timeout';
		if (DROPPED_CODES.includes(code)) return 'connectionDropped';
	}
	const text = [messageOf(error), ...((error as { messages?: unknown[] })?.messages ?? [])].join(
		' ',
	);
	if (/timeout of \d+ms exceeded|timed out/i.test(text)) return 'timeout';
	if (/socket hang up|ECONNRESET/i.test(text)) return 'connectionDropped';
	return undefined;
}

export function codesOf(error: unknown): string[] {
	const codes: string[] = [];
	let current: unknown = error;
	for (let depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
		const { code, httpCode, cause } = current as {
			code?: unknown;
			httpCode?: unknown;
			cause?: unknown;
		};
		if (typeof code === 'string') codes.push(code);
		if (typeof httpCode === 'string') codes.push(httpCode);
		current = cause;
	}
	return codes;
}

/** What an error says, fit for a message: no secrets, no control characters, bounded. */
export function messageOf(error: unknown): string {
	const text = error instanceof Error ? error.message : String(error);
	return withoutControls(redactSecrets(text)).slice(0, 500);
}

/** Text with each run of control characters (U+0000 to U+001F, and U+007F) replaced by one space. */
function withoutControls(text: string): string {
	let result = '';
	let inRun = false;
	for (let index = 0; index < text.length; index++) {
		const code = text.charCodeAt(index);
		const control = code < 0x20 || code === 0x7f;
		if (!control) result += text[index];
		else if (!inRun) result += ' ';
		inRun = control;
	}
	return result;
}

export function pathOf(url: string): string {
	try {
		return new URL(url).pathname;
	} catch {
		return url;
	}
}
