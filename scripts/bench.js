#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * `npm run bench`: Execute Response Action in a real n8n 2.x server against the Defender simulator, side by
 * side with n8n's own HTTP Request node sending the same POSTs. Prints one table, writes bench/results.json
 * (the headline figures) and bench/run-details.json (every run, the machine and its load).
 *
 * Set-up as in the end-to-end test: the package is packed, installed into a fresh user folder's .n8n/nodes,
 * the credentials and the bench workflows are imported and published with the n8n CLI, and `n8n start`
 * serves them. Each run is one POST to a workflow's webhook: Webhook -> Split Out (one item per task) ->
 * the node under test -> Merge (both outputs), answered with every item that left the node.
 * Wall times, requests, requests in flight and duplicate POSTs are read from the simulator's request log;
 * CPU time and memory are read from /proc for the running n8n, so n8n's start is never counted.
 *
 *   npm run bench                          every scenario, full size (9 to 13 minutes)
 *   npm run bench -- --scale 0.1           every scenario at a tenth of the tasks (a quick look; writes no results)
 *   npm run bench -- --only latency,overhead
 *   npm run bench -- --only isolations         300 device isolations at Defender for Endpoint's 100 calls a minute
 *   npm run bench -- --only indicators         15,000 indicators imported, 500 per request, 30 imports a minute
 *   npm run bench -- --cpu-prof-dir /tmp/prof   also writes V8 CPU profiles of the n8n server (writes no results)
 *   npm run bench -- --n8n-env N8N_EXPRESSION_ENGINE=legacy   runs n8n with a setting changed (writes no results)
 *
 * The HTTP Request node authenticates with n8n's generic Header Auth credential holding a token the
 * simulator issued: its OAuth2 client-credentials flow would add token requests that are not the point here.
 * Every run is bounded in time; a run that does not answer in time fails the bench.
 */

const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const cli = require('./n8n-cli');
const { ensureN8n } = require('./n8n-install');
const { startSimulator, EXECUTABLE_ACTION_TYPES } = require('../simulator');
const { simulatorCredential, simulatorEndpointCredential } = require('../simulator/credential');

const REPO = path.resolve(__dirname, '..');
const RESULTS_FILE = path.join(REPO, 'bench', 'results.json');
const DETAILS_FILE = path.join(REPO, 'bench', 'run-details.json');
const N8N_LINE = '2';
const PACKAGE = 'n8n-nodes-microsoft-defender-xdr';
/** Graph's largest incident-task page: one listing read verifies up to this many tasks. */
const LISTING_PAGE = 500;
const DEFAULT_CONCURRENCY = 4;
const SCENARIOS = ['latency', 'throttled', 'scaling', 'overhead', 'isolations', 'indicators'];
/** The scenarios on Graph's incident tasks: only they need the warm-up runs. */
const GRAPH_SCENARIOS = ['latency', 'throttled', 'scaling', 'overhead'];
/** Defender for Endpoint's import: at most this many indicators in one request. */
const IMPORT_BATCH = 500;

const DEFENDER_CREDENTIAL = { id: 'benchDefenderXdr', name: 'Defender XDR (simulator)' };
const HEADER_CREDENTIAL = { id: 'benchHeaderAuth01', name: 'Simulator bearer token' };
const ENDPOINT_CREDENTIAL = { id: 'benchDefenderMde01', name: 'Defender for Endpoint (simulator)' };

/** The workflows under test, each behind its own webhook. */
const RUNNERS = {
	defender: {
		title: `Defender XDR node, concurrency ${DEFAULT_CONCURRENCY} (default)`,
		options: {},
	},
	defender16: { title: 'Defender XDR node, concurrency 16', options: { concurrency: 16 } },
	httpRequest: { title: 'HTTP Request node' },
	noOp: { title: 'No Operation node (baseline)' },
	isolate: { title: 'Defender XDR node, Device > Isolate' },
	indicatorImport: { title: 'Defender XDR node, Indicator > Import' },
};

/** The runners on Graph's incident tasks; the others act on Defender for Endpoint. */
const GRAPH_RUNNERS = /** @type {const} */ (['defender', 'defender16', 'httpRequest', 'noOp']);

/** @param {string[]} argv */
function parseArgs(argv) {
	const scale = Number(valueOf(argv, '--scale') ?? '1');
	const only = (valueOf(argv, '--only') ?? SCENARIOS.join(','))
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);
	const unknown = only.filter((s) => !SCENARIOS.includes(s));
	if (!(scale > 0 && scale <= 1) || unknown.length) {
		throw new Error(
			`usage: npm run bench -- [--scale 0<s<=1] [--only ${SCENARIOS.join(',')}]${unknown.length ? ` (unknown: ${unknown.join(', ')})` : ''}`,
		);
	}
	const profileDir = valueOf(argv, '--cpu-prof-dir');
	/** @type {Record<string, string>} */
	const n8nEnv = Object.fromEntries(
		argv
			.flatMap((arg, i) =>
				arg === '--n8n-env'
					? [argv[i + 1] ?? '']
					: arg.startsWith('--n8n-env=')
						? [arg.slice('--n8n-env='.length)]
						: [],
			)
			.map((pair) => {
				const at = pair.indexOf('=');
				if (at < 1) throw new Error(`--n8n-env needs NAME=value, got "${pair}"`);
				return [pair.slice(0, at), pair.slice(at + 1)];
			}),
	);
	const tuned = Boolean(profileDir) || Object.keys(n8nEnv).length > 0;
	return {
		scale,
		only,
		profileDir,
		n8nEnv,
		full: scale === 1 && !tuned && SCENARIOS.every((s) => only.includes(s)),
	};
}

/** @param {string[]} argv @param {string} flag */
function valueOf(argv, flag) {
	const at = argv.findIndex((a) => a === flag || a.startsWith(`${flag}=`));
	if (at < 0) return undefined;
	return argv[at].includes('=') ? argv[at].split('=')[1] : argv[at + 1];
}

// ── the workflows ────────────────────────────────────────────────────────────────────────────────────

/** @param {string} key @param {any} nodeUnderTest @param {string} simUrl */
function benchWorkflow(key, nodeUnderTest, simUrl) {
	const id = cli.workflowIdFor(`bench/${key}`);
	const node = (
		/** @type {string} */ name,
		/** @type {string} */ type,
		/** @type {number} */ typeVersion,
		/** @type {number} */ x,
		parameters = {},
		extra = {},
	) => ({
		id: crypto.randomUUID(),
		name,
		type,
		typeVersion,
		position: [x, 0],
		parameters,
		...extra,
	});
	const nodes = [
		node(
			'Webhook',
			'n8n-nodes-base.webhook',
			2,
			0,
			{
				httpMethod: 'POST',
				path: `bench-${key}`,
				responseMode: 'lastNode',
				responseData: 'allEntries',
				options: {},
			},
			{ webhookId: crypto.randomUUID() },
		),
		node('Tasks', 'n8n-nodes-base.splitOut', 1, 220, {
			fieldToSplitOut: 'body.tasks',
			options: {},
		}),
		{ ...nodeUnderTest(simUrl), id: crypto.randomUUID(), name: 'Under test', position: [440, 0] },
		node('Outputs', 'n8n-nodes-base.merge', 3, 680, {}),
	];
	const to = (/** @type {string} */ name, index = 0) => ({ node: name, type: 'main', index });
	return {
		id,
		name: `Bench: ${RUNNERS[/** @type {keyof typeof RUNNERS} */ (key)].title}`,
		active: false,
		nodes,
		connections: {
			Webhook: { main: [[to('Tasks')]] },
			Tasks: { main: [[to('Under test')]] },
			// Success to the Merge's first input, Error to its second: the answer holds both.
			'Under test': { main: [[to('Outputs', 0)], [to('Outputs', 1)]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/** @param {Record<string, unknown>} options */
const defenderNode = (options) => () => ({
	type: `${PACKAGE}.microsoftDefenderXdr`,
	typeVersion: 1,
	parameters: {
		resource: 'incidentTask',
		operation: 'executeResponseAction',
		incidentTaskId: '={{ $json.id }}',
		actionType: '={{ $json.actionType }}',
		options,
	},
	credentials: { microsoftDefenderXdrOAuth2Api: DEFENDER_CREDENTIAL },
});

/** n8n's HTTP Request node as a user would set it up: one POST per item, Retry On Fail 5 tries, 1 s apart. */
const httpRequestNode = (/** @type {string} */ simUrl) => ({
	type: 'n8n-nodes-base.httpRequest',
	typeVersion: 4.2,
	parameters: {
		method: 'POST',
		url: `=${simUrl}/beta/security/incidentTasks/{{ encodeURIComponent($json.id) }}/executeResponseAction`,
		authentication: 'genericCredentialType',
		genericAuthType: 'httpHeaderAuth',
		options: {},
	},
	credentials: { httpHeaderAuth: HEADER_CREDENTIAL },
	retryOnFail: true,
	maxTries: 5,
	waitBetweenTries: 1000,
});

const noOpNode = () => ({ type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} });

/** Isolate with each device's ID mapped from the item, the options at their defaults. */
const isolateNode = () => ({
	type: `${PACKAGE}.microsoftDefenderXdr`,
	typeVersion: 1,
	parameters: {
		resource: 'device',
		operation: 'isolate',
		deviceId: '={{ $json.deviceId }}',
		isolationType: 'full',
		options: {},
	},
	credentials: { microsoftDefenderEndpointOAuth2Api: ENDPOINT_CREDENTIAL },
});

/** Import of a feed of file hashes: the value from the item, the rest fixed, as a threat-feed workflow sets it. */
const indicatorImportNode = () => ({
	type: `${PACKAGE}.microsoftDefenderXdr`,
	typeVersion: 1,
	parameters: {
		resource: 'indicator',
		operation: 'import',
		indicatorType: 'FileSha256',
		indicatorValue: '={{ $json.indicatorValue }}',
		action: 'Block',
		title: 'Threat feed',
		description: 'Imported by the bench',
		options: {},
	},
	credentials: { microsoftDefenderEndpointOAuth2Api: ENDPOINT_CREDENTIAL },
});

const NODE_UNDER_TEST = {
	defender: defenderNode(RUNNERS.defender.options),
	defender16: defenderNode(RUNNERS.defender16.options),
	httpRequest: httpRequestNode,
	noOp: noOpNode,
	isolate: isolateNode,
	indicatorImport: indicatorImportNode,
};

// ── measuring n8n from outside ───────────────────────────────────────────────────────────────────────

const CLOCK_TICKS =
	Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** CPU seconds of every process in a process group (n8n and its task runners), reaped children included. @param {number} pgid */
function groupCpuSeconds(pgid) {
	let ticks = 0;
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		let stat;
		try {
			stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
		} catch {
			continue; // ended meanwhile
		}
		// Fields after "(comm) ": state ppid pgrp ... utime(14) stime(15) cutime(16) cstime(17), 1-based.
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		if (Number(fields[2]) !== pgid) continue;
		ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
	}
	return ticks / CLOCK_TICKS;
}

/** Resident memory of one process in MB. @param {number} pid */
function rssMb(pid) {
	const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
	return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/**
 * The n8n server's live heap through its inspector (Chrome DevTools Protocol over the global WebSocket, so
 * this script runs with --experimental-websocket): a full garbage collection, then the heap still in use.
 * RSS alone would mostly show how lazily V8 collects on a machine with memory to spare.
 * @param {number} port
 */
async function connectInspector(port) {
	const targets = JSON.parse((await cli.httpGet(`http://127.0.0.1:${port}/json/list`)).body);
	const socket = new WebSocket(targets[0].webSocketDebuggerUrl);
	await new Promise((resolve, reject) => {
		socket.onopen = resolve;
		socket.onerror = () => reject(new Error(`no inspector on port ${port}`));
	});
	let nextId = 1;
	/** @type {Map<number, { resolve: (value: any) => void, reject: (error: Error) => void }>} */
	const pending = new Map();
	socket.onmessage = (event) => {
		const message = JSON.parse(String(event.data));
		const waiter = pending.get(message.id);
		if (!waiter) return;
		pending.delete(message.id);
		if (message.error) waiter.reject(new Error(message.error.message));
		else waiter.resolve(message.result);
	};
	/** @param {string} method */
	const send = (method) =>
		new Promise((resolve, reject) => {
			const id = nextId++;
			pending.set(id, { resolve, reject });
			socket.send(JSON.stringify({ id, method }));
		});
	return {
		async liveHeapMb() {
			await send('HeapProfiler.collectGarbage');
			const usage = await send('Runtime.getHeapUsage');
			return usage.usedSize / 2 ** 20;
		},
		close: () => socket.close(),
	};
}

/**
 * POSTs a JSON body and reads a JSON answer, within `timeoutMs`.
 * @param {string} url @param {unknown} body @param {number} timeoutMs
 * @returns {Promise<{ status: number, body: any }>}
 */
function postJson(url, body, timeoutMs) {
	const payload = JSON.stringify(body);
	return new Promise((resolve, reject) => {
		const req = http.request(
			url,
			{
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					'content-length': Buffer.byteLength(payload),
				},
			},
			(res) => {
				/** @type {Buffer[]} */
				const chunks = [];
				res.on('data', (c) => chunks.push(c));
				res.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8');
					let parsed;
					try {
						parsed = JSON.parse(text);
					} catch {
						parsed = text;
					}
					resolve({ status: res.statusCode ?? 0, body: parsed });
				});
			},
		);
		const timer = setTimeout(
			() => req.destroy(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`)),
			timeoutMs,
		);
		req.on('close', () => clearTimeout(timer));
		req.on('error', reject);
		req.end(payload);
	});
}

// ── reading the simulator's log ──────────────────────────────────────────────────────────────────────

const TASKS_PATH = '/beta/security/incidentTasks';
const EXECUTE_PATH = /\/executeResponseAction$/i;

/** @param {{ path: string }} r */
const isLogin = (r) => /\/oauth2\/v2\.0\//.test(r.path);
/** @param {{ method: string, path: string }} r */
const isPost = (r) => r.method === 'POST' && EXECUTE_PATH.test(r.path.split('?')[0]);
/** @param {string} requestPath */
const taskIdOf = (requestPath) => {
	const bare = requestPath.split('?')[0];
	if (!bare.startsWith(`${TASKS_PATH}/`)) return undefined;
	return decodeURIComponent(bare.slice(TASKS_PATH.length + 1).split('/')[0]);
};

/**
 * What the simulator saw during one run.
 * @param {import('../simulator').Simulator} sim
 */
function readLog(sim) {
	const requests = sim.requests.slice();
	const graph = requests.filter((r) => !isLogin(r));
	const startMs = Math.min(...requests.map((r) => Date.parse(r.at)));
	const endMs = Math.max(...requests.map((r) => Date.parse(r.at) + (r.durationMs ?? 0)));
	const posts = graph.filter(isPost);
	// A POST is a duplicate when it is sent for a task whose action an earlier POST already ran.
	const executedBy = new Map(sim.executions.map((e) => [e.requestId, e.taskId]));
	const ran = new Set();
	let duplicatePosts = 0;
	for (const post of posts.slice().sort((a, b) => Date.parse(a.at) - Date.parse(b.at))) {
		const taskId = taskIdOf(post.path);
		if (ran.has(taskId)) duplicatePosts++;
		if (executedBy.has(post.requestId)) ran.add(taskId);
	}
	return {
		seconds: requests.length ? (endMs - startMs) / 1000 : 0,
		apiRequests: graph.length,
		byKind: {
			posts: posts.length,
			reads: graph.filter((r) => r.method === 'GET' && taskIdOf(r.path) !== undefined).length,
			listings: graph.filter((r) => r.method === 'GET' && r.path.split('?')[0] === TASKS_PATH)
				.length,
			throttled: graph.filter((r) => r.status === 429).length,
			logins: requests.length - graph.length,
		},
		executedTasks: new Set(sim.executions.map((e) => e.taskId)).size,
		duplicatePosts,
		maxInFlight: maxOverlap(posts),
	};
}

const MACHINE_ACTION_PATH = /^\/api\/machines\/[^/]+\/[a-z]+$/i;
const IMPORT_PATH = /^\/api\/indicators\/import$/i;

/**
 * What the simulator saw of a Defender for Endpoint run: the span of its /api/ requests, what they were, and the
 * duplicates that matter there: a device with a second action, an indicator in a second import.
 * @param {import('../simulator').Simulator} sim
 */
function readEndpointLog(sim) {
	const requests = sim.requests.slice();
	const api = requests.filter((r) => r.path.startsWith('/api/'));
	const bare = (/** @type {{ path: string }} */ r) => r.path.split('?')[0];
	const startMs = Math.min(...api.map((r) => Date.parse(r.at)));
	const endMs = Math.max(...api.map((r) => Date.parse(r.at) + (r.durationMs ?? 0)));
	const actionPosts = api.filter((r) => r.method === 'POST' && MACHINE_ACTION_PATH.test(bare(r)));
	const imports = api.filter((r) => r.method === 'POST' && IMPORT_PATH.test(bare(r)));
	const changes = actionPosts.length ? actionPosts : imports;
	// Only the requests the simulator took in (not refused with a 429) did any work.
	const handled = changes.filter((r) => r.status !== 429 && r.status !== 0);
	const actionsPerMachine = Object.values(countBy(sim.machineActions.map((a) => a.machineId)));
	/** @type {Map<string, number>} */
	const imported = new Map();
	for (const request of imports.filter((r) => r.status === 200)) {
		const body = typeof request.body === 'string' ? JSON.parse(request.body) : request.body;
		for (const indicator of body?.Indicators ?? []) {
			const key = String(indicator.indicatorValue).toLowerCase();
			imported.set(key, (imported.get(key) ?? 0) + 1);
		}
	}
	const beyondOne = (/** @type {Iterable<number>} */ counts) =>
		sum([...counts].map((count) => Math.max(0, count - 1)));
	return {
		seconds: api.length ? (endMs - startMs) / 1000 : 0,
		apiRequests: api.length,
		byKind: {
			actionPosts: actionPosts.length,
			imports: imports.length,
			reads: api.filter((r) => r.method === 'GET').length,
			throttled: api.filter((r) => r.status === 429).length,
			logins: requests.length - api.length,
		},
		/** What the simulator spent answering the requests that changed something, one after another. */
		serviceSeconds: sum(handled.map((r) => r.durationMs ?? 0)) / 1000,
		executedTasks: actionPosts.length ? sim.machineActions.length : imported.size,
		duplicatePosts: actionPosts.length
			? beyondOne(actionsPerMachine)
			: beyondOne(imported.values()),
		maxInFlight: maxOverlap(changes),
	};
}

/** The most requests open at the same moment. @param {Array<{ at: string, durationMs?: number }>} requests */
function maxOverlap(requests) {
	const events = requests.flatMap((r) => {
		const start = Date.parse(r.at);
		return [
			[start, 1],
			[start + (r.durationMs ?? 0), -1],
		];
	});
	// At equal times an answer closes before the next request opens.
	events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
	let open = 0;
	let most = 0;
	for (const [, step] of events) most = Math.max(most, (open += step));
	return most;
}

// ── one run ──────────────────────────────────────────────────────────────────────────────────────────

/**
 * @typedef {{ url: string, port: number, process: import('node:child_process').ChildProcess, stop: () => Promise<void>, log: () => string }} Server
 * @typedef {{ runner: keyof typeof RUNNERS, count: number, simulator: import('../simulator').SettingsPatch, timeoutMs: number }} RunSpec
 */

/**
 * @typedef {{
 *   seed: (sim: import('../simulator').Simulator, count: number, prefix: string) => Promise<Array<Record<string, string>>>,
 *   keyOf: (input: Record<string, string>) => string,
 *   keyOfOutput: (item: any) => unknown,
 *   read: (sim: import('../simulator').Simulator) => ReturnType<typeof readLog> | ReturnType<typeof readEndpointLog>,
 * }} Workload
 */

/** What each runner is fed and how its run is read: incident tasks on Graph, devices or indicators on Defender for Endpoint. */
const WORKLOADS = /** @type {Record<'tasks' | 'devices' | 'indicators', Workload>} */ ({
	tasks: {
		async seed(sim, count, prefix) {
			const tasks = Array.from({ length: count }, (_, i) => ({
				id: `${prefix}-${i}`,
				actionType: EXECUTABLE_ACTION_TYPES[i % EXECUTABLE_ACTION_TYPES.length],
			}));
			for (const task of tasks) sim.addTask(task);
			return tasks;
		},
		keyOf: (task) => task.id,
		keyOfOutput: (item) => item?.incidentTaskId ?? item?.id,
		read: readLog,
	},
	devices: {
		async seed(sim, count, prefix) {
			return Array.from({ length: count }, (_, i) => ({
				deviceId: sim.addMachine({ computerDnsName: `${prefix}-${i}.bench.contoso.com` }).id,
			}));
		},
		keyOf: (device) => device.deviceId,
		keyOfOutput: (item) => item?.deviceId,
		read: readEndpointLog,
	},
	indicators: {
		async seed(sim, count, prefix) {
			// The tenant holds at most 15,000 indicators: the seeded ones go, so the run's own can fill it.
			const token = sim.issueEndpointToken();
			for (const indicator of sim.endpointState().indicators) {
				const answer = await fetch(`${sim.url}/api/indicators/${indicator.id}`, {
					method: 'DELETE',
					headers: { authorization: `Bearer ${token}` },
				});
				if (answer.status !== 204)
					throw new Error(`deleting seeded indicator ${indicator.id}: HTTP ${answer.status}`);
			}
			const stem = crypto.createHash('sha256').update(prefix).digest('hex').slice(0, 56);
			return Array.from({ length: count }, (_, i) => ({
				indicatorValue: `${stem}${i.toString(16).padStart(8, '0')}`,
			}));
		},
		keyOf: (indicator) => indicator.indicatorValue,
		keyOfOutput: (item) => item?.indicatorValue,
		read: readEndpointLog,
	},
});

/** @param {keyof typeof RUNNERS} runner */
const workloadOf = (runner) =>
	WORKLOADS[
		runner === 'isolate' ? 'devices' : runner === 'indicatorImport' ? 'indicators' : 'tasks'
	];

/**
 * Seeds `count` fresh inputs (open tasks, devices or indicators), posts them to the runner's webhook and measures
 * the run; with an inspector, also the live heap (see connectInspector).
 * @param {{ sim: import('../simulator').Simulator, server: Server }} env @param {RunSpec} spec
 * @param {Awaited<ReturnType<typeof connectInspector>>} [inspector]
 */
async function run({ sim, server }, spec, inspector) {
	const workload = workloadOf(spec.runner);
	sim.reset();
	const prefix = `${spec.runner}-${spec.count}-${Date.now().toString(36)}`;
	const tasks = await workload.seed(sim, spec.count, prefix);
	sim.configure({ latencyMs: 0, rateLimit: null, endpointRateLimits: null, ...spec.simulator });
	sim.clearLog();

	const pid = /** @type {number} */ (server.process.pid);
	const loadBefore = os.loadavg()[0];
	const liveHeapBefore = inspector ? await inspector.liveHeapMb() : undefined;
	let liveHeapPeak = liveHeapBefore ?? 0;
	const rssBefore = rssMb(pid);
	let rssPeak = rssBefore;
	let running = true;
	const rssSampler = setInterval(() => {
		rssPeak = Math.max(rssPeak, rssMb(pid));
	}, 100);
	// A full collection every 3 s while the run lasts: its CPU makes this a memory run only.
	const heapSampler = (async () => {
		while (inspector && running) {
			await new Promise((resolve) => setTimeout(resolve, 3000));
			if (running) liveHeapPeak = Math.max(liveHeapPeak, await inspector.liveHeapMb());
		}
	})();
	const cpuBefore = groupCpuSeconds(pid);
	// This process serves the simulator: its CPU shows what the stand-in for Graph took from the shared machine.
	const simulatorCpuBefore = process.cpuUsage();
	const started = Date.now();
	let answer;
	try {
		answer = await postJson(
			`${server.url}/webhook/bench-${spec.runner}`,
			{ tasks },
			spec.timeoutMs,
		);
	} catch (error) {
		answer = { status: 0, body: String(error instanceof Error ? error.message : error) };
	} finally {
		running = false;
		clearInterval(rssSampler);
	}
	const roundTripSeconds = (Date.now() - started) / 1000;
	const cpuSeconds = groupCpuSeconds(pid) - cpuBefore;
	const simulatorCpu = process.cpuUsage(simulatorCpuBefore);
	rssPeak = Math.max(rssPeak, rssMb(pid));
	await heapSampler;

	const items = answer.status === 200 && Array.isArray(answer.body) ? answer.body : [];
	const seen = new Map();
	for (const item of items) {
		const id = workload.keyOfOutput(item);
		seen.set(id, (seen.get(id) ?? 0) + 1);
	}
	return {
		runner: spec.runner,
		title: RUNNERS[spec.runner].title,
		count: spec.count,
		simulator: sim.settings(),
		ok: answer.status === 200,
		answer:
			answer.status === 200
				? `${items.length} items`
				: `HTTP ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`,
		success: items.filter((i) => i?.outcome && i.outcome !== 'failed').length,
		error: items.filter((i) => i?.outcome === 'failed').length,
		errorCodes: countBy(items.filter((i) => i?.outcome === 'failed').map((i) => i.error?.code)),
		// An input item on neither output (only meaningful for nodes that echo the task ID).
		lost: tasks.filter((t) => !seen.has(workload.keyOf(t))).length,
		roundTripSeconds,
		cpuSeconds,
		simulatorCpuSeconds: (simulatorCpu.user + simulatorCpu.system) / 1e6,
		rssBeforeMb: rssBefore,
		rssGrowthMb: rssPeak - rssBefore,
		liveHeapBeforeMb: liveHeapBefore,
		liveHeapGrowthMb: liveHeapBefore === undefined ? undefined : liveHeapPeak - liveHeapBefore,
		loadBefore,
		loadAfter: os.loadavg()[0],
		serviceSeconds: 0,
		...workload.read(sim),
	};
}

/** @param {unknown[]} values */
function countBy(values) {
	/** @type {Record<string, number>} */
	const counts = {};
	for (const value of values) counts[String(value)] = (counts[String(value)] ?? 0) + 1;
	return counts;
}

/** The fewest requests that still verify every task: one POST each, plus the listing pages that cover them. @param {number} tasks */
const fewestRequests = (tasks) => tasks + Math.ceil(tasks / LISTING_PAGE);

/** @param {number[]} values */
const median = (values) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)];

// ── scenarios ────────────────────────────────────────────────────────────────────────────────────────

/**
 * @typedef {Awaited<ReturnType<typeof run>>} RunResult
 * @typedef {{ scenario: string, result: RunResult, idealSeconds?: number, notes?: string }} Row
 * @typedef {{ sim: import('../simulator').Simulator, server: Server, inspectorPort: number, scale: number, rows: Row[], idleCpuPerSecond?: number }} Bench
 */

/** @param {Bench} bench @param {number} tasks */
const size = (bench, tasks) => Math.max(10, Math.round(tasks * bench.scale));

/** A generous bound on one run: several times what it should take, never less than two minutes. @param {number} expectedSeconds */
const boundMs = (expectedSeconds) =>
	Math.max(120_000, Math.round(expectedSeconds * 6_000) + 60_000);

/**
 * Runs, records and prints one row. Our node must always answer; the HTTP Request node may fail its execution.
 * @param {Bench} bench @param {string} scenario @param {RunSpec} spec
 * @param {{ idealSeconds?: number | ((r: RunResult) => number), notes?: (r: RunResult) => string, inspect?: boolean }} [row]
 */
async function measured(bench, scenario, spec, row = {}) {
	const inspector = row.inspect ? await connectInspector(bench.inspectorPort) : undefined;
	const result = await run(bench, spec, inspector).finally(() => inspector?.close());
	const idealSeconds =
		typeof row.idealSeconds === 'function' ? row.idealSeconds(result) : row.idealSeconds;
	/** @type {Row} */
	const entry = { scenario, result, idealSeconds, notes: row.notes?.(result) };
	bench.rows.push(entry);
	console.log(
		`  ${formatRow(entry).join('  ')}  [n8n RSS ${result.rssBeforeMb.toFixed(0)} MB +${result.rssGrowthMb.toFixed(0)}, load ${result.loadBefore.toFixed(1)}]`,
	);
	if (!result.ok && spec.runner !== 'httpRequest')
		throw new Error(
			`${result.title}, ${result.count} tasks: the webhook answered ${result.answer}`,
		);
	return result;
}

/** @param {Bench} bench */
async function latencyScenario(bench) {
	const count = size(bench, 1000);
	const latencyMs = 50;
	const ratios = [];
	const ours = [];
	for (const [runner, concurrency] of /** @type {const} */ ([
		['defender', DEFAULT_CONCURRENCY],
		['defender16', 16],
	])) {
		const idealSeconds = (fewestRequests(count) * latencyMs) / 1000 / concurrency;
		const result = await measured(
			bench,
			'latency',
			{ runner, count, simulator: { latencyMs }, timeoutMs: boundMs(idealSeconds * 2) },
			{ idealSeconds },
		);
		ratios.push(result.seconds / idealSeconds);
		ours.push(result);
	}
	const http = await measured(bench, 'latency', {
		runner: 'httpRequest',
		count,
		simulator: { latencyMs },
		timeoutMs: boundMs(30),
	});
	return {
		ratioToIdeal: round(Math.max(...ratios), 2),
		lost: sum(ours.map((r) => r.lost)),
		duplicatePosts: sum(ours.map((r) => r.duplicatePosts)),
		httpRequestNode: { seconds: round(http.seconds, 2), maxInFlight: http.maxInFlight },
	};
}

/** @param {Bench} bench */
async function throttledScenario(bench) {
	const count = size(bench, 600);
	// 300 requests a minute; a shorter run keeps the rate and shrinks the window with the task count.
	const rateLimit = {
		requests: Math.max(5, Math.round(300 * bench.scale)),
		windowSeconds: 60 * bench.scale,
	};
	const perSecond = rateLimit.requests / rateLimit.windowSeconds;
	const idealSeconds = fewestRequests(count) / perSecond;
	const simulator = { rateLimit };
	const ours = await measured(
		bench,
		'throttled',
		{ runner: 'defender', count, simulator, timeoutMs: boundMs(idealSeconds * 2) },
		{ idealSeconds },
	);
	const http = await measured(
		bench,
		'throttled',
		{ runner: 'httpRequest', count, simulator, timeoutMs: boundMs(60) },
		{
			notes: (r) =>
				`${r.executedTasks} of ${r.count} executed, execution ${r.ok ? 'succeeded' : 'failed'}`,
		},
	);
	return {
		ratioToIdeal: round(ours.seconds / idealSeconds, 2),
		requestsPerTask: round(ours.apiRequests / count, 3),
		lost: ours.lost,
		duplicatePosts: ours.duplicatePosts,
		httpRequestNode: {
			executed: http.executedTasks,
			duplicatePosts: http.duplicatePosts,
			failed: !http.ok,
		},
	};
}

/** @param {Bench} bench @param {boolean} withScaling @param {boolean} withOverhead */
async function scalingAndOverhead(bench, withScaling, withOverhead) {
	const perItemMs = (/** @type {RunResult} */ r) => (r.seconds * 1000) / r.count;
	const note = (/** @type {RunResult} */ r) => `${perItemMs(r).toFixed(2)} ms per item`;
	/** @type {Record<string, number>} */
	const scaling = {};
	/** Three runs: the machine is shared, so one run says as much about the neighbours as about the node. */
	const threeRuns = async (/** @type {number} */ tasks) => {
		const runs = [];
		for (let i = 0; i < 3; i++)
			runs.push(
				await measured(
					bench,
					withScaling ? 'scaling' : 'overhead',
					{
						runner: 'defender',
						count: size(bench, tasks),
						simulator: {},
						timeoutMs: boundMs(tasks / 20),
					},
					{ notes: note },
				),
			);
		return runs;
	};
	if (withScaling) {
		for (const tasks of [100, 1000])
			scaling[String(tasks)] = round(median((await threeRuns(tasks)).map(perItemMs)), 3);
	}
	const count = size(bench, 10_000);
	const big = await threeRuns(10_000);
	if (withScaling) scaling['10000'] = round(median(big.map(perItemMs)), 3);
	if (!withOverhead) return { scaling: { perItemMs: scaling } };
	// The same workflow with n8n's No Operation node in our node's place: what n8n spends on the items anyway.
	const baseline = await measured(
		bench,
		'overhead',
		{ runner: 'noOp', count, simulator: {}, timeoutMs: boundMs(count / 500) },
		{
			notes: (r) => `n8n CPU ${r.cpuSeconds.toFixed(1)} s for the workflow without our node`,
		},
	);
	// What n8n burns while nothing runs (its own timers): not the node's, so taken out. Measured once the last
	// run's garbage is collected.
	await new Promise((resolve) => setTimeout(resolve, 5_000));
	const idleCpuBefore = groupCpuSeconds(/** @type {number} */ (bench.server.process.pid));
	await new Promise((resolve) => setTimeout(resolve, 10_000));
	const idleCpuPerSecond =
		(groupCpuSeconds(/** @type {number} */ (bench.server.process.pid)) - idleCpuBefore) / 10;
	console.log(`  n8n idle: ${(idleCpuPerSecond * 1000).toFixed(1)} ms of CPU a second`);
	const busyCpu = (/** @type {RunResult} */ r) =>
		r.cpuSeconds - idleCpuPerSecond * r.roundTripSeconds;
	const memory = await measured(
		bench,
		'overhead',
		{ runner: 'defender', count, simulator: {}, timeoutMs: boundMs(count / 20) },
		{
			inspect: true,
			notes: (r) =>
				`memory run (a full GC every 3 s): live heap +${r.liveHeapGrowthMb?.toFixed(1)} MB at most, RSS +${r.rssGrowthMb.toFixed(0)} MB`,
		},
	);
	bench.idleCpuPerSecond = idleCpuPerSecond;
	return {
		scaling: withScaling ? { perItemMs: scaling } : undefined,
		overhead: {
			cpuMsPerItem: round(((median(big.map(busyCpu)) - busyCpu(baseline)) * 1000) / count, 3),
			memoryGrowthMb: round(/** @type {number} */ (memory.liveHeapGrowthMb), 1),
		},
	};
}

/**
 * 300 device isolations with Defender for Endpoint's limit of 100 calls a minute. Bursts are allowed: the ideal sends
 * 100 at once, the next 100 a minute later and so on, so its time is the minutes of waiting plus the simulator's own
 * time for the POSTs at the node's concurrency.
 * @param {Bench} bench
 */
async function isolationsScenario(bench) {
	const count = size(bench, 300);
	const perMinute = 100;
	const waitSeconds = Math.floor((count - 1) / perMinute) * 60;
	const ideal = (/** @type {RunResult} */ r) =>
		waitSeconds + r.serviceSeconds / DEFAULT_CONCURRENCY;
	const result = await measured(
		bench,
		'isolations',
		{
			runner: 'isolate',
			count,
			simulator: { endpointRateLimits: { perMinute } },
			timeoutMs: 3 * waitSeconds * 1000 + 120_000,
		},
		{
			idealSeconds: ideal,
			notes: (r) =>
				`${r.byKind.actionPosts} POSTs, ${r.byKind.throttled} answered 429, ${r.executedTasks} actions for ${r.count} devices; limit ${perMinute}/min`,
		},
	);
	const failed = result.error;
	return {
		seconds: round(result.seconds, 2),
		webhookSeconds: round(result.roundTripSeconds, 2),
		idealSeconds: round(ideal(result), 2),
		ratioToIdeal: round(result.seconds / ideal(result), 3),
		requestsPerAction: round(result.apiRequests / count, 3),
		throttled: result.byKind.throttled,
		duplicateActions: result.duplicatePosts,
		lost: result.lost,
		failed,
	};
}

/**
 * 15,000 indicators (the tenant's cap) imported, 500 per request: 30 requests, with Defender for Endpoint's limits
 * (30 imports a minute). Thirty requests fit in one minute's budget, so the ideal waits for nothing: it is the
 * simulator's own time for the imports, sent one after another.
 * @param {Bench} bench
 */
async function indicatorsScenario(bench) {
	const count = size(bench, 15_000);
	const requests = Math.ceil(count / IMPORT_BATCH);
	const perMinute = 30;
	const waitSeconds = Math.floor((requests - 1) / perMinute) * 60;
	const ideal = (/** @type {RunResult} */ r) => waitSeconds + r.serviceSeconds;
	const result = await measured(
		bench,
		'indicators',
		{
			runner: 'indicatorImport',
			count,
			simulator: { endpointRateLimits: {} },
			timeoutMs: 3 * waitSeconds * 1000 + 300_000,
		},
		{
			idealSeconds: ideal,
			notes: (r) =>
				`${r.byKind.imports} import requests (ideal ${requests}), ${r.byKind.throttled} answered 429, ${r.executedTasks} indicators saved; limit ${perMinute} imports/min`,
		},
	);
	return {
		seconds: round(result.seconds, 2),
		idealSeconds: round(ideal(result), 2),
		ratioToIdeal: round(result.seconds / ideal(result), 3),
		webhookSeconds: round(result.roundTripSeconds, 2),
		importRequests: result.byKind.imports,
		throttled: result.byKind.throttled,
		indicatorsSentTwice: result.duplicatePosts,
		saved: result.executedTasks,
		lost: result.lost,
		failed: result.error,
	};
}

/** @param {number[]} values */
const sum = (values) => values.reduce((a, b) => a + b, 0);
/** @param {number} value @param {number} digits */
const round = (value, digits) => Number(value.toFixed(digits));

// ── the table ────────────────────────────────────────────────────────────────────────────────────────

const COLUMNS = [
	'scenario',
	'run',
	'tasks',
	'seconds',
	'ideal s',
	'ratio',
	'req/task',
	'in flight',
	'lost',
	'dup POSTs',
	'CPU ms/item',
	'notes',
];
const WIDTHS = [10, 42, 6, 8, 8, 6, 8, 9, 5, 9, 11, 0];

/** @param {Row} row */
function formatRow({ scenario, result: r, idealSeconds, notes }) {
	const cells = [
		scenario,
		r.title,
		String(r.count),
		r.seconds.toFixed(2),
		idealSeconds === undefined ? '-' : idealSeconds.toFixed(2),
		idealSeconds === undefined ? '-' : (r.seconds / idealSeconds).toFixed(2),
		(r.apiRequests / r.count).toFixed(r.apiRequests / r.count < 0.1 ? 4 : 2),
		String(r.maxInFlight),
		r.runner === 'httpRequest' ? '-' : String(r.lost),
		String(r.duplicatePosts),
		((r.cpuSeconds * 1000) / r.count).toFixed(2),
		notes ?? (r.ok ? '' : `failed: ${r.answer}`),
	];
	return cells.map((cell, i) => (WIDTHS[i] ? cell.padEnd(WIDTHS[i]) : cell));
}

/** @param {Row[]} rows */
function printTable(rows) {
	const header = COLUMNS.map((c, i) => (WIDTHS[i] ? c.padEnd(WIDTHS[i]) : c)).join('  ');
	console.log(`\n${header}\n${'-'.repeat(header.length + 20)}`);
	for (const row of rows) console.log(formatRow(row).join('  '));
}

// ── main ─────────────────────────────────────────────────────────────────────────────────────────────

/** n8n settings for the bench server: executions are not saved, so sqlite's work is not measured as the node's. */
const N8N_ENV = {
	EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'none',
	EXECUTIONS_DATA_SAVE_ON_ERROR: 'none',
	EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'false',
	N8N_LOG_LEVEL: 'warn',
};

async function main() {
	const args = parseArgs(process.argv.slice(2));
	const started = Date.now();
	console.log(
		`Bench in real n8n (line ${N8N_LINE}) against the simulator${args.scale < 1 ? `, at ${args.scale} of the full size` : ''}: ${args.only.join(', ')}`,
	);
	const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'defender-xdr-bench-pack-'));
	const folder = cli.makeUserFolder('defender-xdr-bench-n8n-');
	const sim = await startSimulator();
	/** @type {Server | undefined} */
	let server;
	const loadAtStart = os.loadavg();
	try {
		const tarball = cli.buildAndPack(packDir);
		const install = await ensureN8n(N8N_LINE, { log: (text) => console.log(`  ${text}`) });
		await cli.installCommunityPackage(install, folder, tarball);
		await cli.importCredentials(install, folder, [
			{
				...DEFENDER_CREDENTIAL,
				type: 'microsoftDefenderXdrOAuth2Api',
				data: simulatorCredential(sim),
			},
			{
				...ENDPOINT_CREDENTIAL,
				type: 'microsoftDefenderEndpointOAuth2Api',
				data: simulatorEndpointCredential(sim),
			},
			{
				...HEADER_CREDENTIAL,
				type: 'httpHeaderAuth',
				data: {
					name: 'Authorization',
					value: `Bearer ${sim.issueToken({ lifetimeSeconds: 24 * 3600 })}`,
				},
			},
		]);
		const keys = /** @type {Array<keyof typeof RUNNERS>} */ (Object.keys(RUNNERS));
		const workflows = keys.map((key) => benchWorkflow(key, NODE_UNDER_TEST[key], sim.url));
		await cli.importWorkflow(install, folder, workflows);
		for (const workflow of workflows) await cli.activateWorkflow(install, folder, workflow.id);
		// The inspector only answers the memory run; --cpu-prof writes V8 profiles when n8n stops.
		const inspectorPort = await cli.freePort();
		const nodeOptions = [
			`--inspect=127.0.0.1:${inspectorPort}`,
			...(args.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(args.profileDir)}`] : []),
		];
		server = await cli.startN8n(install, folder, {
			env: { ...N8N_ENV, ...args.n8nEnv, NODE_OPTIONS: nodeOptions.join(' ') },
			timeoutMs: 300_000,
		});
		console.log(
			`n8n ${install.version} (Node ${install.nodeVersion}) serving the bench workflows after ${((Date.now() - started) / 1000).toFixed(0)} s; load ${loadAtStart.map((l) => l.toFixed(1)).join(' ')}\n`,
		);

		/** @type {Bench} */
		const bench = { sim, server, inspectorPort, scale: args.scale, rows: [] };
		const graphScenarios = args.only.some((scenario) => GRAPH_SCENARIOS.includes(scenario));
		/** @type {Array<keyof typeof RUNNERS>} */
		const needed = [
			...(graphScenarios ? GRAPH_RUNNERS : []),
			...(args.only.includes('isolations') ? /** @type {const} */ (['isolate']) : []),
			...(args.only.includes('indicators') ? /** @type {const} */ (['indicatorImport']) : []),
		];
		// n8n registers the webhooks shortly after it is ready.
		for (const runner of needed) {
			const deadline = Date.now() + 60_000;
			let first = await run(bench, { runner, count: 20, simulator: {}, timeoutMs: 120_000 });
			while (!first.ok && /HTTP 404/.test(first.answer) && Date.now() < deadline) {
				await new Promise((resolve) => setTimeout(resolve, 1000));
				first = await run(bench, { runner, count: 20, simulator: {}, timeoutMs: 120_000 });
			}
			if (!first.ok)
				throw new Error(
					`the first run of ${first.title} failed: ${first.answer}\n${server.log().split('\n').slice(-30).join('\n')}`,
				);
		}
		// Warm-up, not reported: a running n8n has its code compiled and its heap grown; the first thousand items would
		// otherwise pay for that (twice the CPU per item in a first run here).
		for (const runner of graphScenarios
			? /** @type {const} */ (['defender', 'defender', 'defender16', 'httpRequest'])
			: []) {
			const warm = await run(bench, {
				runner,
				count: size(bench, 1000),
				simulator: {},
				timeoutMs: 300_000,
			});
			if (!warm.ok) throw new Error(`warm-up of ${warm.title} failed: ${warm.answer}`);
		}

		const results = {};
		if (args.only.includes('latency'))
			Object.assign(results, { latency: await latencyScenario(bench) });
		if (args.only.includes('throttled'))
			Object.assign(results, { throttled: await throttledScenario(bench) });
		if (args.only.includes('scaling') || args.only.includes('overhead')) {
			const { scaling, overhead } = await scalingAndOverhead(
				bench,
				args.only.includes('scaling'),
				args.only.includes('overhead'),
			);
			Object.assign(results, scaling ? { scaling } : {}, overhead ? { overhead } : {});
		}
		if (args.only.includes('isolations'))
			Object.assign(results, { isolations: await isolationsScenario(bench) });
		if (args.only.includes('indicators'))
			Object.assign(results, { indicators: await indicatorsScenario(bench) });
		printTable(bench.rows);
		console.log(`\n${JSON.stringify(results, null, 2)}`);
		const loadAtEnd = os.loadavg();
		console.log(
			`\nload average ${loadAtStart.map((l) => l.toFixed(1)).join(' ')} at the start, ${loadAtEnd.map((l) => l.toFixed(1)).join(' ')} at the end (${os.cpus().length} CPUs); ${((Date.now() - started) / 1000).toFixed(0)} s in all`,
		);
		if (args.full) {
			fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
			fs.writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
			const details = {
				date: new Date().toISOString(),
				n8n: install.version,
				node: install.nodeVersion,
				machine: {
					cpus: os.cpus().length,
					model: os.cpus()[0]?.model,
					memoryGb: round(os.totalmem() / 2 ** 30, 1),
					loadAverageAtStart: loadAtStart,
					loadAverageAtEnd: loadAtEnd,
				},
				n8nIdleCpuSecondsPerSecond: bench.idleCpuPerSecond,
				runs: bench.rows.map(({ scenario, result, idealSeconds }) => ({
					scenario,
					idealSeconds,
					...result,
				})),
			};
			fs.writeFileSync(
				DETAILS_FILE,
				`${JSON.stringify(details, (_key, value) => (typeof value === 'number' ? round(value, 3) : value), 2)}\n`,
			);
			console.log(
				`wrote ${path.relative(REPO, RESULTS_FILE)} and ${path.relative(REPO, DETAILS_FILE)}`,
			);
		}
	} finally {
		if (server) await server.stop();
		await sim.stop();
		folder.remove();
		fs.rmSync(packDir, { recursive: true, force: true });
	}
}

if (require.main === module) {
	main().catch((error) => {
		console.error(error instanceof Error ? error.stack || error.message : error);
		process.exitCode = 1;
	});
}

module.exports = { parseArgs, readLog, maxOverlap };
