// @ts-check
'use strict';

/**
 * Helpers to drive a real n8n (installed by ./n8n-install.js) through its CLI,
 * shared by the end-to-end tests and `npm run dev`.
 *
 *   const { ensureN8n } = require('./n8n-install');
 *   const cli = require('./n8n-cli');
 *   const install = await ensureN8n('2');
 *   const folder = cli.makeUserFolder();                 // temp N8N_USER_FOLDER + encryption key
 *   await cli.installCommunityPackage(install, folder, 'pkg.tgz');
 *   await cli.importCredentials(install, folder, [{ id, name, type, data: { ...plain } }]);
 *   await cli.importWorkflow(install, folder, workflowJsonOrFile);
 *   const run = await cli.executeWorkflow(install, folder, workflowId);
 *   cli.nodeOutput(run, 'Node name', 0);                 // items on output 0
 *   folder.remove();
 *
 * Every n8n process gets a temp user folder (also as HOME), loopback-only
 * settings and no telemetry, so nothing reaches the network or the real home.
 */

const { spawn, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { npmEnv } = require('./n8n-install');

/**
 * @typedef {import('./n8n-install').N8nInstall} N8nInstall
 * @typedef {{ dir: string, env: Record<string, string>, remove: () => void }} UserFolder
 * @typedef {{ code: number | null, signal: NodeJS.Signals | null, stdout: string, stderr: string, durationMs: number }} RunResult
 */

/** Settings for every n8n process: offline, quiet, deterministic, inside the user folder. */
const BASE_N8N_ENV = Object.freeze({
	DB_TYPE: 'sqlite',
	N8N_DIAGNOSTICS_ENABLED: 'false',
	N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
	N8N_TEMPLATES_ENABLED: 'false',
	N8N_PERSONALIZATION_ENABLED: 'false',
	N8N_HIRING_BANNER_ENABLED: 'false',
	N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
	N8N_SECURE_COOKIE: 'false',
	// n8n warns on every command that the config file it wrote is 0644.
	N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
	N8N_LISTEN_ADDRESS: '127.0.0.1',
	N8N_HOST: '127.0.0.1',
	GENERIC_TIMEZONE: 'UTC',
	TZ: 'UTC',
	// Plain text logs when they are read by a program.
	NO_COLOR: '1',
	// `n8n execute` prints its result through the logger at level info:
	// N8N_LOG_LEVEL=warn would hide it.
	N8N_LOG_LEVEL: 'info',
});

/** Variables of the caller that must not leak into n8n (its config, npm's, a debugger). */
const DROPPED_ENV =
	/^(N8N_|DB_|EXECUTIONS_|QUEUE_|WEBHOOK_URL$|GENERIC_TIMEZONE$|NODE_OPTIONS$|NODE_PATH$|NODE_CONFIG_DIR$|npm_|E2E_TESTS$)/;

/**
 * n8n processes still running. They are spawned detached (own process group,
 * so a timeout can end n8n and its task-runner children together), which also
 * means a Ctrl-C in the terminal no longer reaches them: they are ended here
 * when this process exits or is interrupted.
 */
const liveChildren = new Set();
let cleanupInstalled = false;

function installCleanup() {
	if (cleanupInstalled) return;
	cleanupInstalled = true;
	process.on('exit', () => {
		for (const child of liveChildren) killGroup(child, 'SIGKILL');
	});
	for (const signal of /** @type {NodeJS.Signals[]} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
		const onSignal = () => {
			// SIGTERM lets n8n shut down cleanly; one that has not ended within
			// 10 s is killed, so no n8n outlives us.
			const children = [...liveChildren];
			for (const child of children) killGroup(child, 'SIGTERM');
			const alone = process.listenerCount(signal) === 1;
			const deadline = Date.now() + 10_000;
			const waitThenExit = () => {
				const running = children.filter((c) => c.exitCode === null && c.signalCode === null);
				if (running.length > 0 && Date.now() < deadline) {
					setTimeout(waitThenExit, 200);
					return;
				}
				for (const child of running) killGroup(child, 'SIGKILL');
				// Nobody else handles it: die of the signal, as without a handler.
				if (alone) {
					process.removeListener(signal, onSignal);
					process.kill(process.pid, signal);
				}
			};
			waitThenExit();
		};
		process.on(signal, onSignal);
	}
}

/**
 * Signals the child's whole process group (n8n plus its task runners).
 * @param {import('node:child_process').ChildProcess} child @param {NodeJS.Signals} signal
 */
function killGroup(child, signal) {
	if (child.pid === undefined) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		/* group already gone */
	}
}

/** A TCP port free on loopback right now (n8n's task broker and server need their own). */
function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolve(port));
		});
	});
}

/**
 * A fresh temp N8N_USER_FOLDER with its own random encryption key (kept in
 * `env`, never printed). Use the same folder object for every command that
 * should see the same database.
 * @param {string} [prefix]
 * @returns {UserFolder}
 */
function makeUserFolder(prefix = 'defender-xdr-real-n8n-') {
	return openUserFolder(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

/**
 * A user folder that may already hold an n8n database (say, one `npm run dev`
 * keeps between runs). n8n stores the encryption key in `.n8n/config` on first
 * use and refuses to start with a different N8N_ENCRYPTION_KEY, so an existing
 * key is reused; a new folder gets a random one.
 * @param {string} dir
 * @returns {UserFolder}
 */
function openUserFolder(dir) {
	fs.mkdirSync(path.join(dir, '.n8n', 'nodes'), { recursive: true });
	let key;
	try {
		key = JSON.parse(fs.readFileSync(path.join(dir, '.n8n', 'config'), 'utf8')).encryptionKey;
	} catch {
		key = undefined;
	}
	return {
		dir,
		env: {
			N8N_USER_FOLDER: dir,
			N8N_ENCRYPTION_KEY:
				typeof key === 'string' && key ? key : crypto.randomBytes(24).toString('hex'),
		},
		remove: () => fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 }),
	};
}

/**
 * The full environment of an n8n process.
 * @param {N8nInstall} install @param {UserFolder} folder @param {Record<string, string>} [extra]
 */
function n8nEnv(install, folder, extra = {}) {
	/** @type {Record<string, string>} */
	const env = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (value !== undefined && !DROPPED_ENV.test(key)) env[key] = value;
	}
	// Loopback (the simulator) must never go through a proxy set in the caller's env.
	const noProxy = ['127.0.0.1', 'localhost', '::1', env.NO_PROXY || env.no_proxy]
		.filter(Boolean)
		.join(',');
	return {
		...env,
		PATH: [path.dirname(install.nodeBin), env.PATH || ''].join(path.delimiter),
		HOME: folder.dir,
		NO_PROXY: noProxy,
		no_proxy: noProxy,
		...BASE_N8N_ENV,
		...folder.env,
		...extra,
	};
}

/**
 * Spawns `n8n <args>` on the install's Node, cwd = the user folder (n8n loads
 * a `.env` from its cwd, so never the repo), in its own process group.
 * @param {N8nInstall} install @param {string[]} args @param {UserFolder} folder
 * @param {Record<string, string>} [extraEnv]
 */
async function spawnN8n(install, args, folder, extraEnv = {}) {
	// n8n 2.x always starts a task broker (default port 5679, the same for every
	// n8n): a free port per process lets e2e runs and `npm run dev` coexist.
	const brokerPort = extraEnv.N8N_RUNNERS_BROKER_PORT || String(await freePort());
	const env = n8nEnv(install, folder, { N8N_RUNNERS_BROKER_PORT: brokerPort, ...extraEnv });
	const child = spawn(install.nodeBin, [install.n8nBin, ...args], {
		cwd: folder.dir,
		env,
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	installCleanup();
	liveChildren.add(child);
	child.on('close', () => liveChildren.delete(child));
	return child;
}

/**
 * Runs one n8n CLI command to its end.
 * @param {N8nInstall} install @param {string[]} args @param {UserFolder} folder
 * @param {{ env?: Record<string, string>, timeoutMs?: number }} [options]
 * @returns {Promise<RunResult>}
 */
async function runN8n(install, args, folder, options = {}) {
	const started = Date.now();
	const child = await spawnN8n(install, args, folder, options.env);
	/** @type {Buffer[]} */ const out = [];
	/** @type {Buffer[]} */ const err = [];
	child.stdout?.on('data', (chunk) => out.push(chunk));
	child.stderr?.on('data', (chunk) => err.push(chunk));
	const timeoutMs = options.timeoutMs ?? 180_000;
	let timedOut = false;
	const timer = setTimeout(() => {
		timedOut = true;
		killGroup(child, 'SIGKILL');
	}, timeoutMs);
	const [code, signal] = await new Promise((resolve, reject) => {
		child.on('error', reject);
		child.on('close', (c, s) => resolve([c, s]));
	});
	clearTimeout(timer);
	// A task runner must not outlive its `n8n execute`: end what is left of the group.
	killGroup(child, 'SIGKILL');
	const result = {
		code,
		signal,
		stdout: Buffer.concat(out).toString('utf8'),
		stderr: Buffer.concat(err).toString('utf8'),
		durationMs: Date.now() - started,
	};
	if (timedOut) {
		throw new Error(
			`n8n ${args[0]} timed out after ${timeoutMs} ms\n${tail(result.stdout + result.stderr)}`,
		);
	}
	return result;
}

/** Last lines of a log, for error messages. @param {string} text @param {number} [lines] */
function tail(text, lines = 40) {
	return text.split('\n').slice(-lines).join('\n');
}

/**
 * Writes a JSON file into the user folder (owner-only: it may hold secrets).
 * @param {UserFolder} folder @param {string} name @param {unknown} value
 */
function writePrivateJson(folder, name, value) {
	const file = path.join(folder.dir, name);
	fs.writeFileSync(file, JSON.stringify(value, null, 2), { mode: 0o600 });
	return file;
}

/**
 * `n8n import:workflow --input=<file>` of a workflow file, object or array.
 * The workflow's `id` is kept, so `executeWorkflow` can use it.
 * @param {N8nInstall} install @param {UserFolder} folder @param {string | object | object[]} workflow
 */
async function importWorkflow(install, folder, workflow) {
	const file =
		typeof workflow === 'string'
			? path.resolve(workflow)
			: writePrivateJson(folder, `import-workflow-${crypto.randomUUID()}.json`, workflow);
	const result = await runN8n(install, ['import:workflow', `--input=${file}`], folder);
	if (result.code !== 0 || !/Successfully imported/.test(result.stdout + result.stderr)) {
		throw new Error(
			`n8n import:workflow failed (exit ${result.code}):\n${tail(result.stdout + result.stderr)}`,
		);
	}
	return result;
}

/**
 * A stable n8n workflow ID for a workflow file (16 letters and digits, n8n's
 * own format), so importing the same file again updates that workflow
 * instead of adding a copy, and tests can `execute --id` it.
 * @param {string} name e.g. the file's base name
 */
function workflowIdFor(name) {
	const digest = crypto
		.createHash('sha256')
		.update(name)
		.digest('base64')
		.replace(/[^A-Za-z0-9]/g, '');
	return `dxdr${digest.slice(0, 12)}`;
}

/**
 * The workflow files of a folder, sorted, each ready to import: its own `id` or a stable one from
 * `workflowIdFor('<kind>/<file>')`, and inactive (n8n would otherwise start its triggers).
 * @param {string} dir @param {string} kind e.g. 'example'
 * @returns {Array<{ file: string, kind: string, workflow: any }>}
 */
function readWorkflows(dir, kind) {
	if (!fs.existsSync(dir)) return [];
	return fs
		.readdirSync(dir)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => {
			const workflow = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
			return {
				file,
				kind,
				workflow: {
					...workflow,
					id: workflow.id || workflowIdFor(`${kind}/${file}`),
					active: false,
				},
			};
		});
}

/**
 * Activates an imported workflow (its triggers start when n8n starts). n8n 2.x
 * "publishes" a workflow version; 1.x has no publish command and sets `active`.
 * @param {N8nInstall} install @param {UserFolder} folder @param {string} workflowId
 */
async function activateWorkflow(install, folder, workflowId) {
	const major = Number(install.version.split('.')[0]);
	const args =
		major >= 2
			? ['publish:workflow', `--id=${workflowId}`]
			: ['update:workflow', `--id=${workflowId}`, '--active=true'];
	const result = await runN8n(install, args, folder);
	if (result.code !== 0) {
		throw new Error(
			`n8n ${args[0]} failed (exit ${result.code}):\n${tail(result.stdout + result.stderr)}`,
		);
	}
	return result;
}

/**
 * `n8n import:credentials` of credentials with plain data:
 * `[{ id, name, type, data: { field: value } }]`. n8n (1.x and 2.x) encrypts a
 * `data` object with the folder's key on import. The temp file is deleted at
 * once, and every data value is masked in a failure message.
 * @param {N8nInstall} install @param {UserFolder} folder
 * @param {Array<{ id: string, name: string, type: string, data: Record<string, unknown> }>} credentials
 */
async function importCredentials(install, folder, credentials) {
	const file = writePrivateJson(
		folder,
		`import-credentials-${crypto.randomUUID()}.json`,
		credentials,
	);
	let result;
	try {
		result = await runN8n(install, ['import:credentials', `--input=${file}`], folder);
	} finally {
		fs.rmSync(file, { force: true });
	}
	if (result.code !== 0 || !/Successfully imported/.test(result.stdout + result.stderr)) {
		const secrets = credentials
			.flatMap((c) => Object.values(c.data || {}).map(String))
			.filter((s) => s.length >= 4);
		throw new Error(
			`n8n import:credentials failed (exit ${result.code}):\n${redact(tail(result.stdout + result.stderr), secrets)}`,
		);
	}
	return result;
}

/** @param {string} text @param {string[]} secrets */
function redact(text, secrets) {
	let out = text;
	for (const secret of secrets) out = out.split(secret).join('***');
	return out;
}

/**
 * Finds n8n's execution object (`{ data: { resultData: { runData } }, ... }`)
 * in `n8n execute` output.
 * With N8N_LOG_FORMAT=json (what executeWorkflow sets) every log line is one
 * JSON object and the execution is the `message` of one of them: nothing else
 * n8n or a node prints can be mistaken for it. With the text format it is a
 * pretty-printed object whose braces are the only ones at column 0.
 * @param {string} stdout
 * @returns {any | undefined} the last execution object found
 */
function parseExecuteOutput(stdout) {
	/** @param {any} value */
	const isRun = (value) =>
		value && typeof value === 'object' && value.data && value.data.resultData;
	let found;
	const lines = stdout.split('\n');
	for (const line of lines) {
		if (!line.startsWith('{"')) continue;
		try {
			const entry = JSON.parse(line);
			if (typeof entry.message === 'string' && entry.message.startsWith('{')) {
				const value = JSON.parse(entry.message);
				if (isRun(value)) found = value;
			}
		} catch {
			/* not a log entry */
		}
	}
	if (found) return found;
	for (let start = 0; start < lines.length; start++) {
		if (lines[start] !== '{') continue;
		const end = lines.indexOf('}', start + 1);
		if (end < 0) break;
		try {
			const value = JSON.parse(lines.slice(start, end + 1).join('\n'));
			if (isRun(value)) found = value;
		} catch {
			/* not it */
		}
		start = end;
	}
	return found;
}

/**
 * `n8n execute --id=<id> --rawOutput` and the parsed execution.
 * `status` is 'success' when the workflow finished without a workflow-level
 * error (item-level errors routed to an Error output are still 'success').
 * n8n exits 0 on success; with a workflow error it prints the execution, then
 * the error, and exits non-zero.
 * @param {N8nInstall} install @param {UserFolder} folder @param {string} workflowId
 * @param {{ env?: Record<string, string>, timeoutMs?: number }} [options]
 */
async function executeWorkflow(install, folder, workflowId, options = {}) {
	const result = await runN8n(install, ['execute', `--id=${workflowId}`, '--rawOutput'], folder, {
		...options,
		env: { N8N_LOG_FORMAT: 'json', N8N_LOG_LEVEL: 'info', ...(options.env || {}) },
	});
	const execution = parseExecuteOutput(result.stdout);
	if (!execution) {
		throw new Error(
			`n8n execute --id=${workflowId} printed no execution (exit ${result.code}):\n${tail(result.stdout + '\n' + result.stderr)}`,
		);
	}
	const resultData = execution.data.resultData;
	return {
		status: resultData.error ? 'error' : 'success',
		error: resultData.error,
		runData: resultData.runData || {},
		lastNodeExecuted: resultData.lastNodeExecuted,
		execution,
		exitCode: result.code,
		durationMs: result.durationMs,
		stdout: result.stdout,
		stderr: result.stderr,
	};
}

/**
 * Items a node put on one of its outputs (0 = first, e.g. Success; 1 = Error).
 * @param {{ runData: Record<string, any[]> }} run @param {string} nodeName
 * @param {number} [outputIndex] @param {number} [runIndex]
 * @returns {Array<{ json: any, pairedItem?: any, error?: any }>}
 */
function nodeOutput(run, nodeName, outputIndex = 0, runIndex = 0) {
	const runs = run.runData[nodeName];
	if (!runs || !runs[runIndex])
		throw new Error(`node "${nodeName}" did not run (ran: ${Object.keys(run.runData).join(', ')})`);
	const task = runs[runIndex];
	if (task.error) throw new Error(`node "${nodeName}" failed: ${task.error.message}`);
	const main = (task.data && task.data.main) || [];
	return main[outputIndex] || [];
}

/**
 * Installs a packed community package into `<user folder>/.n8n/nodes` the way a
 * person does by hand (`npm install <tarball>` there), but with
 * --legacy-peer-deps: npm 7+ would otherwise install the peer `n8n-workflow`
 * (latest, ~165 packages) next to it, and the node would load that copy
 * instead of the running n8n's (n8n puts its own node_modules on NODE_PATH for
 * community nodes). Scripts are ignored, as n8n's own installer does.
 * @param {N8nInstall} install @param {UserFolder} folder @param {string} tarball
 */
async function installCommunityPackage(install, folder, tarball) {
	const nodesDir = path.join(folder.dir, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	if (!fs.existsSync(path.join(nodesDir, 'package.json'))) {
		fs.writeFileSync(
			path.join(nodesDir, 'package.json'),
			JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2),
		);
	}
	const env = npmEnv(path.dirname(install.nodeBin));
	const args = [
		'install',
		'--no-audit',
		'--no-fund',
		'--ignore-scripts',
		'--legacy-peer-deps',
		'--prefer-offline',
		'--loglevel=error',
		path.resolve(tarball),
	];
	const result = await new Promise((resolve, reject) => {
		const child = spawn('npm', args, { cwd: nodesDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		child.stdout.on('data', (c) => (output += c));
		child.stderr.on('data', (c) => (output += c));
		child.on('error', reject);
		child.on('close', (code) => resolve({ code, output }));
	});
	if (result.code !== 0)
		throw new Error(`npm install ${tarball} into ${nodesDir} failed:\n${tail(result.output)}`);
	return nodesDir;
}

/**
 * Builds dist/ and packs the package exactly as it is published (`npm pack`: package.json "files");
 * returns the tarball's path. Used by the end-to-end test and `npm run dev`.
 * @param {string} destination folder for the tarball
 */
function buildAndPack(destination) {
	const repo = path.resolve(__dirname, '..');
	/** @param {string[]} args */
	const npm = (args) => {
		const result = spawnSync('npm', args, {
			cwd: repo,
			encoding: 'utf8',
			env: { ...process.env, npm_config_update_notifier: 'false' },
		});
		if (result.status !== 0)
			throw new Error(
				`npm ${args.join(' ')} failed (exit ${result.status}):\n${tail(result.stdout + result.stderr, 30)}`,
			);
		return result.stdout;
	};
	npm(['run', 'build']);
	// Built just above: without --ignore-scripts, prepack would build again and print into the JSON on stdout.
	const packed = JSON.parse(
		npm(['pack', '--json', '--ignore-scripts', '--pack-destination', destination]),
	);
	return path.join(destination, packed[0].filename);
}

/** Where n8n writes the node and credential types it serves its editor. @param {UserFolder} folder */
function typesDir(folder) {
	return path.join(folder.dir, '.cache', 'n8n', 'public', 'types');
}

/**
 * A long-running n8n process: its output collected (and passed to `onOutput`), and a `stop()` that asks
 * it to shut down gracefully (SIGTERM, which also stops its task runners) and kills it after 15 s.
 * @param {import('node:child_process').ChildProcess} child @param {(chunk: string) => void} [onOutput]
 */
function watchProcess(child, onOutput) {
	let log = '';
	/** @param {Buffer} chunk */
	const onData = (chunk) => {
		const text = chunk.toString('utf8');
		log += text;
		if (onOutput) onOutput(text);
	};
	child.stdout?.on('data', onData);
	child.stderr?.on('data', onData);
	const stop = async () => {
		if (child.exitCode !== null || child.signalCode !== null) return;
		const closed = new Promise((resolve) => child.once('close', resolve));
		killGroup(child, 'SIGTERM');
		const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 15_000);
		await closed;
		clearTimeout(timer);
	};
	return {
		stop,
		log: () => log,
		exited: () => child.exitCode !== null || child.signalCode !== null,
	};
}

/**
 * Polls `url + probe` for each probe in turn until it answers 200, while the process lives.
 * @param {import('node:child_process').ChildProcess} child @param {ReturnType<typeof watchProcess>} watched
 * @param {string} url @param {string[]} probes @param {number} timeoutMs @param {string} what e.g. 'n8n start'
 */
async function waitUntilReady(child, watched, url, probes, timeoutMs, what) {
	const deadline = Date.now() + timeoutMs;
	for (const probe of probes) {
		for (;;) {
			if (watched.exited()) {
				throw new Error(
					`${what} exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${tail(watched.log())}`,
				);
			}
			const res = await httpGet(`${url}${probe}`).catch(() => undefined);
			if (res && res.status === 200) break;
			if (Date.now() > deadline) {
				await watched.stop();
				throw new Error(
					`${what} did not answer ${probe} on ${url} in time:\n${tail(watched.log())}`,
				);
			}
			await new Promise((r) => setTimeout(r, 500));
		}
	}
}

/**
 * Starts `n8n start` on a loopback port and waits until it is ready: database
 * migrated (`/healthz/readiness`) and the editor served (`/` answers 200).
 * @param {N8nInstall} install @param {UserFolder} folder
 * @param {{ port?: number, env?: Record<string, string>, timeoutMs?: number, onOutput?: (chunk: string) => void }} [options]
 */
async function startN8n(install, folder, options = {}) {
	const port = options.port || (await freePort());
	// Types written by an earlier start would make loadedTypes() answer too early.
	fs.rmSync(typesDir(folder), { recursive: true, force: true });
	const child = await spawnN8n(install, ['start'], folder, {
		N8N_PORT: String(port),
		...(options.env || {}),
	});
	const watched = watchProcess(child, options.onOutput);
	const url = `http://127.0.0.1:${port}`;
	// Readiness (database migrated) is not enough: n8n 1.x answers it before it has
	// mounted its REST API and editor, which then answer 404 for a few seconds.
	await waitUntilReady(
		child,
		watched,
		url,
		['/healthz/readiness', '/'],
		options.timeoutMs ?? 120_000,
		'n8n start',
	);
	return { url, port, process: child, stop: watched.stop, log: watched.log };
}

/**
 * Starts `n8n worker` (queue mode: the caller's env sets EXECUTIONS_MODE=queue, the database and Redis)
 * with its health server on a loopback port, and waits until it reports ready (database and Redis reachable).
 * @param {N8nInstall} install @param {UserFolder} folder
 * @param {{ concurrency?: number, env?: Record<string, string>, timeoutMs?: number, onOutput?: (chunk: string) => void }} [options]
 */
async function startWorker(install, folder, options = {}) {
	const port = await freePort();
	const args = ['worker', `--concurrency=${options.concurrency ?? 10}`];
	const child = await spawnN8n(install, args, folder, {
		QUEUE_HEALTH_CHECK_ACTIVE: 'true',
		QUEUE_HEALTH_CHECK_PORT: String(port),
		N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
		...(options.env || {}),
	});
	const watched = watchProcess(child, options.onOutput);
	const url = `http://127.0.0.1:${port}`;
	await waitUntilReady(
		child,
		watched,
		url,
		['/healthz/readiness'],
		options.timeoutMs ?? 120_000,
		'n8n worker',
	);
	return { url, port, process: child, stop: watched.stop, log: watched.log };
}

/**
 * Node and credential types a started n8n loaded, community packages included,
 * exactly as its editor gets them. The HTTP routes (/types/nodes.json) need a
 * logged-in user, so this reads the files n8n writes for them,
 * `<user folder>/.cache/n8n/public/types/{nodes,credentials}.json`, a few
 * seconds after it is ready. Each node entry has name (`<package>.<node>`, and
 * `<package>.<node>Tool` for the AI-tool variant of a `usableAsTool` node),
 * version, inputs, outputs and outputNames.
 * @param {UserFolder} folder @param {{ timeoutMs?: number }} [options]
 * @returns {Promise<{ nodes: any[], credentials: any[] }>}
 */
async function loadedTypes(folder, options = {}) {
	const deadline = Date.now() + (options.timeoutMs ?? 60_000);
	/** @param {string} name */
	const read = (name) => {
		try {
			const value = JSON.parse(
				fs.readFileSync(path.join(typesDir(folder), `${name}.json`), 'utf8'),
			);
			return Array.isArray(value) ? value : undefined;
		} catch {
			return undefined; // not written yet, or half written
		}
	};
	for (;;) {
		const nodes = read('nodes');
		const credentials = read('credentials');
		if (nodes && credentials) return { nodes, credentials };
		if (Date.now() > deadline)
			throw new Error(`n8n wrote no types into ${typesDir(folder)} in time (is it started?)`);
		await new Promise((r) => setTimeout(r, 500));
	}
}

/**
 * Minimal GET on loopback (no proxy, no dependencies).
 * @param {string} url @returns {Promise<{ status: number, body: string }>}
 */
function httpGet(url) {
	return httpRequest('GET', url);
}

/**
 * Minimal JSON POST on loopback, e.g. to n8n's REST API or a webhook.
 * @param {string} url @param {unknown} body @param {{ timeoutMs?: number }} [options] default 5 s
 * @returns {Promise<{ status: number, body: string }>}
 */
function httpPostJson(url, body, options = {}) {
	return httpRequest('POST', url, JSON.stringify(body), options.timeoutMs);
}

/**
 * @param {string} method @param {string} url @param {string} [payload] @param {number} [timeoutMs]
 * @returns {Promise<{ status: number, body: string }>}
 */
function httpRequest(method, url, payload, timeoutMs = 5000) {
	return new Promise((resolve, reject) => {
		const headers =
			payload === undefined
				? {}
				: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) };
		const req = http.request(url, { method, headers, timeout: timeoutMs }, (res) => {
			let body = '';
			res.setEncoding('utf8');
			res.on('data', (c) => (body += c));
			res.on('end', () => resolve({ status: res.statusCode || 0, body }));
		});
		req.on('timeout', () => req.destroy(new Error('timeout')));
		req.on('error', reject);
		req.end(payload);
	});
}

module.exports = {
	BASE_N8N_ENV,
	makeUserFolder,
	openUserFolder,
	n8nEnv,
	runN8n,
	importWorkflow,
	workflowIdFor,
	readWorkflows,
	activateWorkflow,
	importCredentials,
	executeWorkflow,
	parseExecuteOutput,
	nodeOutput,
	installCommunityPackage,
	startN8n,
	startWorker,
	loadedTypes,
	typesDir,
	httpGet,
	httpPostJson,
	freePort,
	buildAndPack,
};
