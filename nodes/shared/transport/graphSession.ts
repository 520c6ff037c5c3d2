import { randomUUID } from 'crypto';

import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	ILoadOptionsFunctions,
	IPollFunctions,
} from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { resolveCloudEndpoints, type CloudEndpoints } from '../cloud';
import { escapeInvisible } from '../parameters';
import {
	DefenderXdrError,
	describeFailedRequest,
	describeTokenFailure,
	notOfferedInCloud,
	redactSecrets,
	settle,
	type GraphSubject,
} from './graphError';
import { RequestPacer } from './requestPacer';
import {
	backoffSeconds,
	DEFAULT_REQUEST_SETTINGS,
	parseRetryAfter,
	type RequestSettings,
} from './retryPolicy';

export const CREDENTIAL_TYPE = 'microsoftDefenderXdrOAuth2Api';

export type GraphVersion = 'beta' | 'v1.0';

/** A node run, a trigger poll, or the editor filling a pick list. */
type N8nContext = IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions;

/** What a caller learns from one Graph request. */
export interface GraphResponse<T> {
	body: T;
	statusCode: number;
	requestId: string | null;
	clientRequestId: string;
}

export interface RequestOptions {
	/** Whether sending it twice is harmless (reads, PATCH of a status, a hunting query); a response action is not. */
	safeToRepeat?: boolean;
	/** What the request is about, for messages that say what to check. */
	subject?: GraphSubject;
}

interface HttpAnswer {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
}

/** Graph reports newer enum members (an incident "awaitingAction") as `unknownFutureValue` unless asked for them. */
const GRAPH_HEADERS = { Accept: 'application/json', Prefer: 'include-unknown-enum-members' };

/**
 * One Graph conversation per node run, over n8n's `httpRequestWithAuthentication`, so tokens, refresh and proxies
 * stay n8n's. It owns the retry policy, the run-wide 429 pause, one token refresh per expired token, the cold-start
 * gate and same-origin paging; every failure leaves it as a `DefenderXdrError` phrased for the user.
 */
export class GraphSession {
	private pausedUntilMs = 0;
	/** After a 429 pause one request goes first; the others wait for its answer instead of bursting. */
	private probeAfterPause = false;
	private probe: { answered: Promise<void>; release: () => void } | undefined;
	private tokenGeneration = 0;
	private refreshing: Promise<void> | undefined;
	private firstRequest: Promise<unknown> | undefined;
	/** Set once an HTTP answer came back: the token phase worked, so later failures are Graph's. */
	private tokenProven = false;
	/** A failed login fails every later request at once: one sign-in attempt, not one per item. */
	private tokenFailure: DefenderXdrError | undefined;
	/** Spaces requests at the rate a 429 revealed. */
	private readonly pacer = new RequestPacer();

	private constructor(
		private readonly ctx: N8nContext,
		readonly endpoints: CloudEndpoints,
		readonly settings: RequestSettings,
	) {}

	/** Reads the credential and checks its URLs; a broken credential is a configuration error, not an item error. */
	static async open(
		ctx: N8nContext,
		settings: Partial<RequestSettings> = {},
	): Promise<GraphSession> {
		const credential = await ctx.getCredentials(CREDENTIAL_TYPE);
		return new GraphSession(ctx, resolveCloudEndpoints(credential), {
			...DEFAULT_REQUEST_SETTINGS,
			...settings,
		});
	}

	async get<T = IDataObject>(
		version: GraphVersion,
		path: string,
		query?: Record<string, string>,
		options: RequestOptions = {},
	) {
		return await this.request<T>('GET', this.url(version, path, query), undefined, {
			safeToRepeat: true,
			...options,
		});
	}

	async patch<T = IDataObject>(
		version: GraphVersion,
		path: string,
		body: IDataObject,
		options: RequestOptions = {},
	) {
		return await this.request<T>('PATCH', this.url(version, path), body, {
			safeToRepeat: true,
			...options,
		});
	}

	async post<T = undefined>(
		version: GraphVersion,
		path: string,
		body?: IDataObject,
		options: RequestOptions = {},
	) {
		return await this.request<T>('POST', this.url(version, path), body, options);
	}

	/**
	 * Follows `@odata.nextLink` page by page, but only on the Graph root's own origin and path: a link elsewhere
	 * would carry our token to a stranger, so paging stops there and the caller is told.
	 */
	async *pages<T = IDataObject>(
		version: GraphVersion,
		path: string,
		query: Record<string, string>,
		options: RequestOptions = {},
	) {
		let url = this.url(version, path, query);
		for (;;) {
			const { body } = await this.request<{ value?: T[]; '@odata.nextLink'?: string }>(
				'GET',
				url,
				undefined,
				{ safeToRepeat: true, ...options },
			);
			const nextLink = body['@odata.nextLink'];
			const followable = typeof nextLink === 'string' && this.isOnGraphRoot(nextLink);
			yield { items: body.value ?? [], nextLinkRefused: nextLink !== undefined && !followable };
			if (!followable) return;
			url = nextLink;
		}
	}

	/**
	 * One page of a collection: the first, or the one a previous page's next link names. The link comes back from
	 * outside (the editor asks for "more" with it), so it is followed only into the same collection on the Graph root.
	 */
	async page<T = IDataObject>(
		version: GraphVersion,
		path: string,
		query: Record<string, string>,
		nextLink: string | undefined,
		options: RequestOptions = {},
	) {
		const collection = this.url(version, path);
		if (nextLink !== undefined && !this.isInCollection(nextLink, collection)) {
			throw new DefenderXdrError({
				code: 'foreignNextLink',
				message: `The next-page link is not a page of ${pathOf(collection)} on ${this.endpoints.graphRoot}; it was not followed`,
			});
		}
		const { body } = await this.request<{ value?: T[]; '@odata.nextLink'?: string }>(
			'GET',
			nextLink ?? this.url(version, path, query),
			undefined,
			{ safeToRepeat: true, ...options },
		);
		const next = body['@odata.nextLink'];
		return {
			items: body.value ?? [],
			nextLink:
				typeof next === 'string' && this.isInCollection(next, collection) ? next : undefined,
		};
	}

	/** Progress a person can follow in n8n's log; never with secrets. */
	log(message: string): void {
		this.ctx.logger.info(redactSecrets(message));
	}

	/** Waits without holding a CPU; a cancelled execution ends the wait at once. */
	async pause(seconds: number): Promise<void> {
		const signal = this.cancelSignal();
		if (signal?.aborted) throw cancelled();
		// n8n-workflow 2.x has no sleepWithAbort; `sleep` exists in every version, so race it with the signal.
		await new Promise<void>((resolve, reject) => {
			const onAbort = () => reject(cancelled());
			signal?.addEventListener('abort', onAbort, { once: true });
			void sleep(Math.max(0, seconds * 1000)).then(() => {
				signal?.removeEventListener('abort', onAbort);
				resolve();
			});
		});
	}

	private url(version: GraphVersion, path: string, query?: Record<string, string>): string {
		// Spaces as %20, not the form encoding's `+`, which OData would read as a plus sign.
		const pairs = Object.entries(query ?? {}).map(
			([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`,
		);
		const search = pairs.length ? `?${pairs.join('&')}` : '';
		return `${this.endpoints.graphRoot}/${version}${path}${search}`;
	}

	private isInCollection(link: string, collection: string): boolean {
		try {
			const url = new URL(link);
			const expected = new URL(collection);
			return (
				url.origin === expected.origin &&
				url.pathname === expected.pathname &&
				url.username === '' &&
				url.password === ''
			);
		} catch {
			return false;
		}
	}

	private isOnGraphRoot(link: string): boolean {
		try {
			const url = new URL(link);
			const root = new URL(this.endpoints.graphRoot);
			return (
				url.origin === root.origin &&
				url.pathname.startsWith(`${root.pathname.replace(/\/+$/, '')}/`)
			);
		} catch {
			return false;
		}
	}

	private async request<T>(
		method: IHttpRequestMethods,
		url: string,
		body: IDataObject | undefined,
		options: RequestOptions,
	): Promise<GraphResponse<T>> {
		// Nothing goes out, not even a sign-in, for an API Microsoft does not offer in the credential's cloud.
		const notOffered = notOfferedInCloud(this.endpoints.cloud, options.subject);
		if (notOffered) throw notOffered;
		const clientRequestId = randomUUID();
		const answer = await this.gatedByFirstRequest(
			async () => await this.exchange(method, url, body, clientRequestId, options),
		);
		return {
			body: answer.body as T,
			statusCode: answer.statusCode,
			requestId: headerOf(answer.headers, 'request-id'),
			clientRequestId,
		};
	}

	/** At a cold start every concurrent request would fetch its own token: the first one goes alone. */
	private async gatedByFirstRequest<R>(run: () => Promise<R>): Promise<R> {
		if (this.firstRequest === undefined) {
			const first = this.repairStoredToken().then(run);
			this.firstRequest = first.catch(() => undefined);
			return await first;
		}
		await this.firstRequest;
		return await run();
	}

	/** One request through n8n, with the retry policy around it. */
	private async exchange(
		method: IHttpRequestMethods,
		url: string,
		body: IDataObject | undefined,
		clientRequestId: string,
		options: RequestOptions,
	): Promise<HttpAnswer> {
		const { maxRetries, maxRetryWaitSeconds } = this.settings;
		const what = `Graph ${method} ${pathOf(url)}`;
		let refreshed = false;
		for (let attempt = 0; ; attempt++) {
			if (this.tokenFailure) throw this.tokenFailure;
			const isProbe = await this.waitForTurn();
			const paceMs = this.pacer.nextDelayMs();
			if (paceMs > 0) await this.pause(paceMs / 1000);
			const generation = this.tokenGeneration;
			const sent = await settle(this.send(method, url, body, clientRequestId));
			if (isProbe) this.endProbe();
			if (!sent.ok) {
				const failure = await this.classifyThrown(sent.error, method, attempt, options);
				if (failure.details.code === 'tokenRequestFailed') throw (this.tokenFailure ??= failure);
				if (failure.details.retryable && options.safeToRepeat && attempt < maxRetries) {
					const waitSeconds = Math.min(backoffSeconds(attempt), maxRetryWaitSeconds);
					this.ctx.logger.warn(
						`${what}: ${failure.details.code}; retry ${attempt + 1} of ${maxRetries} in ${waitSeconds.toFixed(1)} s`,
					);
					await this.pause(waitSeconds);
					continue;
				}
				throw failure;
			}
			this.tokenProven = true;
			const answer = sent.value;
			const { statusCode } = answer;
			if (statusCode !== 429) this.pacer.answered();
			if (statusCode >= 200 && statusCode < 300) {
				const warning = headerOf(answer.headers, 'warning');
				if (statusCode === 206 || warning)
					this.ctx.logger.warn(
						`${what} answered ${statusCode}${warning ? ` with the warning "${redactSecrets(warning)}"` : ''}: the answer may be partial`,
					);
				return answer;
			}
			if (statusCode === 401 && !refreshed) {
				refreshed = true;
				await this.refreshToken(generation);
				attempt--;
				continue;
			}
			// 429: Graph did not process the request, so any request may be sent again; 503 and 504 only when harmless.
			const retryable =
				statusCode === 429 ||
				((statusCode === 503 || statusCode === 504) && options.safeToRepeat === true);
			if (retryable && attempt < maxRetries) {
				const retryAfter = parseRetryAfter(headerOf(answer.headers, 'retry-after'));
				if (statusCode === 429 && retryAfter !== undefined) this.learnRate(retryAfter);
				// Graph's Retry-After is binding: longer than Max Retry Wait fails the item. Our own backoff is capped instead.
				const waitSeconds = retryAfter ?? Math.min(backoffSeconds(attempt), maxRetryWaitSeconds);
				if (waitSeconds <= maxRetryWaitSeconds) {
					this.ctx.logger.warn(
						`${what} answered ${statusCode}; retry ${attempt + 1} of ${maxRetries} in ${waitSeconds.toFixed(1)} s${statusCode === 429 ? ' (every request of this run pauses)' : ''}`,
					);
					if (statusCode === 429) this.pauseEveryone(waitSeconds);
					await this.pause(waitSeconds);
					continue;
				}
				this.ctx.logger.warn(
					`Graph asked to wait ${waitSeconds.toFixed(0)} s, more than Max Retry Wait (${maxRetryWaitSeconds} s); giving up`,
				);
			}
			throw describeFailedRequest({
				method,
				statusCode,
				...graphErrorOf(answer.body),
				requestId: headerOf(answer.headers, 'request-id') ?? graphErrorOf(answer.body).requestId,
				retriesDone: attempt,
				cloud: this.endpoints.cloud,
				subject: options.subject,
				safeToRepeat: options.safeToRepeat === true,
			});
		}
	}

	/** The n8n call, bounded in time (n8n's token fetch has no timeout of its own) and by the execution's cancel signal. */
	private async send(
		method: IHttpRequestMethods,
		url: string,
		body: IDataObject | undefined,
		clientRequestId: string,
	): Promise<HttpAnswer> {
		const timeoutMs = this.settings.requestTimeoutSeconds * 1000;
		const call = this.ctx.helpers.httpRequestWithAuthentication.call(this.ctx, CREDENTIAL_TYPE, {
			method,
			url,
			headers: { ...GRAPH_HEADERS, 'client-request-id': clientRequestId },
			...(body === undefined ? {} : { body }),
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: timeoutMs,
		}) as Promise<HttpAnswer>;
		// n8n's own timeout ends the Graph request; this deadline is the safety net behind it.
		if (this.tokenProven) return await this.bounded(call, timeoutMs + 5000);
		// Before a token is proven the call may first sign in: the sign-in gets the request timeout, and once a
		// token is stored the Graph request gets its own.
		const signIn = await settle(this.bounded(call, timeoutMs));
		if (signIn.ok) return signIn.value;
		if (!codesOf(signIn.error).includes('deadline') || !(await this.hasAccessToken()))
			throw signIn.error;
		return await this.bounded(call, timeoutMs + 5000);
	}

	/** Races a promise with a deadline and the cancel signal; the loser is left to settle on its own. */
	private async bounded<T>(promise: Promise<T>, deadlineMs: number): Promise<T> {
		const cancel = this.cancelSignal();
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

	/**
	 * A thrown error is a token failure when no token was proven before and none is stored now; otherwise it is the
	 * network between us and Graph (a request that may have reached Graph) or a cancelled execution.
	 */
	private async classifyThrown(
		error: unknown,
		method: string,
		attempt: number,
		options: RequestOptions,
	): Promise<DefenderXdrError> {
		if (error instanceof DefenderXdrError) return error;
		if (this.cancelSignal()?.aborted) return cancelled();
		if (!this.tokenProven && !(await this.hasAccessToken())) {
			return describeTokenFailure(
				this.endpoints.loginRoot,
				messageOf(error),
				codesOf(error).includes('deadline') ? this.settings.requestTimeoutSeconds : undefined,
			);
		}
		return describeFailedRequest({
			method,
			networkFault: networkFaultOf(error) ?? 'connectionDropped',
			retriesDone: attempt,
			cloud: this.endpoints.cloud,
			subject: options.subject,
			safeToRepeat: options.safeToRepeat === true,
			detail: messageOf(error),
		});
	}

	/**
	 * A token answer without `access_token` is stored by n8n as it came, and n8n then never asks again: every later
	 * run would fail to sign. Such token data is replaced through n8n's refresh before the first request.
	 */
	private async repairStoredToken(): Promise<void> {
		const tokenData = (await this.ctx.getCredentials(CREDENTIAL_TYPE)).oauthTokenData;
		if (
			!tokenData ||
			typeof tokenData !== 'object' ||
			Object.keys(tokenData).length === 0 ||
			(await this.hasAccessToken())
		)
			return;
		this.ctx.logger.warn(
			'The stored token data of the Microsoft Defender XDR credential has no access token; getting a new one through n8n',
		);
		await this.refreshToken(this.tokenGeneration);
	}

	private async hasAccessToken(): Promise<boolean> {
		const tokenData = (await this.ctx.getCredentials(CREDENTIAL_TYPE)).oauthTokenData as
			| IDataObject
			| undefined;
		return typeof tokenData?.access_token === 'string' && tokenData.access_token !== '';
	}

	/** One refresh for all requests that met the same expired token; a failure fails every later request too. */
	private async refreshToken(generationSeen: number): Promise<void> {
		if (generationSeen === this.tokenGeneration) {
			this.refreshing ??= (async () => {
				this.ctx.logger.info(
					'Graph rejected the access token (401); getting a new one through n8n, once for the whole run',
				);
				const refreshed = await settle(
					this.bounded(
						this.ctx.helpers.refreshOAuth2Token.call(this.ctx, CREDENTIAL_TYPE) as Promise<unknown>,
						this.settings.requestTimeoutSeconds * 1000,
					),
				);
				this.refreshing = undefined;
				if (!refreshed.ok) {
					this.tokenFailure ??=
						refreshed.error instanceof DefenderXdrError
							? refreshed.error
							: describeTokenFailure(
									this.endpoints.loginRoot,
									messageOf(refreshed.error),
									codesOf(refreshed.error).includes('deadline')
										? this.settings.requestTimeoutSeconds
										: undefined,
								);
					throw this.tokenFailure;
				}
				this.tokenGeneration++;
			})();
		}
		await this.refreshing;
		if (this.tokenFailure) throw this.tokenFailure;
	}

	/** From a 429's Retry-After, the pace this run keeps from now on. */
	private learnRate(retryAfterSeconds: number): void {
		const before = this.pacer.ratePerSecond;
		this.pacer.throttled(retryAfterSeconds);
		const after = this.pacer.ratePerSecond;
		if (after !== undefined && after !== before)
			this.ctx.logger.info(
				`Graph throttles this app at about ${after.toFixed(2)} requests/s; this run's requests are spaced to match`,
			);
	}

	/** A 429 holds every request of this run until Graph's wait is over, then lets one go first. */
	private pauseEveryone(seconds: number): void {
		this.pausedUntilMs = Math.max(this.pausedUntilMs, Date.now() + seconds * 1000);
		this.probeAfterPause = true;
	}

	/** Returns once this request may be sent; true when it is the one probing Graph after a pause. */
	private async waitForTurn(): Promise<boolean> {
		for (;;) {
			const waitMs = this.pausedUntilMs - Date.now();
			if (waitMs > 0) {
				await this.pause(waitMs / 1000);
			} else if (this.probe) {
				await this.probe.answered;
			} else if (this.probeAfterPause) {
				this.probeAfterPause = false;
				let release!: () => void;
				const answered = new Promise<void>((resolve) => (release = resolve));
				this.probe = { answered, release };
				return true;
			} else {
				return false;
			}
		}
	}

	/** The probe's answer, whatever it was, lets the waiting requests look again (a new 429 has paused them anew). */
	private endProbe(): void {
		const probe = this.probe;
		this.probe = undefined;
		probe?.release();
	}

	private cancelSignal(): AbortSignal | undefined {
		return 'getExecutionCancelSignal' in this.ctx ? this.ctx.getExecutionCancelSignal() : undefined;
	}
}

function cancelled(): DefenderXdrError {
	return new DefenderXdrError({ code: 'cancelled', message: 'The execution was cancelled' });
}

function headerOf(headers: Record<string, unknown> | undefined, name: string): string | null {
	if (!headers) return null;
	const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
	const value = key === undefined ? undefined : headers[key];
	if (value === undefined || value === null) return null;
	return Array.isArray(value) ? String(value[0]) : String(value);
}

/** Graph's error body: `{ error: { code, message, innerError: { "request-id", date } } }`; anything else yields nothing. */
function graphErrorOf(body: unknown): {
	graphCode?: string;
	graphMessage?: string;
	requestId?: string;
} {
	const parsed = typeof body === 'string' ? safeJson(body) : body;
	const error = (
		parsed as
			| { error?: { code?: unknown; message?: unknown; innerError?: Record<string, unknown> } }
			| undefined
	)?.error;
	if (!error || typeof error !== 'object') return {};
	const requestId = error.innerError?.['request-id'];
	return {
		graphCode: typeof error.code === 'string' ? error.code : undefined,
		graphMessage:
			typeof error.message === 'string'
				? escapeInvisible(redactSecrets(error.message)).slice(0, 1000)
				: undefined,
		requestId: typeof requestId === 'string' ? requestId : undefined,
	};
}

function safeJson(text: string): unknown {
	try {
		return JSON.parse(text);
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
function networkFaultOf(error: unknown): 'timeout' | 'connectionDropped' | undefined {
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

function codesOf(error: unknown): string[] {
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
function messageOf(error: unknown): string {
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

function pathOf(url: string): string {
	try {
		return new URL(url).pathname;
	} catch {
		return url;
	}
}
