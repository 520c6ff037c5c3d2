#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * End-to-end test in real n8n servers (`npm run test:e2e`): the package is built and packed with
 * `npm pack`, and for each supported n8n line the tarball is installed into a fresh user folder's
 * `.n8n/nodes` (the manual community-node install), a credential pointing at the in-process Defender
 * simulator and the workflows are imported with the n8n CLI, each workflow is run with
 * `n8n execute --id`, and then `n8n start` proves the editor serves the node, its AI-tool variant, the
 * trigger and the credential, and runs the trigger example. What is asserted lives in
 * test/e2e/scenarios.js; this file runs it and reports.
 *
 *   npm run test:e2e                 both lines (1.x and 2.x)
 *   npm run test:e2e -- 2            one line; or E2E_LINES=1,2
 *   E2E_VERBOSE=1                    list every check, not only failures
 *   E2E_KEEP=1                       keep the temp n8n user folders (for a look at the database)
 *
 * n8n itself is installed once per line into a cache outside the repo (scripts/n8n-install.js).
 * The last line of output is `N passed, M failed`; the exit code is 1 when anything failed.
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const cli = require('./n8n-cli');
const { ensureN8n, N8N_LINES } = require('./n8n-install');
const { startSimulator } = require('../simulator');
const { simulatorCredential, simulatorEndpointCredential } = require('../simulator/credential');
const {
	scenarios,
	exampleScenarios,
	triggerScenarios,
	checkEveryRun,
	checkTokenRequests,
	checkLoadedTypes,
	isTokenRequest,
	CREDENTIAL_TYPE,
	ENDPOINT_CREDENTIAL_TYPE,
} = require('../test/e2e/scenarios');

const REPO = path.resolve(__dirname, '..');
const PACKAGE_VERSION = require('../package.json').version;
const E2E_DIR = path.join(REPO, 'test', 'e2e');
const EXAMPLES_DIR = path.join(REPO, 'examples');
/** How every workflow in the repo refers to the credentials: Graph's, and Defender for Endpoint's for devices. */
const CREDENTIAL_REF = { id: 'defender-xdr-simulator', name: 'Defender XDR (simulator)' };
const ENDPOINT_CREDENTIAL_REF = {
	id: 'defender-endpoint-simulator',
	name: 'Defender for Endpoint (simulator)',
};
/** Nodes `n8n execute` cannot finish on its own (they wait for a person or a call). */
const WAITING_NODE = /^n8n-nodes-base\.(wait|form|formTrigger|webhook)$|chatTrigger$/i;
const VERBOSE = process.env.E2E_VERBOSE === '1';

/** @param {number} ms */
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** First lines of an error, indented, for the report. @param {unknown} error */
function describe(error) {
	const text = error instanceof Error ? error.message : String(error);
	return text
		.split('\n')
		.slice(0, 14)
		.map((l) => `        ${l}`)
		.join('\n');
}

/** Checks of one n8n line, grouped by step or scenario, printed as they finish. */
class LineReport {
	/** @param {string} label */
	constructor(label) {
		this.label = label;
		this.passed = 0;
		this.failed = 0;
		this.started = Date.now();
		/** Set when the line is done. */
		this.durationMs = 0;
		/** @type {string[]} */
		this.failures = [];
	}

	/**
	 * Runs one step or scenario; `body` gets a `check(name, fn)` that records a behaviour.
	 * A throw from `body` itself (n8n would not run, say) is a failed check named after the group.
	 * @param {string} title @param {(check: (name: string, fn: () => void) => void) => Promise<void> | void} body
	 */
	async group(title, body) {
		const started = Date.now();
		/** @type {string[]} */
		const lines = [];
		let passed = 0;
		let failed = 0;
		/** @param {string} name @param {() => void} fn */
		const check = (name, fn) => {
			try {
				fn();
				passed++;
				if (VERBOSE) lines.push(`      ✓ ${name}`);
			} catch (error) {
				failed++;
				lines.push(`      ✗ ${name}\n${describe(error)}`);
				this.failures.push(`${this.label} / ${title} / ${name}`);
			}
		};
		try {
			await body(check);
		} catch (error) {
			failed++;
			lines.push(`      ✗ ${title} did not complete\n${describe(error)}`);
			this.failures.push(`${this.label} / ${title}`);
		}
		this.passed += passed;
		this.failed += failed;
		const counts = failed
			? `${passed + failed} checks, ${failed} FAILED`
			: `${passed} check${passed === 1 ? '' : 's'}`;
		console.log(`  ${failed ? '✗' : '✓'} ${title}: ${counts} (${seconds(Date.now() - started)})`);
		for (const line of lines) console.log(line);
		return failed === 0;
	}
}

/** Which lines to run: argv, else E2E_LINES, else every supported line. */
function selectedLines() {
	const fromArgs = process.argv.slice(2).filter((a) => !a.startsWith('-'));
	const wanted = fromArgs.length
		? fromArgs
		: (process.env.E2E_LINES || Object.keys(N8N_LINES).join(',')).split(',');
	return wanted.map((l) => l.trim()).filter(Boolean);
}

/** The workflows to import: test/e2e/*.json, then examples/*.json. */
function loadWorkflows() {
	return [...cli.readWorkflows(E2E_DIR, 'test'), ...cli.readWorkflows(EXAMPLES_DIR, 'example')];
}

/** Whether `n8n execute` can run a workflow to its end: a manual trigger and nothing that waits. @param {any} workflow */
function runsFromTheCli(workflow) {
	return (
		workflow.nodes.some((/** @type {any} */ n) => n.type === 'n8n-nodes-base.manualTrigger') &&
		!workflow.nodes.some(
			(/** @type {any} */ n) =>
				WAITING_NODE.test(n.type) || n.parameters?.operation === 'sendAndWait',
		)
	);
}

/**
 * Where a secret would show up if the node or n8n leaked one: text n8n printed, and every file in the
 * user folder (database, logs, config) except installed packages and the editor's static assets.
 * @param {string} dir @param {string} [root] @returns {Generator<{ where: string, text: string }>}
 */
function* userFolderFiles(dir, root = dir) {
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) {
			// Installed packages, and the editor's static copy of n8n's own code and node docs
			// (which mention "Bearer" in help texts), are not where a run's secrets could end up.
			if (entry.name !== 'node_modules' && full !== path.join(root, '.cache', 'n8n', 'public'))
				yield* userFolderFiles(full, root);
		} else if (entry.isFile()) {
			yield { where: full, text: fs.readFileSync(full).toString('latin1') };
		}
	}
}

/** @param {string} clientSecret */
function secretPatterns(clientSecret) {
	return [
		{
			what: 'the client secret',
			test: (/** @type {string} */ text) => text.includes(clientSecret),
		},
		{
			what: 'an Authorization "Bearer" value',
			test: (/** @type {string} */ text) => /Bearer\s/.test(text),
		},
		// The simulator's access tokens are JWT-shaped, like Entra's.
		{
			what: 'a JWT-shaped access token',
			test: (/** @type {string} */ text) => /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\./.test(text),
		},
	];
}

/**
 * @typedef {object} LineRun one n8n line's run: what its phases share
 * @property {import('./n8n-install').N8nInstall} install
 * @property {import('./n8n-cli').UserFolder} folder  a fresh temp N8N_USER_FOLDER
 * @property {import('../simulator').Simulator} sim
 * @property {ReturnType<typeof loadWorkflows>} workflows
 * @property {LineReport} report
 * @property {Array<{ where: string, text: string }>} printed  everything n8n printed, for the secret scan
 * @property {import('../simulator').RequestLogEntry[]} tokenRequests  of every run (sim.reset() clears the log)
 */

/**
 * Runs every check against one n8n line.
 * @param {string} line @param {string} tarball
 */
async function runLine(line, tarball) {
	const report = new LineReport(`n8n line ${line}`);
	console.log(`\n━━ n8n line ${line} ━━`);
	/** @type {import('./n8n-install').N8nInstall | undefined} */
	let install;
	const installStarted = Date.now();
	try {
		install = await ensureN8n(line, { log: (text) => console.log(`    ${text}`) });
	} catch (error) {
		await report.group(`install n8n line ${line}`, () => {
			throw error;
		});
	}
	if (install) {
		report.label = `n8n ${install.version}`;
		console.log(
			`  n8n ${install.version} on Node ${install.nodeVersion} (${seconds(Date.now() - installStarted)} to install or find it)`,
		);
		/** @type {LineRun} */
		const run = {
			install,
			folder: cli.makeUserFolder(`defender-xdr-e2e-n8n${line}-`),
			sim: await startSimulator({ actionDelayMs: 200 }),
			workflows: loadWorkflows(),
			report,
			printed: [],
			tokenRequests: [],
		};
		let canaryToken = '';
		try {
			if (await setUpUserFolder(run, tarball)) {
				await executeWorkflows(run);
				await runServer(run);
			}
		} finally {
			// A token exactly like the ones n8n got, so the secret scan can be shown to recognize them.
			canaryToken = run.sim.issueToken();
			await run.sim.stop();
		}
		await scanForSecrets(run, canaryToken);
		if (process.env.E2E_KEEP === '1') console.log(`  user folder kept: ${run.folder.dir}`);
		else run.folder.remove();
	}
	report.durationMs = Date.now() - report.started;
	console.log(
		`  ${report.label}: ${report.passed} passed, ${report.failed} failed in ${seconds(report.durationMs)}`,
	);
	return report;
}

/**
 * The manual community-node install of the tarball, then the credential and every workflow imported.
 * @param {LineRun} run @param {string} tarball @returns {Promise<boolean>} whether the workflows can run
 */
async function setUpUserFolder({ install, folder, sim, workflows, report, printed }, tarball) {
	return await report.group(
		'install the packed tarball into .n8n/nodes, import the credential and the workflows',
		async (check) => {
			await cli.installCommunityPackage(install, folder, tarball);
			const installed = path.join(
				folder.dir,
				'.n8n',
				'nodes',
				'node_modules',
				'n8n-nodes-microsoft-defender-xdr',
				'package.json',
			);
			check('the tarball is installed where n8n loads community nodes from', () => {
				const version = fs.existsSync(installed)
					? JSON.parse(fs.readFileSync(installed, 'utf8')).version
					: 'nothing';
				if (version !== PACKAGE_VERSION)
					throw new Error(`${installed}: ${version}, expected ${PACKAGE_VERSION}`);
			});
			const credential = await cli.importCredentials(install, folder, [
				{
					...CREDENTIAL_REF,
					type: CREDENTIAL_TYPE,
					data: simulatorCredential(sim),
				},
				{
					...ENDPOINT_CREDENTIAL_REF,
					type: ENDPOINT_CREDENTIAL_TYPE,
					data: simulatorEndpointCredential(sim),
				},
			]);
			printed.push({
				where: 'n8n import:credentials',
				text: credential.stdout + credential.stderr,
			});
			const imported = await cli.importWorkflow(
				install,
				folder,
				workflows.map((w) => w.workflow),
			);
			printed.push({ where: 'n8n import:workflow', text: imported.stdout + imported.stderr });
			check(`n8n imported the two credentials and the ${workflows.length} workflows`, () => {
				if (!/Successfully imported 2 credentials/.test(credential.stdout + credential.stderr))
					throw new Error('credential import not confirmed');
				const count = /Successfully imported (\d+) workflow/.exec(
					imported.stdout + imported.stderr,
				)?.[1];
				if (Number(count) !== workflows.length) throw new Error(`n8n imported ${count} workflows`);
			});
		},
	);
}

/**
 * `n8n execute --id` of every workflow with a manual trigger, one at a time, each against a freshly
 * seeded Defender, then the checks of its scenario.
 * @param {LineRun} run
 */
async function executeWorkflows({
	install,
	folder,
	sim,
	workflows,
	report,
	printed,
	tokenRequests,
}) {
	for (const { file, kind, workflow } of workflows) {
		const scenario =
			kind === 'test'
				? scenarios.find((s) => s.workflow === file)
				: { workflow: file, ...(exampleScenarios[file] ?? { title: `example: ${file}` }) };
		if (!scenario) {
			await report.group(file, () => {
				throw new Error(`test/e2e/${file} has no scenario in test/e2e/scenarios.js`);
			});
			continue;
		}
		if (!runsFromTheCli(workflow)) {
			if (!triggerScenarios.some((t) => t.workflow === file))
				console.log(`  - ${file}: imported only (it needs a trigger or a person to run)`);
			continue;
		}
		await report.group(`${scenario.title} [${file}]`, async (check) => {
			sim.reset();
			scenario.prepare?.(sim);
			const before = sim.state();
			const result = await cli.executeWorkflow(install, folder, workflow.id, {
				timeoutMs: 120_000,
			});
			printed.push({ where: `n8n execute ${file}`, text: result.stdout + result.stderr });
			tokenRequests.push(...sim.requests.filter(isTokenRequest));
			const ctx = { run: result, sim, workflow, before, check };
			checkEveryRun(ctx);
			if ('verify' in scenario && scenario.verify) scenario.verify(ctx);
		});
	}
	await report.group('credential: hidden OAuth fields filled by n8n', (check) =>
		checkTokenRequests(sim, tokenRequests, check),
	);
}

/**
 * `n8n start`: the editor's view of the package, then the trigger example polling for real.
 * @param {LineRun} run
 */
async function runServer({ install, folder, sim, workflows, report, printed, tokenRequests }) {
	const triggers = triggerScenarios.map((scenario) => ({
		scenario,
		imported: workflows.find((w) => w.kind === 'example' && w.file === scenario.workflow),
	}));
	/** @type {Awaited<ReturnType<typeof cli.startN8n>> | undefined} */
	let server;
	try {
		await report.group(
			'n8n start: the editor serves the node, its AI tool, the trigger and the credential',
			async (check) => {
				for (const { imported } of triggers) {
					if (!imported) continue;
					const activated = await cli.activateWorkflow(install, folder, imported.workflow.id);
					printed.push({
						where: `n8n activate ${imported.file}`,
						text: activated.stdout + activated.stderr,
					});
				}
				sim.reset();
				server = await cli.startN8n(install, folder);
				const editor = await cli.httpGet(`${server.url}/`);
				check('the editor page is served', () => {
					if (editor.status !== 200 || !/<html/i.test(editor.body))
						throw new Error(`GET / answered ${editor.status}`);
				});
				checkLoadedTypes(
					await cli.loadedTypes(folder),
					workflows.map((w) => w.workflow),
					check,
				);
			},
		);
		if (!server) return;
		/** @param {() => boolean} what @param {number} timeoutMs */
		const waitFor = async (what, timeoutMs) => {
			const deadline = Date.now() + timeoutMs;
			while (!what() && Date.now() < deadline) await sleep(250);
			return what();
		};
		for (const { scenario, imported } of triggers) {
			if (!imported) continue;
			await report.group(`${scenario.title} [${imported.file}]`, async (check) => {
				await scenario.run({ sim, check, waitFor });
				tokenRequests.push(...sim.requests.filter(isTokenRequest));
			});
		}
	} finally {
		if (server) {
			await server.stop();
			printed.push({ where: 'n8n start', text: server.log() });
		}
	}
}

/**
 * No client secret, Bearer value or access token in anything n8n printed or stored.
 * @param {LineRun} run @param {string} canaryToken an access token of the same simulator
 */
async function scanForSecrets({ folder, sim, report, printed }, canaryToken) {
	await report.group(
		'no secret in what n8n printed or stored (client secret, Bearer values, access tokens)',
		(check) => {
			const patterns = secretPatterns(sim.clientSecret);
			check(
				'the scan recognizes the client secret, a Bearer header and an access token of this simulator',
				() => {
					const missed = patterns.filter(
						(p) =>
							!p.test(`Authorization: Bearer ${canaryToken} client_secret=${sim.clientSecret}`),
					);
					if (missed.length) throw new Error(`blind to ${missed.map((p) => p.what).join(', ')}`);
				},
			);
			const sources = [...printed, ...userFolderFiles(folder.dir)];
			check(
				`none in ${printed.length} n8n command outputs and ${sources.length - printed.length} files of the user folder`,
				() => {
					const leaks = sources.flatMap(({ where, text }) =>
						patterns.filter((p) => p.test(text)).map((p) => `${p.what} in ${where}`),
					);
					if (leaks.length) throw new Error(leaks.join('\n'));
				},
			);
		},
	);
}

async function main() {
	const started = Date.now();
	const lines = selectedLines();
	console.log(
		`End-to-end test in real n8n, lines ${lines.join(', ')} (pinned: ${Object.entries(N8N_LINES)
			.map(([l, v]) => `${l} = ${v}`)
			.join(', ')})`,
	);
	const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'defender-xdr-e2e-pack-'));
	process.on('exit', () => fs.rmSync(packDir, { recursive: true, force: true }));
	const tarball = cli.buildAndPack(packDir);
	console.log(`Built and packed ${path.basename(tarball)} (${seconds(Date.now() - started)})`);

	/** @type {LineReport[]} */
	const reports = [];
	for (const line of lines) reports.push(await runLine(line, tarball));

	const passed = reports.reduce((sum, r) => sum + r.passed, 0);
	const failed = reports.reduce((sum, r) => sum + r.failed, 0);
	console.log(`\n━━ Summary (${seconds(Date.now() - started)}) ━━`);
	for (const r of reports)
		console.log(
			`  ${r.failed ? '✗' : '✓'} ${r.label}: ${r.passed} passed, ${r.failed} failed (${seconds(r.durationMs)})`,
		);
	for (const failure of reports.flatMap((r) => r.failures)) console.log(`  failed: ${failure}`);
	console.log(`${passed} passed, ${failed} failed`);
	process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
}

main().catch((error) => {
	console.error(error instanceof Error ? error.stack || error.message : error);
	console.log('0 passed, 1 failed');
	process.exitCode = 1;
});
