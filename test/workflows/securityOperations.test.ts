/**
 * Incidents, alerts and advanced hunting, run by the n8n engine against the simulator the way a workflow does:
 * what lands on Success and Error, what reached Graph, and what never did.
 */
import {
	SEEDED_ALERT_IDS as ALERTS,
	SEEDED_HUNTING_QUERIES as QUERIES,
	SEEDED_HUNTING_TIMESPAN as HUNTING_TIMESPAN,
	SEEDED_INCIDENT_IDS as INCIDENTS,
	SEEDED_TASK_IDS as TASKS,
} from '../../simulator';

import { agentTool, graphRequests, runDefender, useWorld } from './defenderWorkflow';

const world = useWorld();

const hostileIds = [
	'../tasks',
	'a/b',
	'1001?$select=x',
	'1001 or 1=1',
	"1001'",
	'%2e%2e',
	'',
	'x'.repeat(129),
];

describe('incidents', () => {
	it('gets an incident, and an awaiting-action one reads as awaitingAction (the Prefer header is sent)', async () => {
		const run = await runDefender(
			world.engine,
			{ resource: 'incident', operation: 'get', incidentId: '={{ $json.id }}' },
			[{ id: INCIDENTS.active }, { id: INCIDENTS.awaitingAction }],
		);

		expect(run.success.map((incident) => [incident.id, incident.status])).toEqual([
			[INCIDENTS.active, 'active'],
			[INCIDENTS.awaitingAction, 'awaitingAction'],
		]);
		expect(run.successPairs).toEqual([0, 1]);
	});

	it('lists incidents newest first through several pages, up to the limit', async () => {
		world.sim.configure({ pageSize: 3 });
		const limited = await runDefender(world.engine, {
			resource: 'incident',
			operation: 'getMany',
			limit: 5,
		});
		const all = await runDefender(world.engine, {
			resource: 'incident',
			operation: 'getMany',
			returnAll: true,
		});

		expect(limited.success).toHaveLength(5);
		expect(all.success.length).toBe(world.sim.state().incidents.length);
		const created = all.success.map((incident) => Date.parse(incident.createdDateTime));
		expect(created).toEqual([...created].sort((a, b) => b - a));
		expect(graphRequests(world.sim, 'GET').length).toBeGreaterThan(2);
	});

	it('sends each filter to Graph as a checked $filter condition', async () => {
		const run = await runDefender(world.engine, {
			resource: 'incident',
			operation: 'getMany',
			returnAll: true,
			filters: { status: 'awaitingAction', severity: 'high', createdAfter: '2026-01-01T00:00:00Z' },
		});

		expect(run.success.map((incident) => incident.id)).toContain(INCIDENTS.awaitingAction);
		expect(
			run.success.every(
				(incident) => incident.status === 'awaitingAction' && incident.severity === 'high',
			),
		).toBe(true);
		expect(decodeURIComponent(graphRequests(world.sim, 'GET')[0].path)).toContain(
			"status eq 'awaitingAction' and severity eq 'high' and createdDateTime ge 2026-01-01T00:00:00.000Z",
		);
	});

	it.each([
		['a status outside the five', { status: "active' or 1 eq 1 or status eq 'x" }, 'Status filter'],
		[
			'an assignee that is not a user principal name',
			{ assignedTo: "x' or '1'='1" },
			'Assigned To filter',
		],
		['a date that is not ISO 8601', { lastUpdatedAfter: 'yesterday' }, 'Last Updated After filter'],
	])('refuses %s with no request, naming the filter', async (_name, filters, field) => {
		const run = await runDefender(world.engine, {
			resource: 'incident',
			operation: 'getMany',
			filters,
		});

		expect(run.error[0]).toMatchObject({
			incidentId: null,
			outcome: 'failed',
			error: { code: 'invalidFilter', executed: 'no' },
		});
		expect(run.error[0].error.message).toContain(field);
		expect(graphRequests(world.sim)).toHaveLength(0);
	});

	it('resolves and classifies an incident with a PATCH that carries only the fields set', async () => {
		const run = await runDefender(world.engine, {
			resource: 'incident',
			operation: 'update',
			incidentId: INCIDENTS.active,
			updateFields: {
				status: 'resolved',
				classification: 'truePositive',
				determination: 'malware',
				customTags: 'ransomware, finance',
				resolvingComment: 'Devices isolated and scanned',
			},
		});

		expect(run.success[0]).toMatchObject({
			id: INCIDENTS.active,
			status: 'resolved',
			classification: 'truePositive',
			determination: 'malware',
			customTags: ['ransomware', 'finance'],
		});
		const patch = graphRequests(world.sim, 'PATCH')[0];
		expect(patch.path).toBe(`/v1.0/security/incidents/${INCIDENTS.active}`);
		expect(world.sim.getIncident(INCIDENTS.active)).toMatchObject({
			status: 'resolved',
			resolvingComment: 'Devices isolated and scanned',
		});
	});

	it("refuses an update with no fields, and a classification outside Graph's, before any request", async () => {
		const empty = await runDefender(world.engine, {
			resource: 'incident',
			operation: 'update',
			incidentId: INCIDENTS.active,
			updateFields: {},
		});
		const wrong = await runDefender(world.engine, {
			resource: 'incident',
			operation: 'update',
			incidentId: INCIDENTS.active,
			updateFields: { classification: '={{ "benign" }}' },
		});

		expect(empty.error[0].error.code).toBe('nothingToUpdate');
		expect(wrong.error[0].error.message).toMatch(
			/^Classification: "benign" is not one of truePositive/,
		);
		expect(graphRequests(world.sim)).toHaveLength(0);
	});

	it("adds a comment once, with the alertComment type, and shows the incident's comments", async () => {
		const run = await runDefender(world.engine, {
			resource: 'incident',
			operation: 'addComment',
			incidentId: INCIDENTS.active,
			comment: 'Isolated ws-fin-042 (n8n)',
		});

		expect(run.success[0]).toMatchObject({
			incidentId: INCIDENTS.active,
			outcome: 'commented',
			comment: 'Isolated ws-fin-042 (n8n)',
			statusCode: 200,
		});
		expect(run.success[0].comments.map((c: { comment: string }) => c.comment)).toContain(
			'Isolated ws-fin-042 (n8n)',
		);
		expect(world.sim.getIncident(INCIDENTS.active)?.comments.map((c) => c.comment)).toContain(
			'Isolated ws-fin-042 (n8n)',
		);
		expect(graphRequests(world.sim, 'POST').map((request) => request.path)).toEqual([
			`/v1.0/security/incidents/${INCIDENTS.active}/comments`,
		]);
	});

	it('never re-sends a comment whose answer was lost: executed unknown, one POST', async () => {
		world.sim.injectFault({ method: 'POST', path: /comments/, fault: '503' });
		const run = await runDefender(world.engine, {
			resource: 'incident',
			operation: 'addComment',
			incidentId: INCIDENTS.active,
			comment: 'Resolved by n8n',
		});

		expect(run.error[0]).toMatchObject({
			incidentId: INCIDENTS.active,
			outcome: 'failed',
			error: { statusCode: 503, executed: 'unknown' },
		});
		expect(run.error[0].error.message).toContain('comment may or may not have been added');
		expect(graphRequests(world.sim, 'POST')).toHaveLength(1);
	});

	it('routes a 404 to Error with what to check, and retries a throttled read', async () => {
		world.sim.injectFault({ method: 'GET', fault: '429', retryAfterSeconds: 1 });
		const run = await runDefender(
			world.engine,
			{ resource: 'incident', operation: 'get', incidentId: '={{ $json.id }}' },
			[{ id: INCIDENTS.active }, { id: '999999' }],
		);

		expect(run.success.map((incident) => incident.id)).toEqual([INCIDENTS.active]);
		expect(run.error[0]).toMatchObject({
			incidentId: '999999',
			error: { statusCode: 404, executed: 'no' },
		});
		expect(run.error[0].error.message).toContain('Check the incident ID');
	});

	it.each(hostileIds)('refuses the incident ID %p with no request', async (incidentId) => {
		const run = await runDefender(world.engine, {
			resource: 'incident',
			operation: 'get',
			incidentId: `={{ ${JSON.stringify(incidentId)} }}`,
		});

		expect(run.error[0].error).toMatchObject({ code: 'invalidIncidentId', executed: 'no' });
		expect(graphRequests(world.sim)).toHaveLength(0);
	});
});

describe('alerts', () => {
	it('gets an alert with its evidence, and lists alerts by service source', async () => {
		const one = await runDefender(world.engine, {
			resource: 'alert',
			operation: 'get',
			alertId: ALERTS.new,
		});
		const fromOffice = await runDefender(world.engine, {
			resource: 'alert',
			operation: 'getMany',
			returnAll: true,
			filters: { serviceSource: 'microsoftDefenderForOffice365' },
		});

		expect(one.success[0]).toMatchObject({ id: ALERTS.new, status: 'new' });
		expect(Array.isArray(one.success[0].evidence)).toBe(true);
		expect(fromOffice.success.length).toBeGreaterThan(0);
		expect(
			fromOffice.success.every((alert) => alert.serviceSource === 'microsoftDefenderForOffice365'),
		).toBe(true);
	});

	it('updates an alert and comments on it', async () => {
		const updated = await runDefender(world.engine, {
			resource: 'alert',
			operation: 'update',
			alertId: ALERTS.new,
			updateFields: {
				status: 'resolved',
				classification: 'falsePositive',
				determination: 'notMalicious',
				assignedTo: 'analyst@contoso.com',
			},
		});
		const commented = await runDefender(world.engine, {
			resource: 'alert',
			operation: 'addComment',
			alertId: ALERTS.new,
			comment: 'Expected admin activity',
		});

		expect(updated.success[0]).toMatchObject({
			id: ALERTS.new,
			status: 'resolved',
			classification: 'falsePositive',
			assignedTo: 'analyst@contoso.com',
		});
		expect(commented.success[0]).toMatchObject({ alertId: ALERTS.new, outcome: 'commented' });
		expect(world.sim.getAlert(ALERTS.new)?.comments.map((c) => c.comment)).toContain(
			'Expected admin activity',
		);
	});

	it('puts a failing alert on Error with the alertId it was about', async () => {
		const run = await runDefender(world.engine, {
			resource: 'alert',
			operation: 'get',
			alertId: 'no-such-alert',
		});

		expect(run.error[0]).toEqual({
			alertId: 'no-such-alert',
			outcome: 'failed',
			error: expect.objectContaining({ statusCode: 404, executed: 'no', retryable: false }),
		});
	});
});

describe('advanced hunting', () => {
	it('makes one Success item per result row', async () => {
		// The seeded rows are older than Graph's default 30 days: the Timespan reaches them.
		const run = await runDefender(world.engine, {
			resource: 'advancedHunting',
			operation: 'runQuery',
			query: QUERIES.devicesOfIncident,
			timespan: HUNTING_TIMESPAN,
		});

		expect(run.success).toHaveLength(3);
		expect(Object.keys(run.success[0]).sort()).toEqual([
			'DeviceId',
			'DeviceName',
			'MachineGroup',
			'OSPlatform',
		]);
		expect(run.successPairs).toEqual([0, 0, 0]);
		const post = graphRequests(world.sim, 'POST')[0];
		expect(post.path).toBe('/v1.0/security/runHuntingQuery');
	});

	it("turns a KQL error into one Error item that carries Graph's message and the query", async () => {
		const query = 'DeviceInfo | summarize count() by OSPlatform';
		const run = await runDefender(world.engine, {
			resource: 'advancedHunting',
			operation: 'runQuery',
			query,
		});

		expect(run.success).toHaveLength(0);
		expect(run.error).toHaveLength(1);
		expect(run.error[0]).toMatchObject({
			query,
			outcome: 'failed',
			error: { statusCode: 400, executed: 'no' },
		});
		expect(run.error[0].error.message).toContain('Query could not be parsed');
	});

	it('refuses a malformed timespan and an empty query with no request', async () => {
		const badSpan = await runDefender(world.engine, {
			resource: 'advancedHunting',
			operation: 'runQuery',
			query: QUERIES.devicesOfIncident,
			timespan: 'last week',
		});
		const empty = await runDefender(world.engine, {
			resource: 'advancedHunting',
			operation: 'runQuery',
			query: '  ',
		});

		expect(badSpan.error[0].error.message).toContain('Timespan');
		expect(empty.error[0].error.code).toBe('invalidQuery');
		expect(graphRequests(world.sim)).toHaveLength(0);
	});
});

describe('incident tasks of one incident', () => {
	it('lists only the tasks of the given incident', async () => {
		const run = await runDefender(world.engine, {
			resource: 'incidentTask',
			operation: 'getMany',
			returnAll: true,
			filters: { incidentId: INCIDENTS.active },
		});

		expect(run.success.length).toBeGreaterThan(0);
		expect(run.success.every((task) => task.incidentId === INCIDENTS.active)).toBe(true);
		expect(run.success.map((task) => task.id)).toContain(TASKS.openByActionType.isolateDevice);
		expect(decodeURIComponent(graphRequests(world.sim, 'GET')[0].path)).toContain(
			`incidentId eq '${INCIDENTS.active}'`,
		);
	});
});

describe('as an AI-agent tool', () => {
	const tool = agentTool;

	it('reads incidents and hunts, but may not update or comment unless the node opts in', async () => {
		const read = JSON.parse(
			(await world.engine.callTool(
				tool({ resource: 'incident', operation: 'get', incidentId: INCIDENTS.active }),
				{},
			)) as string,
		);
		const rows = JSON.parse(
			(await world.engine.callTool(
				tool({
					resource: 'advancedHunting',
					operation: 'runQuery',
					query: QUERIES.indicatorConnections,
					timespan: HUNTING_TIMESPAN,
				}),
				{},
			)) as string,
		);
		expect(read[0].id).toBe(INCIDENTS.active);
		expect(rows).toHaveLength(2);

		await expect(
			world.engine.callTool(
				tool({
					resource: 'incident',
					operation: 'update',
					incidentId: INCIDENTS.active,
					updateFields: { status: 'resolved' },
				}),
				{},
			),
		).rejects.toThrow(/Allow as AI Tool.*executed: no/);
		await expect(
			world.engine.callTool(
				tool({ resource: 'alert', operation: 'addComment', alertId: ALERTS.new, comment: 'x' }),
				{},
			),
		).rejects.toThrow(/Allow as AI Tool/);
		expect(graphRequests(world.sim, 'PATCH')).toHaveLength(0);
		expect(
			graphRequests(world.sim, 'POST').filter((request) => request.path.includes('comments')),
		).toHaveLength(0);

		const allowed = JSON.parse(
			(await world.engine.callTool(
				tool({
					resource: 'incident',
					operation: 'update',
					incidentId: INCIDENTS.active,
					updateFields: { status: 'resolved' },
					options: { allowAsTool: true },
				}),
				{},
			)) as string,
		);
		expect(allowed[0].status).toBe('resolved');
	});

	it("refuses an agent's incident-task Update unless the node opts in, and sends nothing", async () => {
		const update = (options: Record<string, boolean>) =>
			tool({
				resource: 'incidentTask',
				operation: 'update',
				incidentTaskId: TASKS.openByActionType.isolateDevice,
				status: 'completed',
				options,
			});

		await expect(world.engine.callTool(update({}), {})).rejects.toThrow(
			/An AI agent may not update incident tasks.*Allow as AI Tool.*executed: no/,
		);
		expect(graphRequests(world.sim, 'PATCH')).toHaveLength(0);
		expect(world.sim.getTask(TASKS.openByActionType.isolateDevice)?.status).toBe('open');

		const allowed = JSON.parse(
			(await world.engine.callTool(update({ allowAsTool: true }), {})) as string,
		);
		expect(allowed[0]).toMatchObject({
			id: TASKS.openByActionType.isolateDevice,
			status: 'completed',
		});
		expect(graphRequests(world.sim, 'PATCH')).toHaveLength(1);
	});
});
