import {
	RESPONSE_ACTION_TYPES,
	SEEDED_INCIDENT_IDS,
	SEEDED_TASK_IDS,
	SEED_HUNTING_TABLES,
	SEED_INCIDENTS,
	SEED_TASKS,
	SEED_TASK_INCIDENTS,
	STORY,
	startSimulator,
	type Simulator,
} from '../../simulator';
import { expectGraphError, filterQuery, graphRequests, type Json } from './graphRequests';

let sim: Simulator;
const { graphJson, readAllPages, patch } = graphRequests(() => sim);

beforeAll(async () => {
	sim = await startSimulator();
});
afterAll(() => sim.stop());
beforeEach(() => {
	sim.reset();
	sim.configure({ pageSize: null, nextLinkOrigin: null });
});

const TASKS = '/beta/security/incidentTasks';
const ids = (entities: Json[]) => entities.map((entity) => entity.id);
const listTasks = async (filter: string, extra = '') =>
	(await readAllPages(`${TASKS}?${filterQuery(filter, extra)}`)).items;

describe('incidentId', () => {
	it('every seeded task carries the incident it belongs to, one of the seeded incidents', () => {
		const incidentIds = new Set(SEED_INCIDENTS.map((incident) => incident.id));
		for (const task of SEED_TASKS) {
			expect(task.incidentId).toBe(SEED_TASK_INCIDENTS[task.id]);
			expect(incidentIds.has(task.incidentId as string)).toBe(true);
		}
	});

	it('filters with incidentId eq, alone and with status (in no promised order: as stored)', async () => {
		const incidentId = SEEDED_INCIDENT_IDS.awaitingAction;
		const all = await listTasks(`incidentId eq '${incidentId}'`);
		expect(ids(all)).toEqual(ids(SEED_TASKS.filter((task) => task.incidentId === incidentId)));
		const open = await listTasks(`incidentId eq '${incidentId}' and status eq 'open'`, '&$top=2');
		expect(ids(open)).toEqual(
			ids(SEED_TASKS.filter((task) => task.incidentId === incidentId && task.status === 'open')),
		);
		expect(open.length).toBeGreaterThan(2);
		expect(await listTasks("incidentId eq '999999'")).toEqual([]);
	});

	it('a task added with an incident is found by it, and its incident navigation answers', async () => {
		const added = sim.addTask({ id: 'task-added-for-1002', incidentId: '1002' });
		expect(ids(await listTasks("incidentId eq '1002'"))).toContain(added.id);
		expect((await graphJson(`${TASKS}/${added.id}/incident`)).body.id).toBe('1002');
		expect(sim.addTask().incidentId).toBeNull();
	});
});

describe('dates and order', () => {
	it('filters createdDateTime and lastUpdateDateTime with eq, the one operator Graph documents on them', async () => {
		const [first] = SEED_TASKS;
		const atCreation = await listTasks(`createdDateTime eq ${first.createdDateTime}`);
		expect(ids(atCreation)).toEqual(
			ids(
				SEED_TASKS.filter(
					(task) => Date.parse(task.createdDateTime) === Date.parse(first.createdDateTime),
				),
			),
		);
		expect(ids(atCreation)).toContain(first.id);

		// lastUpdateDateTime is the task's lastModifiedDateTime; a PATCH moves it to now.
		const patched = await patch(`${TASKS}/${SEEDED_TASK_IDS.nonExecutableByActionType.text}`, {
			status: 'inProgress',
		});
		expect(
			ids(await listTasks(`lastUpdateDateTime eq ${patched.body.lastModifiedDateTime}`)),
		).toEqual([SEEDED_TASK_IDS.nonExecutableByActionType.text]);
	});

	it.each(['ge', 'gt', 'le', 'lt'])(
		"refuses '%s' on createdDateTime and lastUpdateDateTime with Graph's 400",
		async (operator) => {
			for (const property of ['createdDateTime', 'lastUpdateDateTime']) {
				const answer = await graphJson(
					`${TASKS}?${filterQuery(`${property} ${operator} 2026-01-05T13:00:00Z`)}`,
				);
				expectGraphError(
					answer,
					400,
					'BadRequest',
					new RegExp(`operator '${operator}' is not supported for '${property}'`),
				);
				expect(answer.body.error.innerError['request-id']).toEqual(expect.any(String));
			}
		},
	);

	it('accepts the documented filter on type (Graph names no values: a task given a type is found by it)', async () => {
		expect(await listTasks("type eq 'guidedResponse'")).toEqual([]);
		const typed = sim.addTask({ id: 'task-typed-001', type: 'guidedResponse' });
		expect(ids(await listTasks("type eq 'guidedResponse'"))).toEqual([typed.id]);
		expect(ids(await listTasks("type eq 'guidedResponse' and status eq 'open'"))).toEqual([
			typed.id,
		]);
	});

	it('orders by lastUpdateDateTime asc and desc across pages', async () => {
		await patch(`${TASKS}/${SEEDED_TASK_IDS.completed}`, { status: 'open' });
		const byUpdate = (a: Json, b: Json) =>
			Date.parse(a.lastModifiedDateTime) - Date.parse(b.lastModifiedDateTime) ||
			String(a.id).localeCompare(String(b.id));
		const asc = (await readAllPages(`${TASKS}?$orderby=lastUpdateDateTime%20asc&$top=9`)).items;
		expect(asc).toHaveLength(SEED_TASKS.length);
		expect(ids(asc)).toEqual(ids([...asc].sort(byUpdate)));
		const desc = (await readAllPages(`${TASKS}?$orderby=lastUpdateDateTime%20desc&$top=9`)).items;
		expect(desc[0].id).toBe(SEEDED_TASK_IDS.completed);
		expect(ids(desc)).toEqual(ids([...desc].sort((a, b) => byUpdate(b, a))));
	});

	it('refuses other orders, operators and properties with 400', async () => {
		for (const query of [
			'$orderby=createdDateTime',
			'$orderby=lastUpdateDateTime%20sideways',
			'$orderby=lastModifiedDateTime%20desc',
			filterQuery("incidentId ne '1001'"),
			filterQuery("incidentId gt '1001'"),
			filterQuery('createdDateTime ne 2026-01-05T13:00:00Z'),
			filterQuery('lastModifiedDateTime ge 2026-01-05T13:00:00Z'),
			filterQuery('lastModifiedDateTime eq 2026-01-05T13:00:00Z'),
			filterQuery("actionType eq 'nukeDevice'"),
			filterQuery("status eq 'done'"),
		]) {
			expectGraphError(await graphJson(`${TASKS}?${query}`), 400, 'BadRequest');
		}
	});
});

describe('$top and paging', () => {
	it('serves up to 500 tasks on one page by default and with $top=500, pages above that, refuses $top=501', async () => {
		for (let n = 0; n < 500 - SEED_TASKS.length + 20; n++)
			sim.addTask({
				id: `task-bulk-${String(n).padStart(3, '0')}`,
				createdDateTime: `2026-02-01T00:${String(Math.floor(n / 60)).padStart(2, '0')}:${String(n % 60).padStart(2, '0')}Z`,
			});
		const total = SEED_TASKS.length + 500 - SEED_TASKS.length + 20;
		const first = await graphJson(TASKS);
		expect(first.body.value).toHaveLength(500);
		expect(first.body['@odata.nextLink']).toEqual(expect.stringContaining('$skiptoken='));
		expect((await readAllPages(`${TASKS}?$top=500`)).items).toHaveLength(total);
		expectGraphError(await graphJson(`${TASKS}?$top=501`), 400, 'BadRequest', /\$top/);
	});
});

describe('responseAction in Microsoft’s documented shape', () => {
	const deviceIds = new Set(SEED_HUNTING_TABLES.DeviceInfo.rows.map((row) => row.DeviceId));

	it('is the incidentTaskResponseAction subtype of the action type, with identifierValue', async () => {
		const { items } = await readAllPages(`${TASKS}?$select=id,actionType,responseAction`);
		expect(items).toHaveLength(SEED_TASKS.length);
		for (const task of items) {
			const expectedType =
				RESPONSE_ACTION_TYPES[task.actionType as keyof typeof RESPONSE_ACTION_TYPES];
			if (!expectedType) {
				expect({ id: task.id, responseAction: task.responseAction }).toEqual({
					id: task.id,
					responseAction: undefined,
				});
				continue;
			}
			expect(task.responseAction).toEqual(
				expect.objectContaining({
					'@odata.type': expectedType,
					identifierValue: expect.any(String),
				}),
			);
		}
		expect(
			new Set(items.filter((task) => !task.responseAction).map((task) => task.actionType)),
		).toEqual(new Set(['text', 'unknownFutureValue']));
	});

	it('names the device, file, user, message or indicator each action targets', async () => {
		const get = async (id: string) =>
			(await graphJson(`${TASKS}/${id}`)).body.responseAction as Json;
		const isolate = await get(SEEDED_TASK_IDS.openByActionType.isolateDevice);
		expect(isolate).toEqual({
			'@odata.type': '#microsoft.graph.security.isolateDeviceIncidentTaskResponseAction',
			identifierValue: STORY.devices['WS-FIN-042'].deviceId,
			isolationType: 'full',
		});
		expect(deviceIds.has(isolate.identifierValue)).toBe(true);
		expect(await get(SEEDED_TASK_IDS.openByActionType.runAntiVirusScan)).toEqual({
			'@odata.type': '#microsoft.graph.security.runAntivirusScanIncidentTaskResponseAction',
			identifierValue: STORY.devices['WS-FIN-042'].deviceId,
		});
		expect(await get(SEEDED_TASK_IDS.openByActionType.stopAndQuarantineFile)).toEqual({
			'@odata.type': '#microsoft.graph.security.stopAndQuarantineFileIncidentTaskResponseAction',
			identifierValue: STORY.files['invoice_0412.pdf.exe'].sha1,
			deviceId: STORY.devices['SRV-FILE-02'].deviceId,
		});
		expect(await get(SEEDED_TASK_IDS.nonExecutableByActionType.disableUser)).toEqual({
			'@odata.type': '#microsoft.graph.security.disableUserIncidentTaskResponseAction',
			identifierValue: 'alex.wilber@contoso.com',
		});
		expect(await get(SEEDED_TASK_IDS.nonExecutableByActionType.hardDeleteEmail)).toEqual({
			'@odata.type': '#microsoft.graph.security.hardDeleteEmailIncidentTaskResponseAction',
			identifierValue: STORY.mails['Action required: payroll portal update'].networkMessageId,
		});
		expect(await get(SEEDED_TASK_IDS.openByActionType.submitIocRule)).toEqual({
			'@odata.type': '#microsoft.graph.security.incidentTaskResponseAction',
			identifierValue: 'cdn-update-check.net',
		});
		expect(await get(SEEDED_TASK_IDS.nonExecutableByActionType.text)).toBeUndefined();
	});
});
