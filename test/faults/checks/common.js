// @ts-check
'use strict';

// What several checks share: the node's parameters, counting, and the comparison of each item with what ran.

/**
 * Execute Response Action with the task ID and action type mapped from the input item, as users wire it.
 * @param {Record<string, unknown>} [options]
 */
const executeParameters = (options = {}) => ({
	resource: 'incidentTask',
	operation: 'executeResponseAction',
	incidentTaskId: '={{ $json.id }}',
	actionType: '={{ $json.actionType }}',
	options,
});

/**
 * @template T
 * @param {T[]} values
 * @param {(value: T) => string} keyOf
 */
function tally(values, keyOf) {
	/** @type {Record<string, number>} */
	const counts = {};
	for (const value of values) {
		const key = keyOf(value);
		counts[key] = (counts[key] ?? 0) + 1;
	}
	return counts;
}

/**
 * Compares every output item with the simulator's ground truth: a Success "executed" ran exactly once, an Error
 * says `executed: no` only when nothing ran and `yes` only when it ran; no task got two POSTs or two runs.
 * @param {import('../world').FaultWorld} world
 * @param {{ success: any[], error: any[], successPairs: number[], errorPairs: number[] }} run
 * @param {Array<{ id?: unknown }>} items
 */
function verdicts(world, run, items) {
	const executions = world.executionsPerTask();
	const posts = world.postsReachingSimulator();
	const taskOf = (/** @type {number} */ pair) => String(items[pair]?.id);
	const successNotRun = [];
	const saidNoButRan = [];
	const saidYesButNotRun = [];
	let unknownRan = 0;
	let unknownNotRun = 0;
	run.success.forEach((item, index) => {
		const taskId = taskOf(run.successPairs[index]);
		if (
			(item.outcome === 'executed' || item.outcome === 'completed') &&
			(executions.get(taskId) ?? 0) !== 1
		)
			successNotRun.push(taskId);
	});
	run.error.forEach((item, index) => {
		const taskId = taskOf(run.errorPairs[index]);
		const ran = (executions.get(taskId) ?? 0) > 0;
		const executed = item.error?.executed;
		if (executed === 'no' && ran) saidNoButRan.push(taskId);
		if (executed === 'yes' && !ran) saidYesButNotRun.push(taskId);
		if (executed === 'unknown') {
			if (ran) unknownRan++;
			else unknownNotRun++;
		}
	});
	const postedTwice = [...posts].filter(([, count]) => count > 1);
	const ranTwice = [...executions].filter(([, count]) => count > 1);
	const problems = [];
	const sample = (/** @type {string[]} */ ids) => ids.slice(0, 5).join(', ');
	if (postedTwice.length)
		problems.push(
			`${postedTwice.length} tasks got their POST to Graph more than once (e.g. ${sample(postedTwice.map(([id, n]) => `${id} x${n}`))})`,
		);
	if (ranTwice.length)
		problems.push(`${ranTwice.length} tasks had their action run more than once`);
	if (successNotRun.length)
		problems.push(
			`${successNotRun.length} items on Success as executed whose action did not run exactly once (e.g. ${sample(successNotRun)})`,
		);
	if (saidNoButRan.length)
		problems.push(
			`${saidNoButRan.length} items on Error with executed: no although their action ran (e.g. ${sample(saidNoButRan)})`,
		);
	if (saidYesButNotRun.length)
		problems.push(
			`${saidYesButNotRun.length} items on Error with executed: yes although their action did not run (e.g. ${sample(saidYesButNotRun)})`,
		);
	return {
		problems,
		figures: {
			postsReached: [...posts.values()].reduce((sum, count) => sum + count, 0),
			tasksPostedTwice: postedTwice.length,
			actionsRun: [...executions.values()].reduce((sum, count) => sum + count, 0),
			tasksRunTwice: ranTwice.length,
			unknownThatRan: unknownRan,
			unknownThatDidNotRun: unknownNotRun,
		},
	};
}

/** Task IDs whose POST got the given proxy faults. */
function tasksHitBy(
	/** @type {import('../world').FaultWorld} */ world,
	/** @type {string[]} */ faults,
) {
	return new Set(
		world.proxy.requests
			.filter((entry) => entry.route === 'execute' && entry.fault && faults.includes(entry.fault))
			.map((entry) => String(entry.taskId)),
	);
}

module.exports = { executeParameters, tally, verdicts, tasksHitBy };
