// @ts-check
'use strict';

// The local Microsoft Defender XDR Graph and Defender for Endpoint API simulator: `startSimulator()` and the
// handle tests drive it with.
// Types: index.d.ts. Usage, seeded IDs and switches: README.md.

const http = require('node:http');
const { DefenderStore } = require('./store');
const { EndpointStore, ENDPOINT_RATE_LIMITS, ENDPOINT_SCOPE } = require('./endpoint');
const { SEEDED_MACHINE_IDS } = require('./endpointSeed');
const { TokenService } = require('./token');
const { FaultScript, RateLimiter, createRandom, FAULT_KINDS } = require('./faults');
const { createRequestHandler } = require('./server');
const seed = require('./seed');
const model = require('./model');

const SIMULATOR_TENANT_ID = 'contoso.onmicrosoft.com';
const SIMULATOR_CLIENT_ID = '5d3c7a1e-2b4f-4e8a-9c61-0f7b2e9d4a10';
const SIMULATOR_CLIENT_SECRET = 'simQ~DefenderXdr.Local_Secret-0001';
const SIMULATOR_APP_NAME = 'n8n Defender XDR automation';

/**
 * @typedef {import('./server').Settings} Settings
 * @typedef {import('./server').Core} Core
 * @typedef {Partial<Omit<Settings, 'faultRates' | 'endpointRateLimits'>> & {
 *   faultRates?: Partial<Settings['faultRates']>,
 *   endpointRateLimits?: Partial<import('./endpoint').EndpointRateLimits> | null,
 * }} SettingsPatch
 */

/** @returns {Settings} */
const defaultSettings = () => ({
	latencyMs: 0,
	rateLimit: null,
	faultRates: { status503: 0, status504AfterExecute: 0, dropBeforeExecute: 0, dropAfterExecute: 0 },
	tokenLifetimeSeconds: 3600,
	actionDelayMs: 300,
	huntingQueryMs: 0,
	actionStartLagMs: 0,
	pageSize: null,
	randomSeed: null,
	nextLinkOrigin: null,
	endpointRateLimits: null,
	indicatorCapacity: 15_000,
});

class Simulator {
	/**
	 * @param {http.Server} server
	 * @param {Core} core
	 * @param {{ url: string, port: number, tenantId: string, clientId: string, clientSecret: string }} identity
	 */
	constructor(server, core, identity) {
		this.server = server;
		this.core = core;
		this.url = identity.url;
		this.port = identity.port;
		this.tenantId = identity.tenantId;
		this.clientId = identity.clientId;
		this.clientSecret = identity.clientSecret;
		this.tokenUrl = `${identity.url}/${encodeURIComponent(identity.tenantId)}/oauth2/v2.0/token`;
		this.authorizeUrl = `${identity.url}/${encodeURIComponent(identity.tenantId)}/oauth2/v2.0/authorize`;
	}

	/** The request log, oldest first; Authorization and Cookie headers are stored as REDACTED. */
	get requests() {
		return this.core.requests;
	}

	/** executeResponseAction POSTs that really executed (including ones answered 504 or dropped afterwards). */
	get executions() {
		return this.core.executions;
	}

	/** Every machine action created through /api/, oldest first, as it reads now. */
	get machineActions() {
		return this.core.endpoint.snapshot().machineActions;
	}

	/** @param {SettingsPatch} patch */
	configure(patch) {
		const next = mergeSettings(this.core.settings, patch);
		if (next.randomSeed !== this.core.settings.randomSeed)
			this.core.random = createRandom(next.randomSeed);
		this.core.settings = next;
		return this.settings();
	}

	/** @returns {Settings} */
	settings() {
		return structuredClone(this.core.settings);
	}

	/** @param {import('./faults').FaultSpec} fault */
	injectFault(fault) {
		this.core.faults.add(fault);
	}

	clearFaults() {
		this.core.faults.clear();
	}

	/** How many scripted fault answers are still queued. */
	pendingFaults() {
		return this.core.faults.pending;
	}

	expireAllTokens() {
		this.core.tokens.expireAll();
	}

	/** @param {string} token an access or refresh token */
	revokeToken(token) {
		return this.core.tokens.revoke(token);
	}

	/** @param {{ clientId: string, clientSecret: string, displayName?: string }} app */
	registerApp(app) {
		this.core.tokens.registerApp(app);
	}

	/**
	 * An access token for the Defender for Endpoint API (audience https://api.securitycenter.microsoft.com).
	 * @param {{ clientId?: string, lifetimeSeconds?: number }} [options]
	 */
	issueEndpointToken(options = {}) {
		return this.issueToken({ ...options, scope: ENDPOINT_SCOPE });
	}

	/**
	 * An access token for the default (or a registered) app, without an HTTP round trip.
	 * @param {{ clientId?: string, lifetimeSeconds?: number, scope?: string }} [options]
	 */
	issueToken(options = {}) {
		return this.core.tokens.issueAccessToken({
			clientId: options.clientId ?? this.clientId,
			tenantId: this.tenantId,
			scope: options.scope ?? `${this.url}/.default`,
			lifetimeSeconds: options.lifetimeSeconds,
		}).access_token;
	}

	clearLog() {
		this.core.requests.length = 0;
		this.core.executions.length = 0;
		this.core.store.identities.actions.length = 0;
	}

	state() {
		return this.core.store.snapshot();
	}

	/** A deep copy of the Defender for Endpoint side: machines, machine actions (oldest first), indicators. */
	endpointState() {
		return this.core.endpoint.snapshot();
	}

	/** @param {string} id a machine action ID */
	getMachineAction(id) {
		return this.endpointState().machineActions.find((action) => action.id === id);
	}

	/** @param {Record<string, unknown>} [partial] a machine; missing fields come from a seeded workstation */
	addMachine(partial) {
		return this.core.endpoint.addMachine(partial);
	}

	/** @param {string} id */
	getTask(id) {
		const record = this.core.store.findTask(id);
		return record ? structuredClone(record.task) : undefined;
	}

	/**
	 * @param {string} id
	 * @param {Record<string, unknown> & { outcome?: string, incidentId?: string | null }} patch
	 */
	setTask(id, patch) {
		return this.core.store.setTask(id, patch);
	}

	/** @param {Record<string, unknown> & { outcome?: string, incidentId?: string | null }} [partial] */
	addTask(partial) {
		return this.core.store.addTask(partial);
	}

	/** @param {Record<string, unknown>} [partial] */
	addIncident(partial) {
		return this.core.store.addIncident(partial);
	}

	/** @param {Record<string, unknown>} [partial] */
	addAlert(partial) {
		return this.core.store.addAlert(partial);
	}

	/** @param {string} id */
	getIncident(id) {
		const incident = this.core.store.incidents.get(id);
		return incident ? structuredClone(incident) : undefined;
	}

	/** @param {string} id */
	getAlert(id) {
		const alert = this.core.store.alerts.get(id);
		return alert ? structuredClone(alert) : undefined;
	}

	/**
	 * Rows for an advanced hunting table (DeviceInfo, DeviceProcessEvents, …); omitted columns are '' or null.
	 * @param {string} table
	 * @param {Record<string, unknown>[]} rows
	 */
	addHuntingRows(table, rows) {
		return this.core.store.addHuntingRows(table, rows);
	}

	/** Every accepted identityAccounts invokeAction, oldest first. */
	get identityActions() {
		return this.core.store.identities.actions;
	}

	/** @param {string} id */
	getIdentityAccount(id) {
		const account = this.core.store.identities.accounts.get(id);
		return account ? structuredClone(account) : undefined;
	}

	/** @param {Partial<import('./identitySeed').IdentityAccount>} [partial] */
	addIdentityAccount(partial) {
		return this.core.store.identities.add(partial);
	}

	/** @param {import('./identities').IdentityAnswerForm} form */
	setIdentityAnswerForm(form) {
		this.core.store.identities.setAnswerForm(form);
	}

	/** Back to the seed: data, scripted faults, rate-limit windows and the logs. Settings and issued tokens stay. */
	reset() {
		this.core.store.reset();
		this.core.endpoint.reset();
		this.core.faults.clear();
		this.core.rateLimiter.clear();
		this.clearLog();
	}

	/** Closes the server, hung and keep-alive connections included. */
	stop() {
		if (this.core.stopped) return Promise.resolve();
		this.core.stopped = true;
		return new Promise((resolve) => {
			this.server.close(() => resolve(undefined));
			this.server.closeAllConnections();
		});
	}
}

/**
 * @param {Settings} current
 * @param {SettingsPatch} patch
 * @returns {Settings}
 */
function mergeSettings(current, patch) {
	const endpointRateLimits =
		patch.endpointRateLimits === undefined
			? current.endpointRateLimits
			: patch.endpointRateLimits && {
					...ENDPOINT_RATE_LIMITS,
					...defined(patch.endpointRateLimits),
				};
	const next = {
		...current,
		...defined(patch),
		faultRates: { ...current.faultRates, ...defined(patch.faultRates ?? {}) },
		endpointRateLimits,
	};
	/** @param {string} name @param {unknown} value */
	const nonNegative = (name, value) => {
		if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
			throw new Error(`${name} must be a number >= 0`);
	};
	nonNegative('latencyMs', next.latencyMs);
	nonNegative('actionDelayMs', next.actionDelayMs);
	nonNegative('huntingQueryMs', next.huntingQueryMs);
	nonNegative('actionStartLagMs', next.actionStartLagMs);
	nonNegative('tokenLifetimeSeconds', next.tokenLifetimeSeconds);
	for (const [name, rate] of Object.entries(next.faultRates)) {
		if (typeof rate !== 'number' || rate < 0 || rate > 1)
			throw new Error(`faultRates.${name} must be a probability between 0 and 1`);
	}
	if (next.rateLimit !== null) {
		const { requests, windowSeconds } = next.rateLimit;
		if (!Number.isInteger(requests) || requests < 1 || !(windowSeconds > 0))
			throw new Error('rateLimit needs { requests: integer >= 1, windowSeconds: > 0 } or null');
	}
	if (next.endpointRateLimits !== null) {
		for (const [name, value] of Object.entries(next.endpointRateLimits))
			if (!Number.isInteger(value) || value < 1)
				throw new Error(`endpointRateLimits.${name} must be an integer >= 1`);
	}
	if (!Number.isInteger(next.indicatorCapacity) || next.indicatorCapacity < 0)
		throw new Error('indicatorCapacity must be an integer >= 0');
	if (next.pageSize !== null && (!Number.isInteger(next.pageSize) || next.pageSize < 1))
		throw new Error('pageSize must be a positive integer or null');
	if (next.randomSeed !== null && !Number.isInteger(next.randomSeed))
		throw new Error('randomSeed must be an integer or null');
	return next;
}

/**
 * @template {Record<string, unknown>} T
 * @param {T} values
 * @returns {Partial<T>} the entries that are not undefined, so a missing switch keeps its current value
 */
function defined(values) {
	return /** @type {Partial<T>} */ (
		Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined))
	);
}

/**
 * Starts the simulator on a loopback port (a free one unless `port` is given).
 * @param {SettingsPatch & { port?: number, host?: string, tenantId?: string, clientId?: string, clientSecret?: string,
 *   appDisplayName?: string, onRequest?: (entry: import('./server').RequestLogEntry) => void }} [options]
 * @returns {Promise<Simulator>}
 */
async function startSimulator(options = {}) {
	const {
		port = 0,
		host = '127.0.0.1',
		tenantId = SIMULATOR_TENANT_ID,
		clientId = SIMULATOR_CLIENT_ID,
		clientSecret = SIMULATOR_CLIENT_SECRET,
		appDisplayName = SIMULATOR_APP_NAME,
		onRequest,
		...patch
	} = options;
	const settings = mergeSettings(defaultSettings(), patch);
	let url = '';
	/** @type {Core} */
	const core = {
		settings,
		store: new DefenderStore(),
		endpoint: new EndpointStore(),
		tokens: new TokenService({ tokenLifetimeSeconds: () => core.settings.tokenLifetimeSeconds }),
		faults: new FaultScript(),
		rateLimiter: new RateLimiter(),
		random: createRandom(settings.randomSeed),
		requests: [],
		executions: [],
		fallbackOrigin: () => url,
		stopped: false,
		onRequest,
	};
	core.tokens.registerApp({ clientId, clientSecret, displayName: appDisplayName });
	const server = http.createServer(createRequestHandler(core));
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => resolve(undefined));
	});
	const address = server.address();
	if (!address || typeof address === 'string')
		throw new Error('The simulator did not get a TCP port');
	url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
	return new Simulator(server, core, { url, port: address.port, tenantId, clientId, clientSecret });
}

module.exports = {
	startSimulator,
	SIMULATOR_TENANT_ID,
	SIMULATOR_CLIENT_ID,
	SIMULATOR_CLIENT_SECRET,
	SIMULATOR_APP_NAME,
	FAULT_KINDS,
	ENDPOINT_RATE_LIMITS,
	ENDPOINT_SCOPE,
	SEEDED_MACHINE_IDS,
	...model,
	...seed,
	...require('./faultProxy'),
	SEED_IDENTITY_ACCOUNTS: require('./identitySeed').SEED_IDENTITY_ACCOUNTS,
	SEEDED_IDENTITY_ACCOUNT_IDS: require('./identitySeed').SEEDED_IDENTITY_ACCOUNT_IDS,
	IDENTITY_ANSWER_FORMS: require('./identities').IDENTITY_ANSWER_FORMS,
};
