// @ts-check
'use strict';

// The trigger over 50 polls while entities arrive late, out of order, dated in the future, in bursts that span
// page boundaries and in the middle of paging, with partial (206), shuffled, failing and throttled list answers.

const { createRandom } = require('../../../simulator/faults');
const { EXECUTABLE_ACTION_TYPES } = require('../world');

const POLLS = 50;
/** The last polls add nothing and inject nothing: what a partial list hid must surface by then. */
const QUIET_POLLS = 4;
const PAGE_SIZE = 25;
const MINUTE = 60_000;

/**
 * @param {{ check: (name: string, body: (check: any) => Promise<void>, options?: { timeoutMs?: number }) => void }} suite
 * @param {import('../world').FaultWorld} world
 */
module.exports = (suite, world) => {
	const { sim, proxy } = world;

	/** @type {Array<{ event: 'newIncidentTask' | 'newAlert', add: (id: string, createdMs: number, executable: boolean) => void, route: 'listTasks' | 'listAlerts' }>} */
	const events = [
		{
			event: 'newIncidentTask',
			route: 'listTasks',
			add: (id, createdMs, executable) =>
				sim.addTask({
					id,
					actionType: executable
						? EXECUTABLE_ACTION_TYPES[id.length % EXECUTABLE_ACTION_TYPES.length]
						: 'text',
					createdDateTime: new Date(createdMs).toISOString(),
				}),
		},
		{
			event: 'newAlert',
			route: 'listAlerts',
			add: (id, createdMs) =>
				sim.addAlert({ id, createdDateTime: new Date(createdMs).toISOString() }),
		},
	];

	for (const { event, add, route } of events) {
		suite.check(
			`trigger ${event}: ${POLLS} polls with late, out-of-order, future-dated, page-boundary and mid-paging entities, through 206s, shuffled lists, 503s and 429s: 0 lost, 0 duplicated`,
			async (check) => {
				sim.configure({ pageSize: PAGE_SIZE });
				const random = createRandom(event.length * 7919);
				const trigger = world.trigger({ event });
				const activation = await trigger.poll();
				check.expect(
					!activation.failed && activation.ids.length === 0,
					`activation emitted ${activation.ids.length}${activation.failed ? ` and failed: ${activation.failed}` : ''}`,
				);

				/** @type {Set<string>} */
				const expected = new Set();
				/** @type {Set<string>} */
				const notExpected = new Set();
				/** @type {Map<string, number>} */
				const emitted = new Map();
				/** @type {Record<string, number>} */
				const kinds = {};
				let failedPolls = 0;
				const addEntity = (
					/** @type {string} */ kind,
					/** @type {string} */ id,
					/** @type {number} */ createdMs,
					executable = true,
				) => {
					add(id, createdMs, executable);
					const matches = executable || event !== 'newIncidentTask';
					(matches ? expected : notExpected).add(id);
					kinds[kind] = (kinds[kind] ?? 0) + 1;
				};

				for (let poll = 1; poll <= POLLS; poll++) {
					const now = Date.now();
					const p = `p${String(poll).padStart(2, '0')}`;
					if (poll <= POLLS - QUIET_POLLS) {
						for (let n = 0; n < 2; n++) addEntity('on time', `${p}-on-time-${n}`, now - n * 150);
						addEntity(
							'late (created up to 7 min before it is listed)',
							`${p}-late`,
							now - Math.floor(random() * 7 * MINUTE),
						);
						// Added newest first, so the creation order differs from the order they appear in.
						addEntity('out of order', `${p}-ooo-newer`, now - 1000);
						addEntity('out of order', `${p}-ooo-older`, now - 45_000);
						if (event === 'newIncidentTask')
							addEntity('not executable (must not trigger)', `${p}-text`, now, false);
						if (poll % 10 === 3) {
							addEntity('future-dated', `${p}-an-hour-ahead`, now + 60 * MINUTE);
							addEntity('future-dated', `${p}-a-day-ahead`, now + 24 * 60 * MINUTE);
							addEntity('future-dated', `${p}-5-min-ahead`, now + 5 * MINUTE);
						}
						if (poll % 12 === 2) {
							// More entities in one instant than a page holds: the instant spans a page boundary.
							const instant = now - 2000;
							for (let n = 0; n < PAGE_SIZE + 5; n++)
								addEntity(
									'same instant across a page boundary',
									`${p}-burst-${String(n).padStart(2, '0')}`,
									instant,
								);
						}
						if (poll % 5 === 1) {
							// One arrives while the trigger is between two pages: offset paging shifts, and it is listed next poll.
							let arrived = false;
							proxy.inject({
								route,
								fault: '503',
								when: (request) => {
									if (!arrived && request.path.includes('skiptoken')) {
										arrived = true;
										addEntity('arrived mid-paging', `${p}-mid-paging`, Date.now());
									}
									return false;
								},
							});
						}
						if (poll % 3 === 0) proxy.inject({ route, fault: '206', dropFraction: 0.3, times: 3 });
						if (poll % 4 === 0) proxy.inject({ route, fault: 'shuffle', times: 30 });
						// Two 503s are retried within the poll; on one poll they outlast the retries and the poll fails.
						if (poll % 9 === 0) proxy.inject({ route, fault: '503', times: poll === 27 ? 10 : 2 });
						if (poll % 11 === 0) proxy.inject({ route, fault: '429', retryAfterSeconds: 1 });
					}
					const result = await trigger.poll();
					proxy.clearFaults();
					if (result.failed) failedPolls++;
					for (const id of result.ids) emitted.set(id, (emitted.get(id) ?? 0) + 1);
				}

				const lost = [...expected].filter((id) => !emitted.has(id));
				const duplicated = [...emitted].filter(([, count]) => count > 1).map(([id]) => id);
				const unexpected = [...emitted.keys()].filter((id) => !expected.has(id));
				check.expect(
					lost.length === 0,
					`${lost.length} of ${expected.size} entities never emitted (e.g. ${lost.slice(0, 5).join(', ')})`,
				);
				check.expect(
					duplicated.length === 0,
					`${duplicated.length} entities emitted more than once (e.g. ${duplicated.slice(0, 5).join(', ')})`,
				);
				check.expect(
					unexpected.length === 0,
					`${unexpected.length} entities emitted that should not trigger (e.g. ${unexpected.slice(0, 5).join(', ')})`,
				);
				const counts = proxy.counts();
				check.figure('entities', {
					expected: expected.size,
					emitted: [...emitted.values()].reduce((a, b) => a + b, 0),
					lost: lost.length,
					duplicated: duplicated.length,
					notMatching: notExpected.size,
					unexpected: unexpected.length,
				});
				check.figure('added', kinds);
				check.figure('polls', {
					total: POLLS,
					failed: failedPolls,
					listRequests: counts.byRoute[route] ?? 0,
				});
				check.figure('faults injected', counts.faults);
			},
			{ timeoutMs: 150_000 },
		);
	}
};
