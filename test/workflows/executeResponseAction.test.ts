import { SEEDED_TASK_IDS as IDS } from '../../simulator';
import { createEngine } from '../harness/n8n-engine';
import {
	execute,
	graphRequests,
	runDefender,
	simulatorCredential,
	startWorld,
	tokenRequests,
	useWorld,
} from './defenderWorkflow';

const world = useWorld();

/** The position in the simulator's log right after `request`: a wait marked so was asked for next. */
const after = (request: { requestId: string }) =>
	world.sim.requests.findIndex((r) => r.requestId === request.requestId) + 1;
const isolate = { id: IDS.openByActionType.isolateDevice, actionType: 'isolateDevice' };

describe('Execute Response Action', () => {
	it('executes an open task: 204 reaches Success with outcome executed and the request ID', async () => {
		const run = await runDefender(world.engine, execute(), [isolate]);

		expect(run.error).toEqual([]);
		expect(run.success).toEqual([
			expect.objectContaining({
				incidentTaskId: isolate.id,
				actionType: 'isolateDevice',
				outcome: 'executed',
				statusCode: 204,
				requestId: expect.any(String),
				executedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
				actionStatusBefore: 'notStarted',
				dryRun: false,
				node: 'Defender',
			}),
		]);
		expect(run.executedNode).toHaveLength(1);
		expect(world.sim.executions.map((e) => e.taskId)).toEqual([isolate.id]);
		const post = graphRequests(world.sim, 'POST')[0];
		expect(post.path).toBe(`/beta/security/incidentTasks/${isolate.id}/executeResponseAction`);
		expect(run.success[0].requestId).toBe(post.requestId);
	});

	it('refuses an action type outside the eight with "Currently X is not supported" and sends nothing', async () => {
		const run = await runDefender(world.engine, execute(), [
			{ id: IDS.nonExecutableByActionType.disableUser, actionType: 'disableUser' },
		]);

		expect(run.success).toEqual([]);
		expect(run.error).toEqual([
			{
				incidentTaskId: IDS.nonExecutableByActionType.disableUser,
				actionType: 'disableUser',
				outcome: 'failed',
				error: expect.objectContaining({
					code: 'unsupportedActionType',
					executed: 'no',
					statusCode: null,
				}),
			},
		]);
		expect(run.error[0].error.message).toMatch(/^Currently disableUser is not supported/);
		expect(world.sim.requests).toEqual([]);
	});

	it('does not execute when the task wants another action type', async () => {
		const run = await runDefender(world.engine, execute(), [
			{ id: IDS.openByActionType.runAntiVirusScan, actionType: 'isolateDevice' },
		]);

		expect(run.error[0].error).toMatchObject({ code: 'actionTypeMismatch', executed: 'no' });
		expect(run.error[0].error.message).toContain(
			'The task wants runAntiVirusScan, the node is set to isolateDevice',
		);
		expect(graphRequests(world.sim, 'GET')).toHaveLength(1);
		expect(graphRequests(world.sim, 'POST')).toHaveLength(0);
	});

	it.each([
		['completed', IDS.completed, 'isolateDevice', 'already completed'],
		['in progress', IDS.inProgress, 'isolateDevice', 'already inProgress'],
		['not relevant', IDS.notRelevant, 'restrictAppExecution', 'marked notRelevant'],
	])(
		'skips a task that is already %s (Success, outcome skipped, no POST)',
		async (_name, id, actionType, reason) => {
			const run = await runDefender(world.engine, execute(), [{ id, actionType }]);

			expect(run.error).toEqual([]);
			expect(run.success[0]).toMatchObject({
				incidentTaskId: id,
				outcome: 'skipped',
				reason: expect.stringContaining(reason),
			});
			expect(graphRequests(world.sim, 'POST')).toHaveLength(0);
		},
	);

	it('fails an already completed task when If Already Started is "error"', async () => {
		const run = await runDefender(world.engine, execute({ ifAlreadyStarted: 'error' }), [
			{ id: IDS.completed, actionType: 'isolateDevice' },
		]);

		expect(run.error[0].error).toMatchObject({ code: 'alreadyStarted', executed: 'no' });
		expect(graphRequests(world.sim, 'POST')).toHaveLength(0);
	});

	it('sends the POST for an already started task only when told to, and reports what Graph says', async () => {
		const run = await runDefender(world.engine, execute({ ifAlreadyStarted: 'executeAgain' }), [
			{ id: IDS.completed, actionType: 'isolateDevice' },
		]);

		expect(graphRequests(world.sim, 'POST')).toHaveLength(1);
		expect(run.error[0].error).toMatchObject({ statusCode: 400, executed: 'no' });
		expect(run.error[0].error.message).toContain('already been executed');
	});

	it('runs a task whose earlier action failed (failed is not "started")', async () => {
		world.sim.setTask(IDS.failed, { outcome: 'completed' });
		const run = await runDefender(world.engine, execute(), [
			{ id: IDS.failed, actionType: 'runAntiVirusScan' },
		]);

		expect(graphRequests(world.sim, 'POST')).toHaveLength(1);
		expect(run.success.concat(run.error)[0].actionType).toBe('runAntiVirusScan');
	});

	it("routes Graph's 400 body to Error with its message and request ID", async () => {
		const id = IDS.nonExecutableByActionType.hardDeleteEmail;
		const run = await runDefender(
			world.engine,
			execute({ verifyTask: false }, { actionType: 'isolateDevice' }),
			[{ id }],
		);

		expect(run.error[0].error).toMatchObject({
			statusCode: 400,
			executed: 'no',
			retryable: false,
			requestId: expect.any(String),
		});
		expect(run.error[0].error.message).toContain('Currently hardDeleteEmail is not supported');
		expect(world.sim.executions).toEqual([]);
	});

	it('routes a 403 to Error and names the permission to check', async () => {
		world.sim.injectFault({ fault: '403' });
		const run = await runDefender(world.engine, execute(), [isolate]);

		expect(run.error[0].error).toMatchObject({ statusCode: 403, executed: 'no', retryable: false });
		expect(run.error[0].error.message).toMatch(/Permission denied \(403\).*admin consent/);
		expect(graphRequests(world.sim)).toHaveLength(1);
	});

	it('routes a 404 to Error with executed: no and says to check the ID and tenant', async () => {
		const run = await runDefender(world.engine, execute(), [
			{ id: 'no-such-task', actionType: 'isolateDevice' },
		]);

		expect(run.error[0]).toMatchObject({ incidentTaskId: 'no-such-task', outcome: 'failed' });
		expect(run.error[0].error).toMatchObject({
			statusCode: 404,
			executed: 'no',
			requestId: expect.any(String),
		});
		expect(run.error[0].error.message).toContain('Check the incident task ID');
	});

	it.each([
		['a path traversal', '../x'],
		['a slash', 'a/b'],
		['a space', 'a b'],
		['an empty ID', ''],
		['percent-encoding', '%2e'],
		['200 characters', 'x'.repeat(200)],
		['two dots', '..'],
	])('fails %s with no request sent', async (_name, id) => {
		const run = await runDefender(world.engine, execute(), [{ id, actionType: 'isolateDevice' }]);

		expect(run.success).toEqual([]);
		expect(run.error[0].error).toMatchObject({ code: 'invalidIncidentTaskId', executed: 'no' });
		expect(run.error[0].error.message).toContain('No request was sent');
		expect(world.sim.requests).toEqual([]);
	});
});

describe('retries and throttling', () => {
	it('honours Retry-After on a 429 and then executes', async () => {
		world.sim.injectFault({ method: 'POST', fault: '429', retryAfterSeconds: 1 });
		const run = await runDefender(world.engine, execute(), [isolate]);

		expect(run.success[0]).toMatchObject({ outcome: 'executed', statusCode: 204 });
		const posts = graphRequests(world.sim, 'POST');
		expect(posts.map((r) => r.status)).toEqual([429, 204]);
		// The one wait the node asked for: Graph's second, after the 429 and before the retry, nothing sent meanwhile.
		expect(world.clock.waits).toEqual([
			expect.objectContaining({ ms: 1000, mark: after(posts[0]), endMark: after(posts[0]) }),
		]);
		expect(world.sim.requests.indexOf(posts[1])).toBe(after(posts[0]));
		expect(Date.parse(posts[1].at)).toBeGreaterThanOrEqual(Math.floor(world.clock.waits[0].until));
	});

	it('honours Retry-After given as an HTTP date', async () => {
		// Two seconds ahead on the clock the node reads; an HTTP date keeps whole seconds only.
		const retryAt = new Date(world.clock.now() + 2000);
		const retryAtMs = Math.floor(retryAt.getTime() / 1000) * 1000;
		world.sim.injectFault({ method: 'GET', fault: '429', retryAfterDate: retryAt });
		const run = await runDefender(world.engine, execute(), [isolate]);

		expect(run.success[0].outcome).toBe('executed');
		const gets = graphRequests(world.sim, 'GET');
		expect(gets.map((r) => r.status)).toEqual([429, 200]);
		// It waited until that date: one wait, asked for after the 429, ending at the date, the retry after it.
		expect(world.clock.waits).toHaveLength(1);
		const [wait] = world.clock.waits;
		expect(wait).toMatchObject({ mark: after(gets[0]), endMark: after(gets[0]) });
		expect(wait.ms).toBeGreaterThan(0);
		expect(wait.until).toBeGreaterThanOrEqual(retryAtMs);
		expect(wait.until).toBeLessThan(retryAtMs + 1000);
		expect(Date.parse(gets[1].at)).toBeGreaterThanOrEqual(retryAtMs);
	});

	it('pauses every item of the run while Graph throttles one of them', async () => {
		const items = Object.entries(IDS.openByActionType).map(([actionType, id]) => ({
			id,
			actionType,
		}));
		world.sim.configure({ latencyMs: 100 });
		world.sim.injectFault({
			method: 'GET',
			path: `/beta/security/incidentTasks/${items[1].id}`,
			fault: '429',
			retryAfterSeconds: 2,
		});
		// Time stands still until all four workers have stopped to wait, so whatever they send meanwhile lands
		// inside the pause; a worker that never stops lets time go on after a few seconds, and fails below.
		const release = world.clock.hold();
		void world.clock
			.nextWait((wait) => wait.ms === 2000)
			.then(async () => {
				for (let looks = 0; looks < 3000 && world.clock.pending < 4; looks++)
					await new Promise((resolve) => setTimeout(resolve, 1));
				release();
			});
		const run = await runDefender(world.engine, execute({ concurrency: 4 }), items);

		expect(run.success).toHaveLength(8);
		const pause = world.clock.waits.find((wait) => wait.ms === 2000)!;
		// Every worker waited for the end of the one pause, and its two seconds passed once.
		const heldToPauseEnd = world.clock.waits.filter(
			(wait) => Math.abs(wait.until - pause.until) < 50,
		);
		expect(heldToPauseEnd).toHaveLength(4);
		expect(world.clock.skippedMs).toBeLessThan(4000);
		const throttled = world.sim.requests.find((r) => r.status === 429)!;
		const answeredAt = Date.parse(throttled.at) + (throttled.durationMs ?? 0);
		// Requests already on the wire may land, one per other worker at most; no new one goes out in the pause.
		const sentDuringPause = graphRequests(world.sim).filter((r) => {
			const at = Date.parse(r.at);
			return at > answeredAt && at < pause.until;
		});
		expect(sentDuringPause.length).toBeLessThanOrEqual(3);
	});

	it('gives up after Max Retries with a retryable error and nothing executed', async () => {
		world.sim.injectFault({ method: 'POST', fault: '429', retryAfterSeconds: 0, times: 10 });
		const run = await runDefender(world.engine, execute({ maxRetries: 2 }), [isolate]);

		expect(run.error[0].error).toMatchObject({ statusCode: 429, retryable: true, executed: 'no' });
		expect(run.error[0].error.message).toContain('after 2 retries');
		expect(graphRequests(world.sim, 'POST')).toHaveLength(3);
		expect(world.sim.executions).toEqual([]);
	});

	it('does not wait longer than Max Retry Wait', async () => {
		world.sim.injectFault({ method: 'POST', fault: '429', retryAfterSeconds: 600 });
		const run = await runDefender(world.engine, execute({ maxRetryWait: 5 }), [isolate]);

		// It asked for no wait at all: the item failed at once.
		expect(world.clock.waits).toEqual([]);
		expect(run.error[0].error).toMatchObject({ statusCode: 429, retryable: true, executed: 'no' });
		expect(graphRequests(world.sim, 'POST')).toHaveLength(1);
		expect(
			world.engine.logs.some((log) =>
				/asked to wait 600 s, more than Max Retry Wait \(5 s\)/.test(log.message),
			),
		).toBe(true);
	});

	it('retries a 503 and then executes', async () => {
		world.sim.injectFault({ method: 'POST', fault: '503', retryAfterSeconds: 1 });
		const run = await runDefender(world.engine, execute(), [isolate]);

		expect(run.success[0].outcome).toBe('executed');
		expect(graphRequests(world.sim, 'POST').map((r) => r.status)).toEqual([503, 204]);
		expect(world.sim.executions).toHaveLength(1);
	});

	it('never re-POSTs after a 504 that executed: the task shows it ran (Verify Task on)', async () => {
		world.sim.injectFault({ fault: '504AfterExecute' });
		const run = await runDefender(world.engine, execute(), [isolate]);

		const [post] = graphRequests(world.sim, 'POST');
		expect(world.sim.executions).toHaveLength(1);
		// The node lets Graph settle (5 s) after the 504 before re-reading; the simulator's action finishes in 50 ms.
		expect(world.clock.waits).toEqual([
			expect.objectContaining({ ms: 5000, mark: after(post), endMark: after(post) }),
		]);
		expect(graphRequests(world.sim, 'POST')).toHaveLength(1);
		expect(run.success[0]).toMatchObject({
			outcome: 'executed',
			statusCode: 504,
			actionStatus: 'completed',
		});
		expect(run.success[0].note).toContain('was not sent again');
	});

	it('fails a 504 with executed: unknown when the task cannot be checked (Verify Task off)', async () => {
		world.sim.injectFault({ fault: '504AfterExecute' });
		const run = await runDefender(world.engine, execute({ verifyTask: false }), [isolate]);

		expect(graphRequests(world.sim, 'POST')).toHaveLength(1);
		expect(run.error[0].error).toMatchObject({
			statusCode: 504,
			executed: 'unknown',
			retryable: false,
		});
		expect(run.error[0].error.message).toContain('may or may not have run');
	});

	it('re-sends a POST whose connection dropped before Graph ran it (task still notStarted)', async () => {
		world.sim.injectFault({ fault: 'dropBeforeExecute' });
		const run = await runDefender(world.engine, execute(), [isolate]);

		expect(run.success[0]).toMatchObject({ outcome: 'executed', statusCode: 204 });
		expect(graphRequests(world.sim, 'POST')).toHaveLength(2);
		expect(world.sim.executions).toHaveLength(1);
	});

	it('fails a dropped connection after executing with executed: unknown when Verify Task is off', async () => {
		world.sim.injectFault({ fault: 'dropAfterExecute' });
		const run = await runDefender(world.engine, execute({ verifyTask: false }), [isolate]);

		expect(run.error[0].error).toMatchObject({
			code: 'connectionDropped',
			executed: 'unknown',
			statusCode: null,
		});
		expect(world.sim.executions).toHaveLength(1);
		expect(graphRequests(world.sim, 'POST')).toHaveLength(1);
	});

	it('treats a POST that times out as unknown and never re-sends it blindly', async () => {
		world.sim.injectFault({ method: 'POST', fault: 'hang' });
		const run = await runDefender(world.engine, execute({ verifyTask: false, requestTimeout: 1 }), [
			isolate,
		]);

		expect(run.error[0].error).toMatchObject({ code: 'timeout', executed: 'unknown' });
		expect(graphRequests(world.sim, 'POST')).toHaveLength(1);
	});

	it('retries a GET that timed out', async () => {
		world.sim.injectFault({ method: 'GET', fault: 'hang' });
		const run = await runDefender(world.engine, execute({ requestTimeout: 1 }), [isolate]);

		expect(run.success[0].outcome).toBe('executed');
		expect(graphRequests(world.sim, 'GET')).toHaveLength(2);
	});
});

describe('tokens', () => {
	it('fetches one token at a cold start, however many items are in flight', async () => {
		const { sim: coldSim, engine: coldEngine } = await startWorld();
		try {
			const items = Object.entries(IDS.openByActionType).map(([actionType, id]) => ({
				id,
				actionType,
			}));
			const run = await runDefender(coldEngine, execute({ concurrency: 8 }), items);

			expect(run.success).toHaveLength(8);
			expect(tokenRequests(coldSim)).toHaveLength(1);
		} finally {
			await coldSim.stop();
		}
	});

	it('refreshes an expired token once through n8n and retries', async () => {
		await runDefender(world.engine, execute({ dryRun: true }), [isolate]);
		world.sim.clearLog();
		world.sim.expireAllTokens();

		const run = await runDefender(
			world.engine,
			execute({ concurrency: 4 }),
			Object.entries(IDS.openByActionType).map(([actionType, id]) => ({ id, actionType })),
		);

		expect(run.success).toHaveLength(8);
		expect(tokenRequests(world.sim)).toHaveLength(1);
		expect(world.sim.requests.filter((r) => r.status === 401).length).toBeGreaterThanOrEqual(1);
	});

	it('fails with 401 after one refresh when Graph keeps refusing the token', async () => {
		world.sim.injectFault({ fault: '401', times: 5 });
		const run = await runDefender(world.engine, execute(), [isolate]);

		expect(run.error[0].error).toMatchObject({ statusCode: 401, executed: 'no' });
		expect(run.error[0].error.message).toContain('even after a refresh');
		expect(graphRequests(world.sim)).toHaveLength(2);
	});

	it('says which credential fields to check when the token endpoint refuses the secret, without the secret', async () => {
		const { sim: badSim } = await startWorld();
		const badEngine = createEngine({
			credential: {
				grantType: 'clientCredentials',
				tenantId: badSim.tenantId,
				clientId: badSim.clientId,
				clientSecret: 'wrong-secret-value',
				cloud: 'custom',
				customGraphUrl: badSim.url,
				customLoginUrl: badSim.url,
			},
		});
		try {
			const run = await runDefender(badEngine, execute(), [isolate]);

			expect(run.error[0].error).toMatchObject({ code: 'tokenRequestFailed', executed: 'no' });
			expect(run.error[0].error.message).toContain('client secret');
			expect(JSON.stringify(run.raw.run)).not.toContain('wrong-secret-value');
		} finally {
			await badSim.stop();
		}
	});
});

describe('every item accounted for', () => {
	it('puts each input item on exactly one output, in input order, with its pairedItem', async () => {
		const items = [
			isolate,
			{ id: '../etc', actionType: 'isolateDevice' },
			{ id: IDS.openByActionType.runAntiVirusScan, actionType: 'runAntiVirusScan' },
			{ id: IDS.nonExecutableByActionType.disableUser, actionType: 'disableUser' },
			{ id: IDS.completed, actionType: 'isolateDevice' },
			{ id: 'missing-1', actionType: 'submitIocRule' },
			{ id: IDS.openByActionType.submitIocRule, actionType: 'submitIocRule' },
			{ id: IDS.openByActionType.stopAndQuarantineFile, actionType: 'isolateDevice' },
			{ id: IDS.openByActionType.unIsolateDevice, actionType: 'unIsolateDevice' },
		];
		world.sim.configure({ latencyMs: 30 });
		const run = await runDefender(world.engine, execute({ concurrency: 3 }), items);

		expect(run.successPairs).toEqual([0, 2, 4, 6, 8]);
		expect(run.errorPairs).toEqual([1, 3, 5, 7]);
		expect(run.success.map((j) => j.incidentTaskId)).toEqual(
			[0, 2, 4, 6, 8].map((i) => items[i].id),
		);
		expect(run.error.map((j) => j.incidentTaskId)).toEqual([1, 3, 5, 7].map((i) => items[i].id));
		expect(run.executedNode).toHaveLength(5);
		expect(run.attentionNode).toHaveLength(4);
		expect(world.sim.executions.map((e) => e.taskId).sort()).toEqual(
			[items[0].id, items[2].id, items[6].id, items[8].id].sort(),
		);
	});

	it('never shapes an Error item as a bare { error }', async () => {
		const run = await runDefender(world.engine, execute(), [
			{ id: 'x y', actionType: 'isolateDevice' },
		]);
		expect(Object.keys(run.error[0]).sort()).toEqual([
			'actionType',
			'error',
			'incidentTaskId',
			'outcome',
		]);
		expect(Object.keys(run.error[0].error).sort()).toEqual([
			'code',
			'executed',
			'message',
			'requestId',
			'retryable',
			'statusCode',
		]);
	});

	it('puts no token or secret in outputs or logs', async () => {
		world.sim.injectFault({ fault: '401' });
		await runDefender(world.engine, execute(), [
			isolate,
			{ id: 'missing', actionType: 'isolateDevice' },
		]);
		const token = world.engine.credentialsHelper.accessToken('microsoftDefenderXdrOAuth2Api');
		const run = await runDefender(world.engine, execute(), [isolate]);

		const everything = JSON.stringify(run.raw.run) + JSON.stringify(world.engine.logs);
		expect(token).toEqual(expect.any(String));
		expect(everything).not.toContain(token);
		expect(everything).not.toContain(world.sim.clientSecret);
		expect(everything).not.toMatch(/Bearer\s+[A-Za-z0-9]/);
	});
});
