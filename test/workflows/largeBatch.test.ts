import { EXECUTABLE_ACTION_TYPES, SEEDED_TASK_IDS as IDS, type Simulator } from '../../simulator';
import { execute, graphRequests, runDefender, useWorld, type Json } from './defenderWorkflow';

const world = useWorld();

/** `count` fresh open tasks in the simulator (created now, or at `createdDateTime`), as a workflow's items. */
function openTasks(
	sim: Simulator,
	count: number,
	prefix = 'batch',
	createdDateTime?: string,
): Json[] {
	return Array.from({ length: count }, (_, i) => {
		const actionType = EXECUTABLE_ACTION_TYPES[i % EXECUTABLE_ACTION_TYPES.length];
		sim.addTask({
			id: `${prefix}-${i}`,
			actionType,
			...(createdDateTime ? { createdDateTime } : {}),
		});
		return { id: `${prefix}-${i}`, actionType };
	});
}

/** What the simulator answered, by kind of request. */
function requestCounts(sim: Simulator) {
	const graph = graphRequests(sim);
	return {
		listings: graph.filter(
			(r) => r.method === 'GET' && r.path.split('?')[0] === '/beta/security/incidentTasks',
		).length,
		taskReads: graph.filter(
			(r) => r.method === 'GET' && /^\/beta\/security\/incidentTasks\/[^/?]+(\?|$)/.test(r.path),
		).length,
		posts: graph.filter((r) => r.method === 'POST').length,
		all: graph.length,
	};
}

describe('Execute Response Action on a large batch', () => {
	it('verifies 150 tasks from one read of the task listing: 150 POSTs and no read per task', async () => {
		const items = openTasks(world.sim, 150);

		const run = await runDefender(world.engine, execute(), items);

		expect(run.error).toEqual([]);
		expect(
			run.success.map((item) => [item.incidentTaskId, item.outcome, item.actionStatusBefore]),
		).toEqual(items.map((item) => [item.id, 'executed', 'notStarted']));
		expect(requestCounts(world.sim)).toEqual({ listings: 1, taskReads: 0, posts: 150, all: 151 });
		expect(graphRequests(world.sim, 'GET')[0].path).toMatch(/(\$|%24)top=500/);
		expect(world.sim.executions).toHaveLength(150);
	});

	it('reads the listing only as far as the batch needs it, 500 tasks a page', async () => {
		// Newest first: the 600 batch tasks fill the first two pages; older tasks behind them are never read.
		openTasks(world.sim, 400, 'older', '2026-02-01T00:00:00Z');
		const items = openTasks(world.sim, 600);

		const run = await runDefender(world.engine, execute(), items);

		expect(run.success).toHaveLength(600);
		expect(requestCounts(world.sim)).toEqual({ listings: 2, taskReads: 0, posts: 600, all: 602 });
	});

	it('still refuses a task of another action type and skips a started one; neither is executed', async () => {
		const items = openTasks(world.sim, 118);
		world.sim.setTask(items[10].id, { actionType: 'runAntiVirusScan' });
		world.sim.setTask(items[20].id, { actionStatus: 'inProgress', status: 'inProgress' });
		items.push(
			{ id: IDS.completed, actionType: 'isolateDevice' },
			{ id: IDS.inProgress, actionType: 'isolateDevice' },
		);

		const run = await runDefender(world.engine, execute(), items);

		expect(run.error).toEqual([
			expect.objectContaining({
				incidentTaskId: items[10].id,
				outcome: 'failed',
				error: expect.objectContaining({ code: 'actionTypeMismatch', executed: 'no' }),
			}),
		]);
		expect(run.error[0].error.message).toContain(
			`The task wants runAntiVirusScan, the node is set to ${items[10].actionType}`,
		);
		const skipped = run.success
			.filter((item) => item.outcome === 'skipped')
			.map((item) => [item.incidentTaskId, item.reason]);
		expect(skipped).toEqual([
			[items[20].id, expect.stringContaining('already inProgress')],
			[IDS.completed, expect.stringContaining('already completed')],
			[IDS.inProgress, expect.stringContaining('already inProgress')],
		]);
		const executed = new Set(world.sim.executions.map((e) => e.taskId));
		for (const id of [items[10].id, items[20].id, IDS.completed, IDS.inProgress])
			expect(executed.has(id)).toBe(false);
		expect(executed.size).toBe(116);
		expect(run.success.length + run.error.length).toBe(items.length);
		expect(requestCounts(world.sim).taskReads).toBe(0);
	});

	it('reads a task the listing does not hold on its own (GET), and a missing one fails with 404', async () => {
		const items = openTasks(world.sim, 120);
		items.splice(50, 0, { id: 'task-not-in-tenant', actionType: 'isolateDevice' });

		const run = await runDefender(world.engine, execute(), items);

		expect(run.success).toHaveLength(120);
		expect(run.error).toEqual([
			expect.objectContaining({
				incidentTaskId: 'task-not-in-tenant',
				error: expect.objectContaining({ statusCode: 404, executed: 'no' }),
			}),
		]);
		expect(run.errorPairs).toEqual([50]);
		const reads = graphRequests(world.sim, 'GET').filter(
			(r) => !r.path.startsWith('/beta/security/incidentTasks?'),
		);
		expect(reads.map((r) => r.path)).toEqual(['/beta/security/incidentTasks/task-not-in-tenant']);
		expect(requestCounts(world.sim)).toMatchObject({ listings: 1, posts: 120 });
	});

	it('stops reading the listing at a tenth of the batch in requests and reads the remaining tasks one by one', async () => {
		// Ten tasks a page: the 12 pages allowed for 120 items hold the 100 newest batch tasks and 20 others, not
		// the 20 oldest batch tasks behind them.
		world.sim.configure({ pageSize: 10 });
		const older = openTasks(world.sim, 20, 'older', '2026-02-01T00:00:00Z');
		openTasks(world.sim, 50, 'unrelated', '2026-02-02T00:00:00Z');
		const items = [...openTasks(world.sim, 100), ...older];

		const run = await runDefender(world.engine, execute(), items);

		expect(run.success.map((item) => item.outcome)).toEqual(items.map(() => 'executed'));
		expect(requestCounts(world.sim)).toEqual({ listings: 12, taskReads: 20, posts: 120, all: 152 });
	});

	it('reads the task again for a second item of the same task, and never executes it twice', async () => {
		const items = openTasks(world.sim, 100);
		items.push({ ...items[0] });

		const run = await runDefender(world.engine, execute(), items);

		expect(world.sim.executions.filter((e) => e.taskId === items[0].id)).toHaveLength(1);
		expect(run.success[100]).toMatchObject({
			incidentTaskId: items[0].id,
			outcome: 'skipped',
			actionStatusBefore: expect.stringMatching(/^(inProgress|completed)$/),
		});
		expect(requestCounts(world.sim)).toMatchObject({ listings: 1, taskReads: 1, posts: 100 });
	});

	it('reads each task on its own below 100 items', async () => {
		const items = openTasks(world.sim, 99);

		await runDefender(world.engine, execute(), items);

		expect(requestCounts(world.sim)).toEqual({ listings: 0, taskReads: 99, posts: 99, all: 198 });
	});
});

describe('Execute Response Action under Graph throttling', () => {
	it('after the first 429, spaces its requests at the rate Graph revealed instead of bursting into more 429s', async () => {
		world.sim.configure({ rateLimit: { requests: 10, windowSeconds: 2 } });
		const items = openTasks(world.sim, 30);

		const run = await runDefender(world.engine, execute({ verifyTask: false }), items);

		expect(run.error).toEqual([]);
		expect(world.sim.executions).toHaveLength(30);
		const requests = graphRequests(world.sim);
		const firstThrottled = requests.findIndex((r) => r.status === 429);
		const burst = requests.slice(firstThrottled).findIndex((r) => r.status !== 429);
		// One 429 at most per request in flight when Graph first said no (concurrency 4), then none: every later
		// request was accepted.
		expect(burst).toBeGreaterThanOrEqual(1);
		expect(burst).toBeLessThanOrEqual(4);
		const resumed = requests.slice(firstThrottled + burst);
		expect(resumed.map((r) => r.status)).toEqual(resumed.map(() => 204));
		// The pause: every wait asked for before the first request after it; the run waited for the latest end.
		const resumedAt = world.sim.requests.indexOf(resumed[0]);
		const pauseEnd = Math.max(
			...world.clock.waits.filter((wait) => wait.mark <= resumedAt).map((wait) => wait.until),
		);
		// After it, requests leave one every 1/rate seconds, the rate Graph revealed as the node logged it.
		const learned = world.engine.logs
			.map((log) => /throttles this app at about ([\d.]+) requests\/s/.exec(log.message))
			.filter((match) => match !== null)
			.at(-1);
		const intervalMs = 1000 / Number(learned![1]);
		resumed.forEach((request, slot) =>
			expect(Date.parse(request.at)).toBeGreaterThanOrEqual(
				Math.floor(pauseEnd + slot * intervalMs) - 5,
			),
		);
	}, 60_000);
});
