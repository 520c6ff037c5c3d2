import type { INode, INodeParameters } from 'n8n-workflow';

import { SEEDED_TASK_IDS as IDS } from '../../simulator';
import {
	agentTool,
	defenderWorkflow,
	execute,
	graphRequests,
	runDefender,
	useWorld,
} from './defenderWorkflow';

const world = useWorld({ actionDelayMs: 300 });

const wait = (extra: Record<string, unknown> = {}) =>
	execute({ waitForCompletion: true, pollInterval: 0.1, waitTimeout: 10, ...extra });

describe('Wait for Completion', () => {
	it('puts a completed action on Success with outcome completed and the status before and after', async () => {
		const id = IDS.openByActionType.isolateDevice;
		const run = await runDefender(world.engine, wait(), [{ id, actionType: 'isolateDevice' }]);

		expect(run.error).toEqual([]);
		expect(run.success[0]).toMatchObject({
			incidentTaskId: id,
			outcome: 'completed',
			statusCode: 204,
			requestId: expect.any(String),
			actionStatusBefore: 'notStarted',
			actionStatusAfter: 'completed',
			actionStatus: 'completed',
		});
		expect(graphRequests(world.sim, 'GET').length).toBeGreaterThanOrEqual(2);
		// Its times are read on the node's clock: the action took the simulator's 300 ms between them.
		const { executedAt, completedAt } = run.success[0];
		expect(Date.parse(completedAt) - Date.parse(executedAt)).toBeGreaterThanOrEqual(300);
	});

	it.each([
		['failed', IDS.endsFailed, 'runAntiVirusScan', 'actionFailed'],
		[
			'partiallyCompleted',
			IDS.endsPartiallyCompleted,
			'stopAndQuarantineFile',
			'actionPartiallyCompleted',
		],
	])('puts a %s action on Error with executed: yes', async (_status, id, actionType, code) => {
		const run = await runDefender(world.engine, wait(), [{ id, actionType }]);

		expect(run.success).toEqual([]);
		expect(run.error[0]).toEqual({
			incidentTaskId: id,
			actionType,
			outcome: 'failed',
			error: expect.objectContaining({
				code,
				executed: 'yes',
				statusCode: 204,
				requestId: expect.any(String),
			}),
		});
		expect(world.sim.executions.map((e) => e.taskId)).toEqual([id]);
	});

	it('fails with waitTimeout and executed: yes when the action does not finish in time', async () => {
		const run = await runDefender(world.engine, wait({ waitTimeout: 1 }), [
			{ id: IDS.neverCompletes, actionType: 'collectInvestigationPackage' },
		]);

		// It ran: never offered for a blind retry.
		expect(run.error[0].error).toMatchObject({
			code: 'waitTimeout',
			executed: 'yes',
			retryable: false,
		});
		expect(run.error[0].error.message).toContain('still inProgress after 1 s');
		// It polled every 0.1 s through the whole second after the POST, and asked to wait no longer than that second.
		const polls = world.clock.waits;
		expect(polls.length).toBeGreaterThanOrEqual(2);
		expect(polls.every((wait) => wait.ms <= 100)).toBe(true);
		expect(polls.reduce((sum, wait) => sum + wait.ms, 0)).toBeLessThanOrEqual(1000);
		const [post] = graphRequests(world.sim, 'POST');
		const lastPoll = graphRequests(world.sim, 'GET').at(-1)!;
		expect(Date.parse(lastPoll.at) - Date.parse(post.at)).toBeGreaterThanOrEqual(1000);
	});

	it('lets many items wait side by side, not one after another', async () => {
		world.sim.configure({ actionDelayMs: 1500 });
		const items = Object.entries(IDS.openByActionType).map(([actionType, id]) => ({
			id,
			actionType,
		}));
		const run = await runDefender(world.engine, wait({ concurrency: 2, pollInterval: 0.2 }), items);

		expect(run.success.map((j) => j.outcome)).toEqual(Array(8).fill('completed'));
		expect(run.successPairs).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
		// Side by side, every action is sent before the first one (1.5 s) is over; one after another, or two at a
		// time, the third would wait for the first two.
		const sentAt = graphRequests(world.sim, 'POST').map((request) => Date.parse(request.at));
		expect(sentAt).toHaveLength(8);
		expect(Math.max(...sentAt) - Math.min(...sentAt)).toBeLessThan(1500);
	});

	it('polls through the retry policy (a 503 while waiting is retried)', async () => {
		const id = IDS.openByActionType.runAntiVirusScan;
		world.sim.injectFault({
			method: 'GET',
			path: `/beta/security/incidentTasks/${id}`,
			fault: '503',
			retryAfterSeconds: 0,
			times: 2,
		});
		const run = await runDefender(world.engine, wait({ verifyTask: false }), [
			{ id, actionType: 'runAntiVirusScan' },
		]);

		expect(run.success[0].outcome).toBe('completed');
		expect(
			graphRequests(world.sim, 'GET')
				.slice(0, 2)
				.map((r) => r.status),
		).toEqual([503, 503]);
	});
});

describe('Dry Run', () => {
	it('verifies the task, describes it with its incident, and sends no POST', async () => {
		const id = IDS.openByActionType.isolateDevice;
		const run = await runDefender(world.engine, execute({ dryRun: true, verifyTask: false }), [
			{ id, actionType: 'isolateDevice' },
		]);

		expect(run.success[0]).toMatchObject({
			incidentTaskId: id,
			outcome: 'dryRun',
			dryRun: true,
			actionStatusBefore: 'notStarted',
			task: {
				id,
				displayName: expect.any(String),
				description: expect.any(String),
				actionType: 'isolateDevice',
				status: 'open',
				incident: expect.objectContaining({ id: expect.any(String), severity: expect.any(String) }),
			},
		});
		expect(graphRequests(world.sim, 'POST')).toEqual([]);
		expect(world.sim.executions).toEqual([]);
	});

	it('still refuses a mismatched action type in a dry run', async () => {
		const run = await runDefender(world.engine, execute({ dryRun: true }), [
			{ id: IDS.openByActionType.isolateDevice, actionType: 'unIsolateDevice' },
		]);

		expect(run.error[0].error.code).toBe('actionTypeMismatch');
		expect(graphRequests(world.sim, 'POST')).toEqual([]);
	});
});

describe('AI-agent tool', () => {
	const toolNode = (parameters: INodeParameters): INode =>
		agentTool({
			resource: 'incidentTask',
			incidentTaskId: "={{ $fromAI('incidentTaskId') }}",
			actionType: "={{ $fromAI('actionType') }}",
			...parameters,
		});
	const isolate = {
		incidentTaskId: IDS.openByActionType.isolateDevice,
		actionType: 'isolateDevice',
	};

	it('refuses to execute unless Allow Execute as AI Tool is ticked, and tells the agent why', async () => {
		await expect(
			world.engine.callTool(toolNode({ operation: 'executeResponseAction' }), isolate),
		).rejects.toThrow(
			/may not execute response actions.*Allow Execute as AI Tool.*code: changeNotAllowedAsTool, executed: no/,
		);
		expect(world.sim.requests).toEqual([]);
	});

	it('executes when Allow Execute as AI Tool is ticked, and the agent reads the outcome', async () => {
		const answer = await world.engine.callTool(
			toolNode({ operation: 'executeResponseAction', options: { allowExecuteAsTool: true } }),
			isolate,
		);

		expect(JSON.parse(answer as string)).toEqual([
			expect.objectContaining({ incidentTaskId: isolate.incidentTaskId, outcome: 'executed' }),
		]);
		expect(world.sim.executions).toHaveLength(1);
	});

	it('lets an agent dry-run and read tasks without the option', async () => {
		const dry = JSON.parse(
			(await world.engine.callTool(
				toolNode({ operation: 'executeResponseAction', options: { dryRun: true } }),
				isolate,
			)) as string,
		);
		const task = JSON.parse(
			(await world.engine.callTool(toolNode({ operation: 'get' }), isolate)) as string,
		);

		expect(dry[0].outcome).toBe('dryRun');
		expect(task[0]).toMatchObject({ id: isolate.incidentTaskId, actionType: 'isolateDevice' });
		expect(world.sim.executions).toEqual([]);
	});

	it('gives the agent a clear error, not an empty result, when Graph fails', async () => {
		await expect(
			world.engine.callTool(toolNode({ operation: 'get' }), { incidentTaskId: 'no-such-task' }),
		).rejects.toThrow(/Not found \(404\).*code: NotFound/);
	});
});

describe('stopping the execution', () => {
	it('ends a wait for completion at once, and the stopped run sends nothing more', async () => {
		// Stopped as the node starts its first 5 s wait between polls; time stands still until the run has returned.
		let requestsAtStop = 0;
		let release = () => {};
		const stop = world.clock
			.nextWait((wait) => wait.ms === 5000)
			.then(() => {
				release = world.clock.hold();
				requestsAtStop = graphRequests(world.sim).length;
				// A wait the stop does not end gets its time after a while, so such a node fails below instead of hanging.
				setTimeout(() => release(), 15_000).unref();
			});
		const result = await world.engine.runWorkflow(
			defenderWorkflow(wait({ waitTimeout: 60, pollInterval: 5 })),
			{
				startItems: [
					{ json: { id: IDS.neverCompletes, actionType: 'collectInvestigationPackage' } },
				],
				cancelWhen: stop,
			},
		);
		// The run ended while its wait could not: the stop ended it, not time.
		const [stoppedWait] = world.clock.waits;
		expect(stoppedWait.endedAt).toBeUndefined();
		// Time moves on past that wait's end, and beyond every wait the node asked for; nothing more is sent.
		release();
		await world.clock.idle();

		expect(result.status).toBe('canceled');
		expect(world.sim.executions).toHaveLength(1);
		expect(world.clock.waits.map((wait) => wait.ms)).toEqual([5000]);
		expect(graphRequests(world.sim)).toHaveLength(requestsAtStop);
	});
});
