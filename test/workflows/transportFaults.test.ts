/**
 * What the Graph transport does when the network, the token endpoint or Graph misbehave: nothing run twice, every
 * item accounted for, nothing hung, and token failures told apart from Graph failures.
 */
import { createEngine } from '../harness/n8n-engine';
import { SEEDED_TASK_IDS as IDS } from '../../simulator';
import {
	execute,
	graphRequests,
	runDefender,
	startWorld,
	tokenRequests,
	useWorld,
} from './defenderWorkflow';

const isolate = { id: IDS.openByActionType.isolateDevice, actionType: 'isolateDevice' };
const openTasks = Object.entries(IDS.openByActionType).map(([actionType, id]) => ({
	id,
	actionType,
}));

/** A world whose engine has never fetched a token, so the first request of a run goes to the token endpoint. */
async function coldWorld(credential: Record<string, unknown> = {}) {
	const world = await startWorld();
	const engine = createEngine({
		credential: {
			grantType: 'clientCredentials',
			tenantId: world.sim.tenantId,
			clientId: world.sim.clientId,
			clientSecret: world.sim.clientSecret,
			cloud: 'custom',
			customGraphUrl: world.sim.url,
			customLoginUrl: world.sim.url,
			...credential,
		},
	});
	world.engine.shutdown();
	return {
		sim: world.sim,
		engine,
		async stop() {
			engine.shutdown();
			await world.sim.stop();
		},
	};
}

describe('token failures', () => {
	it('fails every item as tokenRequestFailed with executed: no after one login attempt when the secret is wrong', async () => {
		const world = await coldWorld({ clientSecret: 'not-the-secret' });
		try {
			const run = await runDefender(world.engine, execute({ concurrency: 8 }), openTasks);

			expect(run.error).toHaveLength(8);
			for (const item of run.error)
				expect(item.error).toMatchObject({ code: 'tokenRequestFailed', executed: 'no' });
			expect(tokenRequests(world.sim)).toHaveLength(1);
			expect(graphRequests(world.sim)).toHaveLength(0);
		} finally {
			await world.stop();
		}
	});

	it('reports a token endpoint that answers 503 as a token failure, not an unknown Graph outcome (Verify Task off)', async () => {
		const world = await coldWorld();
		try {
			world.sim.injectFault({ path: /oauth2\/v2\.0\/token/, fault: '503', times: 10 });
			const run = await runDefender(
				world.engine,
				execute({ verifyTask: false, concurrency: 4 }),
				openTasks.slice(0, 4),
			);

			expect(run.error.map((item) => item.error.code)).toEqual(Array(4).fill('tokenRequestFailed'));
			expect(run.error.map((item) => item.error.executed)).toEqual(Array(4).fill('no'));
			expect(tokenRequests(world.sim)).toHaveLength(1);
			expect(world.sim.executions).toHaveLength(0);
		} finally {
			await world.stop();
		}
	});

	it('ends a run whose token endpoint never answers within the request timeout, with one token request', async () => {
		const world = await coldWorld();
		try {
			world.sim.injectFault({ path: /oauth2\/v2\.0\/token/, fault: 'hang', times: 10 });
			// The deadline on a silent socket is the runtime's timer, not the node's clock: see which ones it set.
			const timeout = jest.spyOn(AbortSignal, 'timeout');
			const run = await runDefender(
				world.engine,
				execute({ requestTimeout: 1, concurrency: 4 }),
				openTasks.slice(0, 4),
			);
			const deadlines = timeout.mock.calls.map(([ms]) => ms);
			timeout.mockRestore();

			expect(run.error.map((item) => item.error.code)).toEqual(Array(4).fill('tokenRequestFailed'));
			expect(run.error[0].error.message).toContain('did not answer within 1 s');
			// The sign-in gets the request timeout (1 s), not the longer safety net a proven token's request gets.
			expect(deadlines).toEqual([1000]);
			expect(tokenRequests(world.sim)).toHaveLength(1);
		} finally {
			await world.stop();
		}
	});
});

describe('the execute POST', () => {
	const world = useWorld();

	it('does not send a POST answered 503 blindly again: it reads the task first and re-sends only a notStarted one', async () => {
		world.sim.injectFault({ method: 'POST', fault: '503', retryAfterSeconds: 1 });
		const run = await runDefender(world.engine, execute(), [isolate]);

		const requests = graphRequests(world.sim).map(
			(request) => `${request.method} ${request.status}`,
		);
		// Verify, the 503, the read after the settle window (still notStarted), the one re-send.
		expect(requests).toEqual(['GET 200', 'POST 503', 'GET 200', 'POST 204']);
		expect(run.success[0]).toMatchObject({ outcome: 'executed', statusCode: 204 });
		expect(run.success[0].note).toContain('sent again once');
		expect(world.sim.executions).toHaveLength(1);
	});

	it('fails an unknown outcome with executed: unknown and sends nothing more when the user chose to decide', async () => {
		world.sim.injectFault({ fault: 'dropBeforeExecute' });
		const run = await runDefender(world.engine, execute({ onUnknownOutcome: 'fail' }), [isolate]);

		expect(run.error[0].error).toMatchObject({ code: 'connectionDropped', executed: 'unknown' });
		expect(run.error[0].error.message).toContain('If the Outcome Is Unknown');
		expect(graphRequests(world.sim, 'POST')).toHaveLength(1);
	});
});

describe('throttling', () => {
	const world = useWorld();

	it('holds every request while Graph keeps answering 429, letting one probe go after each pause', async () => {
		// Two 429s in a row: the second arrives while the other requests are waiting out the first.
		world.sim.injectFault({ method: 'GET', fault: '429', retryAfterSeconds: 1, times: 2 });
		const run = await runDefender(world.engine, execute({ concurrency: 8 }), openTasks);

		expect(run.success).toHaveLength(8);
		const requests = graphRequests(world.sim);
		const throttled = requests
			.filter((request) => request.status === 429)
			.map((request) => Date.parse(request.at));
		expect(throttled).toHaveLength(2);
		// Nothing but the probe is sent inside a Retry-After window.
		const insideWindows = requests.filter((request) =>
			throttled.some((at) => Date.parse(request.at) > at && Date.parse(request.at) < at + 1000),
		);
		expect(insideWindows).toHaveLength(0);
		expect(world.sim.executions).toHaveLength(8);
	});
});

describe('messages', () => {
	const world = useWorld();

	it('names a non-text task ID as such, and a bad Get Many limit by its field', async () => {
		const byNumber = await runDefender(world.engine, execute({}, { incidentTaskId: '={{ 42 }}' }), [
			isolate,
		]);
		expect(byNumber.error[0].error.message).toContain(
			'The incident task ID is not text (got a number)',
		);

		const badLimit = await runDefender(world.engine, {
			resource: 'incidentTask',
			operation: 'getMany',
			limit: '={{ "lots" }}',
		});
		expect(badLimit.error[0].error.message).toMatch(/^Limit: "lots" is not a whole number/);
		expect(graphRequests(world.sim)).toHaveLength(0);
	});

	it('bounds an echoed value and names the field', async () => {
		const huge = 'x'.repeat(100_000);
		const run = await runDefender(world.engine, {
			resource: 'incidentTask',
			operation: 'update',
			incidentTaskId: IDS.completed,
			status: `={{ "${huge}" }}`,
		});

		expect(run.error[0].error.message.length).toBeLessThan(500);
		expect(run.error[0].error.message).toContain('Status:');
		expect(run.error[0].error.message).toContain('(100000 characters)');
	});

	it('reads Executable Only given as the text "false" as false', async () => {
		const all = await runDefender(world.engine, {
			resource: 'incidentTask',
			operation: 'getMany',
			returnAll: true,
			filters: { executableOnly: '={{ "false" }}' },
		});
		const executable = await runDefender(world.engine, {
			resource: 'incidentTask',
			operation: 'getMany',
			returnAll: true,
			filters: { executableOnly: true },
		});

		expect(all.success.length).toBeGreaterThan(executable.success.length);
	});
});
