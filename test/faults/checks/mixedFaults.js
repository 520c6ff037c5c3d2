// @ts-check
'use strict';

// 2,000 response actions through every network fault at once, checked task by task against what the simulator ran.

const { itemAccounting, EXECUTABLE_ACTION_TYPES } = require('../world');
const { executeParameters, tally, verdicts } = require('./common');

const TASKS = Number(process.env.FAULTS_MIXED_TASKS ?? 2000);

/** One draw per request: per route, the rates add up to well under 1. Seeded, so a failure replays. */
const MIXED_RATES = [
	// On the POST: open outcomes (the action may have run) and a refusal before anything ran.
	{ route: 'execute', fault: '503AfterForward', rate: 0.02 },
	{ route: 'execute', fault: '504AfterForward', rate: 0.015 },
	{ route: 'execute', fault: 'resetAfterForward', rate: 0.01 },
	{ route: 'execute', fault: 'resetBeforeForward', rate: 0.01 },
	{ route: 'execute', fault: 'delayBeforeForward', rate: 0.005, delayMs: 3000 },
	{ route: 'execute', fault: '503', rate: 0.01 },
	// On reads.
	{ route: ['getTask', 'listTasks'], fault: '503', rate: 0.015 },
	{ route: 'getTask', fault: 'resetBeforeForward', rate: 0.01 },
	{ route: 'getTask', fault: 'delayAfterForward', rate: 0.004, delayMs: 3000 },
	{ route: 'listTasks', fault: '206', rate: 0.5, dropFraction: 0.05 },
	// Throttling anywhere, Retry-After as seconds and as an HTTP date.
	{ fault: '429', rate: 0.003, retryAfterSeconds: 1 },
	{ fault: '429', rate: 0.002, retryAfterSeconds: 2, retryAfterFormat: 'date' },
];

/**
 * @param {{ check: (name: string, body: (check: any) => Promise<void>, options?: { timeoutMs?: number }) => void }} suite
 * @param {import('../world').FaultWorld} world
 */
module.exports = (suite, world) => {
	suite.check(
		`mixed faults: ${TASKS} tasks through throttling, 503s, 504s, resets, slow answers and 206s: every item on one output, no action run twice, executed true`,
		async (check) => {
			const { sim, proxy } = world;
			const items = [];
			for (let n = 0; n < TASKS; n++) {
				const id = `mixed-${String(n).padStart(4, '0')}`;
				const actionType = EXECUTABLE_ACTION_TYPES[n % EXECUTABLE_ACTION_TYPES.length];
				sim.addTask({ id, actionType });
				items.push({ id, actionType });
			}
			proxy.configure({ rates: MIXED_RATES });
			const run = await world.runNode(
				executeParameters({ concurrency: 16, requestTimeout: 2 }),
				items,
				{ timeoutMs: 280_000 },
			);
			proxy.configure({ rates: [] });
			check.expect(
				await proxy.idle(15_000),
				'the proxy still had requests in flight 15 s after the run',
			);

			check.expect(!run.timedOut, `the run did not end within its bound (${run.durationMs} ms)`);
			check.expect(
				run.status === 'success',
				`the run ended with status ${run.status} ${run.nodeError ?? run.runError ?? ''}`,
			);
			for (const problem of itemAccounting(run, items.length)) check.expect(false, problem);

			const truth = verdicts(world, run, items);
			for (const problem of truth.problems) check.expect(false, problem);
			const notFound = run.error.filter(
				(item) => item.error?.statusCode === 404 || /NotFound/i.test(String(item.error?.code)),
			);
			check.expect(
				notFound.length === 0,
				`${notFound.length} items failed as not found although every task exists (a partial 206 list taken as complete?)`,
			);

			// Graph's 206 hits list calls: Get Many (Return All) over the same tasks, through the same faults.
			const listRunsFrom = world.timedLogs.length;
			const knownIds = new Set(sim.state().tasks.map((task) => task.id));
			proxy.configure({ rates: MIXED_RATES });
			const listing = await world.runNode(
				{ resource: 'incidentTask', operation: 'getMany', returnAll: true },
				Array.from({ length: 10 }, () => ({})),
				{ timeoutMs: 120_000 },
			);
			proxy.configure({ rates: [] });
			check.expect(
				!listing.timedOut && listing.status === 'success',
				`Get Many ended ${listing.timedOut ? 'never' : listing.status} ${listing.nodeError ?? ''}`,
			);
			/** @type {Map<number, string[]>} */
			const listed = new Map();
			listing.success.forEach((task, index) =>
				listed.set(listing.successPairs[index], [
					...(listed.get(listing.successPairs[index]) ?? []),
					String(task.id),
				]),
			);
			const failedLists = new Set(listing.errorPairs);
			check.expect(
				[...listed.keys()].every((pair) => !failedLists.has(pair)),
				'a Get Many input has items on both outputs',
			);
			const partialWarnings = world.timedLogs
				.slice(listRunsFrom)
				.filter((line) => /\b206\b|partial/i.test(line.message)).length;
			const sizes = [...listed.values()].map((ids) => ids.length);
			for (const ids of listed.values()) {
				check.expect(
					ids.every((id) => knownIds.has(id)),
					'Get Many returned a task that does not exist',
				);
				check.expect(
					new Set(ids).size === ids.length,
					'Get Many returned a task twice in one list',
				);
			}
			const short = sizes.filter((size) => size < knownIds.size).length;
			check.expect(
				short === 0 || partialWarnings > 0,
				`${short} Get Many lists came back short after a 206 without any warning in the log`,
			);
			const counts = proxy.counts();
			check.figure('Get Many (Return All) x10 through the same faults', {
				tasks: knownIds.size,
				listSizes: sizes,
				failedInputs: failedLists.size,
				partialWarningsLogged: partialWarnings,
				'206s': counts.faultsByRoute.listTasks?.['206'] ?? 0,
			});
			check.figure('run', `${(run.durationMs / 1000).toFixed(1)} s, status ${run.status}`);
			check.figure('items', {
				input: items.length,
				success: run.success.length,
				error: run.error.length,
			});
			check.figure(
				'success by outcome',
				tally(run.success, (item) => `${item.outcome}${item.note ? ' (with note)' : ''}`),
			);
			check.figure(
				'error by code/executed',
				tally(run.error, (item) => `${item.error?.code}/${item.error?.executed}`),
			);
			check.figure('faults injected', counts.faults);
			check.figure('requests at the proxy', {
				total: counts.requests,
				forwarded: counts.forwarded,
				...counts.byRoute,
			});
			check.figure('simulator', truth.figures);
		},
		{ timeoutMs: 300_000 },
	);
};
