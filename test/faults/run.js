#!/usr/bin/env node
// @ts-check
'use strict';

// npm run test:faults: the node in the real n8n engine against the simulator behind the fault proxy, checked
// against the simulator's ground truth. Prints each check with its figures, then "N passed, M failed".
// FAULTS_ONLY=<regex> runs only the checks whose name matches (and the secret scan).

const { startFaultWorld, within } = require('./world');

/** The whole suite stops starting checks after this long; every check also has its own bound. */
const SUITE_BUDGET_MS = 9 * 60_000;

class Check {
	/** @param {string} name */
	constructor(name) {
		this.name = name;
		/** @type {string[]} */
		this.failures = [];
		/** @type {Array<[string, unknown]>} */
		this.figures = [];
	}

	/**
	 * Records a failure unless `condition` holds; returns the condition.
	 * @param {unknown} condition
	 * @param {string} message what was expected and what was seen
	 */
	expect(condition, message) {
		if (!condition) this.failures.push(message);
		return Boolean(condition);
	}

	/**
	 * A figure printed under the check.
	 * @param {string} label
	 * @param {unknown} value
	 */
	figure(label, value) {
		this.figures.push([label, value]);
	}
}

/**
 * @typedef {import('./world').FaultWorld} FaultWorld
 * @typedef {{ name: string, timeoutMs: number, body: (check: Check) => Promise<void> }} Registered
 */

async function main() {
	const suiteStarted = Date.now();
	const write = process.stdout.write.bind(process.stdout);
	// Control characters (a garbage token answer echoed in a message) would turn the report into binary.
	const print = (/** @type {string} */ line) =>
		write(`${line.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '?')}\n`);
	const world = await startFaultWorld();

	// Whatever anything else prints while checks run is part of the secret scan.
	for (const stream of [process.stdout, process.stderr]) {
		const original = stream.write.bind(stream);
		stream.write = /** @type {any} */ (
			(/** @type {any} */ chunk, /** @type {any[]} */ ...rest) => {
				world.transcript.push(String(chunk));
				return original(chunk, ...rest);
			}
		);
	}

	/** @type {Registered[]} */
	const registered = [];
	const suite = {
		/**
		 * @param {string} name
		 * @param {(check: Check) => Promise<void>} body
		 * @param {{ timeoutMs?: number }} [options]
		 */
		check(name, body, options = {}) {
			registered.push({ name, body, timeoutMs: options.timeoutMs ?? 120_000 });
		},
	};
	require('./checks/mixedFaults')(suite, world);
	require('./checks/defects')(suite, world);
	require('./checks/tokenFaults')(suite, world);
	require('./checks/triggerPolls')(suite, world);
	require('./checks/hostileInputs')(suite, world);
	require('./checks/deviceActions')(suite, world);
	// Last: it reads everything the checks before it collected.
	require('./checks/secretScan')(suite, world);

	const only = process.env.FAULTS_ONLY ? new RegExp(process.env.FAULTS_ONLY, 'i') : undefined;
	const selected = registered.filter(
		(entry) => !only || only.test(entry.name) || entry.name.startsWith('secret scan'),
	);
	let passed = 0;
	let failed = 0;
	for (const entry of selected) {
		const check = new Check(entry.name);
		const started = Date.now();
		if (Date.now() - suiteStarted > SUITE_BUDGET_MS) {
			check.failures.push(
				`not run: the suite's time budget of ${SUITE_BUDGET_MS / 60_000} minutes was spent`,
			);
		} else {
			await world.reset();
			world.useCredential();
			const outcome = await within(
				entry.body(check).then(
					() => 'done',
					(/** @type {unknown} */ error) => {
						check.failures.push(`threw: ${error instanceof Error ? error.stack : String(error)}`);
						return 'threw';
					},
				),
				entry.timeoutMs,
				() => 'timedOut',
			);
			if (outcome === 'timedOut') {
				check.failures.push(`did not finish within ${entry.timeoutMs / 1000} s`);
				world.unstick();
			}
		}
		const seconds = ((Date.now() - started) / 1000).toFixed(1);
		const ok = check.failures.length === 0;
		if (ok) passed++;
		else failed++;
		print(`${ok ? 'PASS' : 'FAIL'}  ${entry.name}  (${seconds} s)`);
		for (const [label, value] of check.figures)
			print(`      ${label}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
		for (const failure of check.failures) print(`   x  ${failure}`);
	}
	await within(world.stop(), 10_000, () => undefined);
	print(`fault suite: ${((Date.now() - suiteStarted) / 1000).toFixed(0)} s`);
	print(`${passed} passed, ${failed} failed`);
	return failed === 0 ? 0 : 1;
}

main().then(
	(code) => process.exit(code),
	(error) => {
		process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
		process.stderr.write('0 passed, 1 failed\n');
		process.exit(1);
	},
);
