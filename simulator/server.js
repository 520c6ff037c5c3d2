// @ts-check
'use strict';

// One request's path through the simulator: log -> latency -> (login | auth -> rate limit -> faults -> Graph or
// Defender for Endpoint) -> reply.

const { randomUUID } = require('node:crypto');
const {
	GraphError,
	EndpointError,
	EntraError,
	graphErrorReply,
	endpointErrorReply,
	entraErrorReply,
	writeReply,
} = require('./responses');
const { AFTER_FAULTS, retryAfterHeader } = require('./faults');
const { handleGraph } = require('./graph');
const { handleEndpoint, checkAudience, budgetsFor, ENDPOINT_PATH } = require('./endpoint');

/**
 * @typedef {import('./responses').Reply} Reply
 * @typedef {import('./faults').FaultSpec} FaultSpec
 * @typedef {{
 *   method: string, path: string, status: number, authorized: boolean, at: string, requestId: string,
 *   headers: Record<string, string | string[] | undefined>, clientId?: string, tenantId?: string,
 *   grantType?: string, scope?: string, fault?: string, durationMs?: number, body?: string,
 * }} RequestLogEntry
 * @typedef {{ taskId: string, actionType: string, at: string, requestId: string, clientId: string }} ExecutionRecord
 * @typedef {{
 *   latencyMs: number,
 *   rateLimit: { requests: number, windowSeconds: number } | null,
 *   faultRates: { status503: number, status504AfterExecute: number, dropBeforeExecute: number, dropAfterExecute: number },
 *   tokenLifetimeSeconds: number,
 *   actionDelayMs: number,
 *   huntingQueryMs: number,
 *   actionStartLagMs: number,
 *   pageSize: number | null,
 *   randomSeed: number | null,
 *   nextLinkOrigin: string | null,
 *   endpointRateLimits: import('./endpoint').EndpointRateLimits | null,
 *   indicatorCapacity: number,
 * }} Settings
 * @typedef {{
 *   settings: Settings,
 *   store: import('./store').DefenderStore,
 *   endpoint: import('./endpoint').EndpointStore,
 *   tokens: import('./token').TokenService,
 *   faults: import('./faults').FaultScript,
 *   rateLimiter: import('./faults').RateLimiter,
 *   random: () => number,
 *   requests: RequestLogEntry[],
 *   executions: ExecutionRecord[],
 *   fallbackOrigin: () => string,
 *   stopped: boolean,
 *   onRequest?: (entry: RequestLogEntry) => void,
 * }} Core
 */

const LOGIN_PATH = /^\/([^/]+)\/oauth2\/v2\.0\/(token|authorize)$/i;
const EXECUTE_PATH = /\/executeResponseAction$/i;
/** The POSTs that start a machine action: the endpoint-side counterpart of executeResponseAction. */
const MACHINE_ACTION_PATH = /^\/api(\/v1\.0)?\/machines\/[^/]+\/[a-z]+$/i;
const HUNTING_PATH = /\/security\/(microsoft\.graph\.security\.)?runHuntingQuery$/i;
const MAX_BODY_BYTES = 1024 * 1024;
const REDACTED_HEADERS = ['authorization', 'proxy-authorization', 'cookie'];

/**
 * @param {Core} core
 * @returns {import('node:http').RequestListener}
 */
function createRequestHandler(core) {
	return (req, res) => {
		handle(core, req, res).catch((error) => {
			// A bug in the simulator itself: answer 500 rather than hang the client.
			process.stderr.write(`simulator: ${error instanceof Error ? error.stack : String(error)}\n`);
			if (!res.headersSent && !res.destroyed) {
				res.writeHead(500, { 'Content-Type': 'application/json' });
				res.end(
					JSON.stringify({ error: { code: 'InternalServerError', message: 'Simulator failure' } }),
				);
			}
		});
	};
}

/**
 * @param {Core} core
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 */
async function handle(core, req, res) {
	const started = Date.now();
	const requestId = randomUUID();
	const clientRequestHeader = req.headers['client-request-id'];
	const ids = {
		requestId,
		clientRequestId:
			typeof clientRequestHeader === 'string' && clientRequestHeader
				? clientRequestHeader
				: requestId,
	};
	const method = (req.method ?? 'GET').toUpperCase();
	const pathWithQuery = req.url ?? '/';
	const url = new URL(pathWithQuery, 'http://simulator.invalid');
	const origin = req.headers.host ? `http://${req.headers.host}` : core.fallbackOrigin();
	const login = LOGIN_PATH.exec(url.pathname);
	const surface = login ? 'login' : ENDPOINT_PATH.test(url.pathname) ? 'endpoint' : 'graph';

	/** @type {RequestLogEntry} */
	const entry = {
		method,
		path: pathWithQuery,
		status: 0,
		authorized: false,
		at: new Date(started).toISOString(),
		requestId,
		headers: redactHeaders(req.headers),
	};
	core.requests.push(entry);
	const done = () => {
		entry.durationMs = Date.now() - started;
		core.onRequest?.(entry);
	};
	/** @param {Reply} reply */
	const answer = (reply) => {
		entry.status = reply.status;
		writeReply(res, reply, { ...ids, surface });
		done();
	};
	/** @param {string} fault */
	const drop = (fault) => {
		entry.fault = fault;
		req.socket.destroy();
		done();
	};
	/** @param {unknown} error */
	const answerError = (error) => {
		if (surface === 'endpoint' && (error instanceof GraphError || error instanceof EndpointError))
			return answer(endpointErrorReply(error, ids));
		if (error instanceof GraphError) return answer(graphErrorReply(error, ids));
		if (error instanceof EntraError) return answer(entraErrorReply(error, ids));
		throw error;
	};

	const body = await readBody(req);
	if (core.settings.latencyMs > 0) await sleep(core.settings.latencyMs);
	if (core.stopped || res.destroyed) return;

	try {
		if (method === 'GET' && url.pathname === '/')
			return answer({ status: 200, body: describe(core, origin) });

		const shape = { method, pathname: url.pathname, pathWithQuery, surface, isExecute: false };
		if (login) {
			entry.tenantId = decodeURIComponent(login[1]);
			const scripted = core.faults.take({ ...shape, surface: 'login' });
			if (scripted && !AFTER_FAULTS.includes(scripted.fault))
				return applyFault(scripted, 'login', entry, ids, answer, drop);
			let reply;
			try {
				reply = handleLogin(core, req, url, body, entry, login[2].toLowerCase());
			} catch (error) {
				if (!(error instanceof EntraError) || !scripted) throw error;
				reply = entraErrorReply(error, ids);
			}
			if (scripted) return applyFault(scripted, 'login', entry, ids, answer, drop);
			return answer(reply);
		}

		const auth = core.tokens.authenticate(req.headers.authorization, origin);
		entry.authorized = true;
		entry.clientId = auth.clientId;
		const appKey = `${auth.tenantId}/${auth.clientId}`;
		if (surface === 'endpoint') {
			// Defender for Endpoint bodies carry no secrets, and tests assert them exactly.
			if (body) entry.body = body;
			checkAudience(auth);
			checkEndpointLimits(core, appKey, url.pathname, entry);
		} else {
			const retryAfter = core.rateLimiter.check(appKey, core.settings.rateLimit, Date.now());
			if (retryAfter !== null) {
				entry.fault = 'rateLimit';
				throw new GraphError(
					429,
					'TooManyRequests',
					`Too many requests from application ${auth.clientId}. Retry after ${retryAfter} seconds.`,
					{ 'Retry-After': String(retryAfter) },
				);
			}
		}

		const isExecute =
			method === 'POST' &&
			(surface === 'endpoint' ? MACHINE_ACTION_PATH : EXECUTE_PATH).test(url.pathname);
		const faultSurface = surface === 'endpoint' ? 'endpoint' : 'graph';
		const scripted = core.faults.take({ ...shape, surface: faultSurface, isExecute });
		if (scripted && !AFTER_FAULTS.includes(scripted.fault))
			return applyFault(scripted, faultSurface, entry, ids, answer, drop);
		const rates = core.settings.faultRates;
		if (!scripted && rates.status503 > 0 && core.random() < rates.status503)
			return applyFault({ fault: '503' }, faultSurface, entry, ids, answer, drop);
		if (
			!scripted &&
			isExecute &&
			rates.dropBeforeExecute > 0 &&
			core.random() < rates.dropBeforeExecute
		)
			return drop('dropBeforeExecute');

		/** @type {Reply} */
		let reply;
		try {
			reply =
				surface === 'endpoint'
					? handleEndpoint(core.endpoint, {
							method,
							url,
							body,
							origin,
							requestor: auth.principal === 'app' ? auth.clientId : auth.displayName,
							actionDelayMs: core.settings.actionDelayMs,
							indicatorCapacity: core.settings.indicatorCapacity,
						})
					: handleGraph(core.store, {
							method,
							url,
							body,
							origin,
							linkOrigin: core.settings.nextLinkOrigin ?? origin,
							modifiedBy: auth.displayName,
							pageSize: core.settings.pageSize,
							actionDelayMs: core.settings.actionDelayMs,
							actionStartLagMs: core.settings.actionStartLagMs,
							preferences: {
								includeUnknownEnumMembers: prefers(
									req.headers.prefer,
									'include-unknown-enum-members',
								),
							},
							onExecuted: (task) =>
								core.executions.push({
									taskId: task.id,
									actionType: task.actionType,
									at: new Date().toISOString(),
									requestId,
									clientId: auth.clientId,
								}),
						});
		} catch (error) {
			if (error instanceof EndpointError && surface === 'endpoint')
				reply = endpointErrorReply(error, ids);
			else if (error instanceof GraphError) reply = graphErrorReply(error, ids);
			else throw error;
		}

		// A long query: the answer comes after huntingQueryMs, or never when the client has given up by then.
		if (method === 'POST' && HUNTING_PATH.test(url.pathname) && core.settings.huntingQueryMs > 0) {
			await sleep(core.settings.huntingQueryMs);
			if (core.stopped || res.destroyed) return done();
		}

		let after = scripted?.fault;
		if (!scripted && isExecute) {
			if (rates.status504AfterExecute > 0 && core.random() < rates.status504AfterExecute)
				after = '504AfterExecute';
			else if (rates.dropAfterExecute > 0 && core.random() < rates.dropAfterExecute)
				after = 'dropAfterExecute';
		}
		if (after)
			return applyFault(scripted ?? { fault: after }, faultSurface, entry, ids, answer, drop);
		return answer(reply);
	} catch (error) {
		return answerError(error);
	}
}

/**
 * POST /{tenant}/oauth2/v2.0/token and GET /{tenant}/oauth2/v2.0/authorize.
 * @param {Core} core
 * @param {import('node:http').IncomingMessage} req
 * @param {URL} url
 * @param {string} body
 * @param {RequestLogEntry} entry
 * @param {string} endpoint
 * @returns {Reply}
 */
function handleLogin(core, req, url, body, entry, endpoint) {
	const tenantId = entry.tenantId ?? '';
	if (endpoint === 'authorize') {
		if (entry.method !== 'GET')
			throw new EntraError(
				405,
				'invalid_request',
				900561,
				'The endpoint only accepts GET requests.',
			);
		entry.clientId = url.searchParams.get('client_id') ?? undefined;
		return {
			status: 302,
			headers: { Location: core.tokens.authorize({ tenantId, query: url.searchParams }) },
		};
	}
	if (entry.method !== 'POST')
		throw new EntraError(
			405,
			'invalid_request',
			900561,
			'The endpoint only accepts POST requests.',
		);
	const form = new URLSearchParams(body);
	entry.clientId = form.get('client_id') ?? undefined;
	entry.grantType = form.get('grant_type') ?? undefined;
	entry.scope = form.get('scope') ?? undefined;
	const issued = core.tokens.token({ tenantId, form, authorization: req.headers.authorization });
	entry.clientId = issued.clientId;
	entry.scope = issued.scope;
	return { status: 200, body: issued.body };
}

/**
 * Counts an /api/ call against the Defender for Endpoint budgets (when switched on); over one: 429 + Retry-After.
 * @param {Core} core
 * @param {string} appKey
 * @param {string} pathname
 * @param {RequestLogEntry} entry
 */
function checkEndpointLimits(core, appKey, pathname, entry) {
	const limits = core.settings.endpointRateLimits;
	if (!limits) return;
	const now = Date.now();
	for (const [budget, requests, windowSeconds] of budgetsFor(pathname, limits)) {
		const retryAfter = core.rateLimiter.check(
			`endpoint:${budget}:${appKey}`,
			{ requests, windowSeconds },
			now,
		);
		if (retryAfter === null) continue;
		entry.fault = 'rateLimit';
		throw new EndpointError(
			429,
			'TooManyRequests',
			`Rate limit exceeded: this app may make ${requests} calls per ${windowSeconds === 60 ? 'minute' : 'hour'}${['minute', 'hour'].includes(budget) ? '' : ` to ${pathname}`}. Try again in ${retryAfter} seconds.`,
			{ 'Retry-After': String(retryAfter) },
		);
	}
}

/**
 * Answers (or drops, or never answers) as the fault says.
 * @param {FaultSpec} fault
 * @param {'graph' | 'login' | 'endpoint'} surface
 * @param {RequestLogEntry} entry
 * @param {{ requestId: string, clientRequestId: string }} ids
 * @param {(reply: Reply) => void} answer
 * @param {(fault: string) => void} drop
 */
function applyFault(fault, surface, entry, ids, answer, drop) {
	entry.fault = fault.fault;
	const kind = fault.fault;
	if (kind === 'hang') return; // never answered; stop() closes the socket
	if (kind === 'dropBeforeExecute' || kind === 'dropAfterExecute') return drop(kind);
	const retryAfter = retryAfterHeader(fault, kind === '429' ? 1 : undefined);
	/** @type {Record<string, string>} */
	const headers = retryAfter === undefined ? {} : { 'Retry-After': retryAfter };
	if (surface === 'login') {
		const [status, error, code, message] = LOGIN_FAULTS[kind === '504AfterExecute' ? '504' : kind];
		const reply = entraErrorReply(new EntraError(status, error, code, message), ids);
		return answer({ ...reply, headers });
	}
	const [status, code, message] = GRAPH_FAULTS[kind === '504AfterExecute' ? '504' : kind];
	if (surface === 'endpoint')
		return answer(endpointErrorReply(new EndpointError(status, code, message, headers), ids));
	return answer(graphErrorReply(new GraphError(status, code, message, headers), ids));
}

/** @type {Record<string, [number, string, string]>} */
const GRAPH_FAULTS = {
	429: [
		429,
		'TooManyRequests',
		'Too many requests. Retry after the interval in the Retry-After header.',
	],
	503: [
		503,
		'ServiceUnavailable',
		'The service is temporarily unavailable. Retry the request later.',
	],
	504: [504, 'GatewayTimeout', 'The request timed out while waiting for the Defender XDR service.'],
	401: [401, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.'],
	403: [
		403,
		'Forbidden',
		'Missing application permission or Defender role for this operation. Grant the app the required Graph permission and admin consent.',
	],
	404: [404, 'NotFound', 'The requested resource was not found.'],
	400: [400, 'BadRequest', 'The request is invalid.'],
};

/** @type {Record<string, [number, string, number, string]>} */
const LOGIN_FAULTS = {
	429: [
		429,
		'temporarily_unavailable',
		50196,
		'The server terminated an operation because it encountered a client request loop.',
	],
	503: [503, 'temporarily_unavailable', 90033, 'A transient error has occurred. Please try again.'],
	504: [504, 'temporarily_unavailable', 90033, 'A transient error has occurred. Please try again.'],
	401: [401, 'invalid_client', 7000215, 'Invalid client secret provided.'],
	403: [403, 'unauthorized_client', 700016, 'The client is not authorized for this tenant.'],
	404: [404, 'invalid_tenant', 90002, 'Tenant not found.'],
	400: [400, 'invalid_request', 900144, 'The request is invalid.'],
};

/**
 * @param {Core} core
 * @param {string} origin
 */
function describe(core, origin) {
	return {
		service: 'Microsoft Defender XDR Graph simulator',
		tokenUrl: `${origin}/{tenant}/oauth2/v2.0/token`,
		graph: [
			`${origin}/beta/security/incidentTasks`,
			`${origin}/v1.0/security/incidents`,
			`${origin}/v1.0/security/alerts_v2`,
			`${origin}/v1.0/security/runHuntingQuery`,
			`${origin}/v1.0/security/identities/identityAccounts`,
		],
		defenderForEndpoint: [
			`${origin}/api/machines`,
			`${origin}/api/machineactions`,
			`${origin}/api/indicators`,
		],
		tasks: core.store.tasks.size,
	};
}

/**
 * Whether a `Prefer` header (RFC 7240: comma-separated, possibly repeated) asks for `preference`.
 * @param {string | string[] | undefined} header
 * @param {string} preference
 */
function prefers(header, preference) {
	const values = Array.isArray(header) ? header : header === undefined ? [] : [header];
	return values.some((value) =>
		value.split(',').some((part) => part.split(';')[0].trim().toLowerCase() === preference),
	);
}

/** @param {import('node:http').IncomingHttpHeaders} headers */
function redactHeaders(headers) {
	/** @type {Record<string, string | string[] | undefined>} */
	const copy = { ...headers };
	for (const name of REDACTED_HEADERS) if (copy[name] !== undefined) copy[name] = 'REDACTED';
	return copy;
}

/**
 * @param {import('node:http').IncomingMessage} req
 * @returns {Promise<string>}
 */
function readBody(req) {
	return new Promise((resolve, reject) => {
		/** @type {Buffer[]} */
		const chunks = [];
		let size = 0;
		req.on('data', (/** @type {Buffer} */ chunk) => {
			size += chunk.length;
			if (size > MAX_BODY_BYTES) {
				reject(new GraphError(413, 'RequestEntityTooLarge', 'The request body is too large.'));
				req.destroy();
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

module.exports = { createRequestHandler };
