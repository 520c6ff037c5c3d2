// @ts-check
'use strict';

/**
 * The simulator tenant of `npm run dev` (and the browser test), kept alive so every run of the example
 * workflows has work on both outputs: a new open task arrives for each one executed, and one task is
 * always refused with Graph's 403, as a task of a device group the app may not touch would be.
 *
 *   const tenant = keepTenantAlive(sim, { log });
 *   startSimulator({ onRequest: (entry) => tenant.onRequest(entry) });   // wired by the caller
 */

/** Seeded open submitIocRule task that Graph refuses for the whole session. */
const REFUSED_TASK_ID = 'task-ioc-open-001';

const EXECUTE_PATH = /^\/beta\/security\/incidentTasks\/([^/?]+)\/executeResponseAction$/i;

/**
 * @param {import('../simulator').Simulator} sim
 * @param {{ log?: (text: string) => void }} [options]
 */
function keepTenantAlive(sim, options = {}) {
	const log = options.log ?? (() => {});
	// A scripted fault is used up by its matches; this one outlasts any session.
	sim.injectFault({
		method: 'POST',
		path: `/beta/security/incidentTasks/${REFUSED_TASK_ID}/executeResponseAction`,
		fault: '403',
		times: Number.MAX_SAFE_INTEGER,
	});

	/** Called with each answered simulator request: an executed task brings a new open one of its type. */
	const onRequest = (/** @type {import('../simulator').RequestLogEntry} */ entry) => {
		const match =
			entry.method === 'POST' && entry.status === 204 ? EXECUTE_PATH.exec(entry.path) : null;
		if (!match) return;
		const executed = sim.getTask(decodeURIComponent(match[1]));
		if (!executed) return;
		const arrived = sim.addTask({
			actionType: executed.actionType,
			displayName: executed.displayName,
			description: executed.description,
		});
		log(
			`new open task ${arrived.id} (${arrived.actionType}) arrived after ${executed.id} was executed`,
		);
	};
	return { refusedTaskId: REFUSED_TASK_ID, onRequest };
}

module.exports = { keepTenantAlive, REFUSED_TASK_ID };
