import {
	SEEDED_ALERT_IDS,
	SEEDED_INCIDENT_IDS,
	SEED_ALERTS,
	SEED_INCIDENTS,
	SEED_TASKS,
	SIMULATOR_APP_NAME,
	startSimulator,
	type Simulator,
} from '../../simulator';
import {
	expectGraphError,
	filterQuery,
	graphRequests,
	newestFirst,
	PREFER_UNKNOWN_ENUM_MEMBERS,
	type Json,
} from './graphRequests';

let sim: Simulator;
const { graph, graphJson, readAllPages, post, patch } = graphRequests(() => sim);

beforeAll(async () => {
	sim = await startSimulator();
});
afterAll(() => sim.stop());
beforeEach(() => {
	sim.reset();
	sim.configure({ pageSize: null, nextLinkOrigin: null });
});

const AWAITING = SEEDED_INCIDENT_IDS.awaitingAction;
const ids = (entities: Json[]) => entities.map((entity) => entity.id);

describe('awaitingAction and Prefer: include-unknown-enum-members', () => {
	it('seeds an incident in awaitingAction, older than the newest one', () => {
		expect(SEED_INCIDENTS.find((incident) => incident.id === AWAITING)).toMatchObject({
			status: 'awaitingAction',
		});
		expect([...SEED_INCIDENTS].sort(newestFirst)[0].id).toBe(SEEDED_INCIDENT_IDS.newest);
		expect(SEEDED_INCIDENT_IDS.newest).not.toBe(AWAITING);
	});

	it('lists and gets it as unknownFutureValue without the header, as awaitingAction with it', async () => {
		const without = await graphJson('/v1.0/security/incidents');
		expect(without.body.value.find((incident: Json) => incident.id === AWAITING).status).toBe(
			'unknownFutureValue',
		);
		expect(without.body.value.some((incident: Json) => incident.status === 'awaitingAction')).toBe(
			false,
		);
		expect(without.response.headers.get('preference-applied')).toBeNull();

		const withHeader = await graphJson('/v1.0/security/incidents', {
			headers: PREFER_UNKNOWN_ENUM_MEMBERS,
		});
		expect(withHeader.body.value.find((incident: Json) => incident.id === AWAITING).status).toBe(
			'awaitingAction',
		);
		expect(withHeader.response.headers.get('preference-applied')).toBe(
			'include-unknown-enum-members',
		);

		expect((await graphJson(`/v1.0/security/incidents/${AWAITING}`)).body.status).toBe(
			'unknownFutureValue',
		);
		expect(
			(
				await graphJson(`/v1.0/security/incidents/${AWAITING}`, {
					headers: PREFER_UNKNOWN_ENUM_MEMBERS,
				})
			).body.status,
		).toBe('awaitingAction');
		// The header may carry other preferences too.
		const combined = await graphJson(`/v1.0/security/incidents/${AWAITING}`, {
			headers: { prefer: 'odata.maxpagesize=5, include-unknown-enum-members' },
		});
		expect(combined.body.status).toBe('awaitingAction');
	});

	it('applies the same rule where an incident is embedded: a task’s incident, $expand and the incident navigation', async () => {
		const task = SEED_TASKS.find((candidate) => candidate.incidentId === AWAITING)!;
		expect((await graphJson(`/beta/security/incidentTasks/${task.id}/incident`)).body.status).toBe(
			'unknownFutureValue',
		);
		expect(
			(
				await graphJson(`/beta/security/incidentTasks/${task.id}/incident`, {
					headers: PREFER_UNKNOWN_ENUM_MEMBERS,
				})
			).body.status,
		).toBe('awaitingAction');
		expect(
			(await graphJson(`/beta/security/incidentTasks/${task.id}?$expand=incident`)).body.incident
				.status,
		).toBe('unknownFutureValue');
		expect(
			(
				await graphJson(`/beta/security/incidentTasks/${task.id}?$expand=incident`, {
					headers: PREFER_UNKNOWN_ENUM_MEMBERS,
				})
			).body.incident.status,
		).toBe('awaitingAction');
	});

	it('filters as Graph documents for evolvable enums', async () => {
		const statusFilter = (status: string) =>
			`/v1.0/security/incidents?${filterQuery(`status eq '${status}'`)}`;
		expectGraphError(
			await graphJson(statusFilter('awaitingAction')),
			400,
			'BadRequest',
			/include-unknown-enum-members/,
		);
		expect(
			ids(
				(await graphJson(statusFilter('awaitingAction'), { headers: PREFER_UNKNOWN_ENUM_MEMBERS }))
					.body.value,
			),
		).toEqual([AWAITING]);
		// Without the header the member hides behind the sentinel; with it, nothing is the sentinel.
		expect(ids((await graphJson(statusFilter('unknownFutureValue'))).body.value)).toEqual([
			AWAITING,
		]);
		expect(
			(
				await graphJson(statusFilter('unknownFutureValue'), {
					headers: PREFER_UNKNOWN_ENUM_MEMBERS,
				})
			).body.value,
		).toEqual([]);
	});

	it('lets a test add a newer awaitingAction incident, listed first', async () => {
		const added = sim.addIncident({
			status: 'awaitingAction',
			severity: 'high',
			displayName: 'Defender Experts need your action',
		});
		const { body } = await graphJson('/v1.0/security/incidents?$top=1', {
			headers: PREFER_UNKNOWN_ENUM_MEMBERS,
		});
		expect(body.value).toEqual([
			expect.objectContaining({ id: added.id, status: 'awaitingAction' }),
		]);
		expect((await graphJson('/v1.0/security/incidents?$top=1')).body.value[0]).toMatchObject({
			id: added.id,
			status: 'unknownFutureValue',
		});
	});

	it('hides alert serviceSource members after the sentinel the same way', async () => {
		const alert = sim.addAlert({
			serviceSource: 'microsoftSentinel',
			title: 'Sentinel analytics rule',
		});
		expect((await graphJson(`/v1.0/security/alerts_v2/${alert.id}`)).body.serviceSource).toBe(
			'unknownFutureValue',
		);
		expect(
			(
				await graphJson(`/v1.0/security/alerts_v2/${alert.id}`, {
					headers: PREFER_UNKNOWN_ENUM_MEMBERS,
				})
			).body.serviceSource,
		).toBe('microsoftSentinel');
		expectGraphError(
			await graphJson(
				`/v1.0/security/alerts_v2?${filterQuery("serviceSource eq 'microsoftSentinel'")}`,
			),
			400,
			'BadRequest',
		);
	});
});

describe('alerts_v2 list: only the query options Graph documents ($count, $filter, $skip, $top)', () => {
	it.each([
		['$orderby=createdDateTime%20desc', /Query option '\$orderby' is not supported on alerts_v2/],
		['$orderby=lastUpdateDateTime', /Query option '\$orderby' is not supported on alerts_v2/],
		['$select=id,title', /Query option '\$select' is not supported on alerts_v2/],
		['$expand=evidence', /Query option '\$expand' is not supported on alerts_v2/],
	])("refuses %s with Graph's 400", async (query, message) => {
		expectGraphError(
			await graphJson(`/v1.0/security/alerts_v2?${query}`),
			400,
			'BadRequest',
			message,
		);
	});

	it('accepts $count, $filter, $skip and $top together', async () => {
		const { status, body } = await graphJson(
			`/v1.0/security/alerts_v2?${filterQuery("severity eq 'high'", '&$count=true&$skip=1&$top=2')}`,
		);
		expect(status).toBe(200);
		expect(body['@odata.count']).toBe(
			SEED_ALERTS.filter((alert) => alert.severity === 'high').length,
		);
		expect(body.value).toHaveLength(2);
	});
});

describe('$filter: only what Graph documents', () => {
	const refused = (collection: string, filter: string) =>
		graphJson(`/v1.0/security/${collection}?${filterQuery(filter)}`);

	it.each([
		["severity eq 'high' or severity eq 'medium'", /'or' is not supported/],
		["not (severity eq 'high')", /'not' is not supported/],
		["severity ne 'high'", /operator 'ne'/],
		["severity in ('high', 'medium')", /operator 'in'/],
		[
			"displayName eq 'Credential theft campaign targeting Finance'",
			/property 'displayName' cannot be filtered/,
		],
		["startswith(assignedTo, 'nestor')", /function 'startswith' is not supported/],
		["assignedTo gt 'a'", /operator 'gt' is not supported for 'assignedTo'/],
		["severity eq 'critical'", /'critical' is not a valid enumeration/],
		['severity eq high', /needs a quoted string/],
		['createdDateTime ge yesterday', /not a valid DateTimeOffset/],
	])('incidents refuse %s with 400 BadRequest', async (filter, message) => {
		expectGraphError(await refused('incidents', filter), 400, 'BadRequest', message);
	});

	it.each([
		"category eq 'Malware'",
		"serviceSource eq 'microsoftDefenderForEndpoint' or status eq 'new'",
		"status eq 'awaitingAction'",
		"severity in ('high')",
	])('alerts_v2 refuse %s with 400 BadRequest', async (filter) => {
		expectGraphError(
			await refused('alerts_v2', filter),
			400,
			'BadRequest',
			/^Invalid filter clause/,
		);
	});

	it('filters incidents on each documented property with eq, and dates with ge/gt/le/lt', async () => {
		const check = async (filter: string, expected: (incident: Json) => boolean) => {
			const { items } = await readAllPages(
				`/v1.0/security/incidents?${filterQuery(filter, '&$top=2')}`,
				PREFER_UNKNOWN_ENUM_MEMBERS,
			);
			const wanted = SEED_INCIDENTS.filter(expected)
				.sort(newestFirst)
				.map((incident) => incident.id);
			expect(wanted.length).toBeGreaterThan(0);
			expect({ filter, ids: ids(items) }).toEqual({ filter, ids: wanted });
		};
		await check(
			"assignedTo eq 'nestor.wilke@contoso.com'",
			(incident) => incident.assignedTo === 'nestor.wilke@contoso.com',
		);
		await check('assignedTo eq null', (incident) => incident.assignedTo === null);
		await check(
			"classification eq 'truePositive'",
			(incident) => incident.classification === 'truePositive',
		);
		await check(
			"determination eq 'securityTesting'",
			(incident) => incident.determination === 'securityTesting',
		);
		await check(
			"status eq 'resolved' and severity eq 'low'",
			(incident) => incident.status === 'resolved' && incident.severity === 'low',
		);
		await check(
			'createdDateTime gt 2026-01-05T12:30:00Z',
			(incident) => Date.parse(incident.createdDateTime) > Date.parse('2026-01-05T12:30:00Z'),
		);
		await check(
			'lastUpdateDateTime ge 2026-01-05T16:00:00Z and lastUpdateDateTime le 2026-01-05T23:00:00Z',
			(incident) =>
				Date.parse(incident.lastUpdateDateTime) >= Date.parse('2026-01-05T16:00:00Z') &&
				Date.parse(incident.lastUpdateDateTime) <= Date.parse('2026-01-05T23:00:00Z'),
		);
		await check(
			"(severity eq 'high') and createdDateTime lt 2026-01-05T12:00:00Z",
			(incident) =>
				incident.severity === 'high' &&
				Date.parse(incident.createdDateTime) < Date.parse('2026-01-05T12:00:00Z'),
		);
	});

	it('filters alerts on serviceSource, and pages the result newest first', async () => {
		const filter = "serviceSource eq 'microsoftDefenderForIdentity'";
		const { items, pages } = await readAllPages(
			`/v1.0/security/alerts_v2?${filterQuery(filter, '&$top=1')}`,
		);
		const expected = SEED_ALERTS.filter(
			(alert) => alert.serviceSource === 'microsoftDefenderForIdentity',
		).sort(newestFirst);
		expect(ids(items)).toEqual(ids(expected));
		expect(pages).toBe(expected.length);
	});
});

describe('lists, paging and get', () => {
	it('pages incidents and alerts newest first through nextLinks until the end', async () => {
		for (const [collection, seed] of [
			['incidents', SEED_INCIDENTS],
			['alerts_v2', SEED_ALERTS],
		] as const) {
			const { items, pages } = await readAllPages(`/v1.0/security/${collection}?$top=3`);
			expect(ids(items)).toEqual(ids([...seed].sort(newestFirst)));
			expect(pages).toBe(Math.ceil(seed.length / 3));
		}
	});

	it('answers 404 NotFound in Graph’s error shape for unknown IDs on get, PATCH and comments', async () => {
		expectGraphError(await graphJson('/v1.0/security/incidents/424242'), 404, 'NotFound', /424242/);
		expectGraphError(
			await patch('/v1.0/security/incidents/424242', { status: 'resolved' }),
			404,
			'NotFound',
		);
		expectGraphError(
			await post('/v1.0/security/incidents/424242/comments', { comment: 'x' }),
			404,
			'NotFound',
		);
		expectGraphError(
			await graphJson('/v1.0/security/alerts_v2/alert-missing'),
			404,
			'NotFound',
			/alert-missing/,
		);
		expectGraphError(
			await patch('/v1.0/security/alerts_v2/alert-missing', { status: 'resolved' }),
			404,
			'NotFound',
		);
		expectGraphError(
			await post('/v1.0/security/alerts_v2/alert-missing/comments', { comment: 'x' }),
			404,
			'NotFound',
		);
	});

	it('serves alerts with evidence naming the devices, files and users of the story', async () => {
		const { body } = await graphJson(`/v1.0/security/alerts_v2/alert-1001-02`);
		const types = body.evidence.map((evidence: Json) => evidence['@odata.type']);
		expect(types).toEqual(
			expect.arrayContaining([
				'#microsoft.graph.security.deviceEvidence',
				'#microsoft.graph.security.fileEvidence',
			]),
		);
		const device = body.evidence.find(
			(evidence: Json) => evidence['@odata.type'] === '#microsoft.graph.security.deviceEvidence',
		);
		expect(device).toMatchObject({
			mdeDeviceId: expect.stringMatching(/^[0-9a-f]{40}$/),
			deviceDnsName: 'ws-fin-042.contoso.com',
		});
		const isolate = SEED_TASKS.find((task) => task.id === 'task-isolate-open-001')!;
		expect(isolate.responseAction?.identifierValue).toBe(device.mdeDeviceId);
	});
});

describe('PATCH /security/incidents/{id}', () => {
	const id = SEEDED_INCIDENT_IDS.active;

	it('updates the documented fields, answers 200 with the incident and keeps the change', async () => {
		const before = sim.getIncident(id)!;
		const changes = {
			status: 'resolved',
			classification: 'truePositive',
			determination: 'malware',
			assignedTo: 'soc-automation@contoso.com',
			customTags: ['n8n', 'ransomware'],
			resolvingComment: 'Contained by the n8n playbook.',
			description: 'Ransomware contained on three Finance workstations.',
			displayName: 'Ransomware on Finance workstations',
			severity: 'high',
			summary: 'Ransomware reached three Finance workstations from a phishing mail.',
		};
		const { status, body, response } = await patch(`/v1.0/security/incidents/${id}`, changes);
		expect(status).toBe(200);
		expect(body).toMatchObject({
			'@odata.context': `${sim.url}/v1.0/$metadata#security/incidents/$entity`,
			id,
			...changes,
			lastModifiedBy: SIMULATOR_APP_NAME,
		});
		expect(Date.parse(body.lastUpdateDateTime)).toBeGreaterThan(
			Date.parse(before.lastUpdateDateTime),
		);
		expect(response.headers.get('request-id')).toEqual(expect.any(String));
		expect((await graphJson(`/v1.0/security/incidents/${id}`)).body).toMatchObject(changes);
		expect(sim.requests.find((entry) => entry.method === 'PATCH')).toMatchObject({
			path: `/v1.0/security/incidents/${id}`,
			status: 200,
		});
	});

	it.each([
		[{ id: '9999' }, /'id' cannot be updated/],
		[{ priorityScore: 100 }, /'priorityScore' cannot be updated/],
		[{ summary: 42 }, /string or null/],
		[{ comments: [] }, /'comments' cannot be updated/],
		[{ resolvingComments: 'plural' }, /'resolvingComments' cannot be updated/],
		[{ severity: 'critical' }, /Allowed values/],
		[{ status: 'closed' }, /Allowed values/],
		[{ determination: 'clean' }, /Allowed values/],
		[{ customTags: 'n8n' }, /array of strings/],
		[{ assignedTo: 42 }, /string or null/],
		[
			{ status: 'awaitingAction' },
			/Allowed values: active, resolved, redirected, unknownFutureValue/,
		],
		[{ status: 'inProgress' }, /Allowed values: active, resolved, redirected, unknownFutureValue/],
	])('refuses %j with 400 BadRequest and changes nothing', async (changes, message) => {
		const before = sim.getIncident(id);
		expectGraphError(
			await patch(`/v1.0/security/incidents/${id}`, changes),
			400,
			'BadRequest',
			message,
		);
		expect(sim.getIncident(id)).toEqual(before);
	});

	it('refuses awaitingAction and inProgress even with the Prefer header: only Defender sets them', async () => {
		for (const status of ['awaitingAction', 'inProgress']) {
			const before = sim.getIncident(id);
			const refused = await patch(
				`/v1.0/security/incidents/${id}`,
				{ status },
				PREFER_UNKNOWN_ENUM_MEMBERS,
			);
			expectGraphError(refused, 400, 'BadRequest', /Invalid value .* for property 'status'/);
			expect(sim.getIncident(id)).toEqual(before);
		}
	});

	it('leaves a field sent as unknownFutureValue unchanged', async () => {
		const ignored = await patch(
			`/v1.0/security/incidents/${id}`,
			{ status: 'unknownFutureValue', assignedTo: 'tier2@contoso.com' },
			PREFER_UNKNOWN_ENUM_MEMBERS,
		);
		expect(ignored.body).toMatchObject({ status: 'active', assignedTo: 'tier2@contoso.com' });
	});

	it('refuses a body that is not a JSON object', async () => {
		expectGraphError(
			await graphJson(`/v1.0/security/incidents/${id}`, {
				method: 'PATCH',
				body: 'status=resolved',
			}),
			400,
			'BadRequest',
			/JSON object/,
		);
		expectGraphError(
			await graphJson(`/v1.0/security/incidents/${id}`, { method: 'PATCH', body: '["resolved"]' }),
			400,
			'BadRequest',
			/JSON object/,
		);
	});
});

describe('PATCH /security/alerts_v2/{id}', () => {
	const id = SEEDED_ALERT_IDS.new;

	it('updates status, classification, determination and assignedTo; resolving stamps resolvedDateTime', async () => {
		const changes = {
			status: 'resolved',
			classification: 'truePositive',
			determination: 'malware',
			assignedTo: 'soc-automation@contoso.com',
		};
		const { status, body } = await patch(`/v1.0/security/alerts_v2/${id}`, changes);
		expect(status).toBe(200);
		expect(body).toMatchObject({
			'@odata.context': `${sim.url}/v1.0/$metadata#security/alerts_v2/$entity`,
			id,
			...changes,
			resolvedDateTime: expect.any(String),
		});
		expect(sim.getAlert(id)).toMatchObject(changes);
		const reopened = await patch(`/v1.0/security/alerts_v2/${id}`, { status: 'inProgress' });
		expect(reopened.body).toMatchObject({ status: 'inProgress', resolvedDateTime: null });
	});

	it.each([
		[{ severity: 'low' }],
		[{ customTags: ['x'] }],
		[{ resolvingComment: 'x' }],
		[{ status: 'active' }],
	])('refuses %j with 400', async (changes) => {
		const before = sim.getAlert(id);
		expectGraphError(await patch(`/v1.0/security/alerts_v2/${id}`, changes), 400, 'BadRequest');
		expect(sim.getAlert(id)).toEqual(before);
	});
});

describe('POST …/comments', () => {
	const comment = (text: string) => ({
		'@odata.type': 'microsoft.graph.security.alertComment',
		comment: text,
	});

	it('adds a comment to an incident: 200 with every comment of the incident, visible on the incident afterwards', async () => {
		const id = SEEDED_INCIDENT_IDS.active;
		const existing = sim.getIncident(id)!.comments;
		expect(existing.length).toBeGreaterThan(0);
		const { status, body } = await post(
			`/v1.0/security/incidents/${id}/comments`,
			comment('Isolated WS-FIN-042; request ID abc-123.'),
		);
		expect(status).toBe(200);
		expect(body['@odata.context']).toBe(
			`${sim.url}/v1.0/$metadata#security/incidents('${id}')/comments`,
		);
		expect(body.value).toEqual([
			...existing,
			{
				comment: 'Isolated WS-FIN-042; request ID abc-123.',
				createdByDisplayName: SIMULATOR_APP_NAME,
				createdDateTime: expect.any(String),
			},
		]);
		expect((await graphJson(`/v1.0/security/incidents/${id}`)).body.comments).toEqual(body.value);
		expect(sim.requests.at(-2)).toMatchObject({
			method: 'POST',
			path: `/v1.0/security/incidents/${id}/comments`,
			status: 200,
		});
	});

	it('adds a comment to an alert the same way; the @odata.type may be omitted', async () => {
		const id = SEEDED_ALERT_IDS.inProgress;
		const first = await post(`/v1.0/security/alerts_v2/${id}/comments`, comment('First note'));
		const second = await post(`/v1.0/security/alerts_v2/${id}/comments`, {
			comment: 'Second note',
		});
		expect(first.body['@odata.context']).toBe(
			`${sim.url}/v1.0/$metadata#security/alerts_v2('${id}')/comments`,
		);
		expect(second.body.value.map((entry: Json) => entry.comment)).toEqual([
			'First note',
			'Second note',
		]);
		expect((await graphJson(`/v1.0/security/alerts_v2/${id}`)).body.comments).toHaveLength(2);
	});

	it.each([
		[{ '@odata.type': 'microsoft.graph.security.alertComment' }, /non-empty 'comment'/],
		[comment('   '), /non-empty 'comment'/],
		[{ '@odata.type': 'microsoft.graph.security.incident', comment: 'x' }, /alertComment/],
		[
			{ comment: 'x', createdByDisplayName: 'someone else' },
			/'createdByDisplayName' does not exist/,
		],
	])('refuses %j with 400 and stores nothing', async (body, message) => {
		const id = SEEDED_INCIDENT_IDS.resolved;
		const before = sim.getIncident(id)!.comments;
		expectGraphError(
			await post(`/v1.0/security/incidents/${id}/comments`, body),
			400,
			'BadRequest',
			message,
		);
		expect(sim.getIncident(id)!.comments).toEqual(before);
	});

	it('answers 405 for other methods on comments', async () => {
		const response = await graph(`/v1.0/security/incidents/${SEEDED_INCIDENT_IDS.active}/comments`);
		expect(response.status).toBe(405);
		expect(response.headers.get('allow')).toBe('POST');
	});
});
