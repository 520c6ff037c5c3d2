import {
	ENDPOINT_SCOPE,
	routeOf,
	SEEDED_MACHINE_IDS,
	startFaultProxy,
	startSimulator,
	type FaultProxy,
	type Simulator,
} from '../../simulator';

let sim: Simulator;
let proxy: FaultProxy;

beforeAll(async () => {
	sim = await startSimulator({ actionDelayMs: 50 });
	proxy = await startFaultProxy({ target: sim.url, randomSeed: 7 });
});

afterAll(async () => {
	await proxy.stop();
	await sim.stop();
});

beforeEach(() => {
	sim.reset();
	proxy.reset();
	proxy.configure({ rates: [] });
});

const tokenForm = (secret = sim.clientSecret) =>
	new URLSearchParams({
		grant_type: 'client_credentials',
		client_id: sim.clientId,
		client_secret: secret,
		scope: `${proxy.url}/.default`,
	});

async function token(): Promise<string> {
	const answer = await fetch(`${proxy.url}/${sim.tenantId}/oauth2/v2.0/token`, {
		method: 'POST',
		body: tokenForm(),
	});
	return ((await answer.json()) as { access_token: string }).access_token;
}

async function graph(path: string, method = 'GET', signal?: AbortSignal) {
	return await fetch(`${proxy.url}${path}`, {
		method,
		headers: { authorization: `Bearer ${await token()}` },
		signal,
	});
}

const isolate = '/beta/security/incidentTasks/task-isolate-open-001';

describe('fault proxy in front of the simulator', () => {
	test('passes requests through unchanged when no fault applies, next-page links included, and counts them', async () => {
		const answer = await graph('/beta/security/incidentTasks?$top=5');
		const body = (await answer.json()) as { value: unknown[]; '@odata.nextLink': string };
		expect(answer.status).toBe(200);
		expect(body.value).toHaveLength(5);
		expect(body['@odata.nextLink'].startsWith(`${proxy.url}/beta/security/incidentTasks`)).toBe(
			true,
		);
		expect(proxy.counts()).toMatchObject({
			requests: 2,
			forwarded: 2,
			byRoute: { token: 1, listTasks: 1 },
			faults: {},
		});
		expect(proxy.issuedTokens.size).toBeGreaterThan(0);
	});

	test('names routes by what the call does', () => {
		expect(routeOf('POST', '/contoso/oauth2/v2.0/token')).toEqual({ route: 'token' });
		expect(routeOf('GET', '/beta/security/incidentTasks')).toEqual({ route: 'listTasks' });
		expect(routeOf('GET', '/beta/security/incidentTasks/a%3Ab')).toEqual({
			route: 'getTask',
			taskId: 'a:b',
		});
		expect(routeOf('PATCH', '/beta/security/incidentTasks/t1')).toEqual({
			route: 'updateTask',
			taskId: 't1',
		});
		expect(routeOf('POST', '/beta/security/incidentTasks/t1/executeResponseAction')).toEqual({
			route: 'execute',
			taskId: 't1',
		});
		expect(routeOf('GET', '/v1.0/security/alerts_v2')).toEqual({ route: 'listAlerts' });
		expect(routeOf('GET', '/v1.0/users')).toEqual({ route: 'other' });
	});

	test('429 carries Retry-After in seconds or as an HTTP date, and the request never reaches Graph', async () => {
		proxy.inject({ route: 'getTask', fault: '429', retryAfterSeconds: 2 });
		proxy.inject({
			route: 'getTask',
			fault: '429',
			retryAfterSeconds: 30,
			retryAfterFormat: 'date',
		});
		const seconds = await graph(isolate);
		const date = await graph(isolate);
		expect(seconds.status).toBe(429);
		expect(seconds.headers.get('retry-after')).toBe('2');
		expect(((await seconds.json()) as { error: { code: string } }).error.code).toBe(
			'TooManyRequests',
		);
		const retryAt = Date.parse(date.headers.get('retry-after') ?? '');
		expect(retryAt - Date.now()).toBeGreaterThan(25_000);
		expect(sim.requests.filter((request) => request.path === isolate)).toHaveLength(0);
	});

	test('503 before forwarding runs nothing; 503 and 504 after forwarding run the action and hide it', async () => {
		proxy.inject({ route: 'execute', fault: '503' });
		expect((await graph(`${isolate}/executeResponseAction`, 'POST')).status).toBe(503);
		expect(sim.executions).toHaveLength(0);

		proxy.inject({ route: 'execute', fault: '503AfterForward' });
		expect((await graph(`${isolate}/executeResponseAction`, 'POST')).status).toBe(503);
		proxy.inject({ route: 'execute', fault: '504AfterForward' });
		expect(
			(
				await graph(
					'/beta/security/incidentTasks/task-avscan-open-001/executeResponseAction',
					'POST',
				)
			).status,
		).toBe(504);
		expect(sim.executions.map((execution) => execution.taskId)).toEqual([
			'task-isolate-open-001',
			'task-avscan-open-001',
		]);
		expect(proxy.counts().faultsByRoute.execute).toEqual({
			'503': 1,
			'503AfterForward': 1,
			'504AfterForward': 1,
		});
	});

	test('a connection reset before forwarding runs nothing; after forwarding the action ran', async () => {
		proxy.inject({ route: 'execute', fault: 'resetBeforeForward' });
		await expect(graph(`${isolate}/executeResponseAction`, 'POST')).rejects.toThrow();
		expect(sim.executions).toHaveLength(0);
		proxy.inject({ route: 'execute', fault: 'resetAfterForward' });
		await expect(graph(`${isolate}/executeResponseAction`, 'POST')).rejects.toThrow();
		expect(sim.executions).toHaveLength(1);
		expect(
			proxy.requests
				.filter((entry) => entry.route === 'execute')
				.map((entry) => [entry.forwarded, entry.status]),
		).toEqual([
			[false, 0],
			[true, 0],
		]);
	});

	test('a slow POST still reaches Graph after its client gave up, and idle() waits for it', async () => {
		proxy.inject({ route: 'execute', fault: 'delayBeforeForward', delayMs: 1500 });
		const bearer = await token();
		const giveUp = new AbortController();
		const posting = fetch(`${proxy.url}${isolate}/executeResponseAction`, {
			method: 'POST',
			headers: { authorization: `Bearer ${bearer}` },
			signal: giveUp.signal,
		});
		const arrived = Date.now() + 5000;
		while (!proxy.requests.some((entry) => entry.route === 'execute') && Date.now() < arrived)
			await new Promise((resolve) => setTimeout(resolve, 10));
		giveUp.abort();
		await expect(posting).rejects.toThrow();
		expect(sim.executions).toHaveLength(0);
		expect(await proxy.idle(5000)).toBe(true);
		expect(sim.executions).toHaveLength(1);
		expect(proxy.requests.find((entry) => entry.route === 'execute')).toMatchObject({
			forwarded: true,
			clientGone: true,
			fault: 'delayBeforeForward',
		});
	});

	test('token endpoint faults: 500, garbage, HTML, no access_token, a refused secret, and never answering', async () => {
		const tokenUrl = `${proxy.url}/${sim.tenantId}/oauth2/v2.0/token`;
		const ask = async (signal?: AbortSignal) =>
			await fetch(tokenUrl, { method: 'POST', body: tokenForm(), signal });
		proxy.inject({ route: 'token', fault: '500' });
		proxy.inject({ route: 'token', fault: 'garbage' });
		proxy.inject({ route: 'token', fault: 'html' });
		proxy.inject({ fault: 'noAccessToken' });
		proxy.inject({ fault: 'wrongSecret' });
		proxy.inject({ route: 'token', fault: 'hang' });

		const serverError = await ask();
		expect([serverError.status, ((await serverError.json()) as { error: string }).error]).toEqual([
			500,
			'server_error',
		]);
		const garbage = await ask();
		expect(garbage.status).toBe(200);
		await expect(garbage.json()).rejects.toThrow();
		const html = await ask();
		expect(html.headers.get('content-type')).toMatch(/text\/html/);
		const noAccessToken = (await (await ask()).json()) as Record<string, unknown>;
		expect(noAccessToken).toMatchObject({ token_type: 'Bearer' });
		expect(noAccessToken.access_token).toBeUndefined();
		const refused = await ask();
		expect([refused.status, ((await refused.json()) as { error: string }).error]).toEqual([
			401,
			'invalid_client',
		]);
		const giveUp = new AbortController();
		const hanging = ask(giveUp.signal);
		const arrived = Date.now() + 5000;
		while (!proxy.requests.some((entry) => entry.fault === 'hang') && Date.now() < arrived)
			await new Promise((resolve) => setTimeout(resolve, 10));
		giveUp.abort();
		await expect(hanging).rejects.toThrow();
		expect(proxy.counts().faultsByRoute.token).toEqual({
			'500': 1,
			garbage: 1,
			html: 1,
			noAccessToken: 1,
			wrongSecret: 1,
			hang: 1,
		});
		expect(sim.requests.filter((request) => request.path.includes('/oauth2/'))).toHaveLength(1);
	});

	test("206 Partial Content with Graph's Warning header leaves list entries out; shuffle reorders a list", async () => {
		proxy.inject({ route: 'listTasks', fault: '206', dropFraction: 0.5 });
		const partial = await graph('/beta/security/incidentTasks?$top=20');
		expect(partial.status).toBe(206);
		expect(partial.headers.get('warning')).toMatch(/^199 - "[^/]+\/[^/]+\/\d{3}\/\d+"$/);
		const kept = ((await partial.json()) as { value: unknown[] }).value.length;
		expect(kept).toBeLessThan(20);

		const ids = async () =>
			(
				(await (await graph('/beta/security/incidentTasks?$top=20')).json()) as {
					value: Array<{ id: string }>;
				}
			).value.map((task) => task.id);
		const inOrder = await ids();
		proxy.inject({ route: 'listTasks', fault: 'shuffle' });
		const shuffled = await ids();
		expect(shuffled).not.toEqual(inOrder);
		expect([...shuffled].sort()).toEqual([...inOrder].sort());
	});

	test('rates draw one fault per request, replayably, and only on matching routes', async () => {
		const run = async () => {
			proxy.reset();
			proxy.configure({ randomSeed: 99, rates: [{ route: 'getTask', fault: '503', rate: 0.5 }] });
			const statuses = [];
			for (let n = 0; n < 12; n++) statuses.push((await graph(isolate)).status);
			return statuses;
		};
		const first = await run();
		expect(first).toContain(503);
		expect(first).toContain(200);
		expect(await run()).toEqual(first);
		expect(proxy.counts().faultsByRoute.token).toBeUndefined();
		expect(() => proxy.configure({ rates: [{ fault: '503', rate: 1.5 }] })).toThrow(
			/between 0 and 1/,
		);
		expect(() => proxy.inject({ fault: 'nope' as never })).toThrow(/Unknown proxy fault/);
	});

	describe('Defender for Endpoint', () => {
		async function endpoint(path: string, method = 'GET', body?: unknown) {
			const form = tokenForm();
			form.set('scope', ENDPOINT_SCOPE);
			const issued = await fetch(`${proxy.url}/${sim.tenantId}/oauth2/v2.0/token`, {
				method: 'POST',
				body: form,
			});
			const { access_token: accessToken } = (await issued.json()) as { access_token: string };
			return await fetch(`${proxy.url}${path}`, {
				method,
				headers: {
					authorization: `Bearer ${accessToken}`,
					...(body === undefined ? {} : { 'content-type': 'application/json' }),
				},
				body: body === undefined ? undefined : JSON.stringify(body),
			});
		}
		const machine = SEEDED_MACHINE_IDS.storyWorkstation;

		test('names its routes, with the machine a machine action is for', () => {
			expect(routeOf('POST', `/api/machines/${machine}/isolate`)).toEqual({
				route: 'machineAction',
				machineId: machine,
			});
			expect(routeOf('POST', `/api/v1.0/machines/${machine}/StopAndQuarantineFile`)).toEqual({
				route: 'machineAction',
				machineId: machine,
			});
			expect(routeOf('GET', '/api/machines')).toEqual({ route: 'listMachines' });
			expect(routeOf('GET', '/api/machines/ws-fin-042.contoso.com')).toEqual({
				route: 'getMachine',
				machineId: 'ws-fin-042.contoso.com',
			});
			expect(
				routeOf('GET', "/api/machines/findbyip(ip='10.0.0.1',timestamp=2026-12-01T10:00:00Z)"),
			).toEqual({ route: 'findMachinesByIp' });
			expect(routeOf('GET', '/api/machineactions')).toEqual({ route: 'listMachineActions' });
			expect(routeOf('GET', '/api/machineactions/a1')).toEqual({ route: 'getMachineAction' });
			expect(routeOf('POST', '/api/machineactions/a1/cancel')).toEqual({
				route: 'cancelMachineAction',
			});
			expect(routeOf('GET', '/api/machineactions/a1/GetPackageUri')).toEqual({
				route: 'getPackageUri',
			});
			expect(routeOf('GET', '/api/indicators')).toEqual({ route: 'listIndicators' });
			expect(routeOf('POST', '/api/indicators')).toEqual({ route: 'submitIndicator' });
			expect(routeOf('POST', '/api/indicators/import')).toEqual({ route: 'importIndicators' });
			expect(routeOf('DELETE', '/api/indicators/5001')).toEqual({ route: 'deleteIndicator' });
			expect(routeOf('PUT', '/api/indicators/5001')).toEqual({ route: 'other' });
		});

		test("a 504 after forwarding creates the machine action and answers in Defender for Endpoint's error shape", async () => {
			proxy.inject({ route: 'machineAction', fault: '504AfterForward' });
			const answer = await endpoint(`/api/machines/${machine}/isolate`, 'POST', {
				Comment: 'fault proxy test',
			});
			expect(answer.status).toBe(504);
			const { error } = (await answer.json()) as { error: Record<string, unknown> };
			expect(error).toEqual({
				code: 'GatewayTimeout',
				message: expect.any(String),
				target: answer.headers.get('request-id'),
			});
			expect(sim.machineActions.map((action) => [action.machineId, action.type])).toEqual([
				[machine, 'Isolate'],
			]);
			expect(proxy.requests.find((entry) => entry.route === 'machineAction')).toMatchObject({
				api: 'endpoint',
				machineId: machine,
				fault: '504AfterForward',
				forwarded: true,
				simulatorStatus: 201,
				status: 504,
			});
		});

		test('a rule without a route hits Defender for Endpoint calls too; a 429 there reaches nothing', async () => {
			proxy.inject({ fault: '429', retryAfterSeconds: 3 });
			const answer = await endpoint('/api/indicators/import', 'POST', { Indicators: [] });
			expect(answer.status).toBe(429);
			expect(answer.headers.get('retry-after')).toBe('3');
			expect(((await answer.json()) as { error: { target?: string } }).error.target).toEqual(
				expect.any(String),
			);
			expect(sim.requests.filter((request) => request.path.startsWith('/api/'))).toHaveLength(0);
		});
	});
});
