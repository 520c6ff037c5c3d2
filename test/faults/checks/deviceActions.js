// @ts-check
'use strict';

// Defender for Endpoint device actions and indicator imports through the fault proxy, checked against the
// simulator's ground truth: the machine actions it created (`sim.machineActions`), the POSTs that reached it, and the
// indicators it holds. Every check: 0 actions created twice, 0 items lost (inputs = Success + Error).

const { itemAccounting } = require('../world');
const { tally } = require('./common');

const REQUEST_TIMEOUT_SECONDS = 2;

/**
 * Isolate with the device ID mapped from the input item, as a workflow fed by alerts' device evidence wires it.
 * @param {Record<string, unknown>} [options]
 */
const isolateParameters = (options = {}) => ({
	resource: 'device',
	operation: 'isolate',
	deviceId: '={{ $json.deviceId }}',
	isolationType: 'full',
	options,
});

/** Import with every field of the indicator taken from the item. */
const importParameters = (/** @type {Record<string, unknown>} */ options = {}) => ({
	resource: 'indicator',
	operation: 'import',
	indicatorType: '={{ $json.indicatorType }}',
	indicatorValue: '={{ $json.indicatorValue }}',
	action: '={{ $json.action }}',
	title: '={{ $json.title }}',
	description: '={{ $json.description }}',
	options,
});

/**
 * `count` new machines, one input item each.
 * @param {import('../world').FaultWorld['sim']} sim
 * @param {number} count
 * @param {string} prefix
 */
function addDevices(sim, count, prefix) {
	return Array.from({ length: count }, (_, n) => {
		const machine = sim.addMachine({
			computerDnsName: `${prefix}-${String(n).padStart(3, '0')}.faults.contoso.com`,
		});
		return { deviceId: machine.id };
	});
}

/**
 * Compares every output item with what the simulator created: a Success `executed`/`completed` names the one action
 * created for its device in this run; `alreadyPending` names an action that existed before and none was created; an
 * Error says `executed: no` only when nothing was created and `yes` only when something was. No device got two.
 * @param {import('../world').FaultWorld} world
 * @param {{ success: any[], error: any[], successPairs: number[], errorPairs: number[] }} run
 * @param {Array<{ deviceId: string }>} items
 * @param {Set<string>} before IDs of the machine actions that existed before the run
 */
function deviceVerdicts(world, run, items, before) {
	/** @type {Map<string, Array<Record<string, any>>>} */
	const created = new Map();
	for (const [machineId, actions] of world.machineActionsPerMachine())
		created.set(
			machineId,
			actions.filter((action) => !before.has(action.id)),
		);
	const posts = world.machineActionPostsReachingSimulator();
	const deviceOf = (/** @type {number} */ pair) => String(items[pair]?.deviceId);
	const createdFor = (/** @type {string} */ deviceId) => created.get(deviceId) ?? [];
	const problems = [];
	const wrongSuccess = [];
	const pendingButCreated = [];
	const saidNoButCreated = [];
	const saidYesButNone = [];
	let unknownCreated = 0;
	let unknownNotCreated = 0;
	run.success.forEach((item, index) => {
		const deviceId = deviceOf(run.successPairs[index]);
		const mine = createdFor(deviceId);
		if (item.outcome === 'executed' || item.outcome === 'completed') {
			if (mine.length !== 1 || mine[0].id !== item.deviceActionId) wrongSuccess.push(deviceId);
		} else if (item.outcome === 'alreadyPending') {
			if (mine.length !== 0 || !before.has(String(item.deviceActionId)))
				pendingButCreated.push(deviceId);
		} else {
			wrongSuccess.push(`${deviceId} (outcome ${item.outcome})`);
		}
	});
	run.error.forEach((item, index) => {
		const deviceId = deviceOf(run.errorPairs[index]);
		const made = createdFor(deviceId).length > 0;
		const executed = item.error?.executed;
		if (executed === 'no' && made) saidNoButCreated.push(deviceId);
		if (executed === 'yes' && !made) saidYesButNone.push(deviceId);
		if (executed === 'unknown') {
			if (made) unknownCreated++;
			else unknownNotCreated++;
		}
	});
	const createdTwice = [...created].filter(([, actions]) => actions.length > 1);
	const sample = (/** @type {string[]} */ ids) => ids.slice(0, 3).join(', ');
	if (createdTwice.length)
		problems.push(
			`${createdTwice.length} devices got more than one action (e.g. ${sample(createdTwice.map(([id, actions]) => `${id} x${actions.length}`))})`,
		);
	if (wrongSuccess.length)
		problems.push(
			`${wrongSuccess.length} Success items as executed whose device did not get exactly the one action they name (e.g. ${sample(wrongSuccess)})`,
		);
	if (pendingButCreated.length)
		problems.push(
			`${pendingButCreated.length} items alreadyPending although an action was created for them, or naming no earlier action (e.g. ${sample(pendingButCreated)})`,
		);
	if (saidNoButCreated.length)
		problems.push(
			`${saidNoButCreated.length} Error items with executed: no although their device got an action (e.g. ${sample(saidNoButCreated)})`,
		);
	if (saidYesButNone.length)
		problems.push(
			`${saidYesButNone.length} Error items with executed: yes although their device got no action (e.g. ${sample(saidYesButNone)})`,
		);
	const sum = (/** @type {Iterable<number>} */ values) =>
		[...values].reduce((total, value) => total + value, 0);
	return {
		problems,
		createdTwice: createdTwice.length,
		figures: {
			inputs: items.length,
			success: run.success.length,
			error: run.error.length,
			postsReachingSimulator: sum(posts.values()),
			actionsCreated: sum([...created.values()].map((actions) => actions.length)),
			devicesWithTwoActions: createdTwice.length,
			unknownThatWereCreated: unknownCreated,
			unknownThatWereNot: unknownNotCreated,
		},
	};
}

/**
 * What every check asserts about a run: it ended, every item on one output in order, nothing created twice, each
 * item's outcome matches the simulator.
 * @param {any} check
 * @param {import('../world').FaultWorld} world
 * @param {any} run
 * @param {Array<{ deviceId: string }>} items
 * @param {Set<string>} before
 */
function expectHonestRun(check, world, run, items, before) {
	check.expect(!run.timedOut, `the run did not end within its bound (${run.durationMs} ms)`);
	check.expect(
		run.status === 'success',
		`the run ended with status ${run.status} ${run.nodeError ?? run.runError ?? ''}`,
	);
	for (const problem of itemAccounting(run, items.length)) check.expect(false, problem);
	check.expect(
		run.success.length + run.error.length === items.length,
		`${items.length} inputs, ${run.success.length} Success + ${run.error.length} Error`,
	);
	const truth = deviceVerdicts(world, run, items, before);
	for (const problem of truth.problems) check.expect(false, problem);
	check.figure('items and ground truth', truth.figures);
	check.figure(
		'success by outcome',
		tally(run.success, (item) => `${item.outcome}${item.note ? ' (with note)' : ''}`),
	);
	if (run.error.length) {
		check.figure(
			'error by code/executed',
			tally(run.error, (item) => `${item.error?.code}/${item.error?.executed}`),
		);
		check.figure('first error', String(run.error[0].error?.message ?? '').slice(0, 400));
	}
	return truth;
}

/** Requests the proxy saw per route, for the figures. @param {import('../world').FaultWorld} world */
const routeCounts = (world) => {
	const counts = world.proxy.counts();
	return { requests: counts.requests, ...counts.byRoute, faults: counts.faults };
};

/** A machine action created on `deviceId` straight on the simulator (another run's, a person's in the portal). */
async function createActionDirectly(
	/** @type {import('../world').FaultWorld['sim']} */ sim,
	/** @type {string} */ deviceId,
) {
	const answer = await fetch(`${sim.url}/api/machines/${deviceId}/isolate`, {
		method: 'POST',
		headers: {
			authorization: `Bearer ${sim.issueEndpointToken()}`,
			'content-type': 'application/json',
		},
		body: JSON.stringify({
			Comment: 'Isolated by an analyst in the portal',
			IsolationType: 'Full',
		}),
	});
	if (answer.status !== 201) throw new Error(`creating the earlier action: HTTP ${answer.status}`);
	return /** @type {{ id: string }} */ (await answer.json()).id;
}

/** The indicators of an import POST's body as the simulator logged it. @param {{ body?: unknown }} request */
function importedValues(request) {
	const body = typeof request.body === 'string' ? JSON.parse(request.body) : request.body;
	return Array.isArray(body?.Indicators)
		? body.Indicators.map((/** @type {any} */ indicator) => String(indicator.indicatorValue))
		: [];
}

/**
 * @param {{ check: (name: string, body: (check: any) => Promise<void>, options?: { timeoutMs?: number }) => void }} suite
 * @param {import('../world').FaultWorld} world
 */
module.exports = (suite, world) => {
	const { sim, proxy } = world;

	/** The first machine-action POST for a device: the faults below hit only that, never the node's re-send. */
	const firstPostFor = (/** @type {string} */ deviceId) => (/** @type {any} */ request) =>
		request.machineId?.toLowerCase() === deviceId &&
		proxy.requests.filter(
			(entry) => entry.route === 'machineAction' && entry.machineId?.toLowerCase() === deviceId,
		).length === 1;

	/** [fault, devices, extra]: answers lost after Defender created the action, then before it reached Defender. */
	const LOST_ANSWERS = /** @type {const} */ ([
		['504AfterForward', 8, {}],
		['resetAfterForward', 8, {}],
		// Defender creates the action, the answer comes after the request timeout.
		['delayAfterForward', 4, { delayMs: 4000 }],
		// The POST reaches Defender after its client gave up (but within the settle window).
		['delayBeforeForward', 4, { delayMs: 3000 }],
		['resetBeforeForward', 4, {}],
		['503', 4, {}],
	]);

	suite.check(
		"device actions: a lost answer (504, reset or timeout after Defender created the action; reset or 503 before) is settled by listing the device's actions: 0 created twice, re-sent only when none was created, 40 devices",
		async (check) => {
			const items = addDevices(sim, 40, 'lost');
			/** @type {Map<string, string>} */
			const faultOf = new Map();
			let next = 0;
			for (const [fault, devices, extra] of LOST_ANSWERS) {
				for (let n = 0; n < devices; n++) {
					const { deviceId } = items[next++];
					faultOf.set(deviceId, fault);
					proxy.inject({ route: 'machineAction', fault, when: firstPostFor(deviceId), ...extra });
				}
			}
			const run = await world.runNode(
				isolateParameters({ concurrency: 8, requestTimeout: REQUEST_TIMEOUT_SECONDS }),
				items,
				{ timeoutMs: 150_000 },
			);
			check.expect(
				await proxy.idle(15_000),
				'the proxy still had requests in flight after the run',
			);
			check.expect(
				proxy.pendingFaults() === 0,
				`${proxy.pendingFaults()} injected faults were never met`,
			);
			expectHonestRun(check, world, run, items, new Set());

			const posts = world.machineActionPostsReachingSimulator();
			const reachedTwice = items.filter(({ deviceId }) => (posts.get(deviceId) ?? 0) !== 1);
			check.expect(
				reachedTwice.length === 0,
				`${reachedTwice.length} devices had a number of POSTs other than 1 reach Defender (e.g. ${reachedTwice
					.slice(0, 3)
					.map(({ deviceId }) => `${faultOf.get(deviceId) ?? 'none'}: ${posts.get(deviceId) ?? 0}`)
					.join(', ')})`,
			);
			const executed = run.success.filter((item) => item.outcome === 'executed').length;
			check.expect(
				executed === items.length,
				`${executed} of ${items.length} items on Success as executed; every device was reachable`,
			);
			const lostAfter = new Set(
				LOST_ANSWERS.slice(0, 4).flatMap(([fault]) =>
					items.filter(({ deviceId }) => faultOf.get(deviceId) === fault),
				),
			);
			const withoutNote = run.success.filter(
				(item, index) =>
					lostAfter.has(items[run.successPairs[index]]) && !/not sent again/.test(item.note ?? ''),
			);
			check.expect(
				withoutNote.length === 0,
				`${withoutNote.length} items whose answer was lost after the action was created do not say so in a note`,
			);
			const machineActionPosts = proxy.requests.filter((entry) => entry.route === 'machineAction');
			check.figure('settled', {
				lostAfterCreated: lostAfter.size,
				lostBeforeReachingDefender: 8,
				postsAtProxy: machineActionPosts.length,
				resent: machineActionPosts.length - items.length,
				listingsOfActions: proxy.requests.filter((entry) => entry.route === 'listMachineActions')
					.length,
			});
			check.figure('run', `${(run.durationMs / 1000).toFixed(1)} s`);
			check.figure('proxy', routeCounts(world));
		},
		{ timeoutMs: 180_000 },
	);

	suite.check(
		'device actions: If the Outcome Is Unknown "fail": 10 answers lost after Defender created the action fail with executed: unknown, nothing re-sent',
		async (check) => {
			const items = addDevices(sim, 10, 'unknown');
			proxy.inject({ route: 'machineAction', fault: '504AfterForward', times: 10 });
			const run = await world.runNode(
				isolateParameters({ onUnknownOutcome: 'fail', concurrency: 4 }),
				items,
				{ timeoutMs: 60_000 },
			);
			const truth = expectHonestRun(check, world, run, items, new Set());
			const unknown = run.error.filter((item) => item.error?.executed === 'unknown').length;
			check.expect(unknown === 10, `${unknown} of 10 items on Error with executed: unknown`);
			check.expect(
				truth.figures.postsReachingSimulator === 10 && truth.figures.actionsCreated === 10,
				`${truth.figures.postsReachingSimulator} POSTs reached Defender, ${truth.figures.actionsCreated} actions created; expected 10 and 10 (none re-sent)`,
			);
		},
		{ timeoutMs: 90_000 },
	);

	suite.check(
		'device actions: "Action is already in progress" (400) is Success alreadyPending with the pending action by default, Error actionAlreadyPending (executed: no) when asked; no second action (20 + 5 devices)',
		async (check) => {
			// Actions stay pending for the whole check, as on a device that takes its time.
			sim.configure({ actionDelayMs: 120_000 });
			const busy = addDevices(sim, 20, 'busy');
			const idle = addDevices(sim, 5, 'idle');
			/** @type {Map<string, string>} */
			const earlier = new Map();
			for (const { deviceId } of busy)
				earlier.set(deviceId, await createActionDirectly(sim, deviceId));
			const before = new Set(earlier.values());
			const items = [...busy.slice(0, 10), ...idle, ...busy.slice(10)];

			const run = await world.runNode(isolateParameters({ concurrency: 4 }), items, {
				timeoutMs: 60_000,
			});
			expectHonestRun(check, world, run, items, before);
			const pending = run.success.filter((item) => item.outcome === 'alreadyPending');
			check.expect(
				pending.length === 20 &&
					pending.every((item) => earlier.get(item.deviceId) === item.deviceActionId),
				`${pending.length} of 20 busy devices on Success as alreadyPending with the earlier action's ID`,
			);
			const refusals = sim.requests.filter(
				(request) => request.method === 'POST' && request.status === 400,
			).length;
			check.figure('400 already in progress', refusals);

			// The same, with "If an Action Is Pending" set to fail the item.
			const failing = await world.runNode(
				isolateParameters({ ifActionPending: 'error', concurrency: 4 }),
				busy,
				{ timeoutMs: 60_000 },
			);
			const actionsAfter = world.machineActionsPerMachine();
			const twice = busy.filter(({ deviceId }) => (actionsAfter.get(deviceId) ?? []).length !== 1);
			check.expect(
				twice.length === 0,
				`${twice.length} busy devices have other than their one earlier action after the second run`,
			);
			for (const problem of itemAccounting(failing, busy.length)) check.expect(false, problem);
			const byCode = tally(failing.error, (item) => `${item.error?.code}/${item.error?.executed}`);
			check.expect(
				failing.error.length === 20 && byCode['actionAlreadyPending/no'] === 20,
				`with ifActionPending "error": ${JSON.stringify(byCode)}, Success ${failing.success.length}`,
			);
			check.figure('ifActionPending "error"', byCode);
		},
		{ timeoutMs: 150_000 },
	);

	suite.check(
		'device actions: a 429 storm (Retry-After 1-2 s, as seconds and as a date) on 60 machine actions: every item on Success or Error in order, 0 created twice',
		async (check) => {
			const items = addDevices(sim, 60, 'storm');
			// A burst that refuses the first 16 POSTs, then one POST in five refused at random.
			proxy.inject({ route: 'machineAction', fault: '429', retryAfterSeconds: 2, times: 16 });
			proxy.configure({
				rates: [
					{ route: 'machineAction', fault: '429', rate: 0.15, retryAfterSeconds: 1 },
					{
						route: 'machineAction',
						fault: '429',
						rate: 0.05,
						retryAfterSeconds: 1,
						retryAfterFormat: 'date',
					},
				],
			});
			const run = await world.runNode(isolateParameters({ concurrency: 8 }), items, {
				timeoutMs: 150_000,
			});
			proxy.configure({ rates: [] });
			const truth = expectHonestRun(check, world, run, items, new Set());
			const throttled = proxy.requests.filter(
				(entry) => entry.route === 'machineAction' && entry.fault === '429',
			).length;
			check.expect(throttled >= 16, `only ${throttled} POSTs were refused with 429`);
			const notThrottled = run.error.filter((item) => item.error?.statusCode !== 429);
			check.expect(
				notThrottled.length === 0,
				`${notThrottled.length} items failed for another reason than throttling: ${JSON.stringify(notThrottled[0]?.error ?? {})}`,
			);
			check.figure('429s', {
				onMachineActionPosts: throttled,
				postsReachingSimulator: truth.figures.postsReachingSimulator,
			});
			check.figure('run', `${(run.durationMs / 1000).toFixed(1)} s`);
		},
		{ timeoutMs: 180_000 },
	);

	suite.check(
		'device actions: the token expires mid-batch (after the 21st of 60 POSTs): one refresh, every item accounted for, 0 created twice',
		async (check) => {
			const items = addDevices(sim, 60, 'expiry');
			// The moment the 21st POST arrives at the proxy, before it goes on, every token the run holds expires.
			let posts = 0;
			proxy.inject({
				route: 'machineAction',
				fault: '503',
				when: () => {
					if (++posts === 21) sim.expireAllTokens();
					return false;
				},
			});
			const run = await world.runNode(isolateParameters({ concurrency: 4 }), items, {
				timeoutMs: 60_000,
			});
			proxy.clearFaults();
			expectHonestRun(check, world, run, items, new Set());
			const tokenRequests = world.tokenRequestsAtProxy().length;
			const refusedToken = sim.requests.filter((request) => request.status === 401).length;
			check.expect(posts >= 21, `only ${posts} POSTs reached the proxy`);
			check.expect(refusedToken >= 1, 'no request met the expired token');
			check.expect(
				tokenRequests === 2,
				`${tokenRequests} token requests; expected 2 (the first, and one refresh for the whole run)`,
			);
			const executed = run.success.filter((item) => item.outcome === 'executed').length;
			check.expect(executed === items.length, `${executed} of ${items.length} executed`);
			check.figure('token', { tokenRequests, requestsRefused401: refusedToken });
			check.figure('run', `${(run.durationMs / 1000).toFixed(1)} s`);
		},
		{ timeoutMs: 90_000 },
	);

	suite.check(
		'indicator import: 1,200 indicators in 3 batches, one answer lost after Defender saved it (504), one before (reset), one late (timeout): read back, re-sent only what was not saved, 0 items lost',
		async (check) => {
			const prefix = (Date.now() % 0xffff).toString(16).padStart(4, '0');
			const items = Array.from({ length: 1200 }, (_, n) => ({
				indicatorType: 'FileSha256',
				indicatorValue: `${prefix}${n.toString(16).padStart(60, '0')}`,
				action: 'Block',
				title: `Fault suite indicator ${n}`,
				description: 'Imported through the fault proxy',
			}));
			// Import POSTs in order: batch 1, batch 2, batch 2 once more (it never reached Defender), batch 3.
			const nthImport = (/** @type {number} */ n) => () =>
				proxy.requests.filter((entry) => entry.route === 'importIndicators').length === n;
			proxy.inject({ route: 'importIndicators', fault: '504AfterForward', when: nthImport(1) });
			proxy.inject({ route: 'importIndicators', fault: 'resetBeforeForward', when: nthImport(2) });
			proxy.inject({
				route: 'importIndicators',
				fault: 'delayAfterForward',
				delayMs: 4000,
				when: nthImport(4),
			});
			const simRequestsBefore = sim.requests.length;
			const run = await world.runNode(
				importParameters({ requestTimeout: REQUEST_TIMEOUT_SECONDS }),
				items,
				{ timeoutMs: 120_000 },
			);
			check.expect(
				await proxy.idle(15_000),
				'the proxy still had requests in flight after the run',
			);
			check.expect(!run.timedOut, `the run did not end within its bound (${run.durationMs} ms)`);
			check.expect(
				run.status === 'success',
				`the run ended with status ${run.status} ${run.nodeError ?? run.runError ?? ''}`,
			);
			for (const problem of itemAccounting(run, items.length)) check.expect(false, problem);
			check.expect(
				run.success.length + run.error.length === items.length,
				`${items.length} inputs, ${run.success.length} Success + ${run.error.length} Error`,
			);

			// Ground truth: what the simulator holds, and how often each indicator reached its import.
			const held = new Map(
				sim
					.endpointState()
					.indicators.map((indicator) => [
						String(indicator.indicatorValue).toLowerCase(),
						indicator,
					]),
			);
			const reached = new Map();
			const importsReaching = sim.requests
				.slice(simRequestsBefore)
				.filter(
					(request) => request.method === 'POST' && /\/indicators\/import$/i.test(request.path),
				);
			for (const request of importsReaching)
				for (const value of importedValues(request))
					reached.set(value.toLowerCase(), (reached.get(value.toLowerCase()) ?? 0) + 1);
			const notHeld = run.success.filter(
				(item) =>
					held.get(String(item.indicatorValue).toLowerCase())?.id !== String(item.indicatorId),
			);
			check.expect(
				notHeld.length === 0,
				`${notHeld.length} Success items name an indicator Defender does not hold under that ID`,
			);
			const reachedTwice = [...reached].filter(([, times]) => times > 1).length;
			const neverReached = items.filter(
				(item) => !reached.has(item.indicatorValue.toLowerCase()),
			).length;
			check.expect(
				proxy.pendingFaults() === 0,
				`${proxy.pendingFaults()} injected faults were never met`,
			);
			check.expect(
				reachedTwice === 0 && neverReached === 0,
				`${reachedTwice} indicators reached Defender's import more than once (a saved one sent again), ${neverReached} never`,
			);
			const errorsSaved = run.error.filter((item) =>
				held.has(String(item.indicatorValue).toLowerCase()),
			);
			check.expect(
				errorsSaved.every((item) => item.error?.executed !== 'no'),
				`${errorsSaved.length} Error items say executed: no although Defender holds the indicator`,
			);
			const notes = tally(
				run.success.filter((item) => item.note),
				(item) => (/not sent again/.test(item.note) ? 'read back as saved' : 'imported once more'),
			);
			check.expect(
				notes['read back as saved'] === 700 && notes['imported once more'] === 500,
				`notes ${JSON.stringify(notes)}: expected 700 read back as saved (batches 1 and 3) and 500 imported once more (batch 2)`,
			);
			check.figure('items', {
				inputs: items.length,
				success: run.success.length,
				error: run.error.length,
				held: items.filter((item) => held.has(item.indicatorValue.toLowerCase())).length,
			});
			check.figure('settled', notes);
			check.figure('ground truth', {
				importPostsAtProxy: proxy.requests.filter((entry) => entry.route === 'importIndicators')
					.length,
				importPostsReachingSimulator: importsReaching.length,
				indicatorsReachingTwice: reachedTwice,
				indicatorsNeverReaching: neverReached,
				readBackListings: proxy.requests.filter((entry) => entry.route === 'listIndicators').length,
			});
			if (run.error.length)
				check.figure(
					'error by code/executed',
					tally(run.error, (item) => `${item.error?.code}/${item.error?.executed}`),
				);
			check.figure('run', `${(run.durationMs / 1000).toFixed(1)} s`);
		},
		{ timeoutMs: 150_000 },
	);
};
