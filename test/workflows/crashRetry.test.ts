import { SEEDED_TASK_IDS as IDS } from '../../simulator';
import { execute, graphRequests, runDefender, useWorld } from './defenderWorkflow';

const world = useWorld();
const scan = { id: IDS.openByActionType.runAntiVirusScan, actionType: 'runAntiVirusScan' };
/** Graph shows the started action this long after it ran it; shorter than the node's settle window (5 s). */
const START_LAG_MS = 2000;

describe('Execute Response Action run again after a crash', () => {
	it('a Retry run waits the settle window before reading, so an action sent moments before by the crashed attempt is skipped, not run twice', async () => {
		world.sim.configure({ actionStartLagMs: START_LAG_MS });
		const crashed = await runDefender(world.engine, execute(), [scan], 'webhook');
		expect(crashed.success[0].outcome).toBe('executed');
		expect(world.sim.getTask(scan.id)!.actionStatus).toBe('notStarted');

		const retried = await runDefender(world.engine, execute(), [scan], 'retry');

		// By the end of the wait Graph shows the action started, and here (50 ms later) completed.
		expect(retried.success).toEqual([
			expect.objectContaining({
				incidentTaskId: scan.id,
				outcome: 'skipped',
				actionStatusBefore: 'completed',
			}),
		]);
		expect(retried.success[0].reason).toMatch(/not executed again/);
		expect(world.sim.executions.map((e) => e.taskId)).toEqual([scan.id]);
		expect(graphRequests(world.sim, 'POST')).toHaveLength(1);
		expect(
			world.engine.logs.some((log) => /This run is a Retry: waiting 5 s/.test(log.message)),
		).toBe(true);
	});

	it("a new run (not a Retry) inside Graph's lag reads notStarted and runs the action again: the case Retry waits for", async () => {
		world.sim.configure({ actionStartLagMs: START_LAG_MS });
		await runDefender(world.engine, execute(), [scan], 'webhook');
		const again = await runDefender(world.engine, execute(), [scan], 'webhook');

		expect(again.success[0]).toMatchObject({
			outcome: 'executed',
			actionStatusBefore: 'notStarted',
		});
		expect(world.sim.executions.map((e) => e.taskId)).toEqual([scan.id, scan.id]);
	});

	it('a Retry of a dry run or without Verify Task does not wait (nothing to protect: no read decides a POST)', async () => {
		const waits = () =>
			world.engine.logs.filter((log) => /This run is a Retry/.test(log.message)).length;
		const before = waits();
		const dry = await runDefender(world.engine, execute({ dryRun: true }), [scan], 'retry');
		const unverified = await runDefender(
			world.engine,
			execute({ verifyTask: false }),
			[scan],
			'retry',
		);

		expect(dry.success[0].outcome).toBe('dryRun');
		expect(unverified.success[0].outcome).toBe('executed');
		expect(waits()).toBe(before);
	});
});
