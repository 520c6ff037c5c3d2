import { randomUUID } from 'crypto';

// The package's one runtime dependency, the documented exception to n8n's no-dependency rules (SPEC section 4).
// eslint-disable-next-line @n8n/community-nodes/no-restricted-imports
import { Client, GraphError, type Context, type Middleware } from '@microsoft/microsoft-graph-client';
import type { IDataObject, IExecuteFunctions, IHttpRequestMethods, IPollFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import {
	resolveCloudEndpoints,
	type CloudEndpoints,
} from '../cloud';
import { DefenderXdrError, describeFailedRequest, redactSecrets, settle } from './graphError';
import {
	backoffSeconds,
	DEFAULT_REQUEST_TIMEOUT_SECONDS,
	DEFAULT_RETRY_POLICY,
	parseRetryAfter,
	THROTTLING_STATUSES,
	type RetryPolicy,
} from './retryPolicy';

export const CREDENTIAL_TYPE = 'microsoftDefenderXdrOAuth2Api';

export type GraphVersion = 'beta' | 'v1.0';

type N8nContext = IExecuteFunctions | IPollFunctions;

export interface GraphSessionOptions {
	retry?: RetryPolicy;
	requestTimeoutSeconds?: number;
}

/** What a caller learns from one Graph request, success or not. */
export interface GraphResponse<T> {
	body: T;
	statusCode: number;
	requestId: string | null;
	clientRequestId: string;
}

interface Exchange {
	statusCode?: number;
	requestId: string | null;
	retriesDone: number;
	networkFault?: 'timeout' | 'connectionDropped';
	/** A failure already phrased by the middleware; the Graph client would otherwise rewrap it. */
	failure?: DefenderXdrError;
}

const IDEMPOTENT_METHODS = ['GET', 'PATCH'];

/**
 * One Graph conversation per node run: the Graph client for building requests and errors, and a final
 * middleware that sends through n8n's `httpRequestWithAuthentication`, so n8n keeps the tokens.
 * It owns the retry policy, the shared 429 pause, the single-flight token refresh and the cold-start gate.
 */
export class GraphSession {
	private readonly client: Client;
	private readonly exchanges = new Map<string, Exchange>();
	private pausedUntilMs = 0;
	private tokenGeneration = 0;
	private refreshing: Promise<unknown> | undefined;
	private firstRequest: Promise<unknown> | undefined;

	private constructor(
		private readonly ctx: N8nContext,
		readonly endpoints: CloudEndpoints,
		readonly retryPolicy: RetryPolicy,
		private readonly requestTimeoutMs: number,
	) {
		const send: Middleware = { execute: async (context) => await this.send(context) };
		this.client = Client.initWithMiddleware({ middleware: send, baseUrl: endpoints.graphRoot, defaultVersion: 'beta' });
	}

	/** Reads the credential and checks its URLs; a broken credential is a configuration error, not an item error. */
	static async open(ctx: N8nContext, options: GraphSessionOptions = {}): Promise<GraphSession> {
		const credential = await ctx.getCredentials(CREDENTIAL_TYPE);
		const endpoints = resolveCloudEndpoints(credential);
		return new GraphSession(
			ctx,
			endpoints,
			options.retry ?? DEFAULT_RETRY_POLICY,
			(options.requestTimeoutSeconds ?? DEFAULT_REQUEST_TIMEOUT_SECONDS) * 1000,
		);
	}

	async get<T = IDataObject>(version: GraphVersion, path: string, query?: Record<string, string>) {
		return await this.request<T>('GET', version, path, query);
	}

	async patch<T = IDataObject>(version: GraphVersion, path: string, body: IDataObject) {
		return await this.request<T>('PATCH', version, path, undefined, body);
	}

	async post<T = undefined>(version: GraphVersion, path: string) {
		return await this.request<T>('POST', version, path);
	}

	/**
	 * Follows `@odata.nextLink` page by page, but only on the Graph root's own origin: a link elsewhere
	 * would carry our token to a stranger, so paging stops there and the caller is told.
	 */
	async *pages<T = IDataObject>(version: GraphVersion, path: string, query: Record<string, string>) {
		let page = await this.get<{ value?: T[]; '@odata.nextLink'?: string }>(version, path, query);
		for (;;) {
			const nextLink = page.body['@odata.nextLink'];
			yield { items: page.body.value ?? [], nextLinkRefused: nextLink !== undefined && !this.isSameOrigin(nextLink) };
			if (!nextLink || !this.isSameOrigin(nextLink)) return;
			const next = new URL(nextLink);
			const [versionSegment, ...rest] = next.pathname.replace(this.rootPath(), '').split('/').filter(Boolean);
			page = await this.request<{ value?: T[]; '@odata.nextLink'?: string }>(
				'GET',
				versionSegment as GraphVersion,
				`/${rest.join('/')}${next.search}`,
			);
		}
	}

	private isSameOrigin(link: string): boolean {
		try {
			const url = new URL(link);
			return url.origin === new URL(this.endpoints.graphRoot).origin && url.pathname.startsWith(this.rootPath());
		} catch {
			return false;
		}
	}

	private rootPath(): string {
		return new URL(this.endpoints.graphRoot).pathname.replace(/\/+$/, '');
	}

	private async request<T>(
		method: IHttpRequestMethods,
		version: GraphVersion,
		path: string,
		query?: Record<string, string>,
		body?: IDataObject,
	): Promise<GraphResponse<T>> {
		const clientRequestId = randomUUID();
		let call = this.client.api(path).version(version).header('client-request-id', clientRequestId);
		if (query) call = call.query(query);
		const settled = await settle(
			this.gatedByFirstRequest(async () => {
				switch (method) {
					case 'GET':
						return await call.get();
					case 'PATCH':
						return await call.patch(body);
					default:
						return await call.post(undefined);
				}
			}),
		);
		const exchange = this.exchanges.get(clientRequestId);
		this.exchanges.delete(clientRequestId);
		if (!settled.ok) throw this.toItemError(settled.error, method, exchange);
		return {
			body: settled.value as T,
			statusCode: exchange?.statusCode ?? 200,
			requestId: exchange?.requestId ?? null,
			clientRequestId,
		};
	}

	/** At a cold start every concurrent request would fetch its own token: let the first one go alone. */
	private async gatedByFirstRequest<R>(run: () => Promise<R>): Promise<R> {
		if (this.firstRequest === undefined) {
			const first = run();
			this.firstRequest = first.catch(() => undefined);
			return await first;
		}
		await this.firstRequest;
		return await run();
	}

	private toItemError(error: unknown, method: string, exchange: Exchange | undefined): DefenderXdrError {
		if (error instanceof DefenderXdrError) return error;
		if (exchange?.failure) return exchange.failure;
		if (error instanceof GraphError) {
			return describeFailedRequest({
				method,
				statusCode: exchange?.networkFault ? undefined : error.statusCode > 0 ? error.statusCode : exchange?.statusCode,
				graphCode: error.code ?? undefined,
				graphMessage: error.message || undefined,
				requestId: error.requestId ?? exchange?.requestId ?? undefined,
				retriesDone: exchange?.retriesDone ?? 0,
				networkFault: exchange?.networkFault,
				cloud: this.endpoints.cloud,
			});
		}
		return new DefenderXdrError({ code: 'requestFailed', message: messageOf(error) });
	}

	/** The last middleware: one HTTP exchange through n8n, with the retry policy around it. */
	private async send(context: Context): Promise<void> {
		const url = typeof context.request === 'string' ? context.request : context.request.url;
		const method = (context.options?.method ?? 'GET').toUpperCase() as IHttpRequestMethods;
		const headers = plainHeaders(context.options?.headers);
		const clientRequestId = headers['client-request-id'];
		const body = typeof context.options?.body === 'string' ? JSON.parse(context.options.body) : undefined;
		let refreshedForThisRequest = false;

		for (let attempt = 0; ; attempt++) {
			await this.waitWhilePaused();
			const generation = this.tokenGeneration;
			const sent = await settle<{ statusCode: number; headers: Record<string, unknown>; body: unknown }>(
				this.ctx.helpers.httpRequestWithAuthentication.call(this.ctx, CREDENTIAL_TYPE, {
					method,
					url,
					headers,
					body,
					json: true,
					returnFullResponse: true,
					ignoreHttpStatusErrors: true,
					timeout: this.requestTimeoutMs,
				}),
			);
			if (!sent.ok) {
				const networkFault = networkFaultOf(sent.error);
				if (!networkFault) {
					const failure = tokenOrTransportError(sent.error, this.endpoints.loginRoot, method);
					this.exchanges.set(clientRequestId, { requestId: null, retriesDone: attempt, failure });
					throw failure;
				}
				this.exchanges.set(clientRequestId, { requestId: null, retriesDone: attempt, networkFault });
				// A POST that may have reached Graph is never sent again blindly.
				if (IDEMPOTENT_METHODS.includes(method) && attempt < this.retryPolicy.maxRetries) {
					const waitSeconds = Math.min(backoffSeconds(attempt), this.retryPolicy.maxRetryWaitSeconds);
					this.ctx.logger.warn(`Graph ${method} ${pathOf(url)}: ${networkFault}; retry ${attempt + 1} of ${this.retryPolicy.maxRetries} in ${waitSeconds.toFixed(1)} s`);
					await this.pause(waitSeconds);
					continue;
				}
				throw new GraphError(0, `Graph ${networkFault === 'timeout' ? 'timed out' : 'dropped the connection'}`);
			}
			const response = sent.value;

			const statusCode = response.statusCode;
			const requestId = headerOf(response.headers, 'request-id');
			this.exchanges.set(clientRequestId, { statusCode, requestId, retriesDone: attempt });

			if (statusCode === 401 && !refreshedForThisRequest) {
				refreshedForThisRequest = true;
				const refreshed = await settle(this.refreshToken(generation));
				if (!refreshed.ok) {
					const failure = tokenOrTransportError(refreshed.error, this.endpoints.loginRoot, 'token');
					this.exchanges.set(clientRequestId, { statusCode, requestId, retriesDone: attempt, failure });
					throw failure;
				}
				attempt--;
				continue;
			}
			const retryable = THROTTLING_STATUSES.includes(statusCode) || (statusCode === 504 && IDEMPOTENT_METHODS.includes(method));
			if (retryable && attempt < this.retryPolicy.maxRetries) {
				const retryAfter = parseRetryAfter(headerOf(response.headers, 'retry-after'));
				// Graph's Retry-After is binding: longer than Max Retry Wait fails the item. Our own backoff is capped instead.
				const waitSeconds = retryAfter ?? Math.min(backoffSeconds(attempt), this.retryPolicy.maxRetryWaitSeconds);
				if (waitSeconds <= this.retryPolicy.maxRetryWaitSeconds) {
					this.ctx.logger.warn(
						`Graph ${method} ${pathOf(url)} answered ${statusCode}; retry ${attempt + 1} of ${this.retryPolicy.maxRetries} in ${waitSeconds.toFixed(1)} s${statusCode === 429 ? ' (all requests of this run pause)' : ''}`,
					);
					if (statusCode === 429) this.pausedUntilMs = Math.max(this.pausedUntilMs, Date.now() + waitSeconds * 1000);
					await this.pause(waitSeconds);
					continue;
				}
				this.ctx.logger.warn(`Graph asked to wait ${waitSeconds.toFixed(0)} s, more than Max Retry Wait (${this.retryPolicy.maxRetryWaitSeconds} s); giving up`);
			}
			context.response = toFetchResponse(response.statusCode, response.headers, response.body);
			return;
		}
	}

	/** Progress a person can follow in n8n's log; never with secrets. */
	log(message: string): void {
		this.ctx.logger.info(redactSecrets(message));
	}

	/** One refresh for all requests that met the same expired token. */
	private async refreshToken(generationSeen: number): Promise<void> {
		if (generationSeen !== this.tokenGeneration) return;
		if (!this.refreshing) {
			this.ctx.logger.info('Graph rejected the access token (401); refreshing it once through n8n');
			this.refreshing = this.ctx.helpers
				.refreshOAuth2Token.call(this.ctx, CREDENTIAL_TYPE)
				.then(() => {
					this.tokenGeneration++;
				})
				.finally(() => {
					this.refreshing = undefined;
				});
		}
		await this.refreshing;
	}

	private async waitWhilePaused(): Promise<void> {
		if (Date.now() >= this.pausedUntilMs) return;
		while (Date.now() < this.pausedUntilMs) {
			await this.pause((this.pausedUntilMs - Date.now()) / 1000);
		}
		// Spread the requests that waited out the pause, so they do not hit Graph as one burst.
		await this.pause(Math.random() * 0.25);
	}

	/** Waits without holding a CPU; a cancelled execution stops the wait. */
	async pause(seconds: number): Promise<void> {
		const signal = 'getExecutionCancelSignal' in this.ctx ? this.ctx.getExecutionCancelSignal() : undefined;
		if (signal?.aborted) throw new DefenderXdrError({ code: 'cancelled', message: 'The execution was cancelled' });
		// n8n-workflow 2.x has no sleepWithAbort; its `sleep` exists in every version, so race it with the signal.
		await new Promise<void>((resolve, reject) => {
			const onAbort = () => reject(new DefenderXdrError({ code: 'cancelled', message: 'The execution was cancelled' }));
			signal?.addEventListener('abort', onAbort, { once: true });
			void sleep(Math.max(0, seconds * 1000)).then(() => {
				signal?.removeEventListener('abort', onAbort);
				resolve();
			});
		});
	}
}

function plainHeaders(headers: unknown): Record<string, string> {
	const plain: Record<string, string> = {};
	if (headers && typeof headers === 'object') {
		const entries = headers instanceof Headers ? [...headers.entries()] : Object.entries(headers);
		for (const [name, value] of entries) plain[name.toLowerCase()] = String(value);
	}
	return plain;
}

function headerOf(headers: Record<string, unknown> | undefined, name: string): string | null {
	const value = headers?.[name] ?? headers?.[name.toLowerCase()];
	if (value === undefined || value === null) return null;
	return Array.isArray(value) ? String(value[0]) : String(value);
}

function toFetchResponse(statusCode: number, headers: Record<string, unknown>, body: unknown): Response {
	const responseHeaders = new Headers();
	for (const [name, value] of Object.entries(headers ?? {})) {
		if (value !== undefined && value !== null && !['content-length', 'transfer-encoding', 'content-encoding'].includes(name.toLowerCase())) {
			responseHeaders.set(name, Array.isArray(value) ? value.join(', ') : String(value));
		}
	}
	const noBody = statusCode === 204 || statusCode === 304 || body === undefined || body === '';
	if (!noBody && typeof body !== 'string') responseHeaders.set('content-type', 'application/json');
	return new Response(noBody ? null : typeof body === 'string' ? body : JSON.stringify(body), {
		status: statusCode,
		headers: responseHeaders,
	});
}

const TIMEOUT_CODES = ['ETIMEDOUT', 'ECONNABORTED', 'ESOCKETTIMEDOUT'];
const DROPPED_CODES = ['ECONNRESET', 'EPIPE', 'ECONNREFUSED', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH', 'ERR_SOCKET_CLOSED', 'UND_ERR_SOCKET'];

/** n8n wraps HTTP failures in NodeApiError; the network fault survives only as a code (`httpCode` there). */
function networkFaultOf(error: unknown): 'timeout' | 'connectionDropped' | undefined {
	for (const code of errorCodes(error)) {
		if (TIMEOUT_CODES.includes(code)) return 'timeout';
		if (DROPPED_CODES.includes(code)) return 'connectionDropped';
	}
	const text = [messageOf(error), ...((error as { messages?: unknown[] })?.messages ?? [])].join(' ');
	if (/timeout of \d+ms exceeded|timed out/i.test(text)) return 'timeout';
	if (/socket hang up|ECONNRESET/i.test(text)) return 'connectionDropped';
	return undefined;
}

function errorCodes(error: unknown): string[] {
	const codes: string[] = [];
	let current: unknown = error;
	for (let depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
		const { code, httpCode, cause } = current as { code?: unknown; httpCode?: unknown; cause?: unknown };
		if (typeof code === 'string') codes.push(code);
		if (typeof httpCode === 'string') codes.push(httpCode);
		current = cause;
	}
	return codes;
}

/**
 * Errors before Graph answered: n8n's OAuth2 machinery (token endpoint) or the transport. A POST that failed
 * in transport may have reached Graph, so its outcome is unknown.
 */
function tokenOrTransportError(error: unknown, loginRoot: string, method: string): DefenderXdrError {
	const codes = errorCodes(error);
	if (method === 'token' || codes.includes('EAUTH') || codes.includes('ESTATUS')) {
		return new DefenderXdrError({
			code: 'tokenRequestFailed',
			message: `Could not get an access token from ${loginRoot}: ${messageOf(error)}. Check the credential's tenant ID, client ID and client secret (and the secret's expiry).`,
		});
	}
	const executed = method === 'POST' ? 'unknown' : 'no';
	return new DefenderXdrError({
		code: 'requestFailed',
		message: `The request to Graph failed: ${messageOf(error)}.${executed === 'unknown' ? ' The response action may or may not have run; check the task before running it again.' : ''}`,
		executed,
	});
}

function messageOf(error: unknown): string {
	const text = error instanceof Error ? error.message : String(error);
	return redactSecrets(text);
}

function pathOf(url: string): string {
	try {
		return new URL(url).pathname;
	} catch {
		return url;
	}
}
