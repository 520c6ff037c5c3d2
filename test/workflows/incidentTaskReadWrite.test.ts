import { isExecutableActionType, SEED_TASKS, SEEDED_TASK_IDS as IDS } from '../../simulator';
import { graphRequests, runDefender, useWorld } from './defenderWorkflow';

const world = useWorld();

const getMany = (extra: Record<string, unknown> = {}) => ({
	resource: 'incidentTask',
	operation: 'getMany',
	...extra,
});

describe('Get', () => {
	it('puts the task on Success', async () => {
		const run = await runDefender(
			world.engine,
			{ resource: 'incidentTask', operation: 'get', incidentTaskId: '={{ $json.id }}' },
			[{ id: IDS.completed }],
		);

		expect(run.success).toEqual([
			expect.objectContaining({
				id: IDS.completed,
				actionType: 'isolateDevice',
				actionStatus: 'completed',
			}),
		]);
		expect(run.successPairs).toEqual([0]);
	});

	it('puts a 404 and a malformed ID on Error with the same error shape, in order', async () => {
		const run = await runDefender(
			world.engine,
			{ resource: 'incidentTask', operation: 'get', incidentTaskId: '={{ $json.id }}' },
			[{ id: 'gone-404' }, { id: 'a/../b' }, { id: IDS.inProgress }],
		);

		expect(run.errorPairs).toEqual([0, 1]);
		expect(run.error[0]).toEqual({
			incidentTaskId: 'gone-404',
			actionType: null,
			outcome: 'failed',
			error: expect.objectContaining({
				statusCode: 404,
				executed: 'no',
				requestId: expect.any(String),
			}),
		});
		expect(run.error[1].error.code).toBe('invalidIncidentTaskId');
		expect(run.success.map((task) => task.id)).toEqual([IDS.inProgress]);
		expect(graphRequests(world.sim).map((r) => r.path)).toEqual([
			`/beta/security/incidentTasks/gone-404`,
			`/beta/security/incidentTasks/${IDS.inProgress}`,
		]);
	});
});

describe('Get Many', () => {
	it('follows @odata.nextLink over several pages with Return All', async () => {
		world.sim.configure({ pageSize: 7 });
		const run = await runDefender(world.engine, getMany({ returnAll: true }));

		expect(run.success).toHaveLength(SEED_TASKS.length);
		expect(new Set(run.success.map((task) => task.id)).size).toBe(SEED_TASKS.length);
		expect(graphRequests(world.sim, 'GET').length).toBe(Math.ceil(SEED_TASKS.length / 7));
		expect(run.successPairs.every((pair) => pair === 0)).toBe(true);
	});

	it('stops at Limit and asks Graph for no more than it needs', async () => {
		world.sim.configure({ pageSize: 5 });
		const run = await runDefender(world.engine, getMany({ returnAll: false, limit: 12 }));

		expect(run.success).toHaveLength(12);
		expect(graphRequests(world.sim, 'GET')).toHaveLength(3);
	});

	it('filters on status and action type in Graph and on executability in the node', async () => {
		const run = await runDefender(
			world.engine,
			getMany({ returnAll: true, filters: { status: 'open', executableOnly: true } }),
		);

		const expected = SEED_TASKS.filter(
			(t) => t.status === 'open' && isExecutableActionType(t.actionType as string),
		);
		expect(run.success.map((t) => t.id).sort()).toEqual(expected.map((t) => t.id).sort());
		expect(decodeURIComponent(graphRequests(world.sim, 'GET')[0].path)).toContain(
			"$filter=status eq 'open'",
		);

		const byType = await runDefender(
			world.engine,
			getMany({ returnAll: true, filters: { actionType: 'disableUser' } }),
		);
		expect(byType.success.map((t) => t.actionType)).toEqual(
			SEED_TASKS.filter((t) => t.actionType === 'disableUser').map(() => 'disableUser'),
		);
	});

	it('does not follow a next-page link to another origin, and says the list is incomplete', async () => {
		world.sim.configure({ pageSize: 5, nextLinkOrigin: 'http://127.0.0.2:9' });
		const run = await runDefender(world.engine, getMany({ returnAll: true }));

		expect(run.success).toEqual([]);
		expect(run.error[0]).toMatchObject({
			incidentTaskId: null,
			actionType: null,
			outcome: 'failed',
			error: { code: 'foreignNextLink', executed: 'no' },
		});
		expect(run.error[0].error.message).toContain('not followed');
		expect(graphRequests(world.sim, 'GET')).toHaveLength(1);
	});

	it('retries a page that failed with 503', async () => {
		world.sim.configure({ pageSize: 10 });
		world.sim.injectFault({ method: 'GET', fault: '503', retryAfterSeconds: 0 });
		const run = await runDefender(world.engine, getMany({ returnAll: true }));

		expect(run.success).toHaveLength(SEED_TASKS.length);
		expect(graphRequests(world.sim, 'GET')[0].status).toBe(503);
	});
});

describe('Update', () => {
	it("sets the task's status and returns the task", async () => {
		const id = IDS.openByActionType.submitIocRule;
		const run = await runDefender(world.engine, {
			resource: 'incidentTask',
			operation: 'update',
			incidentTaskId: id,
			status: 'notRelevant',
		});

		expect(run.success[0]).toMatchObject({ id, status: 'notRelevant' });
		expect(world.sim.getTask(id)?.status).toBe('notRelevant');
		const patch = graphRequests(world.sim, 'PATCH')[0];
		expect(patch.path).toBe(`/beta/security/incidentTasks/${id}`);
	});

	it('refuses a status outside the five with no request', async () => {
		const run = await runDefender(world.engine, {
			resource: 'incidentTask',
			operation: 'update',
			incidentTaskId: IDS.completed,
			status: '={{ "closed" }}',
		});

		expect(run.error[0].error).toMatchObject({ code: 'invalidStatus', executed: 'no' });
		expect(world.sim.requests).toEqual([]);
	});
});
