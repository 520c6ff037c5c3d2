// @ts-check
'use strict';

// A fault-injecting HTTP proxy for the simulator: it stands where a bad network, a throttling gateway or a
// broken login endpoint would, between a client and the simulator, and counts what it did.
// Point the credential's custom Graph and login URLs at `proxy.url`. Types: faultProxy.d.ts. Usage: faultProxy.md.

const http = require('node:http');
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
const { createRandom } = require('./faults');

/** Every fault the proxy can inject; see faultProxy.md for what each one does. */
const PROXY_FAULT_KINDS = Object.freeze([
	'429',
	'500',
	'503',
	'503AfterForward',
	'504AfterForward',
	'resetBeforeForward',
	'resetAfterForward',
	'delayBeforeForward',
	'delayAfterForward',
	'hang',
	'garbage',
	'html',
	'noAccessToken',
	'wrongSecret',
	'206',
	'shuffle',
]);

/** Faults whose request reaches the simulator: its state may change although the client sees a failure. */
const FORWARDING_FAULTS = Object.freeze([
	'503AfterForward',
	'504AfterForward',
	'resetAfterForward',
	'delayBeforeForward',
	'delayAfterForward',
	'wrongSecret',
	'206',
	'shuffle',
]);

/** Faults that only make sense on the token endpoint; without a `route` they hit nothing else. */
const TOKEN_FAULTS = Object.freeze(['noAccessToken', 'wrongSecret']);

/** What Graph's security API puts in `Warning` when one of its data providers failed (here: one timed out). */
const DEFAULT_WARNING = '199 - "Microsoft/DefenderXDR/504/10000"';

const ROUTES = Object.freeze([
	'token',
	'authorize',
	'listTasks',
	'getTask',
	'updateTask',
	'execute',
	'taskIncident',
	'listIncidents',
	'getIncident',
	'updateIncident',
	'incidentComments',
	'listAlerts',
	'getAlert',
	'updateAlert',
	'alertComments',
	'runHuntingQuery',
	'listMachines',
	'getMachine',
	'findMachinesByIp',
	'machineAction',
	'listMachineActions',
	'getMachineAction',
	'cancelMachineAction',
	'getPackageUri',
	'listIndicators',
	'submitIndicator',
	'importIndicators',
	'deleteIndicator',
	'other',
]);

/** The Defender for Endpoint API's paths, as the simulator serves them (`/api/v1.0/...` is the same). */
const ENDPOINT_PATH = /^\/api(?:\/v1\.0)?(?:\/(.*))?$/i;

/**
 * @typedef {{
 *   route?: string | string[], method?: string, path?: string | RegExp, when?: (request: ProxyRequestInfo) => boolean,
 *   fault: string, retryAfterSeconds?: number, retryAfterFormat?: 'seconds' | 'date', delayMs?: number,
 *   dropFraction?: number, warning?: string,
 * }} ProxyFaultSpec
 * @typedef {ProxyFaultSpec & { times?: number }} ScriptedProxyFault
 * @typedef {ProxyFaultSpec & { rate: number }} RandomProxyFault
 * @typedef {{
 *   method: string, path: string, pathname: string, route: string, api: 'login' | 'graph' | 'endpoint', taskId?: string,
 *   machineId?: string, at: number,
 * }} ProxyRequestInfo
 * @typedef {ProxyRequestInfo & {
 *   fault?: string, forwarded: boolean, status: number, simulatorStatus?: number, clientGone: boolean, durationMs?: number,
 *   retryAfter?: string,
 * }} ProxyLogEntry
 */

/**
 * Names the Graph, Defender for Endpoint or login call a request makes, so faults can be aimed at one kind of call.
 * @param {string} method
 * @param {string} pathname
 * @returns {{ route: string, taskId?: string, machineId?: string }}
 */
function routeOf(method, pathname) {
	if (/^\/[^/]+\/oauth2\/v2\.0\/token$/i.test(pathname)) return { route: 'token' };
	if (/^\/[^/]+\/oauth2\/v2\.0\/authorize$/i.test(pathname)) return { route: 'authorize' };
	const endpoint = ENDPOINT_PATH.exec(pathname);
	if (endpoint) return endpointRouteOf(method, endpoint[1] ?? '');
	const match = /^\/(?:beta|v1\.0)\/security\/([^/]+)(?:\/([^/]+))?(?:\/([^/]+))?\/?$/i.exec(
		pathname,
	);
	if (!match) return { route: 'other' };
	const [, collection, id, navigation] = match;
	const name = collection.toLowerCase();
	const decodedId = id === undefined ? undefined : safeDecode(id);
	const nav = navigation?.toLowerCase();
	if (name === 'incidenttasks') {
		if (id === undefined) return { route: method === 'GET' ? 'listTasks' : 'other' };
		if (nav === undefined)
			return {
				route: method === 'PATCH' ? 'updateTask' : method === 'GET' ? 'getTask' : 'other',
				taskId: decodedId,
			};
		if (nav.endsWith('executeresponseaction') && method === 'POST')
			return { route: 'execute', taskId: decodedId };
		if (nav === 'incident') return { route: 'taskIncident', taskId: decodedId };
		return { route: 'other' };
	}
	if (name === 'incidents' || name === 'alerts_v2') {
		const entity = name === 'incidents' ? 'Incident' : 'Alert';
		if (id === undefined) return { route: method === 'GET' ? `list${entity}s` : 'other' };
		if (nav === undefined)
			return {
				route: method === 'PATCH' ? `update${entity}` : method === 'GET' ? `get${entity}` : 'other',
			};
		if (nav === 'comments') return { route: `${entity.toLowerCase()}Comments` };
		return { route: 'other' };
	}
	if (name === 'runhuntingquery' && id === undefined) return { route: 'runHuntingQuery' };
	return { route: 'other' };
}

/**
 * Defender for Endpoint routes. A machine-action POST (`/api/machines/{id}/isolate`, ...) is the API's change that
 * cannot be repeated blindly, as executeResponseAction is Graph's; an import changes up to 500 indicators at once.
 * @param {string} method
 * @param {string} rest the path after `/api/`
 * @returns {{ route: string, machineId?: string }}
 */
function endpointRouteOf(method, rest) {
	const [collection = '', id, verb, ...more] = rest.split('/').filter(Boolean);
	if (more.length > 0) return { route: 'other' };
	const name = collection.toLowerCase();
	const decodedId = id === undefined ? undefined : safeDecode(id);
	if (name === 'machines') {
		if (id === undefined) return { route: method === 'GET' ? 'listMachines' : 'other' };
		if (verb === undefined) {
			if (method !== 'GET') return { route: 'other' };
			if (/^findbyip\(/i.test(decodedId ?? '')) return { route: 'findMachinesByIp' };
			return { route: 'getMachine', machineId: decodedId };
		}
		return { route: method === 'POST' ? 'machineAction' : 'other', machineId: decodedId };
	}
	if (name === 'machineactions') {
		if (id === undefined) return { route: method === 'GET' ? 'listMachineActions' : 'other' };
		const nav = verb?.toLowerCase();
		if (nav === undefined) return { route: method === 'GET' ? 'getMachineAction' : 'other' };
		if (nav === 'cancel' && method === 'POST') return { route: 'cancelMachineAction' };
		if (nav === 'getpackageuri' && method === 'GET') return { route: 'getPackageUri' };
		return { route: 'other' };
	}
	if (name === 'indicators' && verb === undefined) {
		if (id === undefined)
			return {
				route:
					method === 'GET' ? 'listIndicators' : method === 'POST' ? 'submitIndicator' : 'other',
			};
		if (id.toLowerCase() === 'import')
			return { route: method === 'POST' ? 'importIndicators' : 'other' };
		return { route: method === 'DELETE' ? 'deleteIndicator' : 'other' };
	}
	return { route: 'other' };
}

/** @param {string} segment */
function safeDecode(segment) {
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment;
	}
}

/** @param {ProxyFaultSpec} spec */
function checkSpec(spec) {
	if (!PROXY_FAULT_KINDS.includes(spec.fault))
		throw new Error(
			`Unknown proxy fault '${spec.fault}'. Use one of: ${PROXY_FAULT_KINDS.join(', ')}`,
		);
	for (const route of [spec.route ?? []].flat()) {
		if (route !== '*' && !ROUTES.includes(route))
			throw new Error(`Unknown route '${route}'. Use one of: ${ROUTES.join(', ')} (or '*')`);
	}
	if (spec.dropFraction !== undefined && !(spec.dropFraction >= 0 && spec.dropFraction <= 1))
		throw new Error('dropFraction must be between 0 and 1');
	if (spec.delayMs !== undefined && !(spec.delayMs >= 0)) throw new Error('delayMs must be >= 0');
}

/**
 * Whether a fault rule applies to a request. Without `route`, a rule hits every Graph and Defender for Endpoint call
 * but never the login endpoints (the token-only faults: only the token endpoint); `'*'` hits every request.
 * @param {ProxyFaultSpec} spec
 * @param {ProxyRequestInfo} request
 */
function specMatches(spec, request) {
	if (spec.method && spec.method.toUpperCase() !== request.method) return false;
	const routes = [spec.route ?? []].flat();
	if (routes.length === 0) {
		const isLogin = request.route === 'token' || request.route === 'authorize';
		if (TOKEN_FAULTS.includes(spec.fault) ? request.route !== 'token' : isLogin) return false;
	} else if (!routes.includes('*') && !routes.includes(request.route)) {
		return false;
	}
	if (
		spec.path instanceof RegExp &&
		!(spec.path.test(request.pathname) || spec.path.test(request.path))
	)
		return false;
	if (typeof spec.path === 'string' && spec.path !== request.pathname && spec.path !== request.path)
		return false;
	return spec.when ? spec.when(request) === true : true;
}

class FaultProxy {
	/**
	 * @param {{ target: URL, random: () => number }} options
	 */
	constructor(options) {
		this.target = options.target;
		this.random = options.random;
		this.url = '';
		this.port = 0;
		/** @type {ProxyLogEntry[]} */
		this.requests = [];
		/** Access and refresh tokens the simulator issued through this proxy, for secret scans; never logged. */
		this.issuedTokens = new Set();
		/** @type {Array<ScriptedProxyFault & { remaining: number }>} */
		this.script = [];
		/** @type {RandomProxyFault[]} */
		this.rates = [];
		this.inFlight = 0;
		this.stopped = false;
		/** @type {http.Server | undefined} */
		this.server = undefined;
		// Idle sockets are closed after 4 s, before the simulator's server closes them (after 5 s): a socket reused just as
		// the server closed it would fail the request with a reset that no fault asked for.
		this.agent = new http.Agent({ keepAlive: true, maxSockets: 64, timeout: 4000 });
	}

	/**
	 * Queues a fault for the next matching requests (`times`, default 1), in the order added; it wins over the rates.
	 * @param {ScriptedProxyFault} spec
	 */
	inject(spec) {
		checkSpec(spec);
		const times = spec.times ?? 1;
		if (!Number.isInteger(times) || times < 1) throw new Error('times must be a positive integer');
		this.script.push({ ...spec, remaining: times });
	}

	/** How many scripted fault answers are still queued. */
	pendingFaults() {
		return this.script.reduce((sum, fault) => sum + fault.remaining, 0);
	}

	clearFaults() {
		this.script.length = 0;
	}

	/**
	 * Replaces the random faults: each rule hits a matching request with probability `rate` (one draw per request;
	 * the rates of the rules that match one request must add up to at most 1).
	 * @param {{ rates?: RandomProxyFault[], randomSeed?: number | null }} patch
	 */
	configure(patch) {
		if (patch.rates !== undefined) {
			for (const rule of patch.rates) {
				checkSpec(rule);
				if (!(rule.rate >= 0 && rule.rate <= 1))
					throw new Error(`rate of '${rule.fault}' must be between 0 and 1`);
			}
			this.rates = patch.rates.map((rule) => ({ ...rule }));
		}
		if (patch.randomSeed !== undefined) this.random = createRandom(patch.randomSeed);
	}

	/** Counts of what the proxy saw and did: requests and forwards per route, faults per kind and per route. */
	counts() {
		/** @type {Record<string, number>} */
		const byRoute = {};
		/** @type {Record<string, number>} */
		const faults = {};
		/** @type {Record<string, Record<string, number>>} */
		const faultsByRoute = {};
		let forwarded = 0;
		for (const entry of this.requests) {
			byRoute[entry.route] = (byRoute[entry.route] ?? 0) + 1;
			if (entry.forwarded) forwarded++;
			if (entry.fault) {
				faults[entry.fault] = (faults[entry.fault] ?? 0) + 1;
				const perRoute = (faultsByRoute[entry.route] ??= {});
				perRoute[entry.fault] = (perRoute[entry.fault] ?? 0) + 1;
			}
		}
		return { requests: this.requests.length, forwarded, byRoute, faults, faultsByRoute };
	}

	/**
	 * Resolves true once no request is being forwarded or delayed (a delayed POST still reaches the simulator
	 * after its client gave up), or false after `timeoutMs`.
	 * @param {number} [timeoutMs]
	 */
	async idle(timeoutMs = 30_000) {
		const deadline = Date.now() + timeoutMs;
		while (this.inFlight > 0) {
			if (Date.now() >= deadline) return false;
			await sleep(20);
		}
		return true;
	}

	/** Closes every open client connection, hanging ones included; the proxy keeps listening. */
	dropConnections() {
		this.server?.closeAllConnections();
	}

	/** Empties the log and the fault script; the rates and the issued tokens stay. */
	reset() {
		this.requests.length = 0;
		this.clearFaults();
	}

	/** Closes the proxy, hanging connections included. */
	stop() {
		if (this.stopped || !this.server) return Promise.resolve();
		this.stopped = true;
		const server = this.server;
		return new Promise((resolve) => {
			server.close(() => resolve(undefined));
			server.closeAllConnections();
			this.agent.destroy();
		});
	}

	/**
	 * @param {ProxyRequestInfo} request
	 * @returns {ProxyFaultSpec | undefined}
	 */
	pickFault(request) {
		const index = this.script.findIndex((spec) => specMatches(spec, request));
		if (index >= 0) {
			const scripted = this.script[index];
			scripted.remaining -= 1;
			if (scripted.remaining === 0) this.script.splice(index, 1);
			return scripted;
		}
		const candidates = this.rates.filter((rule) => rule.rate > 0 && specMatches(rule, request));
		if (candidates.length === 0) return undefined;
		let draw = this.random();
		for (const rule of candidates) {
			if (draw < rule.rate) return rule;
			draw -= rule.rate;
		}
		return undefined;
	}

	/**
	 * @param {http.IncomingMessage} req
	 * @param {http.ServerResponse} res
	 */
	async handle(req, res) {
		const started = Date.now();
		const method = (req.method ?? 'GET').toUpperCase();
		const path = req.url ?? '/';
		const pathname = new URL(path, 'http://proxy.invalid').pathname;
		const { route, taskId, machineId } = routeOf(method, pathname);
		/** @type {'login' | 'graph' | 'endpoint'} */
		const surface =
			route === 'token' || route === 'authorize'
				? 'login'
				: ENDPOINT_PATH.test(pathname)
					? 'endpoint'
					: 'graph';
		/** @type {ProxyLogEntry} */
		const entry = {
			method,
			path,
			pathname,
			route,
			api: surface,
			at: started,
			forwarded: false,
			status: 0,
			clientGone: false,
		};
		if (taskId !== undefined) entry.taskId = taskId;
		if (machineId !== undefined) entry.machineId = machineId;
		this.requests.push(entry);
		res.on('close', () => {
			if (!res.writableFinished) entry.clientGone = true;
		});
		const body = await readBody(req);
		const spec = this.pickFault(entry);
		if (spec) entry.fault = spec.fault;
		const clientRequestHeader = req.headers['client-request-id'];
		const ids = {
			requestId: randomUUID(),
			clientRequestId:
				typeof clientRequestHeader === 'string' && clientRequestHeader
					? clientRequestHeader
					: randomUUID(),
		};
		/** @param {import('./responses').Reply} reply */
		const answer = (reply) => {
			entry.status = reply.status;
			writeReply(res, reply, { ...ids, surface });
		};
		/** @param {number} status @param {string} contentType @param {string} text */
		const answerRaw = (status, contentType, text) => {
			entry.status = status;
			if (res.destroyed) return;
			res.writeHead(status, {
				'Content-Type': contentType,
				'Content-Length': String(Buffer.byteLength(text)),
			});
			res.end(text);
		};
		const reset = () => {
			entry.status = 0;
			req.socket.destroy();
		};
		const finish = () => {
			entry.durationMs = Date.now() - started;
		};

		try {
			const kind = spec?.fault;
			if (kind === undefined || FORWARDING_FAULTS.includes(kind)) {
				this.inFlight++;
				try {
					if (kind === 'delayBeforeForward') await sleep(spec?.delayMs ?? 6000);
					if (this.stopped) return;
					const forwardedBody = kind === 'wrongSecret' ? withWrongSecret(body) : body;
					const headers =
						kind === 'wrongSecret' ? withWrongBasicSecret(req.headers) : { ...req.headers };
					const answered = await this.forward(method, path, headers, forwardedBody);
					entry.forwarded = true;
					entry.simulatorStatus = answered.status;
					if (route === 'token') this.rememberTokens(answered.body);
					if (kind === 'delayAfterForward') await sleep(spec?.delayMs ?? 6000);
					if (kind === '503AfterForward') return answer(serverError(503, surface, ids));
					if (kind === '504AfterForward') return answer(serverError(504, surface, ids));
					if (kind === 'resetAfterForward') return reset();
					const reshaped =
						kind === '206' || kind === 'shuffle'
							? this.reshapeList(answered, /** @type {ProxyFaultSpec} */ (spec))
							: undefined;
					if (kind === '206' || kind === 'shuffle') {
						// Only a JSON list can be partial or shuffled; anything else passes through and is not counted.
						if (!reshaped) delete entry.fault;
					}
					const out = reshaped ?? answered;
					entry.status = out.status;
					if (res.destroyed) return;
					res.writeHead(out.status, out.headers);
					res.end(out.body);
					return;
				} finally {
					this.inFlight--;
				}
			}
			// A slow refusal (e.g. a 429 that arrives while other requests wait out an earlier one).
			if (kind !== 'hang' && spec?.delayMs) await sleep(spec.delayMs);
			if (this.stopped) return;
			switch (kind) {
				case 'hang':
					return; // never answered; stop() closes the socket
				case 'resetBeforeForward':
					return reset();
				case '429':
				case '503': {
					const retryAfter = retryAfterValue(
						spec ?? { fault: kind },
						kind === '429' ? 1 : undefined,
					);
					if (retryAfter !== undefined) entry.retryAfter = retryAfter;
					const reply = serverError(Number(kind), surface, ids);
					return answer({
						...reply,
						headers: {
							...(reply.headers ?? {}),
							...(retryAfter === undefined ? {} : { 'Retry-After': retryAfter }),
						},
					});
				}
				case '500':
					return answer(serverError(500, surface, ids));
				case 'garbage':
					return answerRaw(
						200,
						'application/json; charset=utf-8',
						'\u0000\u001f<<not json>> %%% ]]',
					);
				case 'html':
					return answerRaw(
						200,
						'text/html; charset=utf-8',
						'<!DOCTYPE html><html><head><title>Sign in</title></head><body><h1>Web filter</h1><p>This site requires you to sign in to the network first.</p></body></html>',
					);
				case 'noAccessToken':
					return answer({
						status: 200,
						body: { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599 },
					});
			}
		} catch (error) {
			// The simulator is down or refused the connection: the client sees a gateway error, as behind a real proxy.
			entry.status = 502;
			if (!res.headersSent && !res.destroyed)
				answer(
					apiErrorReply(
						502,
						'BadGateway',
						`The fault proxy could not reach the simulator: ${error instanceof Error ? error.message : String(error)}`,
						surface,
						ids,
					),
				);
		} finally {
			finish();
		}
	}

	/**
	 * Sends the request on to the simulator, Host header included (so its next-page links point back here).
	 * @param {string} method
	 * @param {string} path
	 * @param {http.IncomingHttpHeaders} headers
	 * @param {Buffer} body
	 * @returns {Promise<{ status: number, headers: Record<string, string | string[]>, body: Buffer }>}
	 */
	forward(method, path, headers, body) {
		return new Promise((resolve, reject) => {
			const outgoing = { ...headers, 'content-length': String(body.length) };
			delete outgoing['transfer-encoding'];
			delete outgoing.connection;
			const request = http.request(
				{
					host: this.target.hostname,
					port: this.target.port,
					method,
					path,
					headers: outgoing,
					agent: this.agent,
				},
				(response) => {
					/** @type {Buffer[]} */
					const chunks = [];
					response.on('data', (/** @type {Buffer} */ chunk) => chunks.push(chunk));
					response.on('end', () => {
						/** @type {Record<string, string | string[]>} */
						const responseHeaders = {};
						for (const [name, value] of Object.entries(response.headers)) {
							if (
								value !== undefined &&
								!['content-length', 'transfer-encoding', 'connection', 'keep-alive'].includes(name)
							)
								responseHeaders[name] = value;
						}
						const responseBody = Buffer.concat(chunks);
						responseHeaders['content-length'] = String(responseBody.length);
						resolve({
							status: response.statusCode ?? 502,
							headers: responseHeaders,
							body: responseBody,
						});
					});
					response.on('error', reject);
				},
			);
			request.on('error', reject);
			request.end(body);
		});
	}

	/**
	 * A list answer made partial (206 with `Warning`, some entries dropped) or shuffled; undefined when it is no JSON list.
	 * @param {{ status: number, headers: Record<string, string | string[]>, body: Buffer }} answered
	 * @param {ProxyFaultSpec} spec
	 */
	reshapeList(answered, spec) {
		if (answered.status !== 200) return undefined;
		/** @type {any} */
		let json;
		try {
			json = JSON.parse(answered.body.toString('utf8'));
		} catch {
			return undefined;
		}
		if (!json || !Array.isArray(json.value)) return undefined;
		const headers = { ...answered.headers };
		let status = answered.status;
		if (spec.fault === '206') {
			const dropFraction = spec.dropFraction ?? 0;
			json.value = json.value.filter(() => this.random() >= dropFraction);
			status = 206;
			headers.warning = spec.warning ?? DEFAULT_WARNING;
		} else {
			for (let i = json.value.length - 1; i > 0; i--) {
				const j = Math.floor(this.random() * (i + 1));
				[json.value[i], json.value[j]] = [json.value[j], json.value[i]];
			}
		}
		const body = Buffer.from(JSON.stringify(json));
		headers['content-length'] = String(body.length);
		return { status, headers, body };
	}

	/** @param {Buffer} body */
	rememberTokens(body) {
		try {
			const json = JSON.parse(body.toString('utf8'));
			for (const name of ['access_token', 'refresh_token', 'id_token']) {
				if (typeof json?.[name] === 'string' && json[name]) this.issuedTokens.add(json[name]);
			}
		} catch {
			// not a token answer
		}
	}
}

/** What Graph and Defender for Endpoint say with each status the proxy makes up. */
const SERVER_FAULTS = {
	429: [
		'TooManyRequests',
		'Too many requests. Retry after the interval in the Retry-After header.',
	],
	500: ['InternalServerError', 'An internal server error occurred.'],
	503: ['ServiceUnavailable', 'The service is temporarily unavailable. Retry the request later.'],
	504: ['GatewayTimeout', 'The request timed out while waiting for the Defender XDR service.'],
};

/**
 * An API error in the shape of the API the request went to: Graph's, or Defender for Endpoint's
 * `{ error: { code, message, target } }`.
 * @param {number} status
 * @param {string} code
 * @param {string} message
 * @param {'graph' | 'endpoint' | 'login'} surface
 * @param {{ requestId: string, clientRequestId: string }} ids
 */
function apiErrorReply(status, code, message, surface, ids) {
	return surface === 'endpoint'
		? endpointErrorReply(new EndpointError(status, code, message), ids)
		: graphErrorReply(new GraphError(status, code, message), ids);
}

/**
 * @param {number} status
 * @param {{ requestId: string, clientRequestId: string }} ids
 */
function loginError(status, ids) {
	const [error, aadsts, message] =
		status === 429
			? [
					'temporarily_unavailable',
					50196,
					'The server terminated an operation because it encountered a client request loop.',
				]
			: status === 500
				? ['server_error', 90033, 'A transient error has occurred. Please try again.']
				: ['temporarily_unavailable', 90033, 'A transient error has occurred. Please try again.'];
	return entraErrorReply(new EntraError(status, error, aadsts, message), ids);
}

/**
 * @param {number} status
 * @param {'graph' | 'endpoint' | 'login'} surface
 * @param {{ requestId: string, clientRequestId: string }} ids
 */
function serverError(status, surface, ids) {
	if (surface === 'login') return loginError(status, ids);
	const [code, message] = SERVER_FAULTS[/** @type {429 | 500 | 503 | 504} */ (status)];
	return apiErrorReply(status, code, message, surface, ids);
}

/**
 * @param {ProxyFaultSpec} spec
 * @param {number | undefined} fallbackSeconds
 */
function retryAfterValue(spec, fallbackSeconds) {
	const seconds = spec.retryAfterSeconds ?? fallbackSeconds;
	if (seconds === undefined) return undefined;
	return spec.retryAfterFormat === 'date'
		? new Date(Date.now() + seconds * 1000).toUTCString()
		: String(seconds);
}

/** @param {Buffer} body a form-encoded token request */
function withWrongSecret(body) {
	const form = new URLSearchParams(body.toString('utf8'));
	if (form.has('client_secret')) form.set('client_secret', 'wrong-secret-from-fault-proxy');
	return Buffer.from(form.toString());
}

/** @param {http.IncomingHttpHeaders} headers */
function withWrongBasicSecret(headers) {
	const copy = { ...headers };
	const basic = /^Basic\s+(.+)$/i.exec(String(headers.authorization ?? ''));
	if (basic) {
		const [clientId] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
		copy.authorization = `Basic ${Buffer.from(`${clientId}:wrong-secret-from-fault-proxy`).toString('base64')}`;
	}
	return copy;
}

/**
 * @param {http.IncomingMessage} req
 * @returns {Promise<Buffer>}
 */
function readBody(req) {
	return new Promise((resolve) => {
		/** @type {Buffer[]} */
		const chunks = [];
		req.on('data', (/** @type {Buffer} */ chunk) => chunks.push(chunk));
		req.on('end', () => resolve(Buffer.concat(chunks)));
		// A client that gave up mid-body: forward what arrived.
		req.on('error', () => resolve(Buffer.concat(chunks)));
		req.on('close', () => resolve(Buffer.concat(chunks)));
	});
}

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts a fault proxy on a loopback port in front of `target` (the simulator's URL).
 * @param {{ target: string, port?: number, host?: string, randomSeed?: number | null, rates?: RandomProxyFault[] }} options
 * @returns {Promise<FaultProxy>}
 */
async function startFaultProxy(options) {
	const target = new URL(options.target);
	if (target.protocol !== 'http:')
		throw new Error('The fault proxy forwards to an http:// simulator only');
	const proxy = new FaultProxy({ target, random: createRandom(options.randomSeed ?? null) });
	if (options.rates) proxy.configure({ rates: options.rates });
	const server = http.createServer((req, res) => {
		proxy.handle(req, res).catch((error) => {
			process.stderr.write(
				`fault proxy: ${error instanceof Error ? error.stack : String(error)}\n`,
			);
			if (!res.headersSent && !res.destroyed) res.destroy();
		});
	});
	const host = options.host ?? '127.0.0.1';
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, host, () => resolve(undefined));
	});
	const address = server.address();
	if (!address || typeof address === 'string')
		throw new Error('The fault proxy did not get a TCP port');
	proxy.server = server;
	proxy.port = address.port;
	proxy.url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
	return proxy;
}

module.exports = { startFaultProxy, PROXY_FAULT_KINDS, PROXY_ROUTES: ROUTES, routeOf };
