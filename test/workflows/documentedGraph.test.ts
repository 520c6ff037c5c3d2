/**
 * The node asks Graph only for what Microsoft documents, run by the n8n engine against a simulator as strict as
 * Graph: the incident update page's fields and values, advanced hunting's 3-minute queries (never re-sent once
 * sent), the documented incident path for a dry run, and task lists in an order Graph was asked for.
 */
import type { INodeProperties } from 'n8n-workflow';

import { MicrosoftDefenderXdr } from '../../nodes/MicrosoftDefenderXdr/MicrosoftDefenderXdr.node';
import {
	SEED_TASK_INCIDENTS,
	SEEDED_HUNTING_QUERIES as QUERIES,
	SEEDED_HUNTING_TIMESPAN as HUNTING_TIMESPAN,
	SEEDED_INCIDENT_IDS as INCIDENTS,
	SEEDED_TASK_IDS as TASKS,
} from '../../simulator';
import { execute, graphRequests, runDefender, useWorld } from './defenderWorkflow';

const world = useWorld();

describe('Incident Update', () => {
	const updateFields = () =>
		new MicrosoftDefenderXdr().description.properties.find(
			(property) =>
				property.name === 'updateFields' &&
				property.displayOptions?.show?.resource?.includes('incident'),
		)?.options as INodeProperties[];

	it("offers exactly the fields and status values of Graph's v1.0 update page", () => {
		expect(
			updateFields()
				.map((field) => field.name)
				.sort(),
		).toEqual([
			'assignedTo',
			'classification',
			'customTags',
			'description',
			'determination',
			'displayName',
			'resolvingComment',
			'severity',
			'status',
			'summary',
		]);
		const status = updateFields().find((field) => field.name === 'status');
		expect((status?.options as Array<{ value: string }>).map((option) => option.value)).toEqual([
			'active',
			'resolved',
			'redirected',
		]);
	});

	it('sets summary, severity, name and description with one PATCH that Graph accepts', async () => {
		const updateFieldsSet = {
			summary: 'Ransomware reached three Finance workstations',
			severity: 'medium',
			displayName: 'Ransomware on Finance',
			description: 'Contained by n8n',
		};
		const run = await runDefender(world.engine, {
			resource: 'incident',
			operation: 'update',
			incidentId: INCIDENTS.active,
			updateFields: updateFieldsSet,
		});

		expect(run.error).toEqual([]);
		expect(run.success[0]).toMatchObject({ id: INCIDENTS.active, ...updateFieldsSet });
		expect(
			graphRequests(world.sim, 'PATCH').map((request) => [request.path, request.status]),
		).toEqual([[`/v1.0/security/incidents/${INCIDENTS.active}`, 200]]);
		expect(world.sim.getIncident(INCIDENTS.active)).toMatchObject(updateFieldsSet);
	});

	it.each(['awaitingAction', 'inProgress'])(
		'refuses the status %s from an expression, with no request',
		async (status) => {
			const run = await runDefender(world.engine, {
				resource: 'incident',
				operation: 'update',
				incidentId: INCIDENTS.active,
				updateFields: { status: `={{ "${status}" }}` },
			});

			expect(run.success).toEqual([]);
			expect(run.error[0]).toMatchObject({
				incidentId: INCIDENTS.active,
				outcome: 'failed',
				error: { executed: 'no', statusCode: null },
			});
			expect(run.error[0].error.message).toMatch(
				new RegExp(`^Status: "${status}" is not one of active, resolved, redirected`),
			);
			expect(graphRequests(world.sim)).toHaveLength(0);
		},
	);
});

describe('Run Query and the 3 minutes Graph lets a query run', () => {
	const hunt = (options = {}) => ({
		resource: 'advancedHunting',
		operation: 'runQuery',
		query: QUERIES.devicesOfIncident,
		timespan: HUNTING_TIMESPAN,
		options,
	});
	const queriesSent = () =>
		graphRequests(world.sim, 'POST').filter(
			(request) => request.path === '/v1.0/security/runHuntingQuery',
		);

	it('fails a query that outlasts Request Timeout once, without sending it again: it may still be running', async () => {
		world.sim.configure({ huntingQueryMs: 8000 });

		const run = await runDefender(world.engine, hunt({ requestTimeout: 1, maxRetries: 3 }));

		expect(run.success).toEqual([]);
		expect(run.error).toEqual([
			{
				query: QUERIES.devicesOfIncident,
				outcome: 'failed',
				error: expect.objectContaining({ code: 'timeout', executed: 'unknown', retryable: false }),
			},
		]);
		expect(run.error[0].error.message).toMatch(
			/may still be running in Defender and counting against the tenant's advanced hunting quota, so it was not sent again/,
		);
		expect(queriesSent()).toHaveLength(1);
	});

	it.each([
		['a dropped connection', 'dropAfterExecute', 'connectionDropped'],
		['a 503', '503', 'ServiceUnavailable'],
		['a 504', '504', 'GatewayTimeout'],
	] as const)(
		'fails a query whose answer was %s once, without sending it again',
		async (_name, fault, code) => {
			world.sim.injectFault({ method: 'POST', path: /runHuntingQuery/, fault, times: 4 });

			const run = await runDefender(world.engine, hunt({ maxRetries: 3 }));

			expect(run.error[0]).toMatchObject({
				query: QUERIES.devicesOfIncident,
				outcome: 'failed',
				error: { code, executed: 'unknown', retryable: false },
			});
			expect(run.error[0].error.message).toContain('so it was not sent again');
			expect(queriesSent()).toHaveLength(1);
		},
	);

	it('waits out a 429 and sends the query again: Graph did not run it', async () => {
		world.sim.injectFault({
			method: 'POST',
			path: /runHuntingQuery/,
			fault: '429',
			retryAfterSeconds: 1,
		});

		const run = await runDefender(world.engine, hunt());

		expect(run.error).toEqual([]);
		expect(run.success).toHaveLength(3);
		expect(queriesSent().map((request) => request.status)).toEqual([429, 200]);
	});
});

describe('Dry run', () => {
	it("reads the task's incident through GET /v1.0/security/incidents/{id}, the documented path", async () => {
		const taskId = TASKS.openByActionType.isolateDevice;
		const incidentId = SEED_TASK_INCIDENTS[taskId];

		const run = await runDefender(world.engine, execute({ dryRun: true }), [
			{ id: taskId, actionType: 'isolateDevice' },
		]);

		expect(run.success[0]).toMatchObject({
			outcome: 'dryRun',
			task: { id: taskId, incident: { id: incidentId } },
		});
		expect(
			graphRequests(world.sim).map((request) => [request.method, request.path, request.status]),
		).toEqual([
			['GET', `/beta/security/incidentTasks/${taskId}`, 200],
			['GET', `/v1.0/security/incidents/${incidentId}`, 200],
		]);
	});
});

describe('task lists in the order Graph was asked for', () => {
	it('Get Many asks for the most recently updated tasks first, so a Limit keeps the fresh ones', async () => {
		const fresh = world.sim.addTask({ actionType: 'runAntiVirusScan' });

		const run = await runDefender(world.engine, {
			resource: 'incidentTask',
			operation: 'getMany',
			returnAll: false,
			limit: 1,
		});

		expect(run.success.map((task) => task.id)).toEqual([fresh.id]);
		expect(decodeURIComponent(graphRequests(world.sim, 'GET')[0].path)).toContain(
			'$orderby=lastUpdateDateTime desc',
		);
	});

	it("a large batch finds a busy tenant's fresh tasks on the first page of the listing, since it asks for them first", async () => {
		// 600 older tasks, then the 100 the batch acts on: stored (and served without $orderby) after the older ones.
		for (let n = 0; n < 600; n++)
			world.sim.addTask({
				id: `task-older-${n}`,
				createdDateTime: new Date(Date.parse('2026-02-01T00:00:00Z') + n * 1000).toISOString(),
			});
		const items = Array.from({ length: 100 }, () =>
			world.sim.addTask({ actionType: 'isolateDevice' }),
		).map((task) => ({ id: task.id, actionType: 'isolateDevice' }));

		const run = await runDefender(world.engine, execute({ dryRun: true }), items);

		expect(run.success.map((item) => item.outcome)).toEqual(items.map(() => 'dryRun'));
		const listings = graphRequests(world.sim, 'GET').filter((request) =>
			request.path.startsWith('/beta/security/incidentTasks?'),
		);
		expect(listings).toHaveLength(1);
		expect(decodeURIComponent(listings[0].path)).toContain('$orderby=lastUpdateDateTime desc');
		expect(graphRequests(world.sim)).toHaveLength(1);
	}, 60_000);
});
