/**
 * Incident, alert and incident-task IDs as the editor's pickers save them (`{ __rl: true, mode, value }`: picked from
 * the list, typed as an ID, or pasted as a Defender portal link), run by the n8n engine against the simulator: the
 * right ID reaches Graph, and a malformed or hostile value fails its item before anything is sent. The lists
 * themselves are filled by the node's listSearch methods, called as the editor calls them.
 */
import {
	SEEDED_ALERT_IDS as ALERTS,
	SEEDED_INCIDENT_IDS as INCIDENTS,
	SEEDED_TASK_IDS as TASKS,
	SEED_TENANT_GUID,
} from '../../simulator';
import type { INode, INodeParameters } from 'n8n-workflow';

import { DEFENDER_NODE_TYPE, graphRequests, runDefender, useWorld } from './defenderWorkflow';

const world = useWorld();

const picked = (mode: 'list' | 'id' | 'url', value: unknown) => ({ __rl: true, mode, value });

const getIncident = (incidentId: unknown) => ({
	resource: 'incident',
	operation: 'get',
	incidentId,
});

describe('an ID from the picker reaches Graph', () => {
	it('reads an incident picked from the list, typed by ID, or pasted as its portal link with or without a tab and query', async () => {
		const cases: Array<[unknown, string]> = [
			[picked('list', INCIDENTS.active), INCIDENTS.active],
			[picked('id', INCIDENTS.resolved), INCIDENTS.resolved],
			[
				picked('url', `https://security.microsoft.com/incidents/${INCIDENTS.awaitingAction}`),
				INCIDENTS.awaitingAction,
			],
			[
				picked(
					'url',
					`https://security.microsoft.com/incidents/${INCIDENTS.inProgress}/overview?tid=${SEED_TENANT_GUID}`,
				),
				INCIDENTS.inProgress,
			],
			[
				picked(
					'url',
					`https://security.microsoft.com/incidents/${INCIDENTS.newest}?tid=${SEED_TENANT_GUID}`,
				),
				INCIDENTS.newest,
			],
		];
		for (const [incidentId, expected] of cases) {
			world.sim.clearLog();
			const run = await runDefender(world.engine, getIncident(incidentId));

			expect(run.error).toEqual([]);
			expect(run.success.map((incident) => incident.id)).toEqual([expected]);
			expect(graphRequests(world.sim).map((r) => `${r.method} ${r.path}`)).toEqual([
				`GET /v1.0/security/incidents/${expected}`,
			]);
		}
	});

	it('takes the ID mode from an expression per item, numbers as their digits, and reports the ID read on each item', async () => {
		const run = await runDefender(world.engine, getIncident(picked('id', '={{ $json.id }}')), [
			{ id: Number(INCIDENTS.active) },
			{ id: INCIDENTS.resolved },
		]);

		expect(run.success.map((incident) => incident.id)).toEqual([
			INCIDENTS.active,
			INCIDENTS.resolved,
		]);
		expect(graphRequests(world.sim).map((r) => r.path)).toEqual([
			`/v1.0/security/incidents/${INCIDENTS.active}`,
			`/v1.0/security/incidents/${INCIDENTS.resolved}`,
		]);
	});

	it('updates an alert pasted as its portal link, and names the alert ID on the output item', async () => {
		const link = `https://security.microsoft.com/alerts/${ALERTS.new}?tid=${SEED_TENANT_GUID}`;
		const run = await runDefender(world.engine, {
			resource: 'alert',
			operation: 'update',
			alertId: picked('url', link),
			updateFields: { status: 'inProgress' },
		});

		expect(run.error).toEqual([]);
		expect(run.success[0]).toMatchObject({ id: ALERTS.new, status: 'inProgress' });
		expect(world.sim.getAlert(ALERTS.new)?.status).toBe('inProgress');
		expect(graphRequests(world.sim).map((r) => `${r.method} ${r.path}`)).toEqual([
			`PATCH /v1.0/security/alerts_v2/${ALERTS.new}`,
		]);
	});

	it('executes the response action of a task picked from the list, and Gets a task typed by ID', async () => {
		const id = TASKS.openByActionType.runAntiVirusScan;
		const run = await runDefender(world.engine, {
			resource: 'incidentTask',
			operation: 'executeResponseAction',
			incidentTaskId: picked('list', id),
			actionType: 'runAntiVirusScan',
		});

		expect(run.error).toEqual([]);
		expect(run.success[0]).toMatchObject({ incidentTaskId: id, outcome: 'executed' });
		expect(world.sim.executions.map((execution) => execution.taskId)).toEqual([id]);
		expect(graphRequests(world.sim, 'POST').map((r) => r.path)).toEqual([
			`/beta/security/incidentTasks/${id}/executeResponseAction`,
		]);

		world.sim.clearLog();
		const get = await runDefender(world.engine, {
			resource: 'incidentTask',
			operation: 'get',
			incidentTaskId: picked('id', TASKS.completed),
		});
		expect(get.success.map((task) => task.id)).toEqual([TASKS.completed]);
		expect(graphRequests(world.sim).map((r) => r.path)).toEqual([
			`/beta/security/incidentTasks/${TASKS.completed}`,
		]);
	});

	it("fills the ID mode from an AI agent's $fromAI and reads the task", async () => {
		const toolNode: INode = {
			id: 'tool',
			name: 'Defender XDR tool',
			type: `${DEFENDER_NODE_TYPE}Tool`,
			typeVersion: 1,
			position: [0, 0],
			parameters: {
				resource: 'incidentTask',
				operation: 'get',
				incidentTaskId: picked('id', "={{ $fromAI('incidentTaskId') }}"),
			} as INodeParameters,
			credentials: {
				microsoftDefenderXdrOAuth2Api: { id: 'cred-1', name: 'Defender XDR (simulator)' },
			},
		};
		const answer = await world.engine.callTool(toolNode, { incidentTaskId: TASKS.inProgress });

		expect(JSON.stringify(answer)).toContain(TASKS.inProgress);
		expect(graphRequests(world.sim).map((r) => r.path)).toEqual([
			`/beta/security/incidentTasks/${TASKS.inProgress}`,
		]);
	});
});

describe('a malformed or hostile value fails its item and sends nothing', () => {
	const links = [
		'https://evil.example/incidents/1001',
		'https://security.microsoft.com.evil.example/incidents/1001',
		'https://evil.example/?next=https://security.microsoft.com/incidents/1001',
		'http://security.microsoft.com/incidents/1001',
		'https://analyst@security.microsoft.com/incidents/1001',
		'https://security.microsoft.com/alerts/1001',
		'https://security.microsoft.com/incidents/',
		'https://security.microsoft.com/incidents/..',
		'https://security.microsoft.com/incidents/%2e%2e/overview',
		'https://security.microsoft.com/incidents/1001%2F..%2F..%2Fusers',
		'https://security.microsoft.com/incidents/..%2F..%2Fusers',
		'https://security.microsoft.com/incidents/1001;x',
		'security.microsoft.com/incidents/1001',
		'={{ "" }}',
	];

	it.each(links)('refuses the incident link %j with no request', async (link) => {
		const run = await runDefender(world.engine, getIncident(picked('url', link)));

		expect(run.success).toEqual([]);
		expect(run.error).toHaveLength(1);
		expect(run.error[0].error).toMatchObject({ code: 'invalidIncidentId', executed: 'no' });
		expect(run.error[0].error.message).toContain('No request was sent');
		expect(world.sim.requests).toEqual([]);
	});

	it('names the link it could not read, per item, and runs the good items', async () => {
		const good = `https://security.microsoft.com/incidents/${INCIDENTS.active}/overview`;
		const run = await runDefender(world.engine, getIncident(picked('url', '={{ $json.link }}')), [
			{ link: 'https://evil.example/incidents/1001' },
			{ link: good },
		]);

		expect(run.errorPairs).toEqual([0]);
		expect(run.error[0]).toMatchObject({
			incidentId: 'https://evil.example/incidents/1001',
			outcome: 'failed',
		});
		expect(run.error[0].error.message).toContain(
			'is not a Defender portal link such as https://security.microsoft.com/incidents/2972395',
		);
		expect(run.successPairs).toEqual([1]);
		expect(graphRequests(world.sim).map((r) => r.path)).toEqual([
			`/v1.0/security/incidents/${INCIDENTS.active}`,
		]);
	});

	it('refuses malformed IDs typed in ID mode, for incidents, alerts and tasks alike', async () => {
		for (const bad of ['a/b', '..', '1001?$select=x', "1001'", 'x'.repeat(129), '={{ "" }}']) {
			const incident = await runDefender(world.engine, getIncident(picked('id', bad)));
			const alert = await runDefender(world.engine, {
				resource: 'alert',
				operation: 'get',
				alertId: picked('list', bad),
			});
			const task = await runDefender(world.engine, {
				resource: 'incidentTask',
				operation: 'get',
				incidentTaskId: picked('id', bad),
			});

			expect(incident.error[0].error.code).toBe('invalidIncidentId');
			expect(alert.error[0].error.code).toBe('invalidAlertId');
			expect(task.error[0].error.code).toBe('invalidIncidentTaskId');
		}
		expect(world.sim.requests).toEqual([]);
	});

	it('has no URL mode for tasks: a pasted link is not an ID and is refused', async () => {
		const run = await runDefender(world.engine, {
			resource: 'incidentTask',
			operation: 'get',
			incidentTaskId: picked(
				'url',
				`https://security.microsoft.com/incidents/1001/tasks/${TASKS.completed}`,
			),
		});

		expect(run.error[0].error).toMatchObject({ code: 'invalidIncidentTaskId', executed: 'no' });
		expect(world.sim.requests).toEqual([]);
	});
});

describe('the pick lists (listSearch)', () => {
	const newestFirst = (records: Array<{ id: string; createdDateTime: string }>) =>
		[...records]
			.sort(
				(a, b) =>
					Date.parse(b.createdDateTime) - Date.parse(a.createdDateTime) || b.id.localeCompare(a.id),
			)
			.map((record) => record.id);

	it('lists incidents newest first, with their names and portal links', async () => {
		const { results, paginationToken } = await world.engine.listSearch('searchIncidents');

		expect(results.map((result) => result.value)).toEqual(newestFirst(world.sim.state().incidents));
		expect(results[0]).toEqual({
			name: `${world.sim.getIncident(INCIDENTS.newest)?.displayName} (${INCIDENTS.newest})`,
			value: INCIDENTS.newest,
			url: `https://security.microsoft.com/incidents/${INCIDENTS.newest}?tid=${SEED_TENANT_GUID}`,
		});
		expect(paginationToken).toBeUndefined();
		expect(graphRequests(world.sim).map((r) => decodeURIComponent(r.path))).toEqual([
			'/v1.0/security/incidents?$top=50',
		]);
	});

	it('narrows incidents to the typed text, by name or ID, ignoring case', async () => {
		const byName = await world.engine.listSearch('searchIncidents', { filter: 'RANSOMWARE' });
		const byId = await world.engine.listSearch('searchIncidents', { filter: INCIDENTS.resolved });

		const ransomware = world.sim
			.state()
			.incidents.filter((incident) => incident.displayName.toLowerCase().includes('ransomware'));
		expect(ransomware.length).toBeGreaterThan(0);
		expect(byName.results.map((result) => result.value)).toEqual(newestFirst(ransomware));
		expect(byId.results.map((result) => result.value)).toEqual([INCIDENTS.resolved]);
	});

	it('pages with the token Graph gave, keeps reading while nothing matches, and ends without a token', async () => {
		world.sim.configure({ pageSize: 3 });
		const first = await world.engine.listSearch('searchIncidents');
		const second = await world.engine.listSearch('searchIncidents', {
			paginationToken: first.paginationToken as string,
		});
		expect(first.results).toHaveLength(3);
		expect(second.results).toHaveLength(3);
		expect([...first.results, ...second.results].map((result) => result.value)).toEqual(
			newestFirst(world.sim.state().incidents).slice(0, 6),
		);

		world.sim.clearLog();
		// The oldest incident is on the last page of three: the search reads on until it finds it.
		const oldest = newestFirst(world.sim.state().incidents).at(-1) as string;
		const found = await world.engine.listSearch('searchIncidents', { filter: oldest });
		expect(found.results.map((result) => result.value)).toEqual([oldest]);
		expect(found.paginationToken).toBeUndefined();
		expect(graphRequests(world.sim)).toHaveLength(
			Math.ceil(world.sim.state().incidents.length / 3),
		);
	});

	it('refuses a page token that leads anywhere but the same collection on the Graph root, with no request', async () => {
		world.sim.configure({ pageSize: 3 });
		const { paginationToken } = await world.engine.listSearch('searchIncidents');
		const token = paginationToken as string;
		world.sim.clearLog();
		const hostile = [
			token.replace(/^http:\/\/127\.0\.0\.1:\d+/, 'http://127.0.0.2:9'),
			token.replace('/security/incidents', '/security/incidents/../../users'),
			token.replace('/security/incidents', '/security/incidents%2F..%2F..%2Fusers'),
			token.replace('/security/incidents', '/security/alerts_v2'),
			token.replace('http://', 'http://user:pass@'),
			'not a link',
		];
		for (const paginationToken of hostile) {
			await expect(
				world.engine.listSearch('searchIncidents', { paginationToken: paginationToken as string }),
			).rejects.toThrow('it was not followed');
		}
		expect(world.sim.requests).toEqual([]);
	});

	it('lists alerts newest first and narrows them by title', async () => {
		const all = await world.engine.listSearch('searchAlerts');
		expect(all.results.map((result) => result.value)).toEqual(
			newestFirst(world.sim.state().alerts),
		);
		expect(all.results[0]).toMatchObject({
			value: ALERTS.newest,
			url: `https://security.microsoft.com/alerts/${ALERTS.newest}?tid=${SEED_TENANT_GUID}`,
		});

		const title = (world.sim.getAlert(ALERTS.resolved)?.title as string).split(' ')[0];
		const narrowed = await world.engine.listSearch('searchAlerts', { filter: title.toLowerCase() });
		const expected = world.sim
			.state()
			.alerts.filter((alert) =>
				`${alert.title} (${alert.id})`.toLowerCase().includes(title.toLowerCase()),
			);
		expect(narrowed.results.map((result) => result.value)).toEqual(newestFirst(expected));
		expect(narrowed.results.length).toBeLessThan(all.results.length);
	});

	it('lists incident tasks most recently updated first and narrows them by name', async () => {
		const tasks = world.sim.state().tasks;
		const recentFirst = [...tasks]
			.sort((a, b) => Date.parse(b.lastModifiedDateTime) - Date.parse(a.lastModifiedDateTime))
			.map((task) => task.lastModifiedDateTime);
		const all = await world.engine.listSearch('searchIncidentTasks');

		expect(
			all.results.map((result) => world.sim.getTask(result.value as string)?.lastModifiedDateTime),
		).toEqual(recentFirst.slice(0, all.results.length));
		expect(decodeURIComponent(graphRequests(world.sim)[0].path)).toBe(
			'/beta/security/incidentTasks?$top=50&$orderby=lastUpdateDateTime desc',
		);

		const isolate = await world.engine.listSearch('searchIncidentTasks', {
			filter: 'isolate device',
		});
		expect(isolate.results.length).toBeGreaterThan(0);
		expect(isolate.results.every((result) => /isolate device/i.test(result.name))).toBe(true);
		expect(isolate.results.map((result) => result.value)).toContain(
			TASKS.openByActionType.isolateDevice,
		);
	});

	it('says what to check when Graph refuses the list', async () => {
		world.sim.injectFault({ method: 'GET', fault: '403' });
		await expect(world.engine.listSearch('searchAlerts')).rejects.toThrow('SecurityAlert.Read.All');
	});
});
