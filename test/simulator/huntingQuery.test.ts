import {
	SEEDED_HUNTING_QUERIES,
	SEEDED_HUNTING_TIMESPAN,
	SEED_ALERTS,
	SEED_HUNTING_TABLES,
	SEED_TASKS,
	STORY,
	startSimulator,
	type Simulator,
} from '../../simulator';
import { MAX_RESULT_ROWS, runHuntingQuery } from '../../simulator/hunting';
import { expectGraphError, graphRequests, type Json } from './graphRequests';

let sim: Simulator;
const { graphJson, post } = graphRequests(() => sim);

beforeAll(async () => {
	sim = await startSimulator();
});
afterAll(() => sim.stop());
beforeEach(() => sim.reset());

// The seeded rows are dated January 2026, older than Graph's default window of 30 days: queries on them send a
// Timespan that reaches them, as a client of Graph must; `null` sends none.
const hunt = (Query: string, Timespan: string | null = SEEDED_HUNTING_TIMESPAN) =>
	post('/v1.0/security/runHuntingQuery', Timespan === null ? { Query } : { Query, Timespan });
const results = async (Query: string, Timespan: string | null = SEEDED_HUNTING_TIMESPAN) => {
	const answer = await hunt(Query, Timespan);
	if (answer.status !== 200)
		throw new Error(`${Query} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
	return answer.body.results as Json[];
};

describe('POST /security/runHuntingQuery', () => {
	it('answers huntingQueryResults: schema of { name, type } and one object per row with those columns', async () => {
		const { status, body } = await hunt(
			'DeviceProcessEvents | where FileName == "svcupdate.exe" | project Timestamp, DeviceName, ProcessCommandLine',
		);
		expect(status).toBe(200);
		expect(body['@odata.context']).toBe(
			`${sim.url}/v1.0/$metadata#microsoft.graph.security.huntingQueryResults`,
		);
		expect(body.schema).toEqual([
			{ name: 'Timestamp', type: 'DateTime' },
			{ name: 'DeviceName', type: 'String' },
			{ name: 'ProcessCommandLine', type: 'String' },
		]);
		expect(body.results).toHaveLength(3);
		for (const row of body.results)
			expect(Object.keys(row)).toEqual(['Timestamp', 'DeviceName', 'ProcessCommandLine']);
		expect(body.results.map((row: Json) => row.DeviceName).sort()).toEqual([
			'ws-fin-039.contoso.com',
			'ws-fin-042.contoso.com',
			'ws-fin-051.contoso.com',
		]);
	});

	it('returns every column of the table, in schema order, without project', async () => {
		const { body } = await hunt('DeviceInfo | take 1');
		expect(body.schema).toEqual(SEED_HUNTING_TABLES.DeviceInfo.schema);
		expect(Object.keys(body.results[0])).toEqual(
			SEED_HUNTING_TABLES.DeviceInfo.schema.map((column) => column.name),
		);
	});

	it.each(
		Object.entries({ devicesOfIncident: 3, ransomwareProcesses: 3, indicatorConnections: 2 }),
	)('the seeded query %s returns %i rows', async (name, rows) => {
		expect(
			await results(SEEDED_HUNTING_QUERIES[name as keyof typeof SEEDED_HUNTING_QUERIES]),
		).toHaveLength(rows);
	});

	it('works on v1.0 and beta, with Query in any case as Graph binds action parameters', async () => {
		expect(
			(
				await post('/beta/security/runHuntingQuery', {
					Query: 'AlertInfo | count',
					Timespan: SEEDED_HUNTING_TIMESPAN,
				})
			).body.results,
		).toEqual([{ Count: SEED_ALERTS.length }]);
		expect(
			(
				await post('/v1.0/security/runHuntingQuery', {
					query: 'AlertInfo | count',
					timespan: SEEDED_HUNTING_TIMESPAN,
				})
			).body.results,
		).toEqual([{ Count: SEED_ALERTS.length }]);
	});
});

describe('the KQL subset', () => {
	const names = (rows: Json[], column = 'DeviceName') => rows.map((row) => row[column]);

	it('where with ==, !=, =~, contains, startswith, endswith, has, in, and, or', async () => {
		expect(
			names(await results('DeviceInfo | where DeviceName == "ws-dev-201.contoso.com"')),
		).toEqual(['ws-dev-201.contoso.com']);
		expect(await results('DeviceInfo | where DeviceName == "WS-DEV-201.contoso.com"')).toEqual([]);
		expect(
			names(await results('DeviceInfo | where DeviceName =~ "WS-DEV-201.CONTOSO.COM"')),
		).toEqual(['ws-dev-201.contoso.com']);
		expect(await results('DeviceInfo | where DeviceType != "Server"')).toHaveLength(
			Object.values(STORY.devices).filter((d) => !d.osPlatform.startsWith('WindowsServer')).length,
		);
		expect(names(await results('DeviceInfo | where DeviceName contains "SALES"')).sort()).toEqual([
			'lt-sales-019.contoso.com',
			'lt-sales-022.contoso.com',
		]);
		expect(
			await results(
				'DeviceInfo | where DeviceName startswith "srv-" and MachineGroup == "Servers"',
			),
		).toHaveLength(4);
		expect(
			names(
				await results(
					'DeviceInfo | where DeviceName endswith "-003.contoso.com" or DeviceName has "ws-ops-088"',
				),
			).sort(),
		).toEqual(['lt-exec-003.contoso.com', 'ws-ops-088.contoso.com']);
		expect(
			names(
				await results('DeviceProcessEvents | where FileName in ("net.exe", "vssadmin.exe")'),
				'FileName',
			).sort(),
		).toEqual(['net.exe', 'net.exe', 'vssadmin.exe']);
		expect(
			await results(
				'DeviceProcessEvents | where FileName !in ("net.exe") and FileName !contains "svc"',
			),
		).toHaveLength(
			SEED_HUNTING_TABLES.DeviceProcessEvents.rows.filter(
				(row) => row.FileName !== 'net.exe' && !String(row.FileName).toLowerCase().includes('svc'),
			).length,
		);
	});

	it('compares times with datetime(), ago() and numbers with > < >= <=', async () => {
		const after = await results(
			'DeviceNetworkEvents | where Timestamp >= datetime(2026-01-05T12:00:00Z) | project Timestamp',
		);
		expect(after.length).toBeGreaterThan(0);
		for (const row of after)
			expect(Date.parse(row.Timestamp)).toBeGreaterThanOrEqual(Date.parse('2026-01-05T12:00:00Z'));
		expect(await results('DeviceNetworkEvents | where RemotePort < 443')).toHaveLength(1);
		// ago() counts back from the real clock; the seed has fixed dates in January 2026.
		sim.addHuntingRows('DeviceInfo', [
			{
				Timestamp: new Date().toISOString(),
				DeviceName: 'fresh-laptop.contoso.com',
				DeviceId: 'f'.repeat(40),
			},
		]);
		expect(names(await results('DeviceInfo | where Timestamp > ago(1h)', null))).toEqual([
			'fresh-laptop.contoso.com',
		]);
	});

	it('take, limit, top, order by, sort by, project and count', async () => {
		expect(await results('DeviceInfo | take 2')).toHaveLength(2);
		expect(await results('DeviceInfo | limit 5 | take 3')).toHaveLength(3);
		const ordered = await results('AlertInfo | order by Timestamp asc | project AlertId');
		expect(ordered.map((row) => row.AlertId)).toEqual(
			[...SEED_ALERTS]
				.sort((a, b) => Date.parse(a.createdDateTime) - Date.parse(b.createdDateTime))
				.map((alert) => alert.id),
		);
		const newest = await results('AlertInfo | sort by Timestamp | take 1');
		expect(newest[0].AlertId).toBe('alert-1008-03');
		expect(
			(await results('AlertInfo | top 2 by Timestamp desc | project AlertId')).map(
				(row) => row.AlertId,
			),
		).toEqual(['alert-1008-03', 'alert-1008-02']);
		expect(
			await results(
				'AlertEvidence | where AlertId == "alert-1001-02" and EntityType == "Machine" | count',
			),
		).toEqual([{ Count: 3 }]);
	});

	it('Timespan bounds the rows by Timestamp (ISO 8601 start/end, duration/end, start/duration, duration)', async () => {
		expect(await results('AlertInfo', '2026-01-05T08:00:00Z/2026-01-05T10:00:00Z')).toHaveLength(
			SEED_ALERTS.filter(
				(alert) => Date.parse(alert.createdDateTime) <= Date.parse('2026-01-05T10:00:00Z'),
			).length,
		);
		expect(await results('AlertInfo', 'PT2H/2026-01-05T10:00:00Z')).toHaveLength(4);
		expect(await results('AlertInfo', '2026-01-05T18:00:00Z/PT1H')).toHaveLength(3);
		expect(await results('AlertInfo', 'P30D')).toEqual([]);
	});
});

describe('the hunting tables tell the same story as incidents, alerts and tasks', () => {
	it('device tasks target devices of DeviceInfo, file tasks files seen in DeviceProcessEvents', async () => {
		const deviceIds = new Set(
			(await results('DeviceInfo | project DeviceId')).map((row) => row.DeviceId),
		);
		const sha1s = new Set(
			(await results('DeviceProcessEvents | project SHA1')).map((row) => row.SHA1),
		);
		const evidenceSha1s = new Set(
			(await results('AlertEvidence | where EntityType == "File" | project SHA1')).map(
				(row) => row.SHA1,
			),
		);
		const deviceTasks = SEED_TASKS.filter((task) =>
			[
				'isolateDevice',
				'unIsolateDevice',
				'runAntiVirusScan',
				'collectInvestigationPackage',
				'restrictAppExecution',
				'unRestrictAppExecution',
			].includes(task.actionType),
		);
		expect(deviceTasks.length).toBeGreaterThan(10);
		for (const task of deviceTasks)
			expect({ task: task.id, known: deviceIds.has(task.responseAction?.identifierValue) }).toEqual(
				{ task: task.id, known: true },
			);
		for (const task of SEED_TASKS.filter(
			(candidate) => candidate.actionType === 'stopAndQuarantineFile',
		)) {
			expect(
				evidenceSha1s.has(task.responseAction?.identifierValue) ||
					sha1s.has(task.responseAction?.identifierValue),
			).toBe(true);
			expect(deviceIds.has(task.responseAction?.deviceId)).toBe(true);
		}
	});

	it('AlertInfo lists every alert and AlertEvidence the entities of alerts_v2 evidence', async () => {
		expect((await results('AlertInfo | project AlertId')).map((row) => row.AlertId).sort()).toEqual(
			SEED_ALERTS.map((alert) => alert.id).sort(),
		);
		const evidence = await results('AlertEvidence | project AlertId');
		expect(evidence).toHaveLength(
			SEED_ALERTS.reduce((sum, alert) => sum + alert.evidence.length, 0),
		);
	});
});

describe('what the simulator refuses, as Graph does, with 400 BadRequest', () => {
	it.each([
		['Nope | take 1', /^Failed to resolve table or column expression named 'Nope'$/],
		[
			'DeviceInfo | where Colour == "red"',
			/^'where' operator: Failed to resolve scalar expression named 'Colour'$/,
		],
		[
			'DeviceInfo | project DeviceName, Colour',
			/^'project' operator: Failed to resolve scalar expression named 'Colour'$/,
		],
		[
			'DeviceInfo | summarize count() by OSPlatform',
			/^Query could not be parsed at 'summarize' on line \[1,14\]\. The simulator runs a subset of KQL/,
		],
		['DeviceInfo take 5', /^Query could not be parsed at 'take' on line \[1,12\]$/],
		['DeviceInfo | where DeviceName == "unterminated', /^Query could not be parsed at/],
		['DeviceInfo | take', /^Query could not be parsed at '<end of query>'/],
		['DeviceInfo | where Timestamp > ago(yesterday)', /^Query could not be parsed at 'yesterday'/],
	])('%s', async (query, message) => {
		expectGraphError(await hunt(query), 400, 'BadRequest', message);
	});

	it('a body without Query, with other parameters, or with a malformed Timespan', async () => {
		expectGraphError(
			await post('/v1.0/security/runHuntingQuery', {}),
			400,
			'BadRequest',
			/non-empty 'Query'/,
		);
		expectGraphError(
			await post('/v1.0/security/runHuntingQuery', { Query: '   ' }),
			400,
			'BadRequest',
			/non-empty 'Query'/,
		);
		expectGraphError(
			await post('/v1.0/security/runHuntingQuery', { Query: 'DeviceInfo', MaxRows: 5 }),
			400,
			'BadRequest',
			/parameter 'MaxRows'.*not a valid parameter/,
		);
		expectGraphError(
			await hunt('DeviceInfo', 'last week'),
			400,
			'BadRequest',
			/Invalid Timespan 'last week'/,
		);
	});

	it('other methods: 405', async () => {
		expect((await graphJson('/v1.0/security/runHuntingQuery')).status).toBe(405);
	});
});

describe('addHuntingRows', () => {
	it('adds rows a later query finds, fills omitted columns and refuses unknown tables and columns', async () => {
		const [added] = sim.addHuntingRows('DeviceNetworkEvents', [
			{
				Timestamp: new Date().toISOString(),
				DeviceName: 'ws-fin-042.contoso.com',
				RemoteIP: '192.0.2.99',
				RemotePort: 8443,
			},
		]);
		expect(added).toMatchObject({ RemoteUrl: '', LocalPort: null });
		expect(
			await results(
				'DeviceNetworkEvents | where RemoteIP == "192.0.2.99" | project DeviceName, RemotePort',
				null,
			),
		).toEqual([{ DeviceName: 'ws-fin-042.contoso.com', RemotePort: 8443 }]);
		expect(() => sim.addHuntingRows('EmailEvents' as never, [])).toThrow(
			/No hunting table EmailEvents/,
		);
		expect(() => sim.addHuntingRows('DeviceInfo', [{ Colour: 'red' }])).toThrow(/no column Colour/);
		sim.reset();
		expect(await results('DeviceNetworkEvents | where RemoteIP == "192.0.2.99"', null)).toEqual([]);
	});
});

describe("Graph's limits on a query", () => {
	const DAY_MS = 86_400_000;
	const deviceSeen = (daysAgo: number, DeviceName: string) => ({
		Timestamp: new Date(Date.now() - daysAgo * DAY_MS).toISOString(),
		DeviceName,
		DeviceId: 'e'.repeat(40),
	});

	it('without a Timespan looks back 30 days only; a Timespan reaches older rows', async () => {
		sim.addHuntingRows('DeviceInfo', [
			deviceSeen(1, 'recent.contoso.com'),
			deviceSeen(29, 'last-month.contoso.com'),
			deviceSeen(31, 'older.contoso.com'),
		]);
		const query =
			'DeviceInfo | where DeviceId == "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee" | project DeviceName';
		expect((await results(query, null)).map((row) => row.DeviceName).sort()).toEqual([
			'last-month.contoso.com',
			'recent.contoso.com',
		]);
		expect((await results(query, 'P60D')).map((row) => row.DeviceName).sort()).toEqual([
			'last-month.contoso.com',
			'older.contoso.com',
			'recent.contoso.com',
		]);
		// The seeded story (January 2026) is outside the default window.
		expect(await results(SEEDED_HUNTING_QUERIES.devicesOfIncident, null)).toEqual([]);
	});

	it('returns at most 100,000 rows, while count still counts them all', () => {
		// The query engine itself, over a table of 100,001 rows: no need to send megabytes through HTTP for this.
		const now = Date.now();
		const table = {
			schema: [
				{ name: 'Timestamp', type: 'DateTime' },
				{ name: 'DeviceName', type: 'String' },
			],
			rows: Array.from({ length: 100_001 }, (_, index) => ({
				Timestamp: new Date(now - index).toISOString(),
				DeviceName: `bulk-${index}`,
			})),
		};
		expect(MAX_RESULT_ROWS).toBe(100_000);
		expect(
			runHuntingQuery('Bulk | where DeviceName startswith "bulk-"', undefined, { Bulk: table }, now)
				.results,
		).toHaveLength(100_000);
		expect(runHuntingQuery('Bulk | count', undefined, { Bulk: table }, now).results).toEqual([
			{ Count: 100_001 },
		]);
		expect(runHuntingQuery('Bulk | take 5', undefined, { Bulk: table }, now).results).toHaveLength(
			5,
		);
	});

	it('huntingQueryMs makes a query run long: its answer comes no sooner', async () => {
		sim.configure({ huntingQueryMs: 250 });
		try {
			expect((await hunt('AlertInfo | count')).body.results).toEqual([
				{ Count: SEED_ALERTS.length },
			]);
			const [query] = sim.requests.filter((request) => request.authorized);
			expect(query.path).toBe('/v1.0/security/runHuntingQuery');
			expect(query.durationMs).toBeGreaterThanOrEqual(250);
		} finally {
			sim.configure({ huntingQueryMs: 0 });
		}
	});
});
