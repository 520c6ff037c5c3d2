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
 *  4. Crash: a 300-task batch whose worker is SIGKILLed a third of the way in (Retry at once, the stalled
 *     job, Retry after it, the same webhook call again), and a regular-mode `n8n start` killed mid-batch,
 *     started again and its crashed execution retried; each task must run exactly once across all attempts.
 *  5. Trigger: the main restarts with examples/new-task-trigger-execute.json active; a task added to the
 *     simulator is emitted once (the poll runs on the main only) and executed once (on a worker). Then the
 *     main is killed right after a poll that can see another new task, and restarted: executed once.
 *
 *   npm run test:queue
 *   QUEUE_TEST_VERBOSE=1   list every check, not only failures
 *   QUEUE_TEST_KEEP=1      keep the n8n user folders (the servers' data directories are always removed)
 *   QUEUE_TEST_THROTTLED_CONCURRENCY=4   the node's Concurrency in the rate-limited run (default 1)
 *   QUEUE_TEST_ONLY=crash | trigger      the set-up and only those cases
 *
 * The last line of output is `N passed, M failed`; the exit code is 1 when anything failed. Everything it
 * started is stopped, and its temp folders removed, also when a check fails or on Ctrl-C.
 */

const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
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
const CREDENTIAL = {
	id: 'defender-xdr-simulator',
	name: 'Defender XDR (simulator)',
	type: 'microsoftDefenderXdrOAuth2Api',
};
const NODE = {
	webhook: 'Tasks posted',
	splitOut: 'One item per task',
	defender: 'Execute response action',
};
const TRIGGER_NODE = { trigger: 'New incident task', defender: 'Execute response action' };
const VERBOSE = process.env.QUEUE_TEST_VERBOSE === '1';
/** `crash` or `trigger` runs the set-up and those cases only (quicker while working on them); CI runs everything. */
const ONLY = process.env.QUEUE_TEST_ONLY;
/** Tasks in the batch whose process is killed mid-run. */
const CRASH_TASKS = 300;
/** Graph records a started action a moment after it answered: the simulator shows it this late (just inside the node's 5 s settle window), so a re-run inside it could execute twice. */
const CRASH_START_LAG_MS = 4500;
/**
 * Bull's job lock and stalled check, shortened from n8n's 60 s lock and 30 s check so a dead worker's job is noticed
 * in about 25 s. n8n 2.x sets Bull's maxStalledCount to 0 (QUEUE_WORKER_MAX_STALLED_COUNT is ignored): a stalled job
 * is failed, never run again.
 */
const QUEUE_LOCK_ENV = {
	QUEUE_WORKER_LOCK_DURATION: '20000',
	QUEUE_WORKER_LOCK_RENEW_TIME: '5000',
	QUEUE_WORKER_STALLED_INTERVAL: '5000',
};
/** The owner account the test creates to press Retry through n8n's REST API, as the editor does. */
const OWNER = Object.freeze({
	email: 'queue-test@defender-xdr.local',
	firstName: 'Queue',
	lastName: 'Test',
	password: 'DefenderXdr-queue-1',
});

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
		console.log(
			`  ${this.failed > failedBefore ? '✗' : '✓'} ${title} (${seconds(Date.now() - started)})`,
		);
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
	return text
		.split('\n')
		.slice(0, 16)
		.map((l) => `        ${l}`)
		.join('\n');
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
		...QUEUE_LOCK_ENV,
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
 * @property {string} tarball the packed package, for the regular-mode n8n of the crash case
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
const executedTaskOf = (r) =>
	r.method === 'POST'
		? /\/incidentTasks\/([^/?]+)\/executeResponseAction$/i.exec(r.path.split('?')[0])?.[1]
		: undefined;

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
	const ok = await report.group(
		'set up: PostgreSQL, Redis, the simulator, the packed package on a main and two workers',
		async () => {
			let started = Date.now();
			const { installed } = await ensureDebianPackages(log);
			log(
				`Debian packages: ${installed.length ? `installed ${installed.join(', ')}` : 'postgresql and redis-server already installed'} (${seconds(Date.now() - started)})`,
			);

			const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'defender-xdr-queue-pack-'));
			teardown.add('remove the packed tarball', () =>
				fs.rmSync(packDir, { recursive: true, force: true }),
			);
			started = Date.now();
			const tarball = cli.buildAndPack(packDir);
			setup.tarball = tarball;
			log(`built and packed ${path.basename(tarball)} (${seconds(Date.now() - started)})`);

			started = Date.now();
			const install = await ensureN8n(N8N_LINE, { log });
			setup.install = install;
			log(
				`n8n ${install.version} on Node ${install.nodeVersion} (${seconds(Date.now() - started)} to install or find it)`,
			);
			const flatted = require(path.join(install.dir, 'node_modules', 'flatted'));
			setup.parseRunData = (data) => flatted.parse(data);

			started = Date.now();
			const [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
			teardown.add('stop PostgreSQL', () => pg.stop());
			teardown.add('stop Redis', () => redis.stop());
			setup.pg = pg;
			log(
				`PostgreSQL ${pg.version} on 127.0.0.1:${pg.port} and Redis ${redis.version} on 127.0.0.1:${redis.port}, as ${pg.runsAs}, in temp data directories (${seconds(Date.now() - started)})`,
			);

			// 50 ms per answer stands in for Graph's round trip, so requests overlap as they would over a network.
			const sim = await startSimulator({ actionDelayMs: 200, latencyMs: 50 });
			teardown.add('stop the simulator', () => sim.stop());
			setup.sim = sim;

			const env = queueEnv(pg, redis);
			const folders = ['main', ...Array.from({ length: WORKERS }, (_, i) => `worker-${i + 1}`)].map(
				(name) => {
					const folder = cli.makeUserFolder(`defender-xdr-queue-${name}-`);
					folder.env = { ...folder.env, ...env };
					teardown.add(`remove ${folder.dir}`, () =>
						process.env.QUEUE_TEST_KEEP === '1' ? log(`kept ${folder.dir}`) : folder.remove(),
					);
					return { name, folder };
				},
			);
			const mainFolder = folders[0].folder;
			setup.mainFolder = mainFolder;

			started = Date.now();
			await Promise.all(
				folders.map(({ folder }) => cli.installCommunityPackage(install, folder, tarball)),
			);
			report.check(
				`the tarball is installed in the main's and both workers' user folders (${PACKAGE.name}@${PACKAGE.version})`,
				() => {
					for (const { name, folder } of folders) {
						const manifest = path.join(
							folder.dir,
							'.n8n',
							'nodes',
							'node_modules',
							PACKAGE.name,
							'package.json',
						);
						const version = fs.existsSync(manifest)
							? JSON.parse(fs.readFileSync(manifest, 'utf8')).version
							: 'nothing';
						assert(
							version === PACKAGE.version,
							`${name}: ${version} installed, expected ${PACKAGE.version}`,
						);
					}
				},
			);
			log(`package installed three times (${seconds(Date.now() - started)})`);

			started = Date.now();
			const fanOut = { ...JSON.parse(fs.readFileSync(FAN_OUT_FILE, 'utf8')), active: false };
			const trigger = cli
				.readWorkflows(path.join(REPO, 'examples'), 'example')
				.find((w) => w.file === TRIGGER_FILE)?.workflow;
			assert(trigger, `examples/${TRIGGER_FILE} is missing`);
			setup.fanOutId = fanOut.id;
			setup.triggerId = trigger.id;
			const credentialImport = await cli.importCredentials(install, mainFolder, [
				{ ...CREDENTIAL, data: simulatorCredential(sim) },
			]);
			const workflowImport = await cli.importWorkflow(install, mainFolder, [fanOut, trigger]);
			await cli.activateWorkflow(install, mainFolder, fanOut.id);
			const stored = await pg.rows(
				`select id, "activeVersionId" is not null as active from workflow_entity order by id`,
			);
			report.check(
				'the credential and both workflows are in PostgreSQL; only the fan-out workflow is active',
				() => {
					assert(
						/Successfully imported 1 credential/.test(
							credentialImport.stdout + credentialImport.stderr,
						),
						'credential import not confirmed',
					);
					assert(
						/Successfully imported 2 workflow/.test(workflowImport.stdout + workflowImport.stderr),
						'workflow import not confirmed',
					);
					const active = stored.filter((w) => w.active).map((w) => w.id);
					assert(
						stored.length === 2 && active.length === 1 && active[0] === fanOut.id,
						`workflow_entity: ${JSON.stringify(stored)}`,
					);
				},
			);
			log(`credential and workflows imported into PostgreSQL (${seconds(Date.now() - started)})`);

			started = Date.now();
			const main = await cli.startN8n(install, mainFolder, { timeoutMs: 300_000 });
			teardown.add('stop the n8n main', () => setup.main?.stop());
			setup.main = main;
			log(`n8n main ready on ${main.url} (${seconds(Date.now() - started)})`);
			started = Date.now();
			setup.workers = await Promise.all(
				folders.slice(1).map(async ({ name, folder }) => {
					const worker = await cli.startWorker(install, folder, {
						concurrency: WORKER_CONCURRENCY,
						timeoutMs: 300_000,
					});
					teardown.add(`stop n8n ${name}`, () => worker.stop());
					return { ...worker, name };
				}),
			);
			log(
				`${WORKERS} n8n workers ready, concurrency ${WORKER_CONCURRENCY} each (${seconds(Date.now() - started)})`,
			);
			report.check(
				'both workers joined the queue (their health check answers ready, their log says so)',
				() => {
					for (const worker of /** @type {Setup['workers']} */ (setup.workers)) {
						assert(
							/n8n worker is now ready/.test(worker.log()),
							`${worker.name} did not say it is ready:\n${worker.log().slice(-800)}`,
						);
					}
				},
			);
		},
	);
	return ok ? /** @type {Setup} */ (setup) : undefined;
}

/**
 * Adds `count` open, not-started tasks of the eight executable types to the simulator.
 * @param {import('../simulator').Simulator} sim @param {string} prefix @param {number} [count]
 */
function seedTasks(sim, prefix, count = TASKS) {
	return Array.from({ length: count }, (_, i) => {
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
					.httpPostJson(
						webhookUrl,
						{
							concurrency: phase.concurrency,
							tasks: tasks.slice(call * TASKS_PER_CALL, (call + 1) * TASKS_PER_CALL),
						},
						{ timeoutMs: 120_000 },
					)
					.catch((error) => ({ status: 0, body: String(error) })),
			),
		);
		const callsDoneMs = Date.now() - started;
		const finished = await waitFor(
			async () => {
				const [counts] = await pg.rows(
					`select count(*) as total, count("stoppedAt") as stopped from execution_entity where "workflowId" = '${fanOutId}' and id > ${Number(last)}`,
				);
				return counts.total >= CALLS && counts.stopped === counts.total;
			},
			phase.timeoutMs,
			2000,
		);
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
			const refused = calls
				.map((c, i) => [i, c.status, c.body.slice(0, 200)])
				.filter(([, status]) => status !== 200);
			assert(refused.length === 0, `refused: ${JSON.stringify(refused)}`);
		});
		report.check(
			`n8n stored ${CALLS} webhook executions, all finished with status success (none failed)`,
			() => {
				assert(finished, `not all finished within ${seconds(phase.timeoutMs)}`);
				assert(executions.length === CALLS, `${executions.length} executions`);
				const notSuccess = executions.filter((e) => e.status !== 'success' || e.mode !== 'webhook');
				assert(
					notSuccess.length === 0,
					`not success: ${notSuccess.map((e) => `${e.id} ${e.mode} ${e.status}`).join(', ')}`,
				);
			},
		);
		report.check(
			`each execution fanned its ${TASKS_PER_CALL} tasks out, and every item left Execute Response Action on exactly one output (Success + Error = input)`,
			() => {
				for (const e of executions) {
					assert(
						e.inputs.length === TASKS_PER_CALL,
						`execution ${e.id}: ${e.inputs.length} items out of Split Out`,
					);
					const inputIds = e.inputs.map((item) => item.json.id).sort();
					const outputIds = [...e.success, ...e.error]
						.map((item) => item.json.incidentTaskId)
						.sort();
					assert(
						e.success.length + e.error.length === e.inputs.length,
						`execution ${e.id}: ${e.success.length} Success + ${e.error.length} Error for ${e.inputs.length} items`,
					);
					assert(
						JSON.stringify(inputIds) === JSON.stringify(outputIds),
						`execution ${e.id}: the task IDs out are not the task IDs in`,
					);
				}
				const all = executions.flatMap((e) => e.inputs.map((item) => item.json.id));
				assert(
					new Set(all).size === TASKS && all.length === TASKS,
					`${all.length} items over all executions, ${new Set(all).size} distinct tasks (expected ${TASKS})`,
				);
			},
		);
		report.check(
			`all ${TASKS} items came out on Success as executed; none on Error (none lost)`,
			() => {
				const errors = executions.flatMap((e) =>
					e.error.map(
						(item) =>
							`${item.json.incidentTaskId}: ${item.json.error?.code} ${item.json.error?.message}`,
					),
				);
				assert(
					errors.length === 0,
					`${errors.length} on Error, e.g.\n${errors.slice(0, 5).join('\n')}`,
				);
				const notExecuted = executions
					.flatMap((e) => e.success)
					.filter((item) => item.json.outcome !== 'executed');
				assert(
					notExecuted.length === 0,
					`${notExecuted.length} Success items not executed, e.g. ${JSON.stringify(notExecuted[0]?.json)}`,
				);
			},
		);

		const executedTimes = new Map();
		for (const execution of sim.executions)
			executedTimes.set(execution.taskId, (executedTimes.get(execution.taskId) ?? 0) + 1);
		report.check(
			`the simulator ran each of the ${TASKS} tasks' actions exactly once, and nothing else`,
			() => {
				const wrong = tasks
					.filter((t) => executedTimes.get(t.id) !== 1)
					.map((t) => `${t.id} x${executedTimes.get(t.id) ?? 0}`);
				assert(
					wrong.length === 0,
					`${wrong.length} tasks not executed exactly once: ${wrong.slice(0, 8).join(', ')}`,
				);
				assert(
					sim.executions.length === TASKS,
					`${sim.executions.length} executions in the simulator`,
				);
				const stillNotStarted = tasks.filter(
					(t) => sim.getTask(t.id)?.actionStatus === 'notStarted',
				);
				assert(stillNotStarted.length === 0, `${stillNotStarted.length} tasks still notStarted`);
			},
		);
		// A POST the rate limiter turned away was never processed; any other second POST for a task is a duplicate.
		const postsPerTask = new Map();
		for (const r of sim.requests) {
			const taskId = executedTaskOf(r);
			if (taskId && r.status !== 429)
				postsPerTask.set(
					decodeURIComponent(taskId),
					(postsPerTask.get(decodeURIComponent(taskId)) ?? 0) + 1,
				);
		}
		const duplicatePosts = [...postsPerTask.values()].reduce(
			(sum, n) => sum + Math.max(0, n - 1),
			0,
		);
		report.check(
			'0 duplicate POSTs: no task got a second executeResponseAction past the rate limiter',
			() => {
				assert(duplicatePosts === 0, `${duplicatePosts} duplicate POSTs`);
			},
		);

		const ranOn = executionsByWorker(workers);
		const perWorker = workers.map(
			(w) => executions.filter((e) => ranOn.get(e.id)?.includes(w.name)).length,
		);
		report.check(
			'both workers ran executions, each execution on exactly one worker (none on the main)',
			() => {
				const misplaced = executions
					.filter((e) => ranOn.get(e.id)?.length !== 1)
					.map((e) => `${e.id}: ${ranOn.get(e.id)?.join('+') || 'no worker'}`);
				assert(
					misplaced.length === 0,
					`executions not run by exactly one worker: ${misplaced.join(', ')}`,
				);
				assert(
					perWorker.every((n) => n > 0),
					`executions per worker: ${perWorker.join(', ')}`,
				);
			},
		);
		const inFlightBound = WORKERS * WORKER_CONCURRENCY * phase.concurrency;
		const peak = peakInFlight(sim.requests);
		report.check(
			`Graph requests in flight stayed within workers x worker concurrency x node concurrency = ${WORKERS} x ${WORKER_CONCURRENCY} x ${phase.concurrency} = ${inFlightBound}`,
			() => {
				assert(peak <= inFlightBound, `${peak} requests in flight at once`);
			},
		);
		const throttled = sim.requests.filter((r) => r.status === 429).length;
		if (phase.rateLimit) {
			report.check(
				`the simulator rate-limited the app (${phase.rateLimit.requests} requests per ${phase.rateLimit.windowSeconds} s) and the node waited and retried`,
				() => {
					assert(throttled > 0, 'no request was answered 429: the rate limit was never reached');
				},
			);
		}

		const graphRequests = sim.requests.filter((r) => !isTokenRequest(r));
		const lastStopped = Math.max(...executions.map((e) => e.stoppedAt).filter(Number.isFinite));
		const wallMs = Number.isFinite(lastStopped) ? lastStopped - started : observedMs;
		report.figure(
			`${phase.label}: wall time, first webhook call to last execution finished`,
			`${seconds(wallMs)} (${CALLS} calls answered in ${seconds(callsDoneMs)}; ${(TASKS / (wallMs / 1000)).toFixed(0)} tasks/s)`,
		);
		report.figure(
			`${phase.label}: executions per worker`,
			workers.map((w, i) => `${w.name} ${perWorker[i]}`).join(', '),
		);
		report.figure(
			`${phase.label}: Graph requests`,
			`${graphRequests.length} (${(graphRequests.length / TASKS).toFixed(2)} per task), token requests ${sim.requests.length - graphRequests.length}`,
		);
		report.figure(
			`${phase.label}: peak Graph requests in flight`,
			`${peak} (bound ${inFlightBound}, node concurrency ${phase.concurrency})`,
		);
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
	await report.group(
		'trigger: New Incident Task polls on the main only; a new task is emitted and executed once',
		async () => {
			let started = Date.now();
			await setup.main.stop();
			sim.reset();
			sim.configure({ rateLimit: null, actionStartLagMs: 0 });
			await cli.activateWorkflow(install, mainFolder, triggerId);
			const [{ last }] = await pg.rows(`select coalesce(max(id), 0) as last from execution_entity`);
			const workerLogMarks = workers.map((w) => w.log().length);
			setup.main = await cli.startN8n(install, mainFolder, { timeoutMs: 300_000 });
			console.log(
				`    main restarted with the trigger workflow active (${seconds(Date.now() - started)})`,
			);
			const main = setup.main;
			const watching = /Microsoft Defender XDR Trigger: watching for new incident tasks/;
			const isList = (/** @type {import('../simulator').RequestLogEntry} */ r) =>
				r.method === 'GET' && /\/incidentTasks$/i.test(r.path.split('?')[0]);
			const activated = await waitFor(
				() => watching.test(main.log()) && sim.requests.some(isList),
				60_000,
				500,
			);
			const activatedAt = Date.now();
			// Would the activation replay the backlog? It would start executions now.
			await sleep(5000);
			const triggerExecutions = `from execution_entity where "workflowId" = '${triggerId}' and id > ${Number(last)}`;
			const afterActivation = await pg.rows(`select id ${triggerExecutions}`);
			report.check(
				'the main activated the trigger (its log says it watches for new tasks); no worker did',
				() => {
					assert(activated, `no activation within 60 s:\n${main.log().slice(-1500)}`);
					const workerSaid = workers.filter((w, i) =>
						watching.test(w.log().slice(workerLogMarks[i])),
					);
					assert(
						workerSaid.length === 0,
						`${workerSaid.map((w) => w.name).join(', ')} activated it too`,
					);
				},
			);
			report.check(
				'activation replayed none of the backlog (no execution, nothing executed)',
				() => {
					assert(
						afterActivation.length === 0,
						`${afterActivation.length} executions after activation`,
					);
					assert(
						sim.executions.length === 0,
						`executed: ${sim.executions.map((e) => e.taskId).join(', ')}`,
					);
				},
			);

			started = Date.now();
			const task = sim.addTask({ actionType: 'isolateDevice' });
			const executed = await waitFor(
				() => sim.executions.some((e) => e.taskId === task.id),
				120_000,
				500,
			);
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
				return {
					id: String(row.id),
					status: row.status,
					mode: row.mode,
					emitted: itemsOf(runData, TRIGGER_NODE.trigger, 0),
					success: itemsOf(runData, TRIGGER_NODE.defender, 0),
				};
			});
			report.check(
				`the new task (${task.id}) was emitted once: one trigger execution, with the task once`,
				() => {
					assert(executed, `${task.id} was not executed within 120 s`);
					assert(
						executions.length === 1,
						`${executions.length} executions: ${JSON.stringify(executions.map((e) => ({ id: e.id, emitted: e.emitted.map((i) => i.json.id) })))}`,
					);
					const [execution] = executions;
					assert(
						execution.mode === 'trigger' && execution.status === 'success',
						`execution ${execution.id}: ${execution.mode} ${execution.status}`,
					);
					const emitted = execution.emitted.map((item) => item.json.id);
					assert(
						JSON.stringify(emitted) === JSON.stringify([task.id]),
						`emitted ${JSON.stringify(emitted)}`,
					);
					assert(
						execution.success.length === 1 && execution.success[0].json.outcome === 'executed',
						`Success: ${JSON.stringify(execution.success.map((i) => i.json.outcome))}`,
					);
				},
			);
			report.check("the simulator ran the new task's action exactly once", () => {
				assert(
					JSON.stringify(sim.executions.map((e) => e.taskId)) === JSON.stringify([task.id]),
					`executed: ${sim.executions.map((e) => e.taskId).join(', ')}`,
				);
			});
			const ranOn = executionsByWorker(workers);
			report.check('the emitted execution ran on a worker', () => {
				for (const e of executions)
					assert(
						ranOn.get(e.id)?.length === 1,
						`execution ${e.id}: ${ranOn.get(e.id)?.join('+') || 'no worker'}`,
					);
			});
			const lists = sim.requests.filter(isList);
			// One poller polls once at activation and then once a minute (a random second of it).
			const onePollerAtMost = 1 + Math.ceil((endedAt - activatedAt) / 60_000);
			report.check(
				`one poller: ${lists.length} task-list requests in ${seconds(endedAt - activatedAt)} since activation (one poller makes at most ${onePollerAtMost})`,
				() => {
					assert(
						lists.length >= 2,
						`${lists.length} list requests: the trigger did not poll after activation`,
					);
					assert(
						lists.length <= onePollerAtMost,
						`${lists.length} list requests: more than one process polls`,
					);
				},
			);
			const [workflow] = await pg.rows(
				`select "staticData" as "staticData" from workflow_entity where id = '${triggerId}'`,
			);
			report.check(
				"the trigger's cursor lives in the workflow's static data in PostgreSQL, and holds the new task",
				() => {
					const cursor = workflow?.staticData?.[`node:${TRIGGER_NODE.trigger}`]?.cursor;
					assert(cursor, `staticData: ${JSON.stringify(workflow?.staticData)}`);
					assert(
						JSON.stringify(cursor).includes(task.id),
						`cursor without ${task.id}: ${JSON.stringify(cursor)}`,
					);
				},
			);
			report.figure(
				'trigger: task added to executed once',
				`${seconds(emittedMs)} (polls every minute)`,
			);
			report.figure('trigger: executions of the new task', executions.length);

			// The main killed between a poll and the run it starts: SIGKILL as soon as the poll that can see a new task is answered.
			const late = sim.addTask({ actionType: 'runAntiVirusScan' });
			const listsBefore = sim.requests.filter(isList).length;
			const polled = await waitFor(
				() => sim.requests.filter(isList).length > listsBefore,
				90_000,
				5,
			);
			const killed = setup.main.process;
			if (polled && killed.pid) process.kill(-killed.pid, 'SIGKILL');
			await new Promise((resolve) =>
				killed.exitCode !== null || killed.signalCode !== null
					? resolve(undefined)
					: killed.once('close', resolve),
			);
			const emittedBeforeRestart = await pg.rows(
				`select id from execution_entity where "workflowId" = '${triggerId}' and id > ${Number(last)} order by id`,
			);
			setup.main = await cli.startN8n(install, mainFolder, { timeoutMs: 300_000 });
			const lateExecuted = await waitFor(
				() => sim.executions.some((e) => e.taskId === late.id),
				150_000,
				1000,
			);
			await waitFor(
				async () =>
					(await pg.rows(`select id ${triggerExecutions} and "stoppedAt" is null`)).length === 0,
				30_000,
			);
			const lateRows = await pg.rows(
				`select e.id, e.status, d.data from execution_entity e left join execution_data d on d."executionId" = e.id where e."workflowId" = '${triggerId}' and e.id > ${Number(last)} order by e.id`,
			);
			const lateEmissions = lateRows.filter((row) => {
				const runData = row.data ? parseRunData(row.data)?.resultData?.runData : undefined;
				return itemsOf(runData, TRIGGER_NODE.trigger, 0).some((item) => item.json.id === late.id);
			});
			const lateRuns = sim.executions.filter((e) => e.taskId === late.id).length;
			report.check(
				`main killed right after the poll that could see a new task (${late.id}), then restarted: the task was executed exactly once`,
				() => {
					assert(polled, 'no poll within 90 s of adding the task');
					assert(
						lateExecuted,
						`${late.id} not executed within 150 s of the restart (emitted ${lateEmissions.length} times): the emission was lost`,
					);
					assert(lateRuns === 1, `${late.id} executed ${lateRuns} times`);
				},
			);
			report.figure(
				'trigger crash: main killed after the poll',
				`${emittedBeforeRestart.length - executions.length} executions existed at the kill; the task was emitted ${lateEmissions.length} time(s) in all, executed ${lateRuns} time(s)`,
			);
		},
	);
}

/**
 * n8n's REST API as the editor uses it: a logged-in owner (created on first use), a browser ID, JSON.
 * @param {string} url the main's URL
 */
async function restSession(url) {
	const browserId = crypto.randomUUID();
	/** @type {Record<string, string>} */
	const headers = { 'browser-id': browserId };
	let answer = await restCall('POST', `${url}/rest/owner/setup`, OWNER, headers);
	if (answer.status !== 200)
		answer = await restCall(
			'POST',
			`${url}/rest/login`,
			{ emailOrLdapLoginId: OWNER.email, password: OWNER.password },
			headers,
		);
	const cookie = [answer.headers['set-cookie'] ?? []]
		.flat()
		.map((c) => c.split(';')[0])
		.find((c) => c.startsWith('n8n-auth='));
	assert(
		answer.status === 200 && cookie,
		`could not log in to n8n: ${answer.status} ${answer.body.slice(0, 300)}`,
	);
	headers.cookie = cookie;
	return {
		/** The editor's Retry ("retry with the original workflow"): waits until the new execution finished. @param {string} id */
		retry: async (id) => {
			const retried = await restCall(
				'POST',
				`${url}/rest/executions/${id}/retry`,
				{ loadWorkflow: false },
				headers,
				600_000,
			);
			assert(
				retried.status === 200,
				`retry of execution ${id}: ${retried.status} ${retried.body.slice(0, 500)}`,
			);
			return String(JSON.parse(retried.body).data.id);
		},
		/** @param {string} id @returns {Promise<{ id: string, status: string, mode: string, retryOf: string | null, data: string }>} */
		execution: async (id) => {
			const read = await restCall(
				'GET',
				`${url}/rest/executions/${id}`,
				undefined,
				headers,
				60_000,
			);
			assert(read.status === 200, `execution ${id}: ${read.status} ${read.body.slice(0, 300)}`);
			return JSON.parse(read.body).data;
		},
	};
}

/**
 * @param {string} method @param {string} url @param {unknown} body @param {Record<string, string>} headers @param {number} [timeoutMs]
 * @returns {Promise<{ status: number, headers: import('node:http').IncomingHttpHeaders, body: string }>}
 */
function restCall(method, url, body, headers, timeoutMs = 30_000) {
	const payload = body === undefined ? undefined : JSON.stringify(body);
	return new Promise((resolve, reject) => {
		const req = http.request(
			url,
			{
				method,
				timeout: timeoutMs,
				headers: {
					...headers,
					...(payload
						? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
						: {}),
				},
			},
			(res) => {
				let text = '';
				res.setEncoding('utf8');
				res.on('data', (c) => (text += c));
				res.on('end', () =>
					resolve({ status: res.statusCode || 0, headers: res.headers, body: text }),
				);
			},
		);
		req.on('timeout', () => req.destroy(new Error(`${method} ${url}: timeout`)));
		req.on('error', reject);
		req.end(payload);
	});
}

/** @param {import('../simulator').Simulator} sim */
const executePosts = (sim) => sim.requests.filter((r) => executedTaskOf(r) !== undefined).length;

/**
 * Starts one batch of `tasks` through the fan-out webhook and SIGKILLs the process running it (and its task runners)
 * once about a third of the execute POSTs reached the simulator.
 * @param {import('../simulator').Simulator} sim @param {string} webhookUrl @param {Array<{ id: string, actionType: string }>} tasks
 * @param {() => Promise<import('node:child_process').ChildProcess | undefined>} victim the process to kill, once the batch runs
 */
async function killMidBatch(sim, webhookUrl, tasks, victim) {
	// A freshly started n8n may answer 404 (webhook not registered yet) for a moment; a 404 starts nothing.
	const call = await waitFor(
		async () => {
			const answer = await cli.httpPostJson(
				webhookUrl,
				{ concurrency: 4, tasks },
				{ timeoutMs: 60_000 },
			);
			return answer.status === 404 ? undefined : answer;
		},
		60_000,
		1000,
	);
	assert(
		call && call.status === 200,
		`webhook call: ${call?.status ?? 404} ${call?.body.slice(0, 200) ?? 'not registered within 60 s'}`,
	);
	const third = Math.ceil(tasks.length / 3);
	const reached = await waitFor(() => executePosts(sim) >= third, 180_000, 20);
	assert(reached, `only ${executePosts(sim)} of ${tasks.length} POSTs within 180 s`);
	const child = await victim();
	assert(child?.pid, 'found no process running the batch');
	process.kill(-child.pid, 'SIGKILL');
	const postsBeforeKill = executePosts(sim);
	await new Promise((resolve) =>
		child.exitCode !== null || child.signalCode !== null
			? resolve(undefined)
			: child.once('close', resolve),
	);
	// POSTs already on the wire are answered (and executed) by the simulator after the kill; none can start after it.
	await sleep(1000);
	return { postsBeforeKill, postsAtAll: executePosts(sim) };
}

/**
 * What each crash case asserts and prints: from the simulator's record of executions, every task ran exactly once
 * across all attempts; from the final attempt's stored items, each task left the node once and says what happened.
 * @param {Report} report @param {string} label
 * @param {{ sim: import('../simulator').Simulator, tasks: Array<{ id: string }>, postsBeforeKill: number, attempts: number, ranBeforeRetry: Set<string>, final: { success: any[], error: any[] } }} outcome
 */
function crashChecks(
	report,
	label,
	{ sim, tasks, postsBeforeKill, attempts, ranBeforeRetry, final },
) {
	const runs = new Map();
	for (const e of sim.executions) runs.set(e.taskId, (runs.get(e.taskId) ?? 0) + 1);
	const once = tasks.filter((t) => runs.get(t.id) === 1).length;
	const lost = tasks.filter((t) => !runs.get(t.id));
	const twice = tasks.filter((t) => runs.get(t.id) > 1);
	report.check(
		`${label}: every one of the ${tasks.length} tasks executed exactly once across ${attempts} attempts (none lost, none twice)`,
		() => {
			assert(
				twice.length === 0,
				`${twice.length} executed more than once: ${twice
					.slice(0, 8)
					.map((t) => `${t.id} x${runs.get(t.id)}`)
					.join(', ')}`,
			);
			assert(
				lost.length === 0,
				`${lost.length} never executed: ${lost
					.slice(0, 8)
					.map((t) => t.id)
					.join(', ')}`,
			);
		},
	);
	const items = [...final.success, ...final.error];
	const unexplained = items.filter((item) => {
		const json = item.json;
		if (json.outcome === 'executed' || json.outcome === 'completed') return false;
		if (json.outcome === 'skipped') return !json.reason;
		return !(
			json.outcome === 'failed' &&
			json.error?.executed === 'unknown' &&
			json.error?.message
		);
	});
	report.check(
		`${label}: each task left the final attempt once, as executed, skipped as already started, or failed with executed: unknown`,
		() => {
			const ids = items.map((item) => item.json.incidentTaskId).sort();
			assert(
				JSON.stringify(ids) === JSON.stringify(tasks.map((t) => t.id).sort()),
				`${items.length} items (${new Set(ids).size} tasks) for ${tasks.length} tasks`,
			);
			assert(
				unexplained.length === 0,
				`${unexplained.length} items say something else, e.g. ${String(JSON.stringify(unexplained[0]?.json)).slice(0, 400)}`,
			);
		},
	);
	const skipped = final.success
		.filter((item) => item.json.outcome === 'skipped')
		.map((item) => item.json.incidentTaskId);
	report.check(
		`${label}: the final attempt skipped exactly the tasks the killed attempt had executed, and executed the others`,
		() => {
			const wrongSkips = skipped.filter((id) => !ranBeforeRetry.has(id));
			const missedSkips = [...ranBeforeRetry].filter((id) => !skipped.includes(id));
			assert(
				wrongSkips.length === 0 && missedSkips.length === 0,
				`skipped but not run before: ${wrongSkips.slice(0, 5).join(', ')}; run before but not skipped: ${missedSkips.slice(0, 5).join(', ')}`,
			);
		},
	);
	report.figure(`${label}: tasks`, tasks.length);
	report.figure(`${label}: POSTs before the kill`, postsBeforeKill);
	report.figure(`${label}: attempts`, attempts);
	report.figure(`${label}: executed once`, once);
	report.figure(`${label}: lost`, lost.length);
	report.figure(`${label}: executed twice`, twice.length);
	report.figure(
		`${label}: final attempt`,
		`${final.success.filter((i) => i.json.outcome === 'executed').length} executed, ${skipped.length} skipped as already started, ${final.error.length} on Error`,
	);
}

/**
 * Queue mode: the worker running a 300-task batch is SIGKILLed a third of the way in. Retry at once (n8n still shows
 * the execution running, and its API allows it), (a) what the queue does with the stalled job, (b) Retry of the
 * execution n8n marked failed, then the same webhook call again.
 * @param {Report} report @param {Setup} setup
 */
async function queueCrashPhase(report, setup) {
	const { sim, pg, workers, fanOutId, parseRunData } = setup;
	await report.group(
		`crash, queue mode: the worker running ${CRASH_TASKS} tasks is SIGKILLed a third of the way in; Retry at once, the stalled job, Retry after it, the call again`,
		async () => {
			sim.reset();
			sim.configure({ rateLimit: null, actionStartLagMs: CRASH_START_LAG_MS });
			const tasks = seedTasks(sim, 'task-crash-queue', CRASH_TASKS);
			const [{ last }] = await pg.rows(`select coalesce(max(id), 0) as last from execution_entity`);
			const fanOutRows = (/** @type {string} */ where = '') =>
				pg.rows(
					`select id, status, mode, "retryOf" as "retryOf" from execution_entity where "workflowId" = '${fanOutId}' and id > ${Number(last)} ${where} order by id`,
				);
			/** @param {string} id */
			const finalAttempt = async (id) => {
				const [row] = await pg.rows(
					`select e.id, e.status, e.mode, e."retryOf" as "retryOf", d.data from execution_entity e join execution_data d on d."executionId" = e.id where e.id = ${Number(id)}`,
				);
				const runData = row ? parseRunData(row.data)?.resultData?.runData : undefined;
				return {
					row,
					final: {
						success: itemsOf(runData, NODE.defender, 0),
						error: itemsOf(runData, NODE.defender, 1),
					},
				};
			};
			/** @type {{ id: string, name: string, jobId: string } | undefined} */
			let running;
			const { postsBeforeKill, postsAtAll } = await killMidBatch(
				sim,
				`${setup.main.url}/webhook/defender-xdr-fan-out`,
				tasks,
				async () => {
					const [row] = await fanOutRows();
					if (!row) return undefined;
					for (const worker of workers) {
						const job = new RegExp(`Worker started execution ${row.id} \\(job (\\d+)\\)`).exec(
							worker.log(),
						)?.[1];
						if (job) running = { id: String(row.id), name: worker.name, jobId: job };
					}
					return workers.find((w) => w.name === running?.name)?.process;
				},
			);
			assert(running, 'no worker said it started the execution');
			const killedAt = Date.now();
			console.log(
				`    killed ${running.name} (SIGKILL) running execution ${running.id}, job ${running.jobId}, after ${postsBeforeKill} of ${CRASH_TASKS} POSTs (${postsAtAll} once the wire was empty)`,
			);
			const survivor = workers.find((w) => w.name !== running?.name);
			assert(survivor, 'no second worker');
			const [{ status: statusAtKill }] = await fanOutRows(`and id = ${running.id}`);

			// Retry at once: the last POSTs of the killed attempt ran moments ago, and Graph may not show them yet.
			const session = await restSession(setup.main.url);
			const ranBeforeQuickRetry = new Set(sim.executions.map((e) => e.taskId));
			const quickRetryId = await session.retry(running.id);
			const quick = await finalAttempt(quickRetryId);
			report.check(
				`Retry at once ran the batch again as execution ${quickRetryId} (mode retry, retry of ${running.id}, which n8n still showed "${statusAtKill}") on the surviving worker, and it succeeded`,
				() => {
					assert(
						quick.row && quick.row.mode === 'retry' && String(quick.row.retryOf) === running?.id,
						`execution ${quickRetryId}: ${JSON.stringify(quick.row && { mode: quick.row.mode, retryOf: quick.row.retryOf })}`,
					);
					assert(quick.row.status === 'success', `status ${quick.row.status}`);
					assert(
						new RegExp(`Worker finished execution ${quickRetryId} `).test(survivor.log()),
						`${survivor.name} did not run it`,
					);
				},
			);
			crashChecks(report, 'crash queue, Retry at once', {
				sim,
				tasks,
				postsBeforeKill,
				attempts: 2,
				ranBeforeRetry: ranBeforeQuickRetry,
				final: quick.final,
			});
			const firstRead = sim.requests.find(
				(r) => r.method === 'GET' && !isTokenRequest(r) && Date.parse(r.at) > killedAt,
			);
			report.figure(
				'crash queue, Retry at once: its first read of the tasks after the kill',
				firstRead ? seconds(Date.parse(firstRead.at) - killedAt) : 'none',
			);

			// (a) The stalled job: Bull notices the dead worker's lock expired. n8n 2.x fails it instead of running it again,
			// and the main, waiting for the job, marks the execution failed.
			const stalled = await waitFor(
				async () => {
					const [row] = await pg.rows(
						`select e.status, d.data from execution_entity e join execution_data d on d."executionId" = e.id where e.id = ${Number(running?.id)}`,
					);
					return row && row.status !== 'running' && row.status !== 'new'
						? { status: row.status, error: parseRunData(row.data)?.resultData?.error?.message }
						: undefined;
				},
				180_000,
				1000,
			);
			const stalledMs = Date.now() - killedAt;
			const postsBeforeStallWait = executePosts(sim);
			await sleep(5000);
			report.check(
				'(a) the queue found the job stalled and n8n marked the execution failed; no worker ran it again (n8n 2.x never re-runs a stalled job)',
				() => {
					assert(stalled, `execution ${running?.id} still running 180 s after the kill`);
					assert(
						stalled.status === 'error' &&
							/too many times|maximum number of attempts/i.test(stalled.error ?? ''),
						`status ${stalled.status}: ${stalled.error}`,
					);
					assert(
						!new RegExp(`Worker started execution ${running?.id} `).test(survivor.log()),
						`${survivor.name} started execution ${running?.id}`,
					);
					assert(
						executePosts(sim) === postsBeforeStallWait,
						`${executePosts(sim) - postsBeforeStallWait} POSTs while the job was stalled`,
					);
				},
			);
			report.figure(
				'crash queue: the killed execution',
				`"${statusAtKill}" until the queue found the job stalled, ${seconds(stalledMs)} after the kill; then "${stalled?.status}" ("${stalled?.error}"); not run again by n8n`,
			);

			// (b) Retry of the failed execution, as a person would press it in the editor.
			const postsBeforeLateRetry = executePosts(sim);
			const lateRetryId = await session.retry(running.id);
			const late = await finalAttempt(lateRetryId);
			report.check(
				`(b) Retry after the stall (execution ${lateRetryId}) runs nothing: n8n replaced the failed execution's data with the stall error, so it ends at once in error and sends nothing`,
				() => {
					assert(
						late.row && late.row.mode === 'retry' && String(late.row.retryOf) === running?.id,
						`execution ${lateRetryId}: ${JSON.stringify(late.row && { mode: late.row.mode, retryOf: late.row.retryOf })}`,
					);
					assert(late.row.status === 'error', `status ${late.row.status}`);
					assert(
						executePosts(sim) === postsBeforeLateRetry,
						`${executePosts(sim) - postsBeforeLateRetry} POSTs`,
					);
				},
			);
			report.figure(
				'crash queue: Retry after the stall',
				`execution ${lateRetryId} "${late.row?.status}", ${executePosts(sim) - postsBeforeLateRetry} POSTs (nothing left to retry)`,
			);

			// So the batch runs again the way it started: the same webhook call, as a person or a scheduler would repeat it.
			const ranBeforeResend = new Set(sim.executions.map((e) => e.taskId));
			const [{ top }] = await pg.rows(`select max(id) as top from execution_entity`);
			const resent = await cli.httpPostJson(
				`${setup.main.url}/webhook/defender-xdr-fan-out`,
				{ concurrency: 4, tasks },
				{ timeoutMs: 60_000 },
			);
			const resentRow = await waitFor(
				async () =>
					(
						await pg.rows(
							`select id from execution_entity where "workflowId" = '${fanOutId}' and id > ${Number(top)} and "stoppedAt" is not null`,
						)
					)[0],
				240_000,
				1000,
			);
			const again = resentRow ? await finalAttempt(String(resentRow.id)) : undefined;
			report.check('the same webhook call again ran the batch to the end (status success)', () => {
				assert(resent.status === 200, `webhook call: ${resent.status}`);
				assert(
					again?.row?.status === 'success',
					`execution: ${JSON.stringify(again?.row && { id: again.row.id, status: again.row.status })}`,
				);
			});
			if (again)
				crashChecks(report, 'crash queue, the batch sent again', {
					sim,
					tasks,
					postsBeforeKill,
					attempts: 3,
					ranBeforeRetry: ranBeforeResend,
					final: again.final,
				});
			setup.workers = workers.filter((w) => w.name !== running?.name);
		},
	);
}

/**
 * Regular mode: `n8n start` (SQLite, runs executions itself) is SIGKILLed while a 300-task batch runs, started again,
 * and the crashed execution retried.
 * @param {Report} report @param {Setup} setup @param {Teardown} teardown
 */
async function regularCrashPhase(report, setup, teardown) {
	const { install, sim, tarball, parseRunData } = setup;
	await report.group(
		`crash, regular mode: n8n start is SIGKILLed while it runs ${CRASH_TASKS} tasks, started again, the execution retried`,
		async () => {
			sim.reset();
			sim.configure({ rateLimit: null, actionStartLagMs: CRASH_START_LAG_MS });
			const folder = cli.makeUserFolder('defender-xdr-regular-crash-');
			teardown.add(`remove ${folder.dir}`, () =>
				process.env.QUEUE_TEST_KEEP === '1' ? undefined : folder.remove(),
			);
			await cli.installCommunityPackage(install, folder, tarball);
			await cli.importCredentials(install, folder, [
				{ ...CREDENTIAL, data: simulatorCredential(sim) },
			]);
			const fanOut = { ...JSON.parse(fs.readFileSync(FAN_OUT_FILE, 'utf8')), active: false };
			await cli.importWorkflow(install, folder, [fanOut]);
			await cli.activateWorkflow(install, folder, fanOut.id);
			/** @type {Awaited<ReturnType<typeof cli.startN8n>> | undefined} */
			let n8n = await cli.startN8n(install, folder, { timeoutMs: 300_000 });
			teardown.add('stop the regular-mode n8n', () => n8n?.stop());
			const first = n8n;
			const tasks = seedTasks(sim, 'task-crash-regular', CRASH_TASKS);
			const { postsBeforeKill, postsAtAll } = await killMidBatch(
				sim,
				`${first.url}/webhook/defender-xdr-fan-out`,
				tasks,
				async () => first.process,
			);
			console.log(
				`    killed n8n start (SIGKILL) after ${postsBeforeKill} of ${CRASH_TASKS} POSTs (${postsAtAll} once the wire was empty)`,
			);
			const ranBeforeRetry = new Set(sim.executions.map((e) => e.taskId));

			n8n = await cli.startN8n(install, folder, { timeoutMs: 300_000 });
			const session = await restSession(n8n.url);
			await sleep(3000);
			report.check('after the restart, n8n did not run the batch again by itself', () => {
				assert(
					executePosts(sim) === postsAtAll,
					`${executePosts(sim) - postsAtAll} POSTs since the restart`,
				);
			});
			const crashed = await findCrashedExecution(session);
			report.check('n8n marked the killed execution crashed when it started again', () => {
				assert(crashed.status === 'crashed', `status ${crashed.status}`);
			});
			report.figure(
				'crash regular: the killed execution',
				`"${crashed.status}" after the restart; not run again until Retry`,
			);
			const retryId = await session.retry(crashed.id);
			const retried = await session.execution(retryId);
			const runData = parseRunData(retried.data)?.resultData?.runData;
			const final = {
				success: itemsOf(runData, NODE.defender, 0),
				error: itemsOf(runData, NODE.defender, 1),
			};
			report.check(
				`Retry ran the batch again as execution ${retryId} (mode retry) and it succeeded`,
				() => {
					assert(
						retried.mode === 'retry' && String(retried.retryOf) === String(crashed.id),
						`mode ${retried.mode}, retry of ${retried.retryOf}`,
					);
					assert(retried.status === 'success', `status ${retried.status}`);
				},
			);
			crashChecks(report, 'crash regular', {
				sim,
				tasks,
				postsBeforeKill,
				attempts: 2,
				ranBeforeRetry,
				final,
			});
			await n8n.stop();
		},
	);
}

/**
 * The one execution in a fresh regular-mode database: the batch that was killed.
 * @param {Awaited<ReturnType<typeof restSession>>} session
 */
async function findCrashedExecution(session) {
	for (let id = 1; id <= 5; id++) {
		const execution = await session.execution(String(id)).catch(() => undefined);
		if (execution) return { ...execution, id: String(execution.id) };
	}
	throw new Error('no execution found in the regular-mode n8n');
}

async function main() {
	const started = Date.now();
	const report = new Report();
	const teardown = new Teardown();
	console.log(
		`Queue-mode test: n8n ${N8N_LINE}.x main + ${WORKERS} workers, PostgreSQL, Redis, ${CALLS} x ${TASKS_PER_CALL} tasks`,
	);

	// Ctrl-C or a kill: stop what we started and remove our folders, then end as that signal would.
	for (const signal of /** @type {NodeJS.Signals[]} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
		// `on`, not `once`: n8n-cli's own handler re-raises the signal when it thinks it is alone.
		process.on(signal, () => {
			console.log(`\n${signal}: stopping everything this test started`);
			void teardown
				.run()
				.finally(() =>
					process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1)),
				);
		});
	}
	try {
		const setup = await setUp(report, teardown);
		if (setup && !ONLY) {
			await fanOutPhase(report, setup, {
				title: `fan-out: ${TASKS} tasks in ${CALLS} concurrent webhook calls, node concurrency 4 (the default)`,
				label: 'fan-out',
				prefix: 'task-queue',
				concurrency: 4,
				rateLimit: null,
				timeoutMs: 300_000,
			});
			await fanOutPhase(report, setup, {
				title: `fan-out, rate-limited to ${RATE_LIMIT.requests} requests per ${RATE_LIMIT.windowSeconds} s per app: ${TASKS} tasks in ${CALLS} concurrent webhook calls, node concurrency ${THROTTLED_CONCURRENCY}`,
				label: 'fan-out rate-limited',
				prefix: 'task-throttled',
				concurrency: THROTTLED_CONCURRENCY,
				rateLimit: RATE_LIMIT,
				timeoutMs: 480_000,
			});
		}
		if (setup && ONLY !== 'trigger') {
			await queueCrashPhase(report, setup);
			await regularCrashPhase(report, setup, teardown);
		}
		if (setup && ONLY !== 'crash') await triggerPhase(report, setup);
	} finally {
		const stopping = Date.now();
		await teardown.run();
		console.log(
			`\nstopped n8n, PostgreSQL, Redis and the simulator, removed temp folders (${seconds(Date.now() - stopping)})`,
		);
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
