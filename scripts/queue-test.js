#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * Queue-mode test (`npm run test:queue`): the package in n8n's scaling setup, a main instance and two
 * workers sharing PostgreSQL and Redis, against the Defender simulator.
 *
 *  1. PostgreSQL and Redis from Debian's packages (installed with apt-get when missing), each on a free
 *     loopback port in a temp data directory (scripts/queue-services.js).
 *  2. The package is built, packed and installed from its tarball into the main's and each worker's
 *     user folder; the credential and the workflows are imported into PostgreSQL with the n8n CLI.
 *  3. Fan-out, twice (without and with the simulator rate-limiting the app): 1,000 fresh open tasks,
 *     20 concurrent webhook calls of 50 tasks each to test/queue/fan-out-webhook.json. Checked from the
 *     simulator's ground truth and from the executions n8n stored in PostgreSQL.
 *  4. Trigger: the main restarts with examples/new-task-trigger-execute.json active; a task added to the
 *     simulator is emitted once (the poll runs on the main only) and executed once (on a worker).
 *
 *   npm run test:queue
 *   QUEUE_TEST_VERBOSE=1   list every check, not only failures
 *   QUEUE_TEST_KEEP=1      keep the n8n user folders (the servers' data directories are always removed)
 *   QUEUE_TEST_THROTTLED_CONCURRENCY=4   the node's Concurrency in the rate-limited run (default 1)
 *
 * The last line of output is `N passed, M failed`; the exit code is 1 when anything failed. Everything it
 * started is stopped, and its temp folders removed, also when a check fails or on Ctrl-C.
 */

const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const cli = require('./n8n-cli');
const { ensureN8n } = require('./n8n-install');
const { ensureDebianPackages, startPostgres, startRedis } = require('./queue-services');
const { startSimulator, EXECUTABLE_ACTION_TYPES } = require('../simulator');
const { simulatorCredential } = require('../simulator/credential');

const REPO = path.resolve(__dirname, '..');
const PACKAGE = require('../package.json');
const N8N_LINE = '2';
const WORKERS = 2;
/** Executions each worker runs at once (n8n's default). */
const WORKER_CONCURRENCY = 10;
const CALLS = 20;
const TASKS_PER_CALL = 50;
const TASKS = CALLS * TASKS_PER_CALL;
/**
 * Microsoft publishes 150 requests a minute per app per tenant for some /security resources (alert, securityActions,
 * secureScore) and no figure for incident tasks; the test assumes that budget, counted per 5 s to keep the run short.
 */
const RATE_LIMIT = { requests: 150, windowSeconds: 5 };
/** Sized for a shared budget: 20 requests in flight instead of 80 (see docs/running-at-scale.md). */
const THROTTLED_CONCURRENCY = Number(process.env.QUEUE_TEST_THROTTLED_CONCURRENCY || 1);
const FAN_OUT_FILE = path.join(REPO, 'test', 'queue', 'fan-out-webhook.json');
const TRIGGER_FILE = 'new-task-trigger-execute.json';
const CREDENTIAL = { id: 'defender-xdr-simulator', name: 'Defender XDR (simulator)', type: 'microsoftDefenderXdrOAuth2Api' };
const NODE = { webhook: 'Tasks posted', splitOut: 'One item per task', defender: 'Execute response action' };
const TRIGGER_NODE = { trigger: 'New incident task', defender: 'Execute response action' };
const VERBOSE = process.env.QUEUE_TEST_VERBOSE === '1';

/** @param {number} ms */
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Checks, printed as they are made; a group that throws is one failed check named after it. */
class Report {
	constructor() {
		this.passed = 0;
		this.failed = 0;
		/** @type {string[]} */
		this.failures = [];
		/** @type {Array<[string, string]>} */
		this.figures = [];
	}

	/** @param {string} name @param {() => void} fn */
	check(name, fn) {
		try {
			fn();
			this.passed++;
			if (VERBOSE) console.log(`    ✓ ${name}`);
		} catch (error) {
			this.failed++;
			this.failures.push(name);
			console.log(`    ✗ ${name}\n${indent(error)}`);
		}
	}

	/** @param {string} title @param {() => Promise<void>} body @returns {Promise<boolean>} whether it completed */
	async group(title, body) {
		const started = Date.now();
		const failedBefore = this.failed;
		console.log(`\n━━ ${title}`);
		let completed = true;
		try {
			await body();
		} catch (error) {
			completed = false;
			this.failed++;
			this.failures.push(`${title}: did not complete`);
			console.log(`    ✗ ${title} did not complete\n${indent(error)}`);
		}
		console.log(`  ${this.failed > failedBefore ? '✗' : '✓'} ${title} (${seconds(Date.now() - started)})`);
		return completed;
	}

	/** @param {string} name @param {string | number} value */
	figure(name, value) {
		this.figures.push([name, String(value)]);
		console.log(`    · ${name}: ${value}`);
	}
}

/** @param {unknown} error */
function indent(error) {
	const text = error instanceof Error ? error.message : String(error);
	return text.split('\n').slice(0, 16).map((l) => `        ${l}`).join('\n');
}

/** @param {unknown} condition @param {string} message @returns {asserts condition} */
function assert(condition, message) {
	if (!condition) throw new Error(message);
}

/** Things to stop and folders to remove, undone last first; run once, from the end of main() or a signal. */
class Teardown {
	constructor() {
		/** @type {Array<{ what: string, undo: () => Promise<void> | void }>} */
		this.steps = [];
		/** @type {Promise<void> | undefined} */
		this.running = undefined;
	}

	/** @param {string} what @param {() => Promise<void> | void} undo */
	add(what, undo) {
		this.steps.push({ what, undo });
	}

	run() {
		this.running ??= (async () => {
			for (const { what, undo } of this.steps.reverse()) {
				try {
					await undo();
				} catch (error) {
					console.log(`  could not ${what}: ${error instanceof Error ? error.message : error}`);
				}
			}
		})();
		return this.running;
	}
}

/**
 * Polls `probe` until it returns a truthy value or the time is up; returns the last value.
 * @template T @param {() => Promise<T> | T} probe @param {number} timeoutMs @param {number} [everyMs]
 */
async function waitFor(probe, timeoutMs, everyMs = 1000) {
	const deadline = Date.now() + timeoutMs;
	let value = await probe();
	while (!value && Date.now() < deadline) {
		await sleep(everyMs);
		value = await probe();
	}
	return value;
}

/**
 * The environment every n8n process of the setup shares: queue mode, the database, Redis, one encryption
 * key (credentials are encrypted by whichever process saves them and decrypted by the workers).
 * @param {{ host: string, port: number, user: string, database: string }} pg @param {{ host: string, port: number }} redis
 */
function queueEnv(pg, redis) {
	return {
		EXECUTIONS_MODE: 'queue',
		// Manual runs go to the workers too; production runs (webhook, trigger) always do in queue mode.
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		QUEUE_BULL_REDIS_HOST: redis.host,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: pg.host,
		DB_POSTGRESDB_PORT: String(pg.port),
		DB_POSTGRESDB_DATABASE: pg.database,
		DB_POSTGRESDB_USER: pg.user,
		DB_POSTGRESDB_PASSWORD: '',
		EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
		EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
		N8N_ENCRYPTION_KEY: crypto.randomBytes(24).toString('hex'),
	};
}

/**
 * What the setup phase leaves for the phases that follow.
 * @typedef {object} Setup
 * @property {import('./n8n-install').N8nInstall} install
 * @property {import('../simulator').Simulator} sim
 * @property {Awaited<ReturnType<typeof startPostgres>>} pg
 * @property {import('./n8n-cli').UserFolder} mainFolder
 * @property {Awaited<ReturnType<typeof cli.startN8n>>} main
 * @property {Array<Awaited<ReturnType<typeof cli.startWorker>> & { name: string }>} workers
 * @property {string} fanOutId
 * @property {string} triggerId
 * @property {(data: string) => any} parseRunData n8n's own parser for stored execution data (flatted)
 */

/**
 * Execution IDs each worker reported finished, from its log ("Worker finished execution 12 (job 34)").
 * @param {Setup['workers']} workers @returns {Map<string, string[]>} execution ID -> worker names
 */
function executionsByWorker(workers) {
	/** @type {Map<string, string[]>} */
	const ran = new Map();
	for (const worker of workers) {
		for (const match of worker.log().matchAll(/Worker finished execution (\d+)/g)) {
			ran.set(match[1], [...(ran.get(match[1]) ?? []), worker.name]);
		}
	}
	return ran;
}

/** @param {import('../simulator').RequestLogEntry} r */
const isTokenRequest = (r) => /\/oauth2\/v2\.0\/token$/.test(r.path.split('?')[0]);
/** @param {import('../simulator').RequestLogEntry} r */
const executedTaskOf = (r) => (r.method === 'POST' ? /\/incidentTasks\/([^/?]+)\/executeResponseAction$/i.exec(r.path.split('?')[0])?.[1] : undefined);

/**
 * The most Graph requests the simulator was answering at one time (token requests excluded).
 * @param {import('../simulator').RequestLogEntry[]} requests
 */
function peakInFlight(requests) {
	/** @type {Array<[number, number]>} */
	const edges = [];
	for (const r of requests) {
		if (isTokenRequest(r) || r.durationMs === undefined) continue;
		const start = Date.parse(r.at);
		edges.push([start, 1], [start + r.durationMs, -1]);
	}
	// An answer at the same millisecond as a new request frees its slot first.
	edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
	let now = 0;
	let peak = 0;
	for (const [, delta] of edges) peak = Math.max(peak, (now += delta));
	return peak;
}

/**
 * Items on one output of a node's first run in stored run data.
 * @param {any} runData @param {string} node @param {number} output
 * @returns {any[]}
 */
function itemsOf(runData, node, output) {
	return runData?.[node]?.[0]?.data?.main?.[output] ?? [];
}

/**
 * The builds, the servers, the package in three user folders, the credential and workflows in PostgreSQL,
 * and the main and the workers running.
 * @param {Report} report @param {Teardown} teardown @returns {Promise<Setup | undefined>}
 */
async function setUp(report, teardown) {
	/** @type {Partial<Setup>} */
	const setup = {};
	const log = (/** @type {string} */ line) => console.log(`    ${line}`);
	const ok = await report.group('set up: PostgreSQL, Redis, the simulator, the packed package on a main and two workers', async () => {
		let started = Date.now();
		const { installed } = await ensureDebianPackages(log);
		log(`Debian packages: ${installed.length ? `installed ${installed.join(', ')}` : 'postgresql and redis-server already installed'} (${seconds(Date.now() - started)})`);

		const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'defender-xdr-queue-pack-'));
		teardown.add('remove the packed tarball', () => fs.rmSync(packDir, { recursive: true, force: true }));
		started = Date.now();
		const tarball = cli.buildAndPack(packDir);
		log(`built and packed ${path.basename(tarball)} (${seconds(Date.now() - started)})`);

		started = Date.now();
		const install = await ensureN8n(N8N_LINE, { log });
		setup.install = install;
		log(`n8n ${install.version} on Node ${install.nodeVersion} (${seconds(Date.now() - started)} to install or find it)`);
		const flatted = require(path.join(install.dir, 'node_modules', 'flatted'));
		setup.parseRunData = (data) => flatted.parse(data);

		started = Date.now();
		const [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
		teardown.add('stop PostgreSQL', () => pg.stop());
		teardown.add('stop Redis', () => redis.stop());
		setup.pg = pg;
		log(`PostgreSQL ${pg.version} on 127.0.0.1:${pg.port} and Redis ${redis.version} on 127.0.0.1:${redis.port}, as ${pg.runsAs}, in temp data directories (${seconds(Date.now() - started)})`);

		// 50 ms per answer stands in for Graph's round trip, so requests overlap as they would over a network.
		const sim = await startSimulator({ actionDelayMs: 200, latencyMs: 50 });
		teardown.add('stop the simulator', () => sim.stop());
		setup.sim = sim;

		const env = queueEnv(pg, redis);
		const folders = ['main', ...Array.from({ length: WORKERS }, (_, i) => `worker-${i + 1}`)].map((name) => {
			const folder = cli.makeUserFolder(`defender-xdr-queue-${name}-`);
			folder.env = { ...folder.env, ...env };
			teardown.add(`remove ${folder.dir}`, () => (process.env.QUEUE_TEST_KEEP === '1' ? log(`kept ${folder.dir}`) : folder.remove()));
			return { name, folder };
		});
		const mainFolder = folders[0].folder;
		setup.mainFolder = mainFolder;

		started = Date.now();
		await Promise.all(folders.map(({ folder }) => cli.installCommunityPackage(install, folder, tarball)));
		report.check(`the tarball is installed in the main's and both workers' user folders (${PACKAGE.name}@${PACKAGE.version})`, () => {
			for (const { name, folder } of folders) {
				const manifest = path.join(folder.dir, '.n8n', 'nodes', 'node_modules', PACKAGE.name, 'package.json');
				const version = fs.existsSync(manifest) ? JSON.parse(fs.readFileSync(manifest, 'utf8')).version : 'nothing';
				assert(version === PACKAGE.version, `${name}: ${version} installed, expected ${PACKAGE.version}`);
			}
		});
		log(`package installed three times (${seconds(Date.now() - started)})`);

		started = Date.now();
		const fanOut = { ...JSON.parse(fs.readFileSync(FAN_OUT_FILE, 'utf8')), active: false };
		const trigger = cli.readWorkflows(path.join(REPO, 'examples'), 'example').find((w) => w.file === TRIGGER_FILE)?.workflow;
		assert(trigger, `examples/${TRIGGER_FILE} is missing`);
		setup.fanOutId = fanOut.id;
		setup.triggerId = trigger.id;
		const credentialImport = await cli.importCredentials(install, mainFolder, [{ ...CREDENTIAL, data: simulatorCredential(sim) }]);
		const workflowImport = await cli.importWorkflow(install, mainFolder, [fanOut, trigger]);
		await cli.activateWorkflow(install, mainFolder, fanOut.id);
		const stored = await pg.rows(`select id, "activeVersionId" is not null as active from workflow_entity order by id`);
		report.check('the credential and both workflows are in PostgreSQL; only the fan-out workflow is active', () => {
			assert(/Successfully imported 1 credential/.test(credentialImport.stdout + credentialImport.stderr), 'credential import not confirmed');
			assert(/Successfully imported 2 workflow/.test(workflowImport.stdout + workflowImport.stderr), 'workflow import not confirmed');
			const active = stored.filter((w) => w.active).map((w) => w.id);
			assert(stored.length === 2 && active.length === 1 && active[0] === fanOut.id, `workflow_entity: ${JSON.stringify(stored)}`);
		});
		log(`credential and workflows imported into PostgreSQL (${seconds(Date.now() - started)})`);

		started = Date.now();
		const main = await cli.startN8n(install, mainFolder, { timeoutMs: 300_000 });
		teardown.add('stop the n8n main', () => setup.main?.stop());
		setup.main = main;
		log(`n8n main ready on ${main.url} (${seconds(Date.now() - started)})`);
		started = Date.now();
		setup.workers = await Promise.all(
			folders.slice(1).map(async ({ name, folder }) => {
				const worker = await cli.startWorker(install, folder, { concurrency: WORKER_CONCURRENCY, timeoutMs: 300_000 });
				teardown.add(`stop n8n ${name}`, () => worker.stop());
				return { ...worker, name };
			}),
		);
		log(`${WORKERS} n8n workers ready, concurrency ${WORKER_CONCURRENCY} each (${seconds(Date.now() - started)})`);
		report.check('both workers joined the queue (their health check answers ready, their log says so)', () => {
			for (const worker of /** @type {Setup['workers']} */ (setup.workers)) {
				assert(/n8n worker is now ready/.test(worker.log()), `${worker.name} did not say it is ready:\n${worker.log().slice(-800)}`);
			}
		});
	});
	return ok ? /** @type {Setup} */ (setup) : undefined;
}

/**
 * Adds `TASKS` open, not-started tasks of the eight executable types to the simulator.
 * @param {import('../simulator').Simulator} sim @param {string} prefix
 */
function seedTasks(sim, prefix) {
	return Array.from({ length: TASKS }, (_, i) => {
		const actionType = EXECUTABLE_ACTION_TYPES[i % EXECUTABLE_ACTION_TYPES.length];
		const task = sim.addTask({ id: `${prefix}-${String(i + 1).padStart(4, '0')}`, actionType });
		return { id: String(task.id), actionType };
	});
}

/**
 * One fan-out run: fresh tasks, the webhook called `CALLS` times at once, then every check.
 * @param {Report} report @param {Setup} setup @param {{ title: string, label: string, prefix: string, concurrency: number, rateLimit: typeof RATE_LIMIT | null, timeoutMs: number }} phase
 */
async function fanOutPhase(report, setup, phase) {
	const { sim, pg, main, workers, fanOutId, parseRunData } = setup;
	await report.group(phase.title, async () => {
		sim.reset();
		sim.configure({ rateLimit: phase.rateLimit });
		const tasks = seedTasks(sim, phase.prefix);
		const [{ last }] = await pg.rows(`select coalesce(max(id), 0) as last from execution_entity`);
		const webhookUrl = `${main.url}/webhook/defender-xdr-fan-out`;

		const started = Date.now();
		const calls = await Promise.all(
			Array.from({ length: CALLS }, (_, call) =>
				cli
					.httpPostJson(webhookUrl, { concurrency: phase.concurrency, tasks: tasks.slice(call * TASKS_PER_CALL, (call + 1) * TASKS_PER_CALL) }, { timeoutMs: 120_000 })
					.catch((error) => ({ status: 0, body: String(error) })),
			),
		);
		const callsDoneMs = Date.now() - started;
		const finished = await waitFor(async () => {
			const [counts] = await pg.rows(`select count(*) as total, count("stoppedAt") as stopped from execution_entity where "workflowId" = '${fanOutId}' and id > ${Number(last)}`);
			return counts.total >= CALLS && counts.stopped === counts.total;
		}, phase.timeoutMs, 2000);
		const observedMs = Date.now() - started;
		// An execution more than expected (a replayed job, say) would show up now.
		await sleep(3000);

		const rows = await pg.rows(
			`select e.id, e.status, e.mode, e."stoppedAt", d.data from execution_entity e left join execution_data d on d."executionId" = e.id where e."workflowId" = '${fanOutId}' and e.id > ${Number(last)} order by e.id`,
		);
		const executions = rows.map((row) => {
			const runData = row.data ? parseRunData(row.data)?.resultData?.runData : undefined;
			return {
				id: String(row.id),
				status: row.status,
				mode: row.mode,
				stoppedAt: row.stoppedAt ? Date.parse(row.stoppedAt) : NaN,
				inputs: itemsOf(runData, NODE.splitOut, 0),
				success: itemsOf(runData, NODE.defender, 0),
				error: itemsOf(runData, NODE.defender, 1),
			};
		});

		report.check(`the ${CALLS} webhook calls were accepted (200)`, () => {
			const refused = calls.map((c, i) => [i, c.status, c.body.slice(0, 200)]).filter(([, status]) => status !== 200);
			assert(refused.length === 0, `refused: ${JSON.stringify(refused)}`);
		});
		report.check(`n8n stored ${CALLS} webhook executions, all finished with status success (none failed)`, () => {
			assert(finished, `not all finished within ${seconds(phase.timeoutMs)}`);
			assert(executions.length === CALLS, `${executions.length} executions`);
			const notSuccess = executions.filter((e) => e.status !== 'success' || e.mode !== 'webhook');
			assert(notSuccess.length === 0, `not success: ${notSuccess.map((e) => `${e.id} ${e.mode} ${e.status}`).join(', ')}`);
		});
		report.check(`each execution fanned its ${TASKS_PER_CALL} tasks out, and every item left Execute Response Action on exactly one output (Success + Error = input)`, () => {
			for (const e of executions) {
				assert(e.inputs.length === TASKS_PER_CALL, `execution ${e.id}: ${e.inputs.length} items out of Split Out`);
				const inputIds = e.inputs.map((item) => item.json.id).sort();
				const outputIds = [...e.success, ...e.error].map((item) => item.json.incidentTaskId).sort();
				assert(e.success.length + e.error.length === e.inputs.length, `execution ${e.id}: ${e.success.length} Success + ${e.error.length} Error for ${e.inputs.length} items`);
				assert(JSON.stringify(inputIds) === JSON.stringify(outputIds), `execution ${e.id}: the task IDs out are not the task IDs in`);
			}
			const all = executions.flatMap((e) => e.inputs.map((item) => item.json.id));
			assert(new Set(all).size === TASKS && all.length === TASKS, `${all.length} items over all executions, ${new Set(all).size} distinct tasks (expected ${TASKS})`);
		});
		report.check(`all ${TASKS} items came out on Success as executed; none on Error (none lost)`, () => {
			const errors = executions.flatMap((e) => e.error.map((item) => `${item.json.incidentTaskId}: ${item.json.error?.code} ${item.json.error?.message}`));
			assert(errors.length === 0, `${errors.length} on Error, e.g.\n${errors.slice(0, 5).join('\n')}`);
			const notExecuted = executions.flatMap((e) => e.success).filter((item) => item.json.outcome !== 'executed');
			assert(notExecuted.length === 0, `${notExecuted.length} Success items not executed, e.g. ${JSON.stringify(notExecuted[0]?.json)}`);
		});

		const executedTimes = new Map();
		for (const execution of sim.executions) executedTimes.set(execution.taskId, (executedTimes.get(execution.taskId) ?? 0) + 1);
		report.check(`the simulator ran each of the ${TASKS} tasks' actions exactly once, and nothing else`, () => {
			const wrong = tasks.filter((t) => executedTimes.get(t.id) !== 1).map((t) => `${t.id} x${executedTimes.get(t.id) ?? 0}`);
			assert(wrong.length === 0, `${wrong.length} tasks not executed exactly once: ${wrong.slice(0, 8).join(', ')}`);
			assert(sim.executions.length === TASKS, `${sim.executions.length} executions in the simulator`);
			const stillNotStarted = tasks.filter((t) => sim.getTask(t.id)?.actionStatus === 'notStarted');
			assert(stillNotStarted.length === 0, `${stillNotStarted.length} tasks still notStarted`);
		});
		// A POST the rate limiter turned away was never processed; any other second POST for a task is a duplicate.
		const postsPerTask = new Map();
		for (const r of sim.requests) {
			const taskId = executedTaskOf(r);
			if (taskId && r.status !== 429) postsPerTask.set(decodeURIComponent(taskId), (postsPerTask.get(decodeURIComponent(taskId)) ?? 0) + 1);
		}
		const duplicatePosts = [...postsPerTask.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);
		report.check('0 duplicate POSTs: no task got a second executeResponseAction past the rate limiter', () => {
			assert(duplicatePosts === 0, `${duplicatePosts} duplicate POSTs`);
		});

		const ranOn = executionsByWorker(workers);
		const perWorker = workers.map((w) => executions.filter((e) => ranOn.get(e.id)?.includes(w.name)).length);
		report.check('both workers ran executions, each execution on exactly one worker (none on the main)', () => {
			const misplaced = executions.filter((e) => ranOn.get(e.id)?.length !== 1).map((e) => `${e.id}: ${ranOn.get(e.id)?.join('+') || 'no worker'}`);
			assert(misplaced.length === 0, `executions not run by exactly one worker: ${misplaced.join(', ')}`);
			assert(perWorker.every((n) => n > 0), `executions per worker: ${perWorker.join(', ')}`);
		});
		const inFlightBound = WORKERS * WORKER_CONCURRENCY * phase.concurrency;
		const peak = peakInFlight(sim.requests);
		report.check(`Graph requests in flight stayed within workers x worker concurrency x node concurrency = ${WORKERS} x ${WORKER_CONCURRENCY} x ${phase.concurrency} = ${inFlightBound}`, () => {
			assert(peak <= inFlightBound, `${peak} requests in flight at once`);
		});
		const throttled = sim.requests.filter((r) => r.status === 429).length;
		if (phase.rateLimit) {
			report.check(`the simulator rate-limited the app (${phase.rateLimit.requests} requests per ${phase.rateLimit.windowSeconds} s) and the node waited and retried`, () => {
				assert(throttled > 0, 'no request was answered 429: the rate limit was never reached');
			});
		}

		const graphRequests = sim.requests.filter((r) => !isTokenRequest(r));
		const lastStopped = Math.max(...executions.map((e) => e.stoppedAt).filter(Number.isFinite));
		const wallMs = Number.isFinite(lastStopped) ? lastStopped - started : observedMs;
		report.figure(`${phase.label}: wall time, first webhook call to last execution finished`, `${seconds(wallMs)} (${CALLS} calls answered in ${seconds(callsDoneMs)}; ${(TASKS / (wallMs / 1000)).toFixed(0)} tasks/s)`);
		report.figure(`${phase.label}: executions per worker`, workers.map((w, i) => `${w.name} ${perWorker[i]}`).join(', '));
		report.figure(`${phase.label}: Graph requests`, `${graphRequests.length} (${(graphRequests.length / TASKS).toFixed(2)} per task), token requests ${sim.requests.length - graphRequests.length}`);
		report.figure(`${phase.label}: peak Graph requests in flight`, `${peak} (bound ${inFlightBound}, node concurrency ${phase.concurrency})`);
		report.figure(`${phase.label}: 429 answers`, throttled);
		report.figure(`${phase.label}: duplicate POSTs`, duplicatePosts);
	});
}

/**
 * The trigger in queue mode: the main restarts with the trigger workflow active; its poll must run on the
 * main alone, so a new task is emitted once and executed once.
 * @param {Report} report @param {Setup} setup
 */
async function triggerPhase(report, setup) {
	const { install, sim, pg, mainFolder, workers, triggerId, parseRunData } = setup;
	await report.group('trigger: New Incident Task polls on the main only; a new task is emitted and executed once', async () => {
		let started = Date.now();
		await setup.main.stop();
		sim.reset();
		sim.configure({ rateLimit: null });
		await cli.activateWorkflow(install, mainFolder, triggerId);
		const [{ last }] = await pg.rows(`select coalesce(max(id), 0) as last from execution_entity`);
		const workerLogMarks = workers.map((w) => w.log().length);
		setup.main = await cli.startN8n(install, mainFolder, { timeoutMs: 300_000 });
		console.log(`    main restarted with the trigger workflow active (${seconds(Date.now() - started)})`);
		const main = setup.main;
		const watching = /Microsoft Defender XDR Trigger: watching for new incident tasks/;
		const isList = (/** @type {import('../simulator').RequestLogEntry} */ r) => r.method === 'GET' && /\/incidentTasks$/i.test(r.path.split('?')[0]);
		const activated = await waitFor(() => watching.test(main.log()) && sim.requests.some(isList), 60_000, 500);
		const activatedAt = Date.now();
		// Would the activation replay the backlog? It would start executions now.
		await sleep(5000);
		const triggerExecutions = `from execution_entity where "workflowId" = '${triggerId}' and id > ${Number(last)}`;
		const afterActivation = await pg.rows(`select id ${triggerExecutions}`);
		report.check('the main activated the trigger (its log says it watches for new tasks); no worker did', () => {
			assert(activated, `no activation within 60 s:\n${main.log().slice(-1500)}`);
			const workerSaid = workers.filter((w, i) => watching.test(w.log().slice(workerLogMarks[i])));
			assert(workerSaid.length === 0, `${workerSaid.map((w) => w.name).join(', ')} activated it too`);
		});
		report.check('activation replayed none of the backlog (no execution, nothing executed)', () => {
			assert(afterActivation.length === 0, `${afterActivation.length} executions after activation`);
			assert(sim.executions.length === 0, `executed: ${sim.executions.map((e) => e.taskId).join(', ')}`);
		});

		started = Date.now();
		const task = sim.addTask({ actionType: 'isolateDevice' });
		const executed = await waitFor(() => sim.executions.some((e) => e.taskId === task.id), 120_000, 500);
		const emittedMs = Date.now() - started;
		await waitFor(async () => {
			const rows = await pg.rows(`select id ${triggerExecutions} and "stoppedAt" is null`);
			return rows.length === 0;
		}, 30_000);
		// A second poller would emit at its own random second of the minute; give it time to show.
		await sleep(10_000);
		const endedAt = Date.now();
		const rows = await pg.rows(
			`select e.id, e.status, e.mode, d.data from execution_entity e left join execution_data d on d."executionId" = e.id where e."workflowId" = '${triggerId}' and e.id > ${Number(last)} order by e.id`,
		);
		const executions = rows.map((row) => {
			const runData = row.data ? parseRunData(row.data)?.resultData?.runData : undefined;
			return { id: String(row.id), status: row.status, mode: row.mode, emitted: itemsOf(runData, TRIGGER_NODE.trigger, 0), success: itemsOf(runData, TRIGGER_NODE.defender, 0) };
		});
		report.check(`the new task (${task.id}) was emitted once: one trigger execution, with the task once`, () => {
			assert(executed, `${task.id} was not executed within 120 s`);
			assert(executions.length === 1, `${executions.length} executions: ${JSON.stringify(executions.map((e) => ({ id: e.id, emitted: e.emitted.map((i) => i.json.id) })))}`);
			const [execution] = executions;
			assert(execution.mode === 'trigger' && execution.status === 'success', `execution ${execution.id}: ${execution.mode} ${execution.status}`);
			const emitted = execution.emitted.map((item) => item.json.id);
			assert(JSON.stringify(emitted) === JSON.stringify([task.id]), `emitted ${JSON.stringify(emitted)}`);
			assert(execution.success.length === 1 && execution.success[0].json.outcome === 'executed', `Success: ${JSON.stringify(execution.success.map((i) => i.json.outcome))}`);
		});
		report.check('the simulator ran the new task\'s action exactly once', () => {
			assert(JSON.stringify(sim.executions.map((e) => e.taskId)) === JSON.stringify([task.id]), `executed: ${sim.executions.map((e) => e.taskId).join(', ')}`);
		});
		const ranOn = executionsByWorker(workers);
		report.check('the emitted execution ran on a worker', () => {
			for (const e of executions) assert(ranOn.get(e.id)?.length === 1, `execution ${e.id}: ${ranOn.get(e.id)?.join('+') || 'no worker'}`);
		});
		const lists = sim.requests.filter(isList);
		// One poller polls once at activation and then once a minute (a random second of it).
		const onePollerAtMost = 1 + Math.ceil((endedAt - activatedAt) / 60_000);
		report.check(`one poller: ${lists.length} task-list requests in ${seconds(endedAt - activatedAt)} since activation (one poller makes at most ${onePollerAtMost})`, () => {
			assert(lists.length >= 2, `${lists.length} list requests: the trigger did not poll after activation`);
			assert(lists.length <= onePollerAtMost, `${lists.length} list requests: more than one process polls`);
		});
		const [workflow] = await pg.rows(`select "staticData" as "staticData" from workflow_entity where id = '${triggerId}'`);
		report.check("the trigger's cursor lives in the workflow's static data in PostgreSQL, and holds the new task", () => {
			const cursor = workflow?.staticData?.[`node:${TRIGGER_NODE.trigger}`]?.cursor;
			assert(cursor, `staticData: ${JSON.stringify(workflow?.staticData)}`);
			assert(JSON.stringify(cursor).includes(task.id), `cursor without ${task.id}: ${JSON.stringify(cursor)}`);
		});
		report.figure('trigger: task added to executed once', `${seconds(emittedMs)} (polls every minute)`);
		report.figure('trigger: executions of the new task', executions.length);
	});
}

async function main() {
	const started = Date.now();
	const report = new Report();
	const teardown = new Teardown();
	console.log(`Queue-mode test: n8n ${N8N_LINE}.x main + ${WORKERS} workers, PostgreSQL, Redis, ${CALLS} x ${TASKS_PER_CALL} tasks`);

	// Ctrl-C or a kill: stop what we started and remove our folders, then end as that signal would.
	for (const signal of /** @type {NodeJS.Signals[]} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
		// `on`, not `once`: n8n-cli's own handler re-raises the signal when it thinks it is alone.
		process.on(signal, () => {
			console.log(`\n${signal}: stopping everything this test started`);
			void teardown.run().finally(() => process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1)));
		});
	}
	try {
		const setup = await setUp(report, teardown);
		if (setup) {
			await fanOutPhase(report, setup, { title: `fan-out: ${TASKS} tasks in ${CALLS} concurrent webhook calls, node concurrency 4 (the default)`, label: 'fan-out', prefix: 'task-queue', concurrency: 4, rateLimit: null, timeoutMs: 300_000 });
			await fanOutPhase(report, setup, {
				title: `fan-out, rate-limited to ${RATE_LIMIT.requests} requests per ${RATE_LIMIT.windowSeconds} s per app: ${TASKS} tasks in ${CALLS} concurrent webhook calls, node concurrency ${THROTTLED_CONCURRENCY}`,
				label: 'fan-out rate-limited',
				prefix: 'task-throttled',
				concurrency: THROTTLED_CONCURRENCY,
				rateLimit: RATE_LIMIT,
				timeoutMs: 480_000,
			});
			await triggerPhase(report, setup);
		}
	} finally {
		const stopping = Date.now();
		await teardown.run();
		console.log(`\nstopped n8n, PostgreSQL, Redis and the simulator, removed temp folders (${seconds(Date.now() - stopping)})`);
	}
	console.log(`\n━━ Summary (${seconds(Date.now() - started)}) ━━`);
	for (const [name, value] of report.figures) console.log(`  ${name}: ${value}`);
	for (const failure of report.failures) console.log(`  failed: ${failure}`);
	console.log(`${report.passed} passed, ${report.failed} failed`);
	process.exitCode = report.failed > 0 || report.passed === 0 ? 1 : 0;
}

main().catch((error) => {
	console.error(error instanceof Error ? error.stack || error.message : error);
	console.log('0 passed, 1 failed');
	process.exitCode = 1;
});
