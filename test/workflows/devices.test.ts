/**
 * Devices and device actions through the Defender for Endpoint API, driven through the real n8n engine against the
 * simulator: the exact requests, the safety model of incident tasks (values checked first, dry run, already pending,
 * lost answers settled without a second action, waiting for the outcome) and the agent gate.
 */
import { SEEDED_MACHINE_IDS as MACHINES } from '../../simulator';
import { agentTool, runDefender, useWorld, type Json } from './defenderWorkflow';

const world = useWorld({ actionDelayMs: 300 });

const WORKSTATION = MACHINES.storyWorkstation;
const WORKSTATION_NAME = 'ws-fin-042.contoso.com';

const device = (operation: string, extra: Json = {}) => ({
	resource: 'device',
	operation,
	deviceId: '={{ $json.deviceId }}',
	...extra,
});

/** Requests to the Defender for Endpoint API the simulator saw (the token endpoint left out). */
const apiRequests = (method?: string) =>
	world.sim.requests.filter(
		(request) => request.path.startsWith('/api/') && (!method || request.method === method),
	);

const bodyOf = (request: { body?: unknown }) =>
	typeof request.body === 'string' && request.body ? JSON.parse(request.body) : request.body;

describe('device actions: the request Defender gets', () => {
	it.each([
		['isolate', {}, 'isolate', { IsolationType: 'Full' }, 'Isolate'],
		[
			'isolate',
			{ isolationType: 'selective' },
			'isolate',
			{ IsolationType: 'Selective' },
			'Isolate',
		],
		[
			'isolate',
			{ isolationType: 'unmanagedDevice' },
			'isolate',
			{ IsolationType: 'UnManagedDevice' },
			'Isolate',
		],
		['releaseFromIsolation', {}, 'unisolate', {}, 'Unisolate'],
		['runAntivirusScan', {}, 'runAntiVirusScan', { ScanType: 'Quick' }, 'RunAntiVirusScan'],
		[
			'runAntivirusScan',
			{ scanType: 'full' },
			'runAntiVirusScan',
			{ ScanType: 'Full' },
			'RunAntiVirusScan',
		],
		[
			'collectInvestigationPackage',
			{},
			'collectInvestigationPackage',
			{},
			'CollectInvestigationPackage',
		],
		['restrictAppExecution', {}, 'restrictCodeExecution', {}, 'RestrictCodeExecution'],
		['removeAppRestriction', {}, 'unrestrictCodeExecution', {}, 'UnrestrictCodeExecution'],
		[
			'stopAndQuarantineFile',
			{ sha1: '87662BC3D60E4200CEAF7AAE249D1C343F4B83C9' },
			'StopAndQuarantineFile',
			{ Sha1: '87662bc3d60e4200ceaf7aae249d1c343f4b83c9' },
			'StopAndQuarantineFile',
		],
	])(
		'%s %j posts /api/machines/{id}/%s with MDE casing and reports the action',
		async (operation, extra, endpoint, body, type) => {
			const run = await runDefender(world.engine, device(operation, extra), [
				{ deviceId: WORKSTATION },
			]);

			expect(run.error).toEqual([]);
			const posts = apiRequests('POST');
			expect(posts.map((request) => request.path)).toEqual([
				`/api/machines/${WORKSTATION}/${endpoint}`,
			]);
			expect(bodyOf(posts[0])).toEqual({
				Comment: 'Requested by an n8n workflow (Microsoft Defender XDR node)',
				...body,
			});
			const [created] = world.sim.machineActions;
			expect(run.success).toEqual([
				{
					deviceId: WORKSTATION,
					action: operation,
					outcome: 'executed',
					deviceActionId: created.id,
					status: 'Pending',
					deviceAction: expect.objectContaining({ id: created.id, type, machineId: WORKSTATION }),
					requestId: expect.any(String),
					dryRun: false,
				},
			]);
			// An ID needs no read first: one request per action.
			expect(apiRequests()).toHaveLength(1);
		},
	);

	it('resolves a computer DNS name to the device ID with one read, then acts on the ID', async () => {
		const run = await runDefender(
			world.engine,
			device('isolate', { comment: 'Ransomware on the finance floor' }),
			[{ deviceId: WORKSTATION_NAME }],
		);

		expect(run.success[0]).toMatchObject({ deviceId: WORKSTATION, outcome: 'executed' });
		expect(apiRequests().map((request) => `${request.method} ${request.path}`)).toEqual([
			`GET /api/machines/${WORKSTATION_NAME}`,
			`POST /api/machines/${WORKSTATION}/isolate`,
		]);
		expect(bodyOf(apiRequests('POST')[0]).Comment).toBe('Ransomware on the finance floor');
	});

	it('puts an unknown device name on Error with the 404 and what to check', async () => {
		const run = await runDefender(world.engine, device('isolate'), [
			{ deviceId: 'no-such-host.contoso.com' },
		]);

		expect(run.error).toEqual([
			{
				deviceId: 'no-such-host.contoso.com',
				action: 'isolate',
				outcome: 'failed',
				error: expect.objectContaining({
					statusCode: 404,
					code: 'ResourceNotFound',
					executed: 'no',
				}),
			},
		]);
		expect(run.error[0].error.message).toContain('computer DNS name');
		expect(apiRequests('POST')).toEqual([]);
	});
});

describe('device actions: values are checked before any request', () => {
	it.each([
		[
			'a device ID that is neither an ID nor a name',
			device('isolate'),
			{ deviceId: "x' or 1" },
			'invalidDeviceId',
		],
		['an empty device ID', device('isolate'), { deviceId: '' }, 'invalidDeviceId'],
		[
			'a device ID with a path in it',
			device('isolate'),
			{ deviceId: '../machineactions' },
			'invalidDeviceId',
		],
		[
			'a SHA-1 of the wrong length',
			device('stopAndQuarantineFile', { sha1: 'abc123' }),
			{ deviceId: WORKSTATION },
			'invalidSha1',
		],
		[
			'a SHA-256 given as SHA-1',
			device('stopAndQuarantineFile', { sha1: 'a'.repeat(64) }),
			{ deviceId: WORKSTATION },
			'invalidSha1',
		],
		[
			'an empty comment',
			device('isolate', { comment: '  ' }),
			{ deviceId: WORKSTATION },
			'invalidComment',
		],
		[
			'an isolation type outside the list',
			device('isolate', { isolationType: '={{ "partial" }}' }),
			{ deviceId: WORKSTATION },
			'invalidParameter',
		],
	])('refuses %s on Error with nothing sent', async (_case, parameters, input, code) => {
		const run = await runDefender(world.engine, parameters, [input]);

		expect(run.success).toEqual([]);
		expect(run.error[0]).toMatchObject({
			outcome: 'failed',
			error: { code, executed: 'no', statusCode: null },
		});
		expect(run.error[0].error.message).toContain('No request was sent');
		expect(apiRequests()).toEqual([]);
		expect(world.sim.machineActions).toEqual([]);
	});
});

describe('device actions: dry run', () => {
	it('reads the device and reports the request it would send, sending no POST', async () => {
		const run = await runDefender(
			world.engine,
			device('isolate', { isolationType: 'selective', options: { dryRun: true } }),
			[{ deviceId: WORKSTATION_NAME }],
		);

		expect(run.success).toEqual([
			{
				deviceId: WORKSTATION,
				action: 'isolate',
				outcome: 'dryRun',
				deviceActionId: null,
				status: null,
				deviceAction: null,
				requestId: null,
				dryRun: true,
				device: expect.objectContaining({
					id: WORKSTATION,
					computerDnsName: WORKSTATION_NAME,
					healthStatus: 'Active',
				}),
				wouldSend: {
					method: 'POST',
					path: `/api/machines/${WORKSTATION}/isolate`,
					body: {
						Comment: 'Requested by an n8n workflow (Microsoft Defender XDR node)',
						IsolationType: 'Selective',
					},
				},
			},
		]);
		expect(apiRequests('POST')).toEqual([]);
		expect(world.sim.machineActions).toEqual([]);
	});
});

describe('device actions: an action already pending', () => {
	// Pending for long enough that a slow machine still finds it pending.
	beforeEach(() => world.sim.configure({ actionDelayMs: 10_000 }));

	it('puts the pending action on Success with outcome alreadyPending and creates none', async () => {
		const first = await runDefender(world.engine, device('isolate'), [{ deviceId: WORKSTATION }]);
		const pendingId = first.success[0].deviceActionId;

		const second = await runDefender(world.engine, device('isolate'), [{ deviceId: WORKSTATION }]);

		expect(second.error).toEqual([]);
		expect(second.success[0]).toMatchObject({
			deviceId: WORKSTATION,
			action: 'isolate',
			outcome: 'alreadyPending',
			deviceActionId: pendingId,
			status: 'Pending',
			deviceAction: expect.objectContaining({ id: pendingId, type: 'Isolate' }),
			requestId: expect.any(String),
		});
		expect(world.sim.machineActions).toHaveLength(1);
		// The refusal, then one read of the device's pending action of that type.
		const reads = apiRequests('GET').map((request) => decodeURIComponent(request.path));
		expect(reads).toEqual([
			`/api/machineactions?$filter=machineId eq '${WORKSTATION}' and type eq 'Isolate' and status eq 'Pending'&$top=1`,
		]);
	});

	it('fails the item with actionAlreadyPending when If an Action Is Pending is error', async () => {
		await runDefender(world.engine, device('runAntivirusScan'), [{ deviceId: WORKSTATION }]);
		const pendingId = world.sim.machineActions[0].id;

		const run = await runDefender(
			world.engine,
			device('runAntivirusScan', { options: { ifActionPending: 'error' } }),
			[{ deviceId: WORKSTATION }],
		);

		expect(run.error).toEqual([
			{
				deviceId: WORKSTATION,
				action: 'runAntivirusScan',
				deviceActionId: pendingId,
				status: 'Pending',
				outcome: 'failed',
				error: expect.objectContaining({
					code: 'actionAlreadyPending',
					statusCode: 400,
					executed: 'no',
				}),
			},
		]);
		expect(world.sim.machineActions).toHaveLength(1);
	});
});

describe('device actions: a lost answer', () => {
	it('is settled by listing the device actions: the created one is reported, none is created twice', async () => {
		world.sim.injectFault({
			method: 'POST',
			path: `/api/machines/${WORKSTATION}/isolate`,
			fault: '504AfterExecute',
		});

		const run = await runDefender(world.engine, device('isolate'), [{ deviceId: WORKSTATION }]);

		expect(run.error).toEqual([]);
		const [created] = world.sim.machineActions;
		expect(world.sim.machineActions).toHaveLength(1);
		expect(run.success[0]).toMatchObject({
			outcome: 'executed',
			deviceActionId: created.id,
			note: expect.stringContaining('was not sent again'),
		});
		expect(apiRequests('POST')).toHaveLength(1);
		const listing = decodeURIComponent(apiRequests('GET')[0].path);
		expect(listing).toContain(
			`machineId eq '${WORKSTATION}' and type eq 'Isolate' and creationDateTimeUtc ge `,
		);
	}, 20_000);

	it('is re-sent once when the listing shows Defender never created the action', async () => {
		world.sim.injectFault({
			method: 'POST',
			path: `/api/machines/${WORKSTATION}/runAntiVirusScan`,
			fault: 'dropBeforeExecute',
		});

		const run = await runDefender(world.engine, device('runAntivirusScan'), [
			{ deviceId: WORKSTATION },
		]);

		expect(run.error).toEqual([]);
		expect(world.sim.machineActions).toHaveLength(1);
		expect(run.success[0]).toMatchObject({
			outcome: 'executed',
			deviceActionId: world.sim.machineActions[0].id,
			note: expect.stringContaining('so it was sent again'),
		});
		expect(apiRequests('POST')).toHaveLength(2);
	}, 20_000);

	it("does not take another run's earlier action of the same type and comment for its own", async () => {
		const first = await runDefender(world.engine, device('runAntivirusScan'), [
			{ deviceId: WORKSTATION },
		]);
		expect(first.success[0]).toMatchObject({ outcome: 'executed' });
		// Five seconds later the same scan, with the same default comment, loses its POST before Defender.
		await world.clock.sleep(5000);
		world.sim.injectFault({
			method: 'POST',
			path: `/api/machines/${WORKSTATION}/runAntiVirusScan`,
			fault: 'dropBeforeExecute',
		});

		const second = await runDefender(world.engine, device('runAntivirusScan'), [
			{ deviceId: WORKSTATION },
		]);

		expect(second.error).toEqual([]);
		expect(world.sim.machineActions).toHaveLength(2);
		expect(second.success[0]).toMatchObject({
			outcome: 'executed',
			deviceActionId: world.sim.machineActions[1].id,
			note: expect.stringContaining('so it was sent again'),
		});
		expect(second.success[0].deviceActionId).not.toBe(first.success[0].deviceActionId);
	}, 20_000);

	it('fails with executed: unknown, and sends nothing again, when the check itself cannot be made', async () => {
		world.sim.injectFault({
			method: 'POST',
			path: `/api/machines/${WORKSTATION}/isolate`,
			fault: 'dropAfterExecute',
		});
		world.sim.injectFault({
			method: 'GET',
			path: /^\/api\/machineactions\?/,
			fault: '403',
		});

		const run = await runDefender(world.engine, device('isolate'), [{ deviceId: WORKSTATION }]);

		expect(run.error[0]).toMatchObject({
			deviceId: WORKSTATION,
			outcome: 'failed',
			error: { code: 'connectionDropped', executed: 'unknown', retryable: false },
		});
		expect(run.error[0].error.message).toContain(
			"Listing the device's actions to check failed too",
		);
		expect(apiRequests('POST')).toHaveLength(1);
		expect(world.sim.machineActions).toHaveLength(1);
	}, 20_000);

	it('fails with executed: unknown and no check when If the Outcome Is Unknown is fail', async () => {
		world.sim.injectFault({
			method: 'POST',
			path: `/api/machines/${WORKSTATION}/isolate`,
			fault: 'dropAfterExecute',
		});

		const run = await runDefender(
			world.engine,
			device('isolate', { options: { onUnknownOutcome: 'fail' } }),
			[{ deviceId: WORKSTATION }],
		);

		expect(run.error[0]).toMatchObject({
			deviceId: WORKSTATION,
			outcome: 'failed',
			error: { executed: 'unknown', retryable: false },
		});
		expect(run.error[0].error.message).toContain('did not check or re-send');
		expect(apiRequests('GET')).toEqual([]);
		expect(world.sim.machineActions).toHaveLength(1);
	});
});

describe('device actions: wait for completion', () => {
	const waiting = (extra: Json = {}) => ({
		options: { waitForCompletion: true, pollInterval: 0.1, waitTimeout: 10, ...extra },
	});

	it('puts a succeeded action on Success with outcome completed', async () => {
		const run = await runDefender(world.engine, device('isolate', waiting()), [
			{ deviceId: WORKSTATION },
		]);

		expect(run.error).toEqual([]);
		const [created] = world.sim.machineActions;
		expect(run.success[0]).toMatchObject({
			deviceId: WORKSTATION,
			action: 'isolate',
			outcome: 'completed',
			deviceActionId: created.id,
			status: 'Succeeded',
			deviceAction: expect.objectContaining({ status: 'Succeeded' }),
		});
		expect(apiRequests('GET').every((r) => r.path === `/api/machineactions/${created.id}`)).toBe(
			true,
		);
	});

	it('puts an action that failed on the device on Error with actionFailed and executed: yes', async () => {
		const run = await runDefender(world.engine, device('runAntivirusScan', waiting()), [
			{ deviceId: MACHINES.failingActions },
		]);

		const [created] = world.sim.machineActions;
		expect(run.success).toEqual([]);
		expect(run.error).toEqual([
			{
				deviceId: MACHINES.failingActions,
				action: 'runAntivirusScan',
				deviceActionId: created.id,
				status: 'Failed',
				outcome: 'failed',
				error: expect.objectContaining({ code: 'actionFailed', executed: 'yes', retryable: false }),
			},
		]);
	});

	it('puts an offline device whose action timed out on Error with actionTimedOut', async () => {
		const run = await runDefender(world.engine, device('isolate', waiting()), [
			{ deviceId: MACHINES.offline },
		]);

		expect(run.error[0]).toMatchObject({
			deviceId: MACHINES.offline,
			status: 'TimeOut',
			error: { code: 'actionTimedOut', executed: 'yes' },
		});
	});

	it('fails with waitTimeout and executed: yes when the action is still pending at the deadline', async () => {
		world.sim.configure({ actionDelayMs: 5000 });
		const started = Date.now();

		const run = await runDefender(world.engine, device('isolate', waiting({ waitTimeout: 0.5 })), [
			{ deviceId: MACHINES.offline },
		]);

		expect(run.error[0]).toMatchObject({
			deviceActionId: world.sim.machineActions[0].id,
			status: 'Pending',
			error: { code: 'waitTimeout', executed: 'yes' },
		});
		expect(run.error[0].error.message).toContain('still Pending after 0.5 s');
		expect(Date.now() - started).toBeLessThan(4000);
	});
});

describe('devices: reads', () => {
	it('gets a device by ID and by computer DNS name', async () => {
		const run = await runDefender(world.engine, device('get'), [
			{ deviceId: WORKSTATION },
			{ deviceId: WORKSTATION_NAME.toUpperCase() },
		]);

		expect(run.success.map((machine) => machine.id)).toEqual([WORKSTATION, WORKSTATION]);
		expect(run.success[0]).toMatchObject({ computerDnsName: WORKSTATION_NAME });
	});
});

describe('device actions as an AI agent tool', () => {
	it('refuses an isolation without the opt-in, sending nothing', async () => {
		const tool = agentTool(device('isolate', { deviceId: WORKSTATION }));

		const answer = await world.engine.callTool(tool, {}).catch((error: Error) => error.message);

		expect(String(answer)).toContain('An AI agent may not isolate devices');
		expect(String(answer)).toContain('Allow as AI Tool');
		expect(apiRequests()).toEqual([]);
	});

	it('lets an agent make a dry run without the opt-in', async () => {
		const tool = agentTool(device('isolate', { deviceId: WORKSTATION, options: { dryRun: true } }));

		const answer = JSON.parse((await world.engine.callTool(tool, {})) as string);

		expect(answer[0]).toMatchObject({ deviceId: WORKSTATION, outcome: 'dryRun' });
		expect(apiRequests('POST')).toEqual([]);
	});

	it('isolates when the node opts in', async () => {
		const tool = agentTool(
			device('isolate', { deviceId: WORKSTATION, options: { allowAsTool: true } }),
		);

		await world.engine.callTool(tool, {});

		expect(world.sim.machineActions).toHaveLength(1);
	});
});

describe('Defender for Endpoint errors', () => {
	it("reports MDE's error message, and its target as the request ID", async () => {
		const run = await runDefender(
			world.engine,
			device('stopAndQuarantineFile', { sha1: 'a'.repeat(40) }),
			[{ deviceId: 'b'.repeat(40) }],
		);

		const [refused] = apiRequests('POST');
		expect(run.error[0]).toMatchObject({
			deviceId: 'b'.repeat(40),
			action: 'stopAndQuarantineFile',
			outcome: 'failed',
			error: {
				statusCode: 404,
				code: 'ResourceNotFound',
				requestId: refused.requestId,
				executed: 'no',
			},
		});
		expect(run.error[0].error.message).toContain(`Machine ${'b'.repeat(40)} was not found`);
	});

	it('names the permission of the action when Defender refuses it (403)', async () => {
		world.sim.injectFault({
			method: 'POST',
			path: `/api/machines/${WORKSTATION}/isolate`,
			fault: '403',
		});

		const run = await runDefender(world.engine, device('isolate'), [{ deviceId: WORKSTATION }]);

		expect(run.error[0].error).toMatchObject({ statusCode: 403, executed: 'no' });
		expect(run.error[0].error.message).toContain(
			'WindowsDefenderATP application permission Machine.Isolate',
		);
	});

	it('names the read permission when the read that resolves a computer name is refused', async () => {
		world.sim.injectFault({
			method: 'GET',
			path: `/api/machines/${WORKSTATION_NAME}`,
			fault: '403',
		});

		const run = await runDefender(world.engine, device('isolate'), [
			{ deviceId: WORKSTATION_NAME },
		]);

		expect(run.error[0].error).toMatchObject({ statusCode: 403, executed: 'no' });
		expect(run.error[0].error.message).toContain('application permission Machine.Read.All');
		expect(apiRequests('POST')).toEqual([]);
	});

	it('says to check the credential when its token is for Graph, not Defender for Endpoint', async () => {
		const stored = world.engine.credentialsHelper.stored.microsoftDefenderEndpointOAuth2Api;
		stored.oauthTokenData = { access_token: world.sim.issueToken(), token_type: 'Bearer' };
		try {
			const run = await runDefender(world.engine, device('runAntivirusScan'), [
				{ deviceId: WORKSTATION },
			]);

			expect(run.error[0].error).toMatchObject({
				statusCode: 403,
				code: 'Forbidden',
				executed: 'no',
			});
			expect(run.error[0].error.message).toContain('audience');
			expect(run.error[0].error.message).toContain(
				'Microsoft Defender for Endpoint credential asks for a token for the Defender for Endpoint API (not Graph)',
			);
			expect(run.error[0].error.message).toContain('Machine.Scan');
			expect(world.sim.machineActions).toEqual([]);
		} finally {
			delete stored.oauthTokenData;
		}
	});
});

describe('devices: get many and find by IP', () => {
	it('builds the OData filter from checked values and returns the matching devices', async () => {
		const run = await runDefender(world.engine, {
			resource: 'device',
			operation: 'getMany',
			returnAll: true,
			filters: {
				computerDnsName: 'ws-fin-',
				healthStatus: 'Active',
				machineTag: 'Finance',
				lastSeenAfter: '2020-01-01T00:00:00Z',
			},
		});

		expect(run.error).toEqual([]);
		expect(run.success.length).toBeGreaterThan(0);
		for (const machine of run.success) {
			expect(machine.computerDnsName).toMatch(/^ws-fin-/);
			expect(machine.machineTags).toContain('Finance');
		}
		expect(decodeURIComponent(apiRequests('GET')[0].path)).toBe(
			"/api/machines?$top=10000&$filter=startswith(computerDnsName,'ws-fin-') and healthStatus eq 'Active' and lastSeen ge 2020-01-01T00:00:00.000Z and machineTags/any(tag: tag eq 'Finance')",
		);
	});

	it('asks Defender for no more devices than Limit', async () => {
		const run = await runDefender(world.engine, {
			resource: 'device',
			operation: 'getMany',
			limit: 3,
		});

		expect(run.success).toHaveLength(3);
		expect(decodeURIComponent(apiRequests('GET')[0].path)).toBe('/api/machines?$top=3');
	});

	it.each([
		['a quote in the name prefix', { computerDnsName: "ws' or 1 eq 1" }],
		['a health status outside the list', { healthStatus: 'Broken' }],
		['a date that is not one', { lastSeenAfter: 'yesterday' }],
		['an empty filter', { riskScore: '' }],
	])('refuses %s with nothing sent', async (_case, filters) => {
		const run = await runDefender(world.engine, {
			resource: 'device',
			operation: 'getMany',
			filters,
		});

		expect(run.error[0].error).toMatchObject({ code: 'invalidFilter', executed: 'no' });
		expect(apiRequests()).toEqual([]);
	});

	it('finds the device that had an IP address now, and refuses a range or a time beyond 30 days', async () => {
		const run = await runDefender(
			world.engine,
			{
				resource: 'device',
				operation: 'findByIp',
				ipAddress: '={{ $json.ip }}',
				timestamp: '={{ $json.at }}',
			},
			[
				{ ip: '10.20.4.42' },
				{ ip: '10.20.4.0/24' },
				{ ip: '10.20.4.42', at: '2020-01-01T00:00:00Z' },
			],
		);

		expect(run.successPairs.every((pair) => pair === 0)).toBe(true);
		expect(run.success.map((machine) => machine.id)).toContain(WORKSTATION);
		expect(run.error.map((item) => item.error.code)).toEqual([
			'invalidIpAddress',
			'invalidTimestamp',
		]);
		expect(apiRequests()).toHaveLength(1);
		expect(decodeURIComponent(apiRequests()[0].path)).toMatch(
			/^\/api\/machines\/findbyip\(ip='10\.20\.4\.42',timestamp=\d{4}-\d{2}-\d{2}T[\d:.]+Z\)$/,
		);
	});
});

describe('device actions resource', () => {
	const deviceAction = (operation: string, extra: Json = {}) => ({
		resource: 'deviceAction',
		operation,
		deviceActionId: '={{ $json.deviceActionId }}',
		...extra,
	});

	it('gets an action and lists the device actions by device, type and status', async () => {
		world.sim.configure({ actionDelayMs: 10_000 });
		const isolated = await runDefender(world.engine, device('isolate'), [
			{ deviceId: WORKSTATION },
		]);
		await runDefender(world.engine, device('runAntivirusScan'), [{ deviceId: WORKSTATION }]);
		const { deviceActionId } = isolated.success[0];
		world.sim.clearLog();

		const got = await runDefender(world.engine, deviceAction('get'), [{ deviceActionId }]);
		const listed = await runDefender(world.engine, {
			resource: 'deviceAction',
			operation: 'getMany',
			returnAll: true,
			filters: { deviceId: WORKSTATION, type: 'Isolate', status: 'Pending' },
		});

		expect(got.success).toEqual([expect.objectContaining({ id: deviceActionId, type: 'Isolate' })]);
		expect(listed.success.map((action) => action.id)).toEqual([deviceActionId]);
		expect(decodeURIComponent(apiRequests('GET')[1].path)).toBe(
			`/api/machineactions?$top=10000&$filter=machineId eq '${WORKSTATION}' and status eq 'Pending' and type eq 'Isolate'`,
		);
	});

	it('refuses a device action ID that is not a GUID, with nothing sent', async () => {
		const run = await runDefender(world.engine, deviceAction('get'), [
			{ deviceActionId: '../machines' },
		]);

		expect(run.error).toEqual([
			{
				deviceActionId: '../machines',
				outcome: 'failed',
				error: expect.objectContaining({ code: 'invalidDeviceActionId', executed: 'no' }),
			},
		]);
		expect(apiRequests()).toEqual([]);
	});

	it('cancels a pending action with the comment, and refuses an agent without the opt-in', async () => {
		world.sim.configure({ actionDelayMs: 5000 });
		const isolated = await runDefender(world.engine, device('isolate'), [
			{ deviceId: WORKSTATION },
		]);
		const { deviceActionId } = isolated.success[0];

		const refused = await world.engine
			.callTool(agentTool(deviceAction('cancel', { deviceActionId })), {})
			.catch((error: Error) => error.message);
		const run = await runDefender(
			world.engine,
			deviceAction('cancel', { comment: 'Isolated by mistake' }),
			[{ deviceActionId }],
		);

		expect(String(refused)).toContain('An AI agent may not cancel device actions');
		expect(run.success).toEqual([
			expect.objectContaining({
				deviceActionId,
				action: 'cancel',
				outcome: 'executed',
				status: 'Cancelled',
			}),
		]);
		const [cancel] = apiRequests('POST').slice(-1);
		expect(cancel.path).toBe(`/api/machineactions/${deviceActionId}/cancel`);
		expect(bodyOf(cancel)).toEqual({ Comment: 'Isolated by mistake' });
		expect(world.sim.getMachineAction(deviceActionId)?.status).toBe('Cancelled');
	});

	it('gets the investigation package link once collected, and says what to check before that', async () => {
		const collected = await runDefender(
			world.engine,
			device('collectInvestigationPackage', {
				options: { waitForCompletion: true, pollInterval: 0.1, waitTimeout: 10 },
			}),
			[{ deviceId: WORKSTATION }],
		);
		const pending = await runDefender(world.engine, device('runAntivirusScan'), [
			{ deviceId: WORKSTATION },
		]);

		const run = await runDefender(world.engine, deviceAction('getInvestigationPackageUri'), [
			{ deviceActionId: collected.success[0].deviceActionId },
			{ deviceActionId: pending.success[0].deviceActionId },
		]);

		expect(run.success).toEqual([
			{
				deviceActionId: collected.success[0].deviceActionId,
				packageUri: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/investigation-packages\//),
			},
		]);
		expect(run.error[0].error).toMatchObject({ statusCode: 404, executed: 'no' });
		expect(run.error[0].error.message).toContain(
			'Collect Investigation Package action that has succeeded',
		);
	});
});
