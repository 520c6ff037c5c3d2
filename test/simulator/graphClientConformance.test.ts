import {
	AuthenticationHandler,
	Client,
	GraphError,
	PageIterator,
	ResponseType,
	type AuthenticationProvider,
	type Context,
	type Middleware,
	type PageCollection,
} from '@microsoft/microsoft-graph-client';

import {
	SEEDED_HUNTING_QUERIES,
	SEEDED_HUNTING_TIMESPAN,
	SEEDED_INCIDENT_IDS,
	SEEDED_TASK_IDS,
	SEED_ALERTS,
	SEED_INCIDENTS,
	SEED_TASKS,
	startSimulator,
	type Simulator,
} from '../../simulator';

// Microsoft's own Graph client against the simulator: if it pages, parses errors and reads answers as it does
// against graph.microsoft.com, the simulator speaks Graph's wire format, which every other test relies on.

/**
 * The client attaches tokens only to https hosts and parses only https URLs (nextLinks included), so it talks to
 * this Graph host name; the last middleware carries each request to the simulator on loopback instead.
 */
const GRAPH_HOST = 'graph.simulator.test';
const GRAPH_ROOT = `https://${GRAPH_HOST}`;

let sim: Simulator;

/** Client credentials against the simulator's token endpoint, one token reused until it is refused. */
class SimulatorTokenProvider implements AuthenticationProvider {
	requested = 0;
	private token: string | undefined;

	async getAccessToken(): Promise<string> {
		if (this.token) return this.token;
		this.requested += 1;
		const response = await fetch(sim.tokenUrl, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({
				grant_type: 'client_credentials',
				client_id: sim.clientId,
				client_secret: sim.clientSecret,
				scope: `${GRAPH_ROOT}/.default`,
			}),
		});
		if (!response.ok) throw new Error(`token endpoint answered ${response.status}`);
		this.token = ((await response.json()) as { access_token: string }).access_token;
		return this.token;
	}
}

/** Sends the request the client built for GRAPH_ROOT to the simulator, unchanged but for the origin. */
class LoopbackTransport implements Middleware {
	async execute(context: Context): Promise<void> {
		const url = new URL(
			typeof context.request === 'string' ? context.request : context.request.url,
		);
		if (url.origin !== GRAPH_ROOT) throw new Error(`unexpected request to ${url.origin}`);
		context.response = await fetch(
			`${sim.url}${url.pathname}${url.search}`,
			context.options as RequestInit,
		);
	}
}

let tokens: SimulatorTokenProvider;
let client: Client;

beforeAll(async () => {
	sim = await startSimulator({ actionDelayMs: 20 });
});
afterAll(() => sim.stop());
beforeEach(() => {
	sim.reset();
	sim.configure({ pageSize: null, nextLinkOrigin: GRAPH_ROOT });
	tokens = new SimulatorTokenProvider();
	client = Client.initWithMiddleware({
		baseUrl: GRAPH_ROOT,
		defaultVersion: 'v1.0',
		customHosts: new Set([GRAPH_HOST]),
		middleware: [new AuthenticationHandler(tokens), new LoopbackTransport()],
	});
});

/** Every item of a list, through PageIterator; also returns how many GETs that took. */
async function iterate(path: string, version: string, headers: Record<string, string> = {}) {
	sim.clearLog();
	const first = (await client.api(path).version(version).headers(headers).get()) as PageCollection;
	const items: Array<Record<string, any>> = [];
	const iterator = new PageIterator(client, first, (item) => items.push(item) > 0, { headers });
	await iterator.iterate();
	expect(iterator.isComplete()).toBe(true);
	const gets = sim.requests.filter((entry) => entry.method === 'GET');
	return { items, gets: gets.length, getRequests: gets };
}

const byNewest = (
	a: { createdDateTime: unknown; id: unknown },
	b: { createdDateTime: unknown; id: unknown },
) =>
	Date.parse(String(b.createdDateTime)) - Date.parse(String(a.createdDateTime)) ||
	String(a.id).localeCompare(String(b.id));

/** Runs a request that must fail and returns the GraphError the client threw. */
async function graphErrorOf(request: Promise<unknown>): Promise<GraphError> {
	try {
		await request;
	} catch (error) {
		expect(error).toBeInstanceOf(GraphError);
		return error as GraphError;
	}
	throw new Error('the request succeeded');
}

describe('PageIterator pages through the simulator’s lists', () => {
	it('incident tasks (beta), $top=7, every task once (Graph promises no order: the simulator serves them as stored), with a token from the token endpoint', async () => {
		const { items, gets, getRequests } = await iterate('/security/incidentTasks?$top=7', 'beta');
		expect(items.map((task) => task.id)).toEqual(SEED_TASKS.map((task) => task.id));
		expect(gets).toBe(Math.ceil(SEED_TASKS.length / 7));
		expect(tokens.requested).toBe(1);
		expect(getRequests.every((entry) => entry.authorized && entry.status === 200)).toBe(true);
	});

	it('incident tasks of one incident, filtered by incidentId', async () => {
		const incidentId = SEEDED_INCIDENT_IDS.active;
		const { items } = await iterate(
			`/security/incidentTasks?$filter=${encodeURIComponent(`incidentId eq '${incidentId}'`)}&$top=2`,
			'beta',
		);
		expect(items.map((task) => task.id)).toEqual(
			SEED_TASKS.filter((task) => task.incidentId === incidentId).map((task) => task.id),
		);
	});

	it('incidents (v1.0), keeping the Prefer header on every page', async () => {
		const prefer = { Prefer: 'include-unknown-enum-members' };
		const { items, gets, getRequests } = await iterate(
			'/security/incidents?$top=3',
			'v1.0',
			prefer,
		);
		expect(items.map((incident) => incident.id)).toEqual(
			[...SEED_INCIDENTS].sort(byNewest).map((incident) => incident.id),
		);
		expect(
			items.find((incident) => incident.id === SEEDED_INCIDENT_IDS.awaitingAction)?.status,
		).toBe('awaitingAction');
		expect(gets).toBe(Math.ceil(SEED_INCIDENTS.length / 3));
		expect(getRequests.map((entry) => entry.headers.prefer)).toEqual(
			Array(gets).fill(prefer.Prefer),
		);
	});

	it('alerts_v2 (v1.0) with a filter', async () => {
		const filter = encodeURIComponent("severity eq 'high'");
		const { items, gets } = await iterate(`/security/alerts_v2?$filter=${filter}&$top=2`, 'v1.0');
		const expected = SEED_ALERTS.filter((alert) => alert.severity === 'high').sort(byNewest);
		expect(items.map((alert) => alert.id)).toEqual(expected.map((alert) => alert.id));
		expect(gets).toBe(Math.ceil(expected.length / 2));
	});
});

describe('GraphError parses the simulator’s error bodies', () => {
	it('404 for an unknown task: statusCode, code, requestId and date', async () => {
		const before = Date.now();
		const error = await graphErrorOf(
			client.api('/security/incidentTasks/task-does-not-exist').version('beta').get(),
		);
		expect(error.statusCode).toBe(404);
		expect(error.code).toBe('NotFound');
		expect(error.message).toMatch(/task-does-not-exist/);
		expect(error.requestId).toBe(sim.requests.at(-1)!.requestId);
		expect(error.headers?.get('request-id')).toBe(error.requestId);
		// Graph's innerError date is UTC to the second without a zone; the client turns it into a Date.
		const innerDate = JSON.parse(error.body).innerError.date as string;
		expect(innerDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
		expect(Math.abs(Date.parse(`${innerDate}Z`) - before)).toBeLessThan(5000);
		expect(error.date).toBeInstanceOf(Date);
		expect(error.date.getTime()).toBe(new Date(innerDate).getTime());
	});

	it('400 for a filter Graph does not support', async () => {
		const error = await graphErrorOf(
			client.api("/security/incidents?$filter=severity ne 'high'").get(),
		);
		expect(error).toMatchObject({
			statusCode: 400,
			code: 'BadRequest',
			requestId: sim.requests.at(-1)!.requestId,
		});
		expect(error.message).toMatch(/^Invalid filter clause/);
	});

	it('429 with Retry-After, and 401 for a refused token', async () => {
		sim.injectFault({ fault: '429', retryAfterSeconds: 9 });
		const throttled = await graphErrorOf(client.api('/security/alerts_v2').get());
		expect(throttled).toMatchObject({ statusCode: 429, code: 'TooManyRequests' });
		expect(throttled.headers?.get('retry-after')).toBe('9');

		sim.expireAllTokens();
		const expired = await graphErrorOf(client.api('/security/alerts_v2').get());
		expect(expired).toMatchObject({
			statusCode: 401,
			code: 'InvalidAuthenticationToken',
			requestId: expect.any(String),
		});
	});

	it('a KQL error from runHuntingQuery', async () => {
		const error = await graphErrorOf(
			client.api('/security/runHuntingQuery').post({ Query: 'DeviceInfo | summarize count()' }),
		);
		expect(error).toMatchObject({ statusCode: 400, code: 'BadRequest' });
		expect(error.message).toMatch(/^Query could not be parsed at 'summarize'/);
	});
});

describe('answers read as they do from Graph', () => {
	it('executeResponseAction: a POST without body reads as 204 No Content, and the task moves on', async () => {
		const id = SEEDED_TASK_IDS.openByActionType.isolateDevice;
		const response = (await client
			.api(`/security/incidentTasks/${id}/executeResponseAction`)
			.version('beta')
			.responseType(ResponseType.RAW)
			.post(undefined)) as Response;
		expect(response.status).toBe(204);
		expect(await response.text()).toBe('');
		expect(sim.executions).toEqual([
			expect.objectContaining({ taskId: id, actionType: 'isolateDevice' }),
		]);
		// Without RAW the client reads the same answer as no content.
		const second = SEEDED_TASK_IDS.openByActionType.runAntiVirusScan;
		expect(
			await client
				.api(`/security/incidentTasks/${second}/executeResponseAction`)
				.version('beta')
				.post(undefined),
		).toBeUndefined();
		expect(sim.executions).toHaveLength(2);
	});

	it('PATCH of an incident and a comment POST return JSON the client parses', async () => {
		const id = SEEDED_INCIDENT_IDS.active;
		const updated = await client
			.api(`/security/incidents/${id}`)
			.patch({ status: 'resolved', classification: 'truePositive', determination: 'malware' });
		expect(updated).toMatchObject({
			id,
			status: 'resolved',
			classification: 'truePositive',
			determination: 'malware',
		});
		const comments = await client.api(`/security/incidents/${id}/comments`).post({
			'@odata.type': 'microsoft.graph.security.alertComment',
			comment: 'Resolved by n8n.',
		});
		expect(comments.value.at(-1)).toMatchObject({
			comment: 'Resolved by n8n.',
			createdByDisplayName: expect.any(String),
			createdDateTime: expect.any(String),
		});
	});

	it('runHuntingQuery returns schema and results', async () => {
		const answer = await client.api('/security/runHuntingQuery').post({
			Query: SEEDED_HUNTING_QUERIES.ransomwareProcesses,
			Timespan: SEEDED_HUNTING_TIMESPAN,
		});
		expect(answer.schema.map((column: { name: string }) => column.name)).toEqual([
			'Timestamp',
			'DeviceName',
			'AccountName',
			'ProcessCommandLine',
		]);
		expect(answer.results).toHaveLength(3);
	});
});
