// @ts-check
'use strict';

// The world the fault suite runs in: the simulator (ground truth), the fault proxy in front of it, and the real
// n8n engine whose credential points at the proxy. Every run is bounded in time and everything the node printed
// or returned is kept for the secret scan.

const { startSimulator, EXECUTABLE_ACTION_TYPES } = require('../../simulator');
const { startFaultProxy } = require('../../simulator/faultProxy');
const {
	createEngine,
	defenderWorkflow,
	CREDENTIAL_TYPE,
	ENDPOINT_CREDENTIAL_TYPE,
	PACKAGE_NAME,
} = require('../harness/n8n-engine');

const EXECUTE_PATH = /^\/beta\/security\/incidentTasks\/([^/?]+)\/executeResponseAction/i;
/** A POST that creates a machine action on Defender for Endpoint. */
const MACHINE_ACTION_PATH = /^\/api(?:\/v1\.0)?\/machines\/([^/?]+)\/[a-z]+(?:\?|$)/i;
const TRIGGER_TYPE = `${PACKAGE_NAME}.microsoftDefenderXdrTrigger`;

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Resolves with the promise's value, or with `onTimeout()` once `ms` have passed (the promise keeps running).
 * @template T, U
 * @param {Promise<T>} promise
 * @param {number} ms
 * @param {() => U} onTimeout
 * @returns {Promise<T | U>}
 */
function within(promise, ms, onTimeout) {
	/** @type {NodeJS.Timeout | undefined} */
	let timer;
	const timeout = new Promise((resolve) => {
		timer = setTimeout(() => resolve(onTimeout()), ms);
	});
	return /** @type {Promise<T | U>} */ (
		Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
	);
}

async function startFaultWorld() {
	const sim = await startSimulator({ actionDelayMs: 100 });
	const proxy = await startFaultProxy({ target: sim.url, randomSeed: 20261201 });
	const engine = createEngine({});
	/** Everything the node returned or said: output items, node errors, log lines. Scanned for secrets at the end. */
	const transcript = /** @type {string[]} */ ([]);
	/**
	 * When the node started each request: n8n reads the credential first thing in every authenticated request,
	 * well before the request reaches the wire, so this shows what the node decided and when.
	 */
	const credentialReads = /** @type {number[]} */ ([]);
	/** The node's log lines with the time they were written. */
	const timedLogs = /** @type {Array<{ at: number, level: string, message: string }>} */ ([]);
	const pushLog = engine.logs.push.bind(engine.logs);
	engine.logs.push = (/** @type {Array<{ level: string, message: string }>} */ ...entries) => {
		for (const entry of entries) timedLogs.push({ at: Date.now(), ...entry });
		return pushLog(...entries);
	};
	const getDecrypted = engine.credentialsHelper.getDecrypted.bind(engine.credentialsHelper);
	engine.credentialsHelper.getDecrypted = async (/** @type {any[]} */ ...args) => {
		credentialReads.push(Date.now());
		return await getDecrypted(...args);
	};

	const world = {
		sim,
		proxy,
		engine,
		transcript,
		credentialReads,
		timedLogs,

		/**
		 * Both credentials on the proxy, with a fresh token state (the next run fetches a token). `overrides` change the
		 * Graph one, `endpointOverrides` the Defender for Endpoint one.
		 */
		useCredential(
			/** @type {Record<string, unknown>} */ overrides = {},
			/** @type {Record<string, unknown>} */ endpointOverrides = {},
		) {
			engine.credentialsHelper.stored[ENDPOINT_CREDENTIAL_TYPE] = {
				grantType: 'clientCredentials',
				tenantId: sim.tenantId,
				clientId: sim.clientId,
				clientSecret: sim.clientSecret,
				cloud: 'custom',
				customApiUrl: proxy.url,
				customLoginUrl: proxy.url,
				...endpointOverrides,
			};
			engine.credentialsHelper.stored[CREDENTIAL_TYPE] = {
				grantType: 'clientCredentials',
				tenantId: sim.tenantId,
				clientId: sim.clientId,
				clientSecret: sim.clientSecret,
				cloud: 'custom',
				customGraphUrl: proxy.url,
				customLoginUrl: proxy.url,
				...overrides,
			};
		},

		/** Seeded data back, logs empty, no faults, no rates; the token n8n holds is kept. */
		async reset() {
			await proxy.idle(15_000);
			proxy.configure({ rates: [] });
			proxy.reset();
			sim.reset();
			credentialReads.length = 0;
			timedLogs.length = 0;
			sim.configure({
				latencyMs: 0,
				rateLimit: null,
				pageSize: null,
				nextLinkOrigin: null,
				actionDelayMs: 100,
				endpointRateLimits: null,
			});
		},

		/** Stops whatever a timed-out run left hanging, so the next check starts clean. */
		unstick() {
			proxy.clearFaults();
			proxy.configure({ rates: [] });
			proxy.dropConnections();
		},

		/**
		 * Runs Manual Trigger -> Defender (`parameters`) over `items` in the engine. The run is stopped (as n8n's
		 * "Stop execution" does) after `timeoutMs`; if it still does not end, it is abandoned 5 s later.
		 * @param {Record<string, unknown>} parameters
		 * @param {Array<Record<string, unknown>>} items
		 * @param {{ timeoutMs?: number, cancelAfterMs?: number }} [options]
		 */
		async runNode(parameters, items, options = {}) {
			const timeoutMs = options.timeoutMs ?? 120_000;
			const started = Date.now();
			const running = engine
				.runWorkflow(defenderWorkflow(parameters), {
					startItems: items.map((json) => ({ json })),
					cancelAfterMs: options.cancelAfterMs ?? timeoutMs,
				})
				.catch((/** @type {unknown} */ error) => ({ thrown: error }));
			const result = await within(running, (options.cancelAfterMs ?? timeoutMs) + 5000, () => ({
				timedOut: true,
			}));
			const durationMs = Date.now() - started;
			if ('timedOut' in result) return { ...emptyRun(), timedOut: true, durationMs };
			if ('thrown' in result) {
				const message =
					result.thrown instanceof Error ? result.thrown.message : String(result.thrown);
				transcript.push(message);
				return { ...emptyRun(), status: 'thrown', runError: message, durationMs };
			}
			const [success = [], error = []] = result.outputs.Defender ?? [];
			const run = {
				status: /** @type {string} */ (result.status),
				success: success.map((/** @type {any} */ item) => item.json),
				error: error.map((/** @type {any} */ item) => item.json),
				successPairs: success.map((/** @type {any} */ item) => item.pairedItem?.item),
				errorPairs: error.map((/** @type {any} */ item) => item.pairedItem?.item),
				nodeError: result.errors.Defender ? describeError(result.errors.Defender) : undefined,
				runError: result.error ? describeError(result.error) : undefined,
				timedOut: false,
				durationMs,
			};
			transcript.push(JSON.stringify(run.success), JSON.stringify(run.error));
			if (run.nodeError) transcript.push(run.nodeError);
			if (run.runError) transcript.push(run.runError);
			return run;
		},

		/**
		 * One active trigger node whose static data lives across polls, as n8n keeps it.
		 * @param {Record<string, unknown>} parameters
		 */
		trigger(parameters) {
			const node = {
				id: 'trigger',
				name: 'Defender XDR Trigger',
				type: TRIGGER_TYPE,
				typeVersion: 1,
				position: [0, 0],
				parameters,
				credentials: { [CREDENTIAL_TYPE]: { id: 'cred-1', name: 'Defender XDR (fault proxy)' } },
			};
			/** @type {Record<string, any>} */
			const staticData = {};
			return {
				/** The IDs a poll emitted ([] for none), or the message it failed with. */
				async poll() {
					try {
						const { result } = await engine.poll(node, { staticData });
						const items =
							result === null ? [] : result[0].map((/** @type {any} */ item) => item.json);
						transcript.push(JSON.stringify(items));
						return {
							ids: items.map((/** @type {any} */ entity) => String(entity.id)),
							failed: undefined,
						};
					} catch (error) {
						const message = describeError(error);
						transcript.push(message);
						return { ids: [], failed: message };
					}
				},
			};
		},

		/** POSTs to executeResponseAction that reached the simulator, per task, from request `since` on. */
		postsReachingSimulator(since = 0) {
			/** @type {Map<string, number>} */
			const perTask = new Map();
			for (const request of sim.requests.slice(since)) {
				const match = request.method === 'POST' ? EXECUTE_PATH.exec(request.path) : null;
				if (match) {
					const taskId = decodeURIComponent(match[1]);
					perTask.set(taskId, (perTask.get(taskId) ?? 0) + 1);
				}
			}
			return perTask;
		},

		/** Response actions the simulator really ran, per task. */
		executionsPerTask() {
			/** @type {Map<string, number>} */
			const perTask = new Map();
			for (const execution of sim.executions)
				perTask.set(execution.taskId, (perTask.get(execution.taskId) ?? 0) + 1);
			return perTask;
		},

		/** Machine-action POSTs that reached the simulator, per machine ID (lower case), from request `since` on. */
		machineActionPostsReachingSimulator(since = 0) {
			/** @type {Map<string, number>} */
			const perMachine = new Map();
			for (const request of sim.requests.slice(since)) {
				const match = request.method === 'POST' ? MACHINE_ACTION_PATH.exec(request.path) : null;
				if (match) {
					const machineId = decodeURIComponent(match[1]).toLowerCase();
					perMachine.set(machineId, (perMachine.get(machineId) ?? 0) + 1);
				}
			}
			return perMachine;
		},

		/** Machine actions the simulator really created, per machine ID, optionally only those created since `since`. */
		machineActionsPerMachine(/** @type {string | undefined} */ since = undefined) {
			/** @type {Map<string, Array<Record<string, any>>>} */
			const perMachine = new Map();
			for (const action of sim.machineActions) {
				if (since && Date.parse(action.creationDateTimeUtc) < Date.parse(since)) continue;
				perMachine.set(action.machineId, [...(perMachine.get(action.machineId) ?? []), action]);
			}
			return perMachine;
		},

		/** Graph and Defender for Endpoint requests the proxy received (token endpoint excluded). */
		graphRequestsAtProxy() {
			return proxy.requests.filter(
				(request) => request.route !== 'token' && request.route !== 'authorize',
			);
		},

		tokenRequestsAtProxy() {
			return proxy.requests.filter((request) => request.route === 'token');
		},

		/** Every secret the suite must never see in what the node returns or logs. */
		secrets() {
			const core = /** @type {any} */ (sim).core;
			const issued = [
				...proxy.issuedTokens,
				...(core?.tokens?.accessTokens?.keys?.() ?? []),
				...(core?.tokens?.refreshTokens?.keys?.() ?? []),
			];
			return { clientSecret: sim.clientSecret, tokens: [...new Set(issued)] };
		},

		async stop() {
			proxy.dropConnections();
			await proxy.stop();
			await sim.stop();
			engine.shutdown();
		},
	};
	world.useCredential();
	return world;
}

/** @typedef {Awaited<ReturnType<typeof startFaultWorld>>} FaultWorld */

function emptyRun() {
	return {
		status: 'none',
		success: /** @type {any[]} */ ([]),
		error: /** @type {any[]} */ ([]),
		successPairs: /** @type {number[]} */ ([]),
		errorPairs: /** @type {number[]} */ ([]),
		nodeError: /** @type {string | undefined} */ (undefined),
		runError: /** @type {string | undefined} */ (undefined),
		timedOut: false,
		durationMs: 0,
	};
}

/** @param {unknown} error */
function describeError(error) {
	if (!error || typeof error !== 'object') return String(error);
	const { message, description } = /** @type {{ message?: unknown, description?: unknown }} */ (
		error
	);
	return [message, description].filter((part) => typeof part === 'string' && part).join(' | ');
}

/**
 * Problems with "every item leaves on exactly one output, in input order, paired to its input".
 * @param {{ success: any[], error: any[], successPairs: number[], errorPairs: number[] }} run
 * @param {number} inputCount
 */
function itemAccounting(run, inputCount) {
	const problems = [];
	const seen = new Map();
	for (const pair of [...run.successPairs, ...run.errorPairs])
		seen.set(pair, (seen.get(pair) ?? 0) + 1);
	const missing = [];
	const twice = [];
	for (let index = 0; index < inputCount; index++) {
		const times = seen.get(index) ?? 0;
		if (times === 0) missing.push(index);
		if (times > 1) twice.push(index);
	}
	const foreign = [...seen.keys()].filter(
		(pair) => !(Number.isInteger(pair) && pair >= 0 && pair < inputCount),
	);
	if (missing.length)
		problems.push(
			`${missing.length} of ${inputCount} items on no output (e.g. item ${missing.slice(0, 5).join(', ')})`,
		);
	if (twice.length)
		problems.push(
			`${twice.length} items on more than one output (e.g. item ${twice.slice(0, 5).join(', ')})`,
		);
	if (foreign.length) problems.push(`${foreign.length} output items paired to no input item`);
	const ascending = (/** @type {number[]} */ pairs) =>
		pairs.every((pair, index) => index === 0 || pairs[index - 1] < pair);
	if (!ascending(run.successPairs) || !ascending(run.errorPairs))
		problems.push('items are not in input order on their output');
	return problems;
}

module.exports = { startFaultWorld, itemAccounting, sleep, within, EXECUTABLE_ACTION_TYPES };
