#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * `npm run dev`: the real n8n editor on http://127.0.0.1:5678 with this package loaded, the Defender
 * simulator running, a credential pointing at it and the example workflows imported, so a person can
 * click through with no tenant. Stays up until Ctrl-C, then stops n8n and the simulator.
 *
 * Each start builds and packs the package and installs the fresh tarball into the user folder's
 * `.n8n/nodes`, the way a user installs a community node by hand. The user folder is kept between
 * runs (owner account, executions, your edits), one per n8n line, under the install cache:
 * ~/.cache/n8n-nodes-microsoft-defender-xdr/dev-user-n8n<line>. Delete it to start over.
 * The example workflows are imported again on every start, so edits to them are overwritten:
 * save a copy under another name to keep one.
 *
 * The simulator tenant stays alive (./dev-tenant.js): each executed task brings a new open one, and one
 * task is always refused with 403, so every run of the example shows items on Success and on Error.
 * `startDev()` is the same start as a function, for the browser test (test/ui).
 *
 * Environment:
 *   DEV_N8N_LINE=1        n8n 1.x instead of 2.x
 *   DEV_N8N_PORT=5678     the editor's port
 *   DEV_SIMULATOR_PORT=3999   the simulator's port (a free one if it is taken)
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');

const cli = require('./n8n-cli');
const { keepTenantAlive } = require('./dev-tenant');
const { ensureN8n, cacheRoot, N8N_LINES } = require('./n8n-install');
const { startSimulator } = require('../simulator');
const { simulatorCredential, simulatorEndpointCredential } = require('../simulator/credential');

const REPO = path.resolve(__dirname, '..');
const CREDENTIAL = Object.freeze({
	id: 'defender-xdr-simulator',
	name: 'Defender XDR (simulator)',
	type: 'microsoftDefenderXdrOAuth2Api',
});
/** The Defender for Endpoint credential the device example uses, on the same simulator. */
const ENDPOINT_CREDENTIAL = Object.freeze({
	id: 'defender-endpoint-simulator',
	name: 'Defender for Endpoint (simulator)',
	type: 'microsoftDefenderEndpointOAuth2Api',
});

/**
 * The local owner account `npm run dev` creates on first start. A throw-away login for an n8n that
 * listens on 127.0.0.1 only and talks to the simulator only; documented in the README.
 */
const DEV_OWNER = Object.freeze({
	email: 'dev@defender-xdr.local',
	firstName: 'Dev',
	lastName: 'Owner',
	password: 'DefenderXdr-dev-1',
});

/**
 * The simulator on the given port, or on a free one when something else holds that port.
 * @param {number} port @param {(entry: import('../simulator').RequestLogEntry) => void} onRequest @param {(text: string) => void} say
 */
async function startSimulatorOn(port, onRequest, say) {
	try {
		return await startSimulator({ port, onRequest });
	} catch (error) {
		if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'EADDRINUSE') throw error;
		say(`port ${port} is taken; the simulator uses a free port instead`);
		return await startSimulator({ port: 0, onRequest });
	}
}

/**
 * Creates the owner account on a fresh n8n so a person can log in; an n8n that has one says so.
 * @param {string} url @returns {Promise<'created' | 'exists' | string>}
 */
async function setUpOwner(url) {
	const answer = await cli
		.httpPostJson(`${url}/rest/owner/setup`, DEV_OWNER)
		.catch((error) => ({ status: 0, body: String(error) }));
	if (answer.status === 200) return 'created';
	if (/already.*set ?up/i.test(answer.body)) return 'exists';
	return `${answer.status} ${answer.body.slice(0, 200)}`;
}

/**
 * Starts what `npm run dev` runs: n8n (line 1 or 2) with the freshly packed package installed into the user
 * folder, the simulator with its kept-alive tenant, the simulator credential, the example workflows and the
 * owner account. `stop()` ends n8n and the simulator.
 * @param {{
 *   line?: string,
 *   n8nPort?: number,
 *   simulatorPort?: number,
 *   userFolder?: string,
 *   log?: (text: string) => void,
 *   onSimulatorRequest?: (entry: import('../simulator').RequestLogEntry) => void,
 *   onN8nOutput?: (text: string) => void,
 * }} [options]
 */
async function startDev(options = {}) {
	const line = options.line ?? '2';
	const say = options.log ?? (() => {});
	if (!Object.prototype.hasOwnProperty.call(N8N_LINES, line))
		throw new Error(`the n8n line must be one of ${Object.keys(N8N_LINES).join(', ')}`);
	say(
		`preparing n8n ${N8N_LINES[/** @type {'1' | '2'} */ (line)]} (the first start installs it into ${cacheRoot()}, a few minutes)`,
	);
	const install = await ensureN8n(line, { log: say });

	say('building and packing the package');
	const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'defender-xdr-dev-pack-'));
	const tarball = cli.buildAndPack(packDir);

	const folder = cli.openUserFolder(
		options.userFolder ?? path.join(cacheRoot(), `dev-user-n8n${line}`),
	);
	say(`n8n user folder: ${folder.dir}`);
	// A tarball of the same version would not replace the installed copy: remove it first.
	fs.rmSync(
		path.join(folder.dir, '.n8n', 'nodes', 'node_modules', require('../package.json').name),
		{ recursive: true, force: true },
	);
	await cli.installCommunityPackage(install, folder, tarball);
	fs.rmSync(packDir, { recursive: true, force: true });

	/** @type {ReturnType<typeof keepTenantAlive> | undefined} */
	let tenant;
	const sim = await startSimulatorOn(
		options.simulatorPort ?? 0,
		(entry) => {
			options.onSimulatorRequest?.(entry);
			tenant?.onRequest(entry);
		},
		say,
	);
	tenant = keepTenantAlive(sim, { log: say });
	/** @type {Awaited<ReturnType<typeof cli.startN8n>> | undefined} */
	let n8n;
	const stop = async () => {
		await n8n?.stop();
		await sim.stop();
	};
	try {
		say(
			`simulator on ${sim.url}; importing the credentials "${CREDENTIAL.name}" and "${ENDPOINT_CREDENTIAL.name}" and the example workflows`,
		);
		await cli.importCredentials(install, folder, [
			{ ...CREDENTIAL, data: simulatorCredential(sim) },
			{ ...ENDPOINT_CREDENTIAL, data: simulatorEndpointCredential(sim) },
		]);
		const examples = cli.readWorkflows(path.join(REPO, 'examples'), 'example');
		if (examples.length)
			await cli.importWorkflow(
				install,
				folder,
				examples.map((e) => e.workflow),
			);

		say(
			`starting n8n ${install.version}${options.n8nPort ? ` on http://127.0.0.1:${options.n8nPort}` : ''}`,
		);
		n8n = await cli.startN8n(install, folder, {
			port: options.n8nPort,
			onOutput: options.onN8nOutput,
		});
		const owner = await setUpOwner(n8n.url);
		return {
			install,
			folder,
			sim,
			n8n,
			owner,
			ownerAccount: DEV_OWNER,
			credential: CREDENTIAL,
			examples,
			refusedTaskId: tenant.refusedTaskId,
			stop,
		};
	} catch (error) {
		await stop();
		throw error;
	}
}

async function main() {
	/** @param {string} text */
	const say = (text) => console.log(`[dev] ${text}`);
	const dev = await startDev({
		line: process.env.DEV_N8N_LINE || '2',
		n8nPort: Number(process.env.DEV_N8N_PORT || 5678),
		simulatorPort: Number(process.env.DEV_SIMULATOR_PORT || 3999),
		log: say,
		onSimulatorRequest: (entry) =>
			console.log(
				`[sim] ${entry.method} ${entry.path} ${entry.status}${entry.fault ? ` (${entry.fault})` : ''}`,
			),
		onN8nOutput: (text) => {
			for (const outputLine of text.split('\n'))
				if (outputLine.trim()) console.log(`[n8n] ${outputLine}`);
		},
	});
	const { sim, n8n, owner, examples } = dev;
	let stopping = false;
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		say('stopping n8n and the simulator');
		await dev.stop();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);

	const lines = [
		'',
		`n8n ${dev.install.version} with n8n-nodes-microsoft-defender-xdr is ready: ${n8n.url}`,
		owner === 'created' || owner === 'exists'
			? `Log in as ${DEV_OWNER.email} / ${DEV_OWNER.password}${owner === 'exists' ? ' (the owner set up on an earlier start; if you chose another, use that)' : ''}`
			: `Could not set up the owner account (${owner}); n8n asks you to create one in the browser.`,
		'Then:',
		...examples.map((e) => `  - open "${e.workflow.name}"`),
		'  - in "Execute workflow" workflows, click Execute workflow: Success and Error items appear on the node,',
		`    every run (each executed task brings a new open one; ${dev.refusedTaskId} is always refused with 403)`,
		'  - the trigger examples run when you activate them; type "task" and Enter here to add a new open',
		'    isolateDevice task to the simulator for them to pick up',
		`The credential "${CREDENTIAL.name}" points at the simulator (${sim.url}); open it to see its connection test pass.`,
		'Its requests are printed with [sim]. Ctrl-C stops n8n and the simulator.',
		'',
	];
	console.log(lines.join('\n'));

	if (process.stdin.isTTY) {
		readline.createInterface({ input: process.stdin }).on('line', (input) => {
			if (input.trim() !== 'task') return;
			const task = sim.addTask({ actionType: 'isolateDevice' });
			say(`added ${task.id} (isolateDevice, open, notStarted) to the simulator`);
		});
	}
	n8n.process.on('close', (code, signal) => {
		if (stopping) return;
		say(`n8n exited (${code ?? signal}); stopping the simulator`);
		void sim.stop().then(() => process.exit(1));
	});
}

module.exports = { startDev, DEV_OWNER, CREDENTIAL };

if (require.main === module) {
	main().catch((error) => {
		console.error(`[dev] ${error instanceof Error ? error.message : error}`);
		process.exit(1);
	});
}
