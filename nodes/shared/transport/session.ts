import { randomUUID } from 'crypto';

import type { IDataObject, IHttpRequestMethods } from 'n8n-workflow';

import type { Api, ApiEndpoints } from './api';
import { RequestBudget } from './budget';
import { currentClock, pauseFor, type Clock } from './clock';
import {
	DefenderXdrError,
	describeFailedRequest,
	notOfferedInCloud,
	redactSecrets,
	settle,
	type RequestSubject,
} from './errors';
import {
	bounded,
	cancelled,
	codesOf,
	headerOf,
	messageOf,
	networkFaultOf,
	parsedBody,
	pathOf,
} from './network';
import {
	backoffSeconds,
	DEFAULT_REQUEST_SETTINGS,
	parseRetryAfter,
	type RequestSettings,
} from './retryPolicy';
import { RunThrottle } from './throttle';
import { TokenKeeper, type N8nContext } from './token';

/** What a caller learns from one request. */
export interface ApiResponse<T> {
	body: T;
	statusCode: number;
	requestId: string | null;
	clientRequestId: string;
}

export interface RequestOptions {
	/** What the request is about, for messages that say what to check: every request names one. */
	subject: RequestSubject;
	/** Whether sending it twice is harmless (reads, a PATCH that sets values); an action is not. */
	safeToRepeat?: boolean;
}

type Query = Record<string, string>;

interface HttpAnswer {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
}

/**
 * One conversation with one Microsoft API per node run, over n8n's `httpRequestWithAuthentication`, so tokens,
 * refresh and proxies stay n8n's. The request core is here (URL, send, the API's error body, request IDs, paging);
 * the retry policy, the run-wide 429 throttle and the token keeper are its policies, all on one clock. Every failure
 * leaves it as a `DefenderXdrError` phrased for the user.
 */
export class ApiSession {
	private readonly throttle: RunThrottle;
	private readonly tokens: TokenKeeper;
	private readonly budget: RequestBudget;

	private constructor(
		private readonly ctx: N8nContext,
		readonly api: Api,
		readonly endpoints: ApiEndpoints,
		readonly settings: RequestSettings,
		readonly clock: Clock,
	) {
		this.throttle = new RunThrottle(clock, async (seconds) => await this.pause(seconds));
		this.budget = new RequestBudget(clock, api.limits ?? []);
		this.tokens = new TokenKeeper(
			ctx,
			api,
			endpoints.loginRoot,
			settings.requestTimeoutSeconds,
			() => this.cancelSignal(),
		);
	}

	/** Reads the credential and checks its URLs; a broken credential is a configuration error, not an item error. */
	static async open(
		ctx: N8nContext,
		api: Api,
		settings: Partial<RequestSettings> = {},
	): Promise<ApiSession> {
		const credential = await ctx.getCredentials(api.credentialType);
		return new ApiSession(
			ctx,
			api,
			api.endpoints(credential),
			{ ...DEFAULT_REQUEST_SETTINGS, ...settings },
			currentClock(),
		);
	}

	async get<T = IDataObject>(path: string, query: Query | undefined, options: RequestOptions) {
		return await this.request<T>('GET', this.url(path, query), undefined, {
			safeToRepeat: true,
			...options,
		});
	}

	async patch<T = IDataObject>(path: string, body: IDataObject, options: RequestOptions) {
		return await this.request<T>('PATCH', this.url(path), body, { safeToRepeat: true, ...options });
	}

	/** A POST is never repeated on an open outcome unless the caller says it is harmless. */
	async post<T = undefined>(path: string, body: IDataObject | undefined, options: RequestOptions) {
		return await this.request<T>('POST', this.url(path), body, options);
	}

	async delete<T = undefined>(path: string, options: RequestOptions) {
		return await this.request<T>('DELETE', this.url(path), undefined, options);
	}

	/**
	 * Follows `@odata.nextLink` page by page, but only on the API root's own origin and path: a link elsewhere
	 * would carry our token to a stranger, so paging stops there and the caller is told.
	 */
	async *pages<T = IDataObject>(path: string, query: Query, options: RequestOptions) {
		let url = this.url(path, query);
		for (;;) {
			const { body } = await this.request<{ value?: T[]; '@odata.nextLink'?: string }>(
				'GET',
				url,
				undefined,
				{ safeToRepeat: true, ...options },
			);
			const nextLink = body['@odata.nextLink'];
			const followable = typeof nextLink === 'string' && this.isOnRoot(nextLink);
			yield { items: body.value ?? [], nextLinkRefused: nextLink !== undefined && !followable };
			if (!followable) return;
			url = nextLink;
		}
	}

	/**
	 * One page of a collection: the first, or the one a previous page's next link names. The link comes back from
	 * outside (the editor asks for "more" with it), so it is followed only into the same collection on the root.
	 */
	async page<T = IDataObject>(
		path: string,
		query: Query,
		nextLink: string | undefined,
		options: RequestOptions,
	) {
		const collection = this.url(path);
		if (nextLink !== undefined && !this.isInCollection(nextLink, collection)) {
			throw new DefenderXdrError({
				code: 'foreignNextLink',
				message: `The next-page link is not a page of ${pathOf(collection)} on ${this.endpoints.root}; it was not followed`,
			});
		}
		const { body } = await this.request<{ value?: T[]; '@odata.nextLink'?: string }>(
			'GET',
			nextLink ?? this.url(path, query),
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
		await pauseFor(this.clock, seconds, this.cancelSignal(), cancelled);
	}

	private url(path: string, query?: Query): string {
		// Spaces as %20, not the form encoding's `+`, which OData would read as a plus sign.
		const pairs = Object.entries(query ?? {}).map(
			([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`,
		);
		const search = pairs.length ? `?${pairs.join('&')}` : '';
		return `${this.endpoints.root}${path}${search}`;
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

	private isOnRoot(link: string): boolean {
		try {
			const url = new URL(link);
			const root = new URL(this.endpoints.root);
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
	): Promise<ApiResponse<T>> {
		// Nothing goes out, not even a sign-in, for a resource Microsoft does not offer in the credential's cloud.
		const notOffered = notOfferedInCloud(this.endpoints.cloud, options.subject);
		if (notOffered) throw notOffered;
		const clientRequestId = randomUUID();
		const answer = await this.tokens.gate(
			async () => await this.exchange(method, url, body, clientRequestId, options),
		);
		return {
			body: answer.body as T,
			statusCode: answer.statusCode,
			requestId: this.requestIdOf(answer),
			clientRequestId,
		};
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
		const what = `${this.api.name} ${method} ${pathOf(url)}`;
		let refreshed = false;
		for (let attempt = 0; ; attempt++) {
			if (this.tokens.failure) throw this.tokens.failure;
			const { probe } = await this.throttle.turn();
			const slot = await this.keepWithinLimits(url, probe);
			const generation = this.tokens.current;
			const sent = await settle(this.send(method, url, body, clientRequestId));
			this.budget.settle(
				pathOf(url),
				slot,
				sent.ok && sent.value.statusCode === 429 ? 'refused' : this.clock.now(),
			);
			if (!sent.ok) {
				this.throttle.unanswered(probe);
				const failure = await this.classifyThrown(sent.error, method, attempt, options);
				if (failure.details.code === 'tokenRequestFailed') throw (this.tokens.failure ??= failure);
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
			this.tokens.proven = true;
			const answer = sent.value;
			const { statusCode } = answer;
			this.throttle.answered(statusCode, probe);
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
				await this.tokens.refresh(generation);
				attempt--;
				continue;
			}
			// 429: the API did not process the request, so any request may be sent again; 503 and 504 only when harmless.
			const retryable =
				statusCode === 429 ||
				((statusCode === 503 || statusCode === 504) && options.safeToRepeat === true);
			if (retryable && attempt < maxRetries) {
				const retryAfter = parseRetryAfter(
					headerOf(answer.headers, 'retry-after'),
					this.clock.now(),
				);
				// The API's Retry-After is binding: longer than Max Retry Wait fails the item. Our own backoff is capped.
				const waitSeconds = retryAfter ?? Math.min(backoffSeconds(attempt), maxRetryWaitSeconds);
				if (waitSeconds <= maxRetryWaitSeconds) {
					this.ctx.logger.warn(
						`${what} answered ${statusCode}; retry ${attempt + 1} of ${maxRetries} in ${waitSeconds.toFixed(1)} s${statusCode === 429 ? ' (every request of this run pauses)' : ''}`,
					);
					if (statusCode === 429) {
						const learned = this.throttle.throttled(retryAfter, waitSeconds);
						if (learned !== undefined)
							this.ctx.logger.info(
								`${this.api.name} throttles this app at about ${learned.toFixed(2)} requests/s; this run's requests are spaced to match`,
							);
					}
					await this.pause(waitSeconds);
					continue;
				}
				this.ctx.logger.warn(
					`${this.api.name} asked to wait ${waitSeconds.toFixed(0)} s, more than Max Retry Wait (${maxRetryWaitSeconds} s); giving up`,
				);
			}
			const said = this.api.errorOf(parsedBody(answer.body));
			throw describeFailedRequest({
				api: this.api.name,
				method,
				statusCode,
				apiCode: said.code,
				apiMessage: said.message,
				requestId: this.requestIdOf(answer) ?? undefined,
				retriesDone: attempt,
				subject: options.subject,
				safeToRepeat: options.safeToRepeat === true,
			});
		}
	}

	/**
	 * Waits for room under the API's documented limits, or refuses a request that would have to wait too long. Returns
	 * the time its slot was taken for, to settle it once the request is answered.
	 */
	private async keepWithinLimits(url: string, probe: boolean): Promise<number> {
		const takenAt = this.clock.now();
		const decision = this.budget.take(pathOf(url), this.settings.maxRetryWaitSeconds);
		if ('refused' in decision) {
			this.throttle.unanswered(probe);
			throw new DefenderXdrError({
				code: 'rateLimitReached',
				message: `${this.api.name} allows ${decision.refused.label} per app and tenant, and this run has used them: the next one is free in about ${decision.freeInSeconds} s, longer than Max Retry Wait (${this.settings.maxRetryWaitSeconds} s). Nothing was sent for this item; run it again later.`,
				executed: 'no',
				retryable: true,
			});
		}
		if (decision.waitMs > 0) await this.pause(decision.waitMs / 1000);
		return takenAt + decision.waitMs;
	}

	/** The API's request ID: its response header, or, failing that, what its error body names. */
	private requestIdOf(answer: HttpAnswer): string | null {
		return (
			this.api.requestIdOf((name) => headerOf(answer.headers, name), parsedBody(answer.body)) ??
			null
		);
	}

	/** The n8n call, bounded in time (n8n's token fetch has no timeout of its own) and by the execution's cancel signal. */
	private async send(
		method: IHttpRequestMethods,
		url: string,
		body: IDataObject | undefined,
		clientRequestId: string,
	): Promise<HttpAnswer> {
		const timeoutMs = this.settings.requestTimeoutSeconds * 1000;
		const cancel = this.cancelSignal();
		const call = this.ctx.helpers.httpRequestWithAuthentication.call(
			this.ctx,
			this.api.credentialType,
			{
				method,
				url,
				headers: { ...this.api.headers, 'client-request-id': clientRequestId },
				...(body === undefined ? {} : { body }),
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout: timeoutMs,
			},
		) as Promise<HttpAnswer>;
		// n8n's own timeout ends the request; this deadline is the safety net behind it.
		if (this.tokens.proven) return await bounded(call, timeoutMs + 5000, cancel);
		// Before a token is proven the call may first sign in: the sign-in gets the request timeout, and once a
		// token is stored the request gets its own.
		const signIn = await settle(bounded(call, timeoutMs, cancel));
		if (signIn.ok) return signIn.value;
		if (!codesOf(signIn.error).includes('deadline') || !(await this.tokens.hasAccessToken()))
			throw signIn.error;
		return await bounded(call, timeoutMs + 5000, cancel);
	}

	/**
	 * A thrown error is a token failure when no token was proven before and none is stored now; otherwise it is the
	 * network between us and the API (a request that may have reached it) or a cancelled execution.
	 */
	private async classifyThrown(
		error: unknown,
		method: string,
		attempt: number,
		options: RequestOptions,
	): Promise<DefenderXdrError> {
		if (error instanceof DefenderXdrError) return error;
		if (this.cancelSignal()?.aborted) return cancelled();
		if (!this.tokens.proven && !(await this.tokens.hasAccessToken()))
			return this.tokens.describe(error);
		return describeFailedRequest({
			api: this.api.name,
			method,
			networkFault: networkFaultOf(error) ?? 'connectionDropped',
			retriesDone: attempt,
			subject: options.subject,
			safeToRepeat: options.safeToRepeat === true,
			detail: messageOf(error),
		});
	}

	private cancelSignal(): AbortSignal | undefined {
		return 'getExecutionCancelSignal' in this.ctx ? this.ctx.getExecutionCancelSignal() : undefined;
	}
}
