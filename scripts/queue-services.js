// @ts-check
'use strict';

/**
 * PostgreSQL and Redis for the queue-mode test (scripts/queue-test.js), from Debian's packages. Each runs
 * as a child of this process on a free loopback port, in a temp data directory of its own, and is stopped
 * and removed by its `stop()`; the system's own instances and clusters are never started or touched.
 *
 *   await ensureDebianPackages(log);          // apt-get install postgresql redis-server, when missing
 *   const pg = await startPostgres();          // pg.port, pg.query(sql), pg.rows(sql), pg.stop()
 *   const redis = await startRedis();          // redis.port, redis.stop()
 *
 * PostgreSQL refuses to run as root: as root, both servers run as the unprivileged user `nobody`.
 */

const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const { freePort } = require('./n8n-cli');

/** @typedef {(line: string) => void} Log */

const PG_USER = 'n8n';
const PG_DATABASE = 'n8n';
/** Debian keeps each PostgreSQL major version's server programs here, off PATH. */
const DEBIAN_PG_ROOT = '/usr/lib/postgresql';

/** Servers still running, killed when this process exits however it exits. */
const liveServers = new Set();
process.on('exit', () => {
	for (const child of liveServers) {
		try {
			process.kill(-child.pid, 'SIGKILL');
		} catch {
			/* already gone */
		}
	}
});

/** @param {string} name @returns {string | undefined} the program's path on PATH */
function onPath(name) {
	for (const dir of (process.env.PATH || '').split(path.delimiter)) {
		const candidate = path.join(dir, name);
		try {
			fs.accessSync(candidate, fs.constants.X_OK);
			return candidate;
		} catch {
			/* not here */
		}
	}
	return undefined;
}

/** The folder with initdb, postgres and psql: Debian's newest major version, else the one on PATH. */
function postgresBinDir() {
	const complete = (/** @type {string} */ dir) =>
		['initdb', 'postgres', 'psql', 'pg_isready'].every((p) => fs.existsSync(path.join(dir, p)));
	if (fs.existsSync(DEBIAN_PG_ROOT)) {
		const majors = fs
			.readdirSync(DEBIAN_PG_ROOT)
			.filter((v) => /^\d+$/.test(v))
			.sort((a, b) => Number(b) - Number(a));
		for (const major of majors) {
			const dir = path.join(DEBIAN_PG_ROOT, major, 'bin');
			if (complete(dir)) return dir;
		}
	}
	const initdb = onPath('initdb');
	const dir = initdb && path.dirname(fs.realpathSync(initdb));
	return dir && complete(dir) ? dir : undefined;
}

function redisServerPath() {
	return (
		onPath('redis-server') ??
		(fs.existsSync('/usr/bin/redis-server') ? '/usr/bin/redis-server' : undefined)
	);
}

/**
 * Runs a program to its end; rejects with its output when it fails.
 * @param {string} cmd @param {string[]} args
 * @param {{ env?: NodeJS.ProcessEnv, uid?: number, gid?: number, cwd?: string, timeoutMs?: number }} [options]
 * @returns {Promise<string>} stdout
 */
function run(cmd, args, options = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, args, {
			env: options.env ?? process.env,
			uid: options.uid,
			gid: options.gid,
			cwd: options.cwd,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		/** @type {Buffer[]} */ const out = [];
		/** @type {Buffer[]} */ const err = [];
		child.stdout.on('data', (c) => out.push(c));
		child.stderr.on('data', (c) => err.push(c));
		const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 600_000);
		child.on('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			const stdout = Buffer.concat(out).toString('utf8');
			if (code === 0) resolve(stdout);
			else
				reject(
					new Error(
						`${path.basename(cmd)} ${args.join(' ')} failed (${code ?? signal}):\n${(stdout + Buffer.concat(err).toString('utf8')).split('\n').slice(-30).join('\n')}`,
					),
				);
		});
	});
}

/**
 * Installs PostgreSQL and Redis with apt-get when their programs are missing (a fresh CI machine).
 * @param {Log} log
 */
async function ensureDebianPackages(log) {
	const missing = [];
	if (!postgresBinDir()) missing.push('postgresql');
	if (!redisServerPath()) missing.push('redis-server');
	if (missing.length === 0) return { installed: [] };
	if (!onPath('apt-get'))
		throw new Error(
			`${missing.join(' and ')} missing and no apt-get to install them; install them with the system's package manager`,
		);
	const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	const aptGet = (/** @type {string[]} */ args) =>
		sudo.length ? run('sudo', ['apt-get', ...args], { env }) : run('apt-get', args, { env });
	log(`installing ${missing.join(', ')} from Debian's packages (apt-get)`);
	await aptGet(['update']);
	await aptGet(['install', '-y', '--no-install-recommends', ...missing]);
	if (!postgresBinDir() || !redisServerPath())
		throw new Error(
			`apt-get installed ${missing.join(', ')}, but initdb/postgres/psql or redis-server are still not found`,
		);
	return { installed: missing };
}

/** As root, the servers run as `nobody` (PostgreSQL refuses root); otherwise as the current user. */
function serviceUser() {
	if (process.getuid?.() !== 0) return undefined;
	const id = (/** @type {string} */ flag) =>
		Number(spawnSync('id', [flag, 'nobody'], { encoding: 'utf8' }).stdout.trim());
	const uid = id('-u');
	const gid = id('-g');
	if (!Number.isInteger(uid) || !Number.isInteger(gid) || uid === 0)
		throw new Error('running as root, and there is no user "nobody" to run PostgreSQL as');
	return { uid, gid, name: 'nobody' };
}

/** A temp directory the service user owns. @param {string} prefix @param {ReturnType<typeof serviceUser>} user */
function serviceDir(prefix, user) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
	if (user) fs.chownSync(dir, user.uid, user.gid);
	return dir;
}

/** Environment for the servers: no PG* or REDIS* settings of the caller, plain C locale. */
function serverEnv() {
	/** @type {NodeJS.ProcessEnv} */
	const env = {};
	for (const [key, value] of Object.entries(process.env))
		if (!/^(PG|REDIS)/.test(key)) env[key] = value;
	return { ...env, LANG: 'C', LC_ALL: 'C' };
}

/**
 * A server process in its own process group (so a Ctrl-C in the terminal reaches it only through us),
 * its output kept for error messages, and a stop that ends it with `signal`, then SIGKILL after 15 s.
 * @param {string} cmd @param {string[]} args @param {{ uid?: number, gid?: number, cwd: string }} options
 * @param {NodeJS.Signals} signal the server's own clean shutdown
 */
function startServer(cmd, args, options, signal) {
	const child = spawn(cmd, args, {
		...options,
		env: serverEnv(),
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	liveServers.add(child);
	let output = '';
	child.stdout?.on('data', (c) => (output += c));
	child.stderr?.on('data', (c) => (output += c));
	child.on('close', () => liveServers.delete(child));
	const exited = () => child.exitCode !== null || child.signalCode !== null;
	const stop = async () => {
		if (exited()) return;
		const closed = new Promise((resolve) => child.once('close', resolve));
		child.kill(signal);
		const timer = setTimeout(() => {
			try {
				process.kill(-(/** @type {number} */ (child.pid)), 'SIGKILL');
			} catch {
				/* gone */
			}
		}, 15_000);
		await closed;
		clearTimeout(timer);
	};
	child.on('error', (error) => (output += `\n${error.message}`));
	return { child, stop, exited, output: () => output };
}

/**
 * Waits until `ready()` resolves true, while the server lives.
 * @param {ReturnType<typeof startServer>} server @param {() => Promise<boolean>} ready @param {string} what
 */
async function waitForServer(server, ready, what) {
	const deadline = Date.now() + 60_000;
	for (;;) {
		if (server.exited())
			throw new Error(
				`${what} exited before it was ready:\n${server.output().split('\n').slice(-20).join('\n')}`,
			);
		if (await ready().catch(() => false)) return;
		if (Date.now() > deadline) {
			await server.stop();
			throw new Error(
				`${what} was not ready within 60 s:\n${server.output().split('\n').slice(-20).join('\n')}`,
			);
		}
		await new Promise((r) => setTimeout(r, 250));
	}
}

/**
 * A throw-away PostgreSQL cluster: `initdb` into a temp directory, `postgres` on a free loopback port (TCP
 * only, no Unix socket), trust authentication for user `n8n`, database `n8n`. Durability is off (fsync,
 * synchronous commit): the data lives only as long as the test.
 */
async function startPostgres() {
	const bin = postgresBinDir();
	if (!bin) throw new Error('PostgreSQL is not installed (initdb, postgres, psql)');
	const user = serviceUser();
	const dataDir = serviceDir('defender-xdr-queue-pg-', user);
	const asUser = { uid: user?.uid, gid: user?.gid, cwd: dataDir };
	try {
		await run(
			path.join(bin, 'initdb'),
			['-D', dataDir, '-U', PG_USER, '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync'],
			{ ...asUser, env: serverEnv() },
		);
	} catch (error) {
		fs.rmSync(dataDir, { recursive: true, force: true });
		throw error;
	}
	const port = await freePort();
	const settings = {
		listen_addresses: '127.0.0.1',
		unix_socket_directories: '',
		fsync: 'off',
		synchronous_commit: 'off',
		full_page_writes: 'off',
		max_connections: '200',
	};
	const args = [
		'-D',
		dataDir,
		'-p',
		String(port),
		...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
	];
	// SIGINT is PostgreSQL's fast shutdown: open sessions are ended, nothing waits for clients.
	const server = startServer(path.join(bin, 'postgres'), args, asUser, 'SIGINT');
	const psql = (/** @type {string} */ database, /** @type {string} */ sql) =>
		run(
			path.join(bin, 'psql'),
			[
				'-X',
				'-h',
				'127.0.0.1',
				'-p',
				String(port),
				'-U',
				PG_USER,
				'-d',
				database,
				'-At',
				'-v',
				'ON_ERROR_STOP=1',
				'-c',
				sql,
			],
			{ env: serverEnv(), timeoutMs: 60_000 },
		);
	try {
		await waitForServer(
			server,
			async () => (await psql('postgres', 'select 1')).trim() === '1',
			`PostgreSQL on 127.0.0.1:${port}`,
		);
		await psql('postgres', `create database ${PG_DATABASE}`);
	} catch (error) {
		await server.stop();
		fs.rmSync(dataDir, { recursive: true, force: true });
		throw error;
	}
	return {
		port,
		host: '127.0.0.1',
		user: PG_USER,
		database: PG_DATABASE,
		version: (await psql(PG_DATABASE, 'show server_version')).trim(),
		runsAs: user?.name ?? os.userInfo().username,
		dataDir,
		/** psql's unaligned output of one statement. @param {string} sql */
		query: (sql) => psql(PG_DATABASE, sql),
		/**
		 * The rows of a query as objects (PostgreSQL builds the JSON).
		 * @param {string} sql @returns {Promise<any[]>}
		 */
		rows: async (sql) =>
			JSON.parse(
				(
					await psql(PG_DATABASE, `select coalesce(json_agg(q), '[]'::json) from (${sql}) q`)
				).trim() || '[]',
			),
		stop: async () => {
			await server.stop();
			fs.rmSync(dataDir, { recursive: true, force: true });
		},
	};
}

/**
 * Answers whether a Redis server on the port says PONG.
 * @param {number} port @returns {Promise<boolean>}
 */
function redisPing(port) {
	return new Promise((resolve) => {
		const socket = net.connect(port, '127.0.0.1');
		let answer = '';
		const done = (/** @type {boolean} */ ok) => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(2000, () => done(false));
		socket.on('error', () => done(false));
		socket.on('connect', () => socket.write('PING\r\n'));
		socket.on('data', (chunk) => {
			answer += chunk;
			if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
		});
	});
}

/** A throw-away Redis on a free loopback port: no persistence, its working directory a temp folder. */
async function startRedis() {
	const program = redisServerPath();
	if (!program) throw new Error('Redis is not installed (redis-server)');
	const user = serviceUser();
	const dir = serviceDir('defender-xdr-queue-redis-', user);
	const port = await freePort();
	const args = [
		'--port',
		String(port),
		'--bind',
		'127.0.0.1',
		'--protected-mode',
		'yes',
		'--dir',
		dir,
		'--save',
		'',
		'--appendonly',
		'no',
		'--daemonize',
		'no',
	];
	const server = startServer(
		program,
		args,
		{ uid: user?.uid, gid: user?.gid, cwd: dir },
		'SIGTERM',
	);
	try {
		await waitForServer(server, () => redisPing(port), `Redis on 127.0.0.1:${port}`);
	} catch (error) {
		fs.rmSync(dir, { recursive: true, force: true });
		throw error;
	}
	const version =
		spawnSync(program, ['--version'], { encoding: 'utf8' }).stdout.match(/v=([\d.]+)/)?.[1] ??
		'unknown';
	return {
		port,
		host: '127.0.0.1',
		version,
		runsAs: user?.name ?? os.userInfo().username,
		stop: async () => {
			await server.stop();
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

module.exports = { ensureDebianPackages, startPostgres, startRedis };
