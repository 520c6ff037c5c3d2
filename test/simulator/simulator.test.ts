import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
	ACTION_TYPES,
	EXECUTABLE_ACTION_TYPES,
	SEEDED_TASK_IDS,
	SEED_ALERTS,
	SEED_INCIDENTS,
	SEED_TASKS,
	SEED_TASK_OUTCOMES,
	SIMULATOR_CLIENT_ID,
	SIMULATOR_CLIENT_SECRET,
	startSimulator,
	type FaultKind,
	type IncidentTask,
	type Simulator,
	type SimulatorSettings,
} from '../../simulator';

const ACTION_DELAY_MS = 40;
const TEST_SETTINGS: Partial<SimulatorSettings> = {
	latencyMs: 0,
	rateLimit: null,
	faultRates: { status503: 0, status504AfterExecute: 0, dropBeforeExecute: 0, dropAfterExecute: 0 },
	tokenLifetimeSeconds: 3600,
	actionDelayMs: ACTION_DELAY_MS,
	actionStartLagMs: 0,
	pageSize: null,
	randomSeed: null,
	nextLinkOrigin: null,
};

type Json = Record<string, any>;

let sim: Simulator;
let token: string;

async function requestToken(form: Record<string, string>, headers: Record<string, string> = {}) {
	const response = await fetch(sim.tokenUrl, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
		body: new URLSearchParams(form),
	});
	return { status: response.status, body: (await response.json()) as Json };
}

const clientCredentials = (overrides: Record<string, string> = {}) => ({
	grant_type: 'client_credentials',
	client_id: sim.clientId,
	client_secret: sim.clientSecret,
	scope: `${sim.url}/.default`,
	...overrides,
});

function graph(path: string, init: RequestInit = {}, bearer = token) {
	return fetch(path.startsWith('http') ? path : `${sim.url}${path}`, {
		...init,
		headers: { authorization: `Bearer ${bearer}`, ...(init.headers as Record<string, string>) },
	});
}

async function graphJson(path: string, init: RequestInit = {}) {
	const response = await graph(path, init);
	return { response, status: response.status, body: (await response.json()) as Json };
}

/** Follows @odata.nextLink to the end, as a client would. */
async function readAllPages(path: string) {
	const items: Json[] = [];
	const links: string[] = [];
	let url: string | undefined = `${sim.url}${path}`;
	while (url) {
		const { status, body } = await graphJson(url);
		expect(status).toBe(200);
		items.push(...body.value);
		url = body['@odata.nextLink'];
		if (url) links.push(url);
		if (links.length > 50) throw new Error(`paging does not end: ${url}`);
	}
	return { items, links };
}

const execute = (id: string, init: RequestInit = {}) =>
	graph(`/beta/security/incidentTasks/${encodeURIComponent(id)}/executeResponseAction`, {
		method: 'POST',
		...init,
	});

async function waitForTask(id: string, done: (task: IncidentTask) => boolean, timeoutMs = 2000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const task = sim.getTask(id)!;
		if (done(task) || Date.now() > deadline) return task;
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

const filterQuery = (filter: string, extra = '') => `$filter=${encodeURIComponent(filter)}${extra}`;
const byCreatedDesc = (a: Json, b: Json) =>
	Date.parse(b.createdDateTime) - Date.parse(a.createdDateTime);

beforeAll(async () => {
	sim = await startSimulator({ actionDelayMs: ACTION_DELAY_MS });
});
afterAll(() => sim.stop());
beforeEach(() => {
	sim.reset();
	sim.configure(TEST_SETTINGS);
	token = sim.issueToken();
});

describe('seed', () => {
	it('holds every action type, enough tasks to page, and readable stable IDs', () => {
		expect(new Set(SEED_TASKS.map((task) => task.actionType))).toEqual(new Set(ACTION_TYPES));
		expect(SEED_TASKS.length).toBeGreaterThanOrEqual(40);
		for (const task of SEED_TASKS) expect(task.id).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
		expect(SEED_TASKS.some((task) => task.responseAction === undefined)).toBe(true);
		expect(SEED_TASKS.some((task) => task.responseAction !== undefined)).toBe(true);
		for (const [actionType, id] of Object.entries(SEEDED_TASK_IDS.openByActionType)) {
			expect(SEED_TASKS.find((task) => task.id === id)).toMatchObject({
				actionType,
				status: 'open',
				actionStatus: 'notStarted',
			});
		}
		expect(SEED_TASK_OUTCOMES[SEEDED_TASK_IDS.endsFailed]).toBe('failed');
		expect(SEED_TASK_OUTCOMES[SEEDED_TASK_IDS.endsPartiallyCompleted]).toBe('partiallyCompleted');
	});

	it('is documented: the README names every seeded task, incident and alert', () => {
		const readme = readFileSync(join(__dirname, '..', '..', 'simulator', 'README.md'), 'utf8');
		for (const { id } of [...SEED_TASKS, ...SEED_INCIDENTS, ...SEED_ALERTS])
			expect(readme).toContain(`\`${id}\``);
	});
});

describe('token endpoint', () => {
	it('issues a bearer token for client credentials sent in the body', async () => {
		const { status, body } = await requestToken(clientCredentials());
		expect(status).toBe(200);
		expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, ext_expires_in: 3600 });
		expect((await graph('/beta/security/incidentTasks?$top=1', {}, body.access_token)).status).toBe(
			200,
		);
		expect(sim.requests[0]).toMatchObject({
			tenantId: sim.tenantId,
			grantType: 'client_credentials',
			clientId: SIMULATOR_CLIENT_ID,
			status: 200,
		});
	});

	it('accepts HTTP Basic client authentication and any tenant in the path', async () => {
		const basic = Buffer.from(
			`${encodeURIComponent(sim.clientId)}:${encodeURIComponent(sim.clientSecret)}`,
		).toString('base64');
		const response = await fetch(`${sim.url}/another-tenant.onmicrosoft.com/oauth2/v2.0/token`, {
			method: 'POST',
			headers: {
				authorization: `Basic ${basic}`,
				'content-type': 'application/x-www-form-urlencoded',
			},
			body: new URLSearchParams({
				grant_type: 'client_credentials',
				scope: 'https://graph.microsoft.com/.default',
			}),
		});
		expect(response.status).toBe(200);
		expect(sim.requests[0].tenantId).toBe('another-tenant.onmicrosoft.com');

		// n8n's OAuth2 client sends the pair raw, RFC 6749 clients form-encode it: both work.
		sim.registerApp({ clientId: 'app-with-odd-secret', clientSecret: 'a+b%2Fc~d' });
		for (const pair of [
			'app-with-odd-secret:a+b%2Fc~d',
			`app-with-odd-secret:${encodeURIComponent('a+b%2Fc~d')}`,
		]) {
			const { status } = await requestToken(
				{ grant_type: 'client_credentials', scope: `${sim.url}/.default` },
				{ authorization: `Basic ${Buffer.from(pair).toString('base64')}` },
			);
			expect({ pair, status }).toEqual({ pair, status: 200 });
		}
	});

	it('refuses a wrong client secret with 401 invalid_client AADSTS7000215', async () => {
		const { status, body } = await requestToken(clientCredentials({ client_secret: 'wrong' }));
		expect(status).toBe(401);
		expect(body.error).toBe('invalid_client');
		expect(body.error_description).toMatch(/^AADSTS7000215: Invalid client secret provided/);
		expect(body.error_codes).toEqual([7000215]);
	});

	it('refuses an unknown client ID with 400 unauthorized_client', async () => {
		const { status, body } = await requestToken(clientCredentials({ client_id: 'not-registered' }));
		expect(status).toBe(400);
		expect(body.error).toBe('unauthorized_client');
		expect(body.error_description).toMatch(/^AADSTS700016:/);
	});

	it('refuses a client-credentials scope without /.default, and a missing scope', async () => {
		const wrongScope = await requestToken(
			clientCredentials({ scope: 'https://graph.microsoft.com/SecurityIncident.ReadWrite.All' }),
		);
		expect(wrongScope.status).toBe(400);
		expect(wrongScope.body.error).toBe('invalid_scope');
		expect(wrongScope.body.error_description).toMatch(/^AADSTS1002012:/);
		const { scope: _omitted, ...withoutScope } = clientCredentials();
		expect((await requestToken(withoutScope)).body.error_description).toMatch(/^AADSTS90014:/);
	});

	it('refuses an unsupported grant type', async () => {
		const { status, body } = await requestToken(clientCredentials({ grant_type: 'password' }));
		expect(status).toBe(400);
		expect(body.error).toBe('unsupported_grant_type');
	});

	it('runs the authorization code flow with a refresh token', async () => {
		const redirectUri = 'http://127.0.0.1:5678/rest/oauth2-credential/callback';
		const authorize = new URL(sim.authorizeUrl);
		authorize.search = new URLSearchParams({
			client_id: sim.clientId,
			redirect_uri: redirectUri,
			response_type: 'code',
			scope: `${sim.url}/.default offline_access`,
			state: 'state-123',
		}).toString();
		const redirect = await fetch(authorize, { redirect: 'manual' });
		expect(redirect.status).toBe(302);
		const location = new URL(redirect.headers.get('location')!);
		expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
		expect(location.searchParams.get('state')).toBe('state-123');

		const code = location.searchParams.get('code')!;
		const exchange = {
			grant_type: 'authorization_code',
			code,
			redirect_uri: redirectUri,
			client_id: sim.clientId,
			client_secret: sim.clientSecret,
		};
		const tokens = await requestToken(exchange);
		expect(tokens.status).toBe(200);
		expect(tokens.body.refresh_token).toEqual(expect.any(String));
		expect((await requestToken(exchange)).body.error).toBe('invalid_grant');

		const refreshed = await requestToken({
			grant_type: 'refresh_token',
			refresh_token: tokens.body.refresh_token,
			client_id: sim.clientId,
			client_secret: sim.clientSecret,
		});
		expect(refreshed.status).toBe(200);
		const patched = await graph(
			`/beta/security/incidentTasks/${SEEDED_TASK_IDS.openByActionType.isolateDevice}`,
			{
				method: 'PATCH',
				headers: { 'content-type': 'application/json' },
				body: '{"status":"inProgress"}',
			},
			refreshed.body.access_token,
		);
		expect(patched.status).toBe(200);
		expect(((await patched.json()) as Json).lastModifiedByDisplayName).toBe('Simulated Analyst');
	});
});

describe('Graph authentication', () => {
	it('answers 401 InvalidAuthenticationToken without a token, with an unknown one, and with a revoked one', async () => {
		const missing = await fetch(`${sim.url}/beta/security/incidentTasks`);
		expect(missing.status).toBe(401);
		expect(((await missing.json()) as Json).error.code).toBe('InvalidAuthenticationToken');
		expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer /);
		expect((await graph('/beta/security/incidentTasks', {}, 'not-a-token')).status).toBe(401);

		const revocable = sim.issueToken();
		expect(sim.revokeToken(revocable)).toBe(true);
		const revoked = await graph('/beta/security/incidentTasks', {}, revocable);
		expect(revoked.status).toBe(401);
		expect(sim.requests.every((entry) => !entry.authorized)).toBe(true);
	});

	it('expires every token on expireAllTokens(), and a new token works again', async () => {
		const before = sim.issueToken();
		sim.expireAllTokens();
		const expired = await graph('/beta/security/incidentTasks', {}, before);
		expect(expired.status).toBe(401);
		const body = (await expired.json()) as Json;
		expect(body.error).toMatchObject({
			code: 'InvalidAuthenticationToken',
			message: expect.stringMatching(/expired/),
		});
		const { body: fresh } = await requestToken(clientCredentials());
		expect((await graph('/beta/security/incidentTasks', {}, fresh.access_token)).status).toBe(200);
	});

	it('honours tokenLifetimeSeconds', async () => {
		sim.configure({ tokenLifetimeSeconds: 1 });
		const { body } = await requestToken(clientCredentials());
		expect(body.expires_in).toBe(1);
		expect((await graph('/beta/security/incidentTasks?$top=1', {}, body.access_token)).status).toBe(
			200,
		);
		await new Promise((resolve) => setTimeout(resolve, 1050));
		expect((await graph('/beta/security/incidentTasks?$top=1', {}, body.access_token)).status).toBe(
			401,
		);
	});
});

describe('GET /beta/security/incidentTasks', () => {
	it('lists every seeded task on one page by default, in no promised order (as stored, not newest first)', async () => {
		const { status, body, response } = await graphJson('/beta/security/incidentTasks');
		expect(status).toBe(200);
		expect(body['@odata.context']).toBe(`${sim.url}/beta/$metadata#security/incidentTasks`);
		expect(body['@odata.nextLink']).toBeUndefined();
		expect(body.value.map((task: Json) => task.id)).toEqual(SEED_TASKS.map((task) => task.id));
		expect(body.value.map((task: Json) => task.id)).not.toEqual(
			[...SEED_TASKS].sort(byCreatedDesc).map((task) => task.id),
		);
		expect(response.headers.get('request-id')).toEqual(expect.any(String));
	});

	it('pages with $top=10 through absolute nextLinks on its own origin until the end', async () => {
		const { items, links } = await readAllPages('/beta/security/incidentTasks?$top=10');
		expect(items).toHaveLength(SEED_TASKS.length);
		expect(new Set(items.map((task) => task.id)).size).toBe(SEED_TASKS.length);
		expect(links).toHaveLength(Math.ceil(SEED_TASKS.length / 10) - 1);
		for (const link of links) {
			expect(link.startsWith(`${sim.url}/beta/security/incidentTasks?`)).toBe(true);
			expect(link).toContain('$top=10');
			expect(link).toContain('$skiptoken=');
		}
	});

	it('filters with eq on status and actionType joined with and, across pages', async () => {
		const filter = "status eq 'open' and actionType eq 'isolateDevice'";
		const expected = SEED_TASKS.filter(
			(task) => task.status === 'open' && task.actionType === 'isolateDevice',
		).map((task) => task.id);
		expect(expected.length).toBeGreaterThan(2);
		const { items, links } = await readAllPages(
			`/beta/security/incidentTasks?${filterQuery(filter, '&$top=2')}`,
		);
		expect(items.map((task) => task.id).sort()).toEqual([...expected].sort());
		expect(links.length).toBe(Math.ceil(expected.length / 2) - 1);

		const open = await readAllPages(
			`/beta/security/incidentTasks?${filterQuery("status eq 'open'", '&$top=10')}`,
		);
		expect(open.items).toHaveLength(SEED_TASKS.filter((task) => task.status === 'open').length);
	});

	it("refuses filters Graph does not support on incidentTasks ('or', other properties, other operators)", async () => {
		for (const filter of [
			"status eq 'open' or status eq 'inProgress'",
			"actionStatus eq 'notStarted'",
			"status ne 'open'",
			'status eq open',
		]) {
			const { status, body } = await graphJson(
				`/beta/security/incidentTasks?${filterQuery(filter)}`,
			);
			expect(status).toBe(400);
			expect(body.error.code).toBe('BadRequest');
			expect(body.error.message).toMatch(/^Invalid filter clause/);
		}
	});

	it('accepts $top=500 and answers 400 above it', async () => {
		expect((await graph('/beta/security/incidentTasks?$top=500')).status).toBe(200);
		const { status, body } = await graphJson('/beta/security/incidentTasks?$top=501');
		expect(status).toBe(400);
		expect(body.error.message).toMatch(/\$top/);
		expect((await graph('/beta/security/incidentTasks?$top=0')).status).toBe(400);
		expect((await graph('/beta/security/incidentTasks?$orderby=createdDateTime')).status).toBe(400);
	});

	it('uses the configured server page size when $top is absent or larger', async () => {
		sim.configure({ pageSize: 7 });
		const { body } = await graphJson('/beta/security/incidentTasks?$top=100');
		expect(body.value).toHaveLength(7);
		const { items, links } = await readAllPages('/beta/security/incidentTasks');
		expect(items).toHaveLength(SEED_TASKS.length);
		expect(links).toHaveLength(Math.ceil(SEED_TASKS.length / 7) - 1);
	});

	it('puts nextLinkOrigin into nextLinks when set, so a client can prove it refuses foreign origins', async () => {
		sim.configure({ nextLinkOrigin: 'https://graph.attacker.example' });
		const { body } = await graphJson('/beta/security/incidentTasks?$top=5');
		expect(body['@odata.nextLink']).toMatch(
			/^https:\/\/graph\.attacker\.example\/beta\/security\/incidentTasks\?/,
		);
	});

	it('supports $select and $expand=incident', async () => {
		const { body } = await graphJson(
			'/beta/security/incidentTasks?$top=3&$select=id,status,responseAction&$expand=incident',
		);
		for (const task of body.value) {
			expect(
				Object.keys(task)
					.filter((key) => key !== 'incident' && key !== 'responseAction')
					.sort(),
			).toEqual(['id', 'status']);
			expect(task.incident).toMatchObject({ id: expect.any(String), severity: expect.any(String) });
		}
	});
});

describe('GET and PATCH /beta/security/incidentTasks/{id}', () => {
	it('returns one task, with responseAction only where it was seeded', async () => {
		const withAction = SEED_TASKS.find((task) => task.responseAction !== undefined)!;
		const withoutAction = SEED_TASKS.find((task) => task.responseAction === undefined)!;
		const first = await graphJson(`/beta/security/incidentTasks/${withAction.id}`);
		expect(first.status).toBe(200);
		expect(first.body).toEqual({
			'@odata.context': `${sim.url}/beta/$metadata#security/incidentTasks/$entity`,
			...withAction,
		});
		const second = await graphJson(`/beta/security/incidentTasks/${withoutAction.id}`);
		expect('responseAction' in second.body).toBe(false);
		const incident = await graphJson(`/beta/security/incidentTasks/${withAction.id}/incident`);
		expect(incident.status).toBe(200);
		expect(incident.body.id).toEqual(expect.any(String));
	});

	it('answers 404 NotFound in the Graph error shape, echoing client-request-id', async () => {
		const response = await graph('/beta/security/incidentTasks/task-does-not-exist', {
			headers: { 'client-request-id': 'my-correlation-1' },
		});
		expect(response.status).toBe(404);
		const body = (await response.json()) as Json;
		expect(body.error).toEqual({
			code: 'NotFound',
			message: expect.stringContaining('task-does-not-exist'),
			innerError: {
				'request-id': response.headers.get('request-id'),
				date: expect.any(String),
				'client-request-id': 'my-correlation-1',
			},
		});
		expect(response.headers.get('client-request-id')).toBe('my-correlation-1');
	});

	it('updates status, bumps lastModifiedDateTime and answers 200 with the task', async () => {
		const id = SEEDED_TASK_IDS.nonExecutableByActionType.text;
		const before = sim.getTask(id)!;
		const { status, body } = await graphJson(`/beta/security/incidentTasks/${id}`, {
			method: 'PATCH',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ status: 'completed' }),
		});
		expect(status).toBe(200);
		expect(body).toMatchObject({ id, status: 'completed', actionStatus: before.actionStatus });
		expect(Date.parse(body.lastModifiedDateTime)).toBeGreaterThan(
			Date.parse(before.lastModifiedDateTime),
		);
		expect(sim.getTask(id)!.status).toBe('completed');
	});

	it('refuses any field but status, and unknown status values', async () => {
		const id = SEEDED_TASK_IDS.openByActionType.isolateDevice;
		const patch = (body: unknown) =>
			graphJson(`/beta/security/incidentTasks/${id}`, {
				method: 'PATCH',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(body),
			});
		const readOnly = await patch({ status: 'completed', actionStatus: 'completed' });
		expect(readOnly.status).toBe(400);
		expect(readOnly.body.error.message).toMatch(/actionStatus/);
		expect((await patch({ displayName: 'x' })).status).toBe(400);
		expect((await patch({ status: 'done' })).status).toBe(400);
		expect((await patch({})).status).toBe(400);
		expect(sim.getTask(id)!.status).toBe('open');
	});

	it('answers 405 for a method the resource does not have, 404 for unknown routes and for incidentTasks on v1.0', async () => {
		expect(
			(
				await graph(`/beta/security/incidentTasks/${SEEDED_TASK_IDS.completed}`, {
					method: 'DELETE',
				})
			).status,
		).toBe(405);
		const unknown = await graphJson('/beta/security/somethingElse');
		expect(unknown.status).toBe(404);
		expect(unknown.body.error.code).toBe('NotFound');
		expect((await graph('/v1.0/security/incidentTasks')).status).toBe(404);
	});
});

describe('POST executeResponseAction', () => {
	it('answers 204, moves notStarted -> inProgress at once and -> completed after actionDelayMs', async () => {
		const id = SEEDED_TASK_IDS.openByActionType.isolateDevice;
		const response = await execute(id);
		expect(response.status).toBe(204);
		expect(await response.text()).toBe('');
		const running = sim.getTask(id)!;
		expect(running).toMatchObject({ actionStatus: 'inProgress', status: 'inProgress' });
		expect(sim.executions).toEqual([
			expect.objectContaining({
				taskId: id,
				actionType: 'isolateDevice',
				clientId: SIMULATOR_CLIENT_ID,
			}),
		]);
		const done = await waitForTask(id, (task) => task.actionStatus !== 'inProgress');
		expect(done).toMatchObject({ actionStatus: 'completed', status: 'completed' });
		expect(Date.parse(done.lastModifiedDateTime)).toBeGreaterThanOrEqual(
			Date.parse(running.lastModifiedDateTime),
		);
		const viaGraph = await graphJson(`/beta/security/incidentTasks/${id}`);
		expect(viaGraph.body.actionStatus).toBe('completed');
	});

	it('with actionStartLagMs, shows notStarted until the lag has passed, and a second execute inside it runs the action again', async () => {
		sim.configure({ actionStartLagMs: 300 });
		const id = SEEDED_TASK_IDS.openByActionType.runAntiVirusScan;
		expect((await execute(id)).status).toBe(204);
		expect((await graphJson(`/beta/security/incidentTasks/${id}`)).body.actionStatus).toBe(
			'notStarted',
		);
		const listed = (await graphJson('/beta/security/incidentTasks')).body.value.find(
			(task: Json) => task.id === id,
		);
		expect(listed.actionStatus).toBe('notStarted');
		expect((await execute(id)).status).toBe(204);
		expect(sim.executions.map((execution) => execution.taskId)).toEqual([id, id]);
		const started = await waitForTask(id, (task) => task.actionStatus !== 'notStarted');
		expect(started.actionStatus).toBe('inProgress');
		expect((await execute(id)).status).toBe(400);
		expect(sim.executions).toHaveLength(2);
		expect((await waitForTask(id, (task) => task.actionStatus !== 'inProgress')).actionStatus).toBe(
			'completed',
		);
	});

	it('executes every one of the eight executable action types', async () => {
		for (const actionType of EXECUTABLE_ACTION_TYPES) {
			const response = await execute(SEEDED_TASK_IDS.openByActionType[actionType]);
			expect({ actionType, status: response.status }).toEqual({ actionType, status: 204 });
		}
		expect(sim.executions.map((execution) => execution.actionType).sort()).toEqual(
			[...EXECUTABLE_ACTION_TYPES].sort(),
		);
	});

	it('ends the seeded failing task failed and the partial one partiallyCompleted; the stuck one stays inProgress', async () => {
		for (const id of [
			SEEDED_TASK_IDS.endsFailed,
			SEEDED_TASK_IDS.endsPartiallyCompleted,
			SEEDED_TASK_IDS.neverCompletes,
		]) {
			expect((await execute(id)).status).toBe(204);
		}
		expect(
			await waitForTask(SEEDED_TASK_IDS.endsFailed, (task) => task.actionStatus !== 'inProgress'),
		).toMatchObject({ actionStatus: 'failed', status: 'failed' });
		expect(
			(
				await waitForTask(
					SEEDED_TASK_IDS.endsPartiallyCompleted,
					(task) => task.actionStatus !== 'inProgress',
				)
			).actionStatus,
		).toBe('partiallyCompleted');
		await new Promise((resolve) => setTimeout(resolve, ACTION_DELAY_MS * 2));
		expect(sim.getTask(SEEDED_TASK_IDS.neverCompletes)!.actionStatus).toBe('inProgress');
	});

	it('answers 400 "Currently X is not supported" for each of the nine other action types', async () => {
		for (const [actionType, id] of Object.entries(SEEDED_TASK_IDS.nonExecutableByActionType)) {
			const response = await execute(id);
			const body = (await response.json()) as Json;
			expect({
				status: response.status,
				code: body.error.code,
				message: body.error.message,
			}).toEqual({
				status: 400,
				code: 'BadRequest',
				message: `Currently ${actionType} is not supported`,
			});
		}
		expect(sim.executions).toHaveLength(0);
	});

	it('answers 404 for an unknown task and 400 for a task already executed or in progress', async () => {
		expect((await execute('task-unknown-999')).status).toBe(404);
		for (const id of [
			SEEDED_TASK_IDS.inProgress,
			SEEDED_TASK_IDS.completed,
			SEEDED_TASK_IDS.partiallyCompleted,
		]) {
			const response = await execute(id);
			expect(response.status).toBe(400);
			expect(((await response.json()) as Json).error.message).toMatch(/already been executed/);
		}
		const again = SEEDED_TASK_IDS.openByActionType.runAntiVirusScan;
		expect((await execute(again)).status).toBe(204);
		expect((await execute(again)).status).toBe(400);
		expect(sim.executions).toHaveLength(1);
	});

	it('executes tasks added at runtime with their seeded outcome; createdDateTime defaults to now', async () => {
		const before = Date.now();
		const added = sim.addTask({ actionType: 'submitIocRule', outcome: 'failed' });
		expect(Date.parse(added.createdDateTime)).toBeGreaterThanOrEqual(before - 5);
		const list = await graphJson(
			'/beta/security/incidentTasks?$top=1&$orderby=lastUpdateDateTime desc',
		);
		expect(list.body.value[0].id).toBe(added.id);
		expect((await execute(added.id)).status).toBe(204);
		expect(
			(await waitForTask(added.id, (task) => task.actionStatus !== 'inProgress')).actionStatus,
		).toBe('failed');
		expect(sim.setTask(added.id, { actionStatus: 'notStarted', status: 'open' }).actionStatus).toBe(
			'notStarted',
		);
	});
});

describe('rate limit', () => {
	it('answers 429 TooManyRequests with Retry-After once an app exceeds its window, per app', async () => {
		sim.configure({ rateLimit: { requests: 3, windowSeconds: 30 } });
		for (let i = 0; i < 3; i++)
			expect((await graph('/beta/security/incidentTasks?$top=1')).status).toBe(200);
		const limited = await graph('/beta/security/incidentTasks?$top=1');
		expect(limited.status).toBe(429);
		const retryAfter = Number(limited.headers.get('retry-after'));
		expect(retryAfter).toBeGreaterThanOrEqual(29);
		expect(retryAfter).toBeLessThanOrEqual(30);
		expect(((await limited.json()) as Json).error.code).toBe('TooManyRequests');
		expect(sim.requests.at(-1)).toMatchObject({ status: 429, fault: 'rateLimit' });

		sim.registerApp({ clientId: 'second-app', clientSecret: 'second-secret' });
		expect(
			(
				await graph(
					'/beta/security/incidentTasks?$top=1',
					{},
					sim.issueToken({ clientId: 'second-app' }),
				)
			).status,
		).toBe(200);
	});
});

describe('scripted faults', () => {
	const taskId = SEEDED_TASK_IDS.openByActionType.isolateDevice;
	const taskPath = `/beta/security/incidentTasks/${taskId}`;
	const executePath = `${taskPath}/executeResponseAction`;

	it('429 carries Retry-After in seconds or as an HTTP date', async () => {
		sim.injectFault({ fault: '429', retryAfterSeconds: 7 });
		sim.injectFault({ fault: '429', retryAfterDate: new Date('2030-01-01T00:00:00Z') });
		const first = await graph(taskPath);
		expect(first.status).toBe(429);
		expect(first.headers.get('retry-after')).toBe('7');
		expect(((await first.json()) as Json).error.code).toBe('TooManyRequests');
		const second = await graph(taskPath);
		expect(second.headers.get('retry-after')).toBe('Tue, 01 Jan 2030 00:00:00 GMT');
		expect((await graph(taskPath)).status).toBe(200);
	});

	it('503 applies `times` times, in order, then the request succeeds', async () => {
		sim.injectFault({ fault: '503', times: 2 });
		expect(sim.pendingFaults()).toBe(2);
		const first = await graph(taskPath);
		expect(first.status).toBe(503);
		expect(first.headers.get('retry-after')).toBeNull();
		expect(((await first.json()) as Json).error.code).toBe('ServiceUnavailable');
		expect((await graph(taskPath)).status).toBe(503);
		expect((await graph(taskPath)).status).toBe(200);
		expect(sim.pendingFaults()).toBe(0);
	});

	it('504 answers without executing; 504AfterExecute executes, then answers 504', async () => {
		sim.injectFault({ path: executePath, fault: '504' });
		const plain = await execute(taskId);
		expect(plain.status).toBe(504);
		expect(((await plain.json()) as Json).error.code).toBe('GatewayTimeout');
		expect(sim.executions).toHaveLength(0);
		expect(sim.getTask(taskId)!.actionStatus).toBe('notStarted');

		sim.injectFault({ fault: '504AfterExecute' });
		expect((await graph(taskPath)).status).toBe(200); // execute faults without a path wait for the POST
		expect((await execute(taskId)).status).toBe(504);
		expect(sim.executions).toHaveLength(1);
		expect(sim.getTask(taskId)!.actionStatus).not.toBe('notStarted');
	});

	it('dropBeforeExecute destroys the connection without executing', async () => {
		sim.injectFault({ fault: 'dropBeforeExecute' });
		await expect(execute(taskId)).rejects.toThrow();
		expect(sim.executions).toHaveLength(0);
		expect(sim.getTask(taskId)!.actionStatus).toBe('notStarted');
		expect(sim.requests.at(-1)).toMatchObject({ status: 0, fault: 'dropBeforeExecute' });
	});

	it('dropAfterExecute executes, then destroys the connection', async () => {
		sim.injectFault({ method: 'POST', fault: 'dropAfterExecute' });
		await expect(execute(taskId)).rejects.toThrow();
		expect(sim.executions).toEqual([expect.objectContaining({ taskId })]);
		expect(sim.getTask(taskId)!.actionStatus).not.toBe('notStarted');
	});

	it.each([
		['401', 'InvalidAuthenticationToken'],
		['403', 'Forbidden'],
		['404', 'NotFound'],
		['400', 'BadRequest'],
	] as const)('%s answers a Graph error with code %s and does not execute', async (fault, code) => {
		sim.injectFault({ path: executePath, fault: fault as FaultKind });
		const response = await execute(taskId);
		expect(response.status).toBe(Number(fault));
		expect(((await response.json()) as Json).error).toMatchObject({
			code,
			innerError: { 'request-id': response.headers.get('request-id') },
		});
		expect(sim.executions).toHaveLength(0);
	});

	it('hang never answers, so a client timeout fires', async () => {
		sim.injectFault({ path: taskPath, fault: 'hang' });
		await expect(graph(taskPath, { signal: AbortSignal.timeout(150) })).rejects.toThrow();
		expect(sim.requests.at(-1)).toMatchObject({ status: 0, fault: 'hang' });
		expect((await graph(taskPath)).status).toBe(200);
	});

	it('matches by method and path (string or RegExp) and leaves other requests alone; can hit the token endpoint', async () => {
		sim.injectFault({ method: 'PATCH', path: /incidentTasks\/task-/, fault: '503' });
		expect((await graph(taskPath)).status).toBe(200);
		const patched = await graph(taskPath, {
			method: 'PATCH',
			headers: { 'content-type': 'application/json' },
			body: '{"status":"inProgress"}',
		});
		expect(patched.status).toBe(503);

		sim.injectFault({ fault: '503' });
		expect((await requestToken(clientCredentials())).status).toBe(200); // pathless faults never hit the token endpoint
		sim.clearFaults();
		sim.injectFault({ path: new URL(sim.tokenUrl).pathname, fault: '503' });
		const failedToken = await requestToken(clientCredentials());
		expect(failedToken.status).toBe(503);
		expect(failedToken.body.error).toBe('temporarily_unavailable');
	});

	it('rejects an unknown fault kind', () => {
		expect(() => sim.injectFault({ fault: '418' as FaultKind })).toThrow(/Unknown fault/);
	});
});

describe('random fault rates', () => {
	const taskId = SEEDED_TASK_IDS.openByActionType.runAntiVirusScan;

	it('status503 fails Graph requests with that probability', async () => {
		sim.configure({ faultRates: { status503: 1 } });
		expect((await graph('/v1.0/security/incidents')).status).toBe(503);
		sim.configure({ faultRates: { status503: 0.5 }, randomSeed: 42 });
		const statuses = [];
		for (let i = 0; i < 20; i++)
			statuses.push((await graph('/v1.0/security/incidents?$top=1')).status);
		expect(statuses).toContain(503);
		expect(statuses).toContain(200);
	});

	it('dropBeforeExecute, status504AfterExecute and dropAfterExecute act on executeResponseAction', async () => {
		sim.configure({ faultRates: { dropBeforeExecute: 1 } });
		await expect(execute(taskId)).rejects.toThrow();
		expect(sim.executions).toHaveLength(0);
		expect((await graph(`/beta/security/incidentTasks/${taskId}`)).status).toBe(200);

		sim.configure({ faultRates: { dropBeforeExecute: 0, status504AfterExecute: 1 } });
		expect((await execute(taskId)).status).toBe(504);
		expect(sim.executions).toHaveLength(1);

		sim.configure({ faultRates: { status504AfterExecute: 0, dropAfterExecute: 1 } });
		await expect(execute(SEEDED_TASK_IDS.openByActionType.isolateDevice)).rejects.toThrow();
		expect(sim.executions).toHaveLength(2);
	});

	it('refuses a probability outside 0..1', () => {
		expect(() => sim.configure({ faultRates: { status503: 2 } })).toThrow(/probability/);
	});
});

describe('latency', () => {
	it('adds latencyMs to every answer', async () => {
		sim.configure({ latencyMs: 150 });
		const started = Date.now();
		expect((await graph('/beta/security/incidentTasks?$top=1')).status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(145);
		const tokenStarted = Date.now();
		await requestToken(clientCredentials());
		expect(Date.now() - tokenStarted).toBeGreaterThanOrEqual(145);
	});
});

describe('incidents and alerts_v2', () => {
	it('lists incidents newest first and pages with $top through nextLink', async () => {
		const { body } = await graphJson('/v1.0/security/incidents');
		expect(body['@odata.context']).toBe(`${sim.url}/v1.0/$metadata#security/incidents`);
		expect(body.value.map((incident: Json) => incident.id)).toEqual(
			[...SEED_INCIDENTS].sort(byCreatedDesc).map((incident) => incident.id),
		);
		const { items, links } = await readAllPages('/v1.0/security/incidents?$top=3');
		expect(items).toHaveLength(SEED_INCIDENTS.length);
		expect(links).toHaveLength(Math.ceil(SEED_INCIDENTS.length / 3) - 1);
		expect((await graph('/v1.0/security/incidents?$top=51')).status).toBe(400);
	});

	it('filters on severity eq, joined with and to a createdDateTime bound', async () => {
		const high = await graphJson(`/v1.0/security/incidents?${filterQuery("severity eq 'high'")}`);
		expect(high.body.value.map((incident: Json) => incident.id).sort()).toEqual(
			SEED_INCIDENTS.filter((incident) => incident.severity === 'high')
				.map((incident) => incident.id)
				.sort(),
		);

		const since = '2026-01-05T12:00:00Z';
		const filter = `severity eq 'high' and createdDateTime ge ${since}`;
		const expected = SEED_INCIDENTS.filter(
			(incident) =>
				incident.severity === 'high' && Date.parse(incident.createdDateTime) >= Date.parse(since),
		);
		expect(expected.length).toBeGreaterThan(1);
		expect(expected.length).toBeLessThan(SEED_INCIDENTS.length);
		const combined = await readAllPages(
			`/v1.0/security/incidents?${filterQuery(filter, '&$top=1')}`,
		);
		expect(combined.items.map((incident) => incident.id).sort()).toEqual(
			expected.map((incident) => incident.id).sort(),
		);
	});

	it('filters on lastUpdateDateTime gt, newest first, with $count; refuses $orderby and $select as Graph documents neither', async () => {
		const since = '2026-01-05T15:00:00Z';
		const { body } = await graphJson(
			`/v1.0/security/incidents?${filterQuery(`lastUpdateDateTime gt ${since}`, '&$count=true')}`,
		);
		const expected = SEED_INCIDENTS.filter(
			(incident) => Date.parse(incident.lastUpdateDateTime) > Date.parse(since),
		)
			.sort((a, b) => Date.parse(b.createdDateTime) - Date.parse(a.createdDateTime))
			.map((incident) => incident.id);
		expect(body.value.map((incident: Json) => incident.id)).toEqual(expected);
		expect(body['@odata.count']).toBe(expected.length);
		for (const option of ['$orderby=createdDateTime%20asc', '$select=id']) {
			const refused = await graphJson(`/v1.0/security/incidents?${option}`);
			expect(refused.status).toBe(400);
			expect(refused.body.error.code).toBe('BadRequest');
		}
	});

	it('gets one incident (with $expand=alerts) and answers 404 for an unknown one', async () => {
		const { status, body } = await graphJson('/v1.0/security/incidents/1004?$expand=alerts');
		expect(status).toBe(200);
		expect(body).toMatchObject({ id: '1004', severity: 'high' });
		expect(body.alerts.map((alert: Json) => alert.id).sort()).toEqual(
			SEED_ALERTS.filter((alert) => alert.incidentId === '1004')
				.map((alert) => alert.id)
				.sort(),
		);
		expect((await graph('/v1.0/security/incidents/999999')).status).toBe(404);
	});

	it('shows an incident added at runtime first, and filters it by createdDateTime', async () => {
		const cutoff = new Date().toISOString();
		const added = sim.addIncident({ severity: 'high', displayName: 'Fresh incident' });
		const { body } = await graphJson(
			`/v1.0/security/incidents?${filterQuery(`createdDateTime ge ${cutoff}`)}`,
		);
		expect(body.value.map((incident: Json) => incident.id)).toEqual([added.id]);
	});

	it('lists, filters, pages and gets alerts_v2', async () => {
		const filter = "serviceSource eq 'microsoftDefenderForEndpoint' and status eq 'new'";
		const expected = SEED_ALERTS.filter(
			(alert) => alert.serviceSource === 'microsoftDefenderForEndpoint' && alert.status === 'new',
		).map((alert) => alert.id);
		const { items } = await readAllPages(
			`/v1.0/security/alerts_v2?${filterQuery(filter, '&$top=2')}`,
		);
		expect(items.map((alert) => alert.id).sort()).toEqual([...expected].sort());

		const all = await readAllPages('/v1.0/security/alerts_v2?$top=5');
		expect(all.items).toHaveLength(SEED_ALERTS.length);
		expect(all.links).toHaveLength(Math.ceil(SEED_ALERTS.length / 5) - 1);

		const added = sim.addAlert({ severity: 'high', title: 'Fresh alert', incidentId: '1008' });
		const newest = await graphJson(
			`/v1.0/security/alerts_v2?${filterQuery("severity eq 'high'", '&$top=1')}`,
		);
		expect(newest.body.value[0].id).toBe(added.id);
		const one = await graphJson(`/v1.0/security/alerts_v2/${SEED_ALERTS[0].id}`);
		expect(one.body).toMatchObject({ id: SEED_ALERTS[0].id, title: SEED_ALERTS[0].title });
		expect((await graph('/v1.0/security/alerts_v2/alert-missing')).status).toBe(404);
	});
});

describe('request log and state', () => {
	it('records each request with a redacted Authorization header, never the token or the client secret', async () => {
		const basic = Buffer.from(`${sim.clientId}:${sim.clientSecret}`).toString('base64');
		await requestToken(
			{ grant_type: 'client_credentials', scope: `${sim.url}/.default` },
			{ authorization: `Basic ${basic}` },
		);
		await graph('/beta/security/incidentTasks?$top=1');
		await fetch(`${sim.url}/beta/security/incidentTasks`);
		const [tokenEntry, okEntry, unauthorized] = sim.requests;
		expect(tokenEntry.headers.authorization).toBe('REDACTED');
		expect(okEntry).toMatchObject({
			method: 'GET',
			path: '/beta/security/incidentTasks?$top=1',
			status: 200,
			authorized: true,
			clientId: SIMULATOR_CLIENT_ID,
		});
		expect(okEntry.headers.authorization).toBe('REDACTED');
		expect(okEntry.requestId).toEqual(expect.any(String));
		expect(Number.isNaN(Date.parse(okEntry.at))).toBe(false);
		expect(unauthorized).toMatchObject({ status: 401, authorized: false });
		const log = JSON.stringify(sim.requests);
		expect(log).not.toContain(token);
		expect(log).not.toContain(SIMULATOR_CLIENT_SECRET);
		expect(log).not.toContain(basic);

		sim.clearLog();
		expect(sim.requests).toHaveLength(0);
	});

	it('state() is a deep copy, and reset() restores the seed', async () => {
		const id = SEEDED_TASK_IDS.openByActionType.restrictAppExecution;
		const snapshot = sim.state();
		snapshot.tasks[0].status = 'tampered';
		expect(sim.state().tasks[0].status).toBe(SEED_TASKS[0].status);
		expect(snapshot.incidents).toHaveLength(SEED_INCIDENTS.length);
		expect(snapshot.alerts).toHaveLength(SEED_ALERTS.length);

		await execute(id);
		sim.addTask({ id: 'task-extra-001' });
		sim.injectFault({ fault: '503' });
		sim.reset();
		expect(sim.getTask(id)).toEqual(SEED_TASKS.find((task) => task.id === id));
		expect(sim.getTask('task-extra-001')).toBeUndefined();
		expect(sim.pendingFaults()).toBe(0);
		expect(sim.requests).toHaveLength(0);
		expect(sim.executions).toHaveLength(0);
		expect(sim.state().tasks).toEqual(SEED_TASKS);
	});
});
