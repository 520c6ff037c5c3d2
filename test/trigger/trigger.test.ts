import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import type { INode, INodeParameters } from 'n8n-workflow';

import {
	LOOK_BACK_MINUTES,
	MAX_SEEN_IDS,
} from '../../nodes/MicrosoftDefenderXdrTrigger/pollCursor';
import { isExecutableActionType, startSimulator, type Simulator } from '../../simulator';
import { createEngine, simulatorCredential } from '../harness/n8n-engine';

const TRIGGER_TYPE = 'n8n-nodes-microsoft-defender-xdr.microsoftDefenderXdrTrigger';
const TRIGGER_NAME = 'Defender XDR Trigger';

interface Poll {
	/** The items n8n would start the workflow with, or null when the poll found nothing new. */
	items: Array<Record<string, any>> | null;
}

let sim: Simulator;
let engine: ReturnType<typeof createEngine>;

beforeAll(async () => {
	const built = path.resolve(
		__dirname,
		'../../dist/nodes/MicrosoftDefenderXdrTrigger/MicrosoftDefenderXdrTrigger.node.js',
	);
	if (!existsSync(built))
		throw new Error('Run `npm run build` first: the engine loads the trigger from dist/');
	sim = await startSimulator();
	engine = createEngine({ credential: simulatorCredential(sim) });
});

afterAll(async () => {
	await sim?.stop();
	engine.shutdown();
});

beforeEach(() => {
	sim.reset();
	sim.configure({ pageSize: null, nextLinkOrigin: null });
});

/** One trigger node in an active workflow: its static data lives across polls as n8n keeps it. */
function activeTrigger(parameters: INodeParameters) {
	const node: INode = {
		id: 'defender-xdr-trigger',
		name: TRIGGER_NAME,
		type: TRIGGER_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: {
			microsoftDefenderXdrOAuth2Api: {
				id: 'defender-xdr-simulator',
				name: 'Defender XDR (simulator)',
			},
		},
	};
	const staticData: Record<string, any> = {};
	const run = async (mode: 'trigger' | 'manual'): Promise<Poll> => {
		const { result } = await engine.poll(node, { mode, staticData });
		return {
			items:
				result === null ? null : result[0].map((item: { json: Record<string, any> }) => item.json),
		};
	};
	return {
		node,
		poll: async () => await run('trigger'),
		manualRun: async () => await run('manual'),
		/** The trigger's own static data, as a copy. */
		saved: () => {
			const own = staticData[`node:${TRIGGER_NAME}`];
			return own === undefined
				? undefined
				: (JSON.parse(JSON.stringify(own)) as Record<string, any>);
		},
		setParameters: (changes: INodeParameters) => Object.assign(node.parameters, changes),
		/** Puts static data in place, as a workflow saved earlier carries it. */
		restore: (own: Record<string, unknown>) => (staticData[`node:${TRIGGER_NAME}`] = own),
	};
}

const ids = (poll: Poll) => poll.items?.map((entity) => entity.id) ?? null;

/** A fixed instant newer than everything seeded, so tests can place entities in the same second on purpose. */
const instant = (offsetSeconds = 0) =>
	new Date(Math.floor(Date.now() / 1000) * 1000 + offsetSeconds * 1000).toISOString();

/** `iso` moved by whole seconds. */
const secondsAfter = (iso: string, seconds: number) =>
	new Date(Date.parse(iso) + seconds * 1000).toISOString();

/** A time as the trigger saves it: UTC with Graph's seven fractional digits. */
const graphKey = (iso: string) => new Date(iso).toISOString().replace('Z', '0000Z');

const graphGets = (collection: string) =>
	sim.requests.filter(
		(request: any) => request.method === 'GET' && String(request.path).includes(collection),
	);

describe('Microsoft Defender XDR Trigger: new incident tasks', () => {
	test('emits nothing on first activation and remembers where the task list ends', async () => {
		const trigger = activeTrigger({ event: 'newIncidentTask' });
		expect(ids(await trigger.poll())).toBeNull();
		const newestSeeded = sim
			.state()
			.tasks.sort((a: any, b: any) => Date.parse(a.createdDateTime) - Date.parse(b.createdDateTime))
			.pop();
		if (!newestSeeded) throw new Error('The simulator seeds incident tasks');
		const newestKey = graphKey(newestSeeded.createdDateTime);
		// The seeded tasks are 17 minutes apart, so only the newest is within the look-back.
		expect(trigger.saved()).toEqual({
			cursor: {
				event: 'newIncidentTask',
				createdDateTime: newestKey,
				windowStart: graphKey(secondsAfter(newestSeeded.createdDateTime, -LOOK_BACK_MINUTES * 60)),
				seenIds: { [newestSeeded.id]: newestKey },
			},
		});
		expect(ids(await trigger.poll())).toBeNull();
	});

	test('emits each new executable task exactly once, oldest first, one item each', async () => {
		const trigger = activeTrigger({ event: 'newIncidentTask' });
		await trigger.poll();
		sim.addTask({ id: 'task-new-1', actionType: 'isolateDevice', createdDateTime: instant(1) });
		sim.addTask({ id: 'task-new-2', actionType: 'runAntiVirusScan', createdDateTime: instant(2) });

		const first = await trigger.poll();
		expect(ids(first)).toEqual(['task-new-1', 'task-new-2']);
		expect(first.items?.[0]).toMatchObject({
			id: 'task-new-1',
			actionType: 'isolateDevice',
			status: 'open',
			actionStatus: 'notStarted',
		});
		expect(ids(await trigger.poll())).toBeNull();

		sim.addTask({ id: 'task-new-3', actionType: 'submitIocRule', createdDateTime: instant(3) });
		expect(ids(await trigger.poll())).toEqual(['task-new-3']);
		expect(ids(await trigger.poll())).toBeNull();
	});

	test('two tasks created in the same second on either side of a poll are neither lost nor doubled', async () => {
		const trigger = activeTrigger({ event: 'newIncidentTask' });
		await trigger.poll();
		const sameSecond = instant(5);
		sim.addTask({ id: 'task-same-b', actionType: 'isolateDevice', createdDateTime: sameSecond });
		expect(ids(await trigger.poll())).toEqual(['task-same-b']);

		// Same instant, written with another precision, and an ID that sorts before the one already seen.
		sim.addTask({
			id: 'task-same-a',
			actionType: 'isolateDevice',
			createdDateTime: sameSecond.replace('.000Z', 'Z'),
		});
		expect(ids(await trigger.poll())).toEqual(['task-same-a']);
		expect(ids(await trigger.poll())).toBeNull();
		expect(Object.keys(trigger.saved()?.cursor.seenIds).sort()).toEqual([
			'task-same-a',
			'task-same-b',
		]);
	});

	test('Executable Only skips tasks that Execute Response Action cannot run', async () => {
		const trigger = activeTrigger({ event: 'newIncidentTask', executableOnly: true });
		await trigger.poll();
		sim.addTask({ id: 'task-text', actionType: 'text', createdDateTime: instant(1) });
		sim.addTask({
			id: 'task-disable-user',
			actionType: 'disableUser',
			createdDateTime: instant(2),
		});
		sim.addTask({ id: 'task-isolate', actionType: 'isolateDevice', createdDateTime: instant(3) });
		expect(ids(await trigger.poll())).toEqual(['task-isolate']);
		expect(ids(await trigger.poll())).toBeNull();
	});

	test.each([
		['off', false],
		['"false" from an expression', '={{ "false" }}'],
	])(
		'Executable Only %s: every new task triggers, whatever its action type',
		async (_name, executableOnly) => {
			const trigger = activeTrigger({ event: 'newIncidentTask', executableOnly });
			await trigger.poll();
			sim.addTask({ id: 'task-text', actionType: 'text', createdDateTime: instant(1) });
			sim.addTask({
				id: 'task-disable-user',
				actionType: 'disableUser',
				createdDateTime: instant(2),
			});
			expect(ids(await trigger.poll())).toEqual(['task-text', 'task-disable-user']);
		},
	);

	test('Action Types limits tasks to the chosen types (one type is filtered by Graph, several by the trigger)', async () => {
		const oneType = activeTrigger({ event: 'newIncidentTask', actionTypes: ['runAntiVirusScan'] });
		const severalTypes = activeTrigger({
			event: 'newIncidentTask',
			executableOnly: false,
			actionTypes: ['isolateDevice', 'disableUser'],
		});
		await oneType.poll();
		await severalTypes.poll();
		sim.addTask({ id: 'task-scan', actionType: 'runAntiVirusScan', createdDateTime: instant(1) });
		sim.addTask({ id: 'task-isolate', actionType: 'isolateDevice', createdDateTime: instant(2) });
		sim.addTask({
			id: 'task-disable-user',
			actionType: 'disableUser',
			createdDateTime: instant(3),
		});
		sim.addTask({ id: 'task-text', actionType: 'text', createdDateTime: instant(4) });

		expect(ids(await oneType.poll())).toEqual(['task-scan']);
		expect(ids(await severalTypes.poll())).toEqual(['task-isolate', 'task-disable-user']);
		expect(
			graphGets('incidentTasks').some((request: any) =>
				decodeURIComponent(String(request.path)).includes("actionType eq 'runAntiVirusScan'"),
			),
		).toBe(true);
	});

	test('pages through @odata.nextLink and reads the whole task list, whose order Graph does not promise', async () => {
		sim.configure({ pageSize: 2 });
		const trigger = activeTrigger({ event: 'newIncidentTask' });
		await trigger.poll();
		for (let n = 1; n <= 5; n++)
			sim.addTask({
				id: `task-paged-${n}`,
				actionType: 'isolateDevice',
				createdDateTime: instant(n),
			});

		sim.clearLog();
		expect(ids(await trigger.poll())).toEqual([
			'task-paged-1',
			'task-paged-2',
			'task-paged-3',
			'task-paged-4',
			'task-paged-5',
		]);
		expect(graphGets('incidentTasks')).toHaveLength(Math.ceil(sim.state().tasks.length / 2));
		expect(ids(await trigger.poll())).toBeNull();
	});

	test('tasks sharing one instant across page boundaries are all emitted once', async () => {
		sim.configure({ pageSize: 1 });
		const trigger = activeTrigger({ event: 'newIncidentTask' });
		await trigger.poll();
		const sameSecond = instant(7);
		sim.addTask({ id: 'task-burst-1', actionType: 'isolateDevice', createdDateTime: sameSecond });
		sim.addTask({ id: 'task-burst-2', actionType: 'isolateDevice', createdDateTime: sameSecond });
		expect(ids(await trigger.poll())?.sort()).toEqual(['task-burst-1', 'task-burst-2']);
		sim.addTask({ id: 'task-burst-3', actionType: 'isolateDevice', createdDateTime: sameSecond });
		expect(ids(await trigger.poll())).toEqual(['task-burst-3']);
		expect(ids(await trigger.poll())).toBeNull();
	});

	test('a manual run returns the newest matching task and leaves the cursor alone', async () => {
		const trigger = activeTrigger({ event: 'newIncidentTask' });
		await trigger.poll();
		sim.addTask({ id: 'task-older', actionType: 'isolateDevice', createdDateTime: instant(1) });
		sim.addTask({
			id: 'task-newest',
			actionType: 'stopAndQuarantineFile',
			createdDateTime: instant(2),
		});
		sim.addTask({ id: 'task-newest-text', actionType: 'text', createdDateTime: instant(3) });
		const before = trigger.saved();

		const manual = await trigger.manualRun();
		expect(manual.items).toHaveLength(1);
		expect(manual.items?.[0]).toMatchObject({
			id: 'task-newest',
			actionType: 'stopAndQuarantineFile',
		});
		expect(trigger.saved()).toEqual(before);

		expect(ids(await trigger.poll())).toEqual(['task-older', 'task-newest']);
	});

	test('a manual run before activation returns the newest seeded task and saves nothing', async () => {
		const trigger = activeTrigger({ event: 'newIncidentTask', executableOnly: true });
		const manual = await trigger.manualRun();
		expect(manual.items).toHaveLength(1);
		const newestExecutable = sim
			.state()
			.tasks.filter((task: any) => isExecutableActionType(task.actionType))
			.sort((a: any, b: any) => Date.parse(b.createdDateTime) - Date.parse(a.createdDateTime))[0];
		expect(manual.items?.[0].id).toBe(newestExecutable.id);
		expect(trigger.saved()?.cursor).toBeUndefined();
	});

	test('a failed poll (503 after every retry) throws, logs a warning, keeps the cursor, and the next poll catches up', async () => {
		const trigger = activeTrigger({ event: 'newIncidentTask' });
		await trigger.poll();
		sim.addTask({
			id: 'task-after-outage',
			actionType: 'isolateDevice',
			createdDateTime: instant(1),
		});
		const before = trigger.saved();
		sim.injectFault({ path: /incidentTasks/, fault: '503', times: 4, retryAfterSeconds: 0 });
		const logged = engine.logs.length;

		await expect(trigger.poll()).rejects.toThrow(/unavailable \(503\)/);
		expect(trigger.saved()).toEqual(before);
		const warnings = engine.logs
			.slice(logged)
			.filter((log) => log.level === 'warn')
			.map((log) => log.message);
		expect(
			warnings.some((message: string) =>
				/polling for new incident tasks failed; the next poll starts from the same position/.test(
					message,
				),
			),
		).toBe(true);
		expect(warnings.join('\n')).not.toContain(sim.clientSecret);

		expect(ids(await trigger.poll())).toEqual(['task-after-outage']);
		expect(ids(await trigger.poll())).toBeNull();
	});

	test('a next-page link to another origin fails the poll instead of emitting a partial list', async () => {
		sim.configure({ pageSize: 1 });
		const trigger = activeTrigger({ event: 'newIncidentTask' });
		await trigger.poll();
		sim.addTask({ id: 'task-foreign-1', actionType: 'isolateDevice', createdDateTime: instant(1) });
		sim.addTask({ id: 'task-foreign-2', actionType: 'isolateDevice', createdDateTime: instant(2) });
		const before = trigger.saved();
		sim.configure({ nextLinkOrigin: 'https://graph.attacker.example' });

		await expect(trigger.poll()).rejects.toThrow(/another origin/);
		expect(trigger.saved()).toEqual(before);

		sim.configure({ nextLinkOrigin: null });
		expect(ids(await trigger.poll())).toEqual(['task-foreign-1', 'task-foreign-2']);
	});
});

describe('Microsoft Defender XDR Trigger: new incidents', () => {
	test('emits new incidents once, filtered by severity and status', async () => {
		const trigger = activeTrigger({
			event: 'newIncident',
			severity: ['high', 'medium'],
			status: ['active'],
		});
		expect(ids(await trigger.poll())).toBeNull();
		sim.addIncident({ id: '3001', severity: 'high', createdDateTime: instant(1) });
		sim.addIncident({ id: '3002', severity: 'low', createdDateTime: instant(2) });
		sim.addIncident({
			id: '3003',
			severity: 'medium',
			status: 'resolved',
			createdDateTime: instant(3),
		});
		sim.addIncident({ id: '3004', severity: 'medium', createdDateTime: instant(4) });

		const poll = await trigger.poll();
		expect(ids(poll)).toEqual(['3001', '3004']);
		expect(poll.items?.[0]).toMatchObject({ id: '3001', severity: 'high', status: 'active' });
		expect(ids(await trigger.poll())).toBeNull();
		const filters = graphGets('incidents').map((request: any) =>
			decodeURIComponent(String(request.path)),
		);
		// The time and the single status go to Graph; two severities are more than Graph's documented `eq`.
		expect(
			filters.some((filter: string) =>
				/createdDateTime ge \S+ and status eq 'active'/.test(filter),
			),
		).toBe(true);
	});

	test('fires on an incident awaiting action: Graph names that status only to a client that asks for it', async () => {
		const trigger = activeTrigger({ event: 'newIncident', status: ['awaitingAction'] });
		expect(ids(await trigger.poll())).toBeNull();
		sim.addIncident({
			id: '3101',
			severity: 'high',
			status: 'awaitingAction',
			createdDateTime: instant(1),
		});
		sim.addIncident({
			id: '3102',
			severity: 'high',
			status: 'active',
			createdDateTime: instant(2),
		});

		const poll = await trigger.poll();
		expect(ids(poll)).toEqual(['3101']);
		expect(poll.items?.[0]).toMatchObject({ id: '3101', status: 'awaitingAction' });
		const preferred = sim.requests.filter((request: any) =>
			request.path.includes('/security/incidents'),
		);
		expect(preferred.length).toBeGreaterThan(0);
		expect(
			preferred.every((request: any) =>
				String(request.headers?.prefer ?? '').includes('include-unknown-enum-members'),
			),
		).toBe(true);
	});

	test('pages through @odata.nextLink and stops once the newest-first list reaches the look-back', async () => {
		sim.configure({ pageSize: 2 });
		const trigger = activeTrigger({ event: 'newIncident' });
		await trigger.poll();
		for (let n = 1; n <= 5; n++) sim.addIncident({ id: `350${n}`, createdDateTime: instant(n) });

		sim.clearLog();
		expect(ids(await trigger.poll())).toEqual(['3501', '3502', '3503', '3504', '3505']);
		// The time filter (`ge` the look-back) leaves the five new ones and the seeded newest one: three pages.
		expect(graphGets('incidents')).toHaveLength(3);

		sim.clearLog();
		expect(ids(await trigger.poll())).toBeNull();
		// The look-back re-reads the last minutes, here the same five incidents: three pages again, nothing older.
		expect(graphGets('incidents')).toHaveLength(3);
	});

	test('a manual run reads one page of a long newest-first list', async () => {
		sim.configure({ pageSize: 2 });
		const trigger = activeTrigger({ event: 'newAlert' });
		sim.clearLog();
		expect(ids(await trigger.manualRun())).toEqual(['alert-1008-03']);
		expect(graphGets('alerts_v2')).toHaveLength(1);
	});

	test('two incidents created in the same second on either side of a poll are neither lost nor doubled', async () => {
		const trigger = activeTrigger({ event: 'newIncident' });
		await trigger.poll();
		const sameSecond = instant(5);
		sim.addIncident({ id: '3101', createdDateTime: sameSecond });
		expect(ids(await trigger.poll())).toEqual(['3101']);
		sim.addIncident({ id: '3100', createdDateTime: sameSecond });
		expect(ids(await trigger.poll())).toEqual(['3100']);
		expect(ids(await trigger.poll())).toBeNull();
	});

	test('a manual run returns the newest incident of the chosen severity', async () => {
		const trigger = activeTrigger({ event: 'newIncident', severity: ['low'] });
		const manual = await trigger.manualRun();
		expect(ids(manual)).toEqual(['1007']);
		expect(trigger.saved()?.cursor).toBeUndefined();
	});

	test('an activation that finds nothing matching still emits the first matching incident that appears later', async () => {
		const trigger = activeTrigger({ event: 'newIncident', severity: ['unknown'] });
		expect(ids(await trigger.poll())).toBeNull();
		expect(trigger.saved()?.cursor).toEqual({
			event: 'newIncident',
			createdDateTime: null,
			windowStart: null,
			seenIds: {},
		});
		sim.addIncident({ id: '3201', severity: 'unknown', createdDateTime: instant(1) });
		expect(ids(await trigger.poll())).toEqual(['3201']);
		expect(ids(await trigger.poll())).toBeNull();
	});

	test('a 403 fails the scheduled poll with a permission hint and the cursor stays', async () => {
		const trigger = activeTrigger({ event: 'newIncident' });
		await trigger.poll();
		sim.addIncident({ id: '3301', createdDateTime: instant(1) });
		const before = trigger.saved();
		sim.injectFault({ path: /incidents/, fault: '403' });

		await expect(trigger.poll()).rejects.toThrow(/Permission denied \(403\)/);
		expect(trigger.saved()).toEqual(before);
		expect(ids(await trigger.poll())).toEqual(['3301']);
	});

	test('a 403 while polling alerts names the alert permission, not the incident or task one', async () => {
		const trigger = activeTrigger({ event: 'newAlert' });
		sim.injectFault({ path: /alerts_v2/, fault: '403' });

		const refusal = await trigger.poll().then(
			() => undefined,
			(error: Error) => error.message,
		);
		expect(refusal).toMatch(/Permission denied \(403\)/);
		expect(refusal).toContain('SecurityAlert.Read.All');
		expect(refusal).not.toContain('SecurityIncident');
		expect(refusal).not.toContain('Defender Experts');
	});

	test('a 403 in a manual run is shown to the user', async () => {
		const trigger = activeTrigger({ event: 'newIncident' });
		sim.injectFault({ path: /incidents/, fault: '403' });
		await expect(trigger.manualRun()).rejects.toThrow(/Permission denied \(403\)/);
	});

	test('switching the event starts over without replaying the other list', async () => {
		const trigger = activeTrigger({ event: 'newIncidentTask' });
		await trigger.poll();
		trigger.setParameters({ event: 'newIncident' });
		expect(ids(await trigger.poll())).toBeNull();
		expect(trigger.saved()?.cursor.event).toBe('newIncident');
		sim.addIncident({ id: '3401', createdDateTime: instant(1) });
		expect(ids(await trigger.poll())).toEqual(['3401']);
	});
});

describe('Microsoft Defender XDR Trigger: new alerts', () => {
	test('emits new alerts once, filtered by severity', async () => {
		const trigger = activeTrigger({ event: 'newAlert', severity: ['high'] });
		expect(ids(await trigger.poll())).toBeNull();
		sim.addAlert({ id: 'alert-new-1', severity: 'high', createdDateTime: instant(1) });
		sim.addAlert({ id: 'alert-new-2', severity: 'low', createdDateTime: instant(2) });
		expect(ids(await trigger.poll())).toEqual(['alert-new-1']);
		expect(ids(await trigger.poll())).toBeNull();

		// Same second as the last one, with Graph's seven-digit precision.
		sim.addAlert({
			id: 'alert-new-0',
			severity: 'high',
			createdDateTime: instant(1).replace('.000Z', '.0000000Z'),
		});
		sim.addAlert({ id: 'alert-new-3', severity: 'high', createdDateTime: instant(3) });
		expect(ids(await trigger.poll())).toEqual(['alert-new-0', 'alert-new-3']);
		expect(ids(await trigger.poll())).toBeNull();
	});

	test('status filter and a manual run return the newest matching alert', async () => {
		const trigger = activeTrigger({ event: 'newAlert', status: ['resolved'] });
		expect(ids(await trigger.manualRun())).toEqual(['alert-1006-01']);
		await trigger.poll();
		sim.addAlert({ id: 'alert-resolved', status: 'resolved', createdDateTime: instant(1) });
		sim.addAlert({ id: 'alert-open', status: 'new', createdDateTime: instant(2) });
		expect(ids(await trigger.poll())).toEqual(['alert-resolved']);
	});
});

/** How each event's entities are added to the simulator, so one test can cover all three lists. */
const addEntity: Record<string, (id: string, createdDateTime: string) => void> = {
	newIncidentTask: (id, createdDateTime) =>
		sim.addTask({ id, actionType: 'isolateDevice', createdDateTime }),
	newIncident: (id, createdDateTime) => sim.addIncident({ id, createdDateTime }),
	newAlert: (id, createdDateTime) => sim.addAlert({ id, createdDateTime }),
};

describe(`Microsoft Defender XDR Trigger: entities Graph lists late (look-back of ${LOOK_BACK_MINUTES} minutes)`, () => {
	test.each(['newAlert', 'newIncident', 'newIncidentTask'])(
		'%s: one created before the cursor but first listed after the poll that passed it is emitted exactly once',
		async (event) => {
			const trigger = activeTrigger({ event });
			await trigger.poll();
			const now = instant();
			addEntity[event]('on-time', now);
			expect(ids(await trigger.poll())).toEqual(['on-time']);

			// Created three minutes before the newest one the trigger has seen; Graph lists it only now.
			addEntity[event]('listed-late', secondsAfter(now, -180));
			expect(ids(await trigger.poll())).toEqual(['listed-late']);
			expect(ids(await trigger.poll())).toBeNull();
		},
	);

	test(`an alert listed more than ${LOOK_BACK_MINUTES} minutes after its creation is not emitted: it cannot be told from the backlog`, async () => {
		const trigger = activeTrigger({ event: 'newAlert' });
		await trigger.poll();
		const now = instant();
		addEntity.newAlert('alert-on-time', now);
		expect(ids(await trigger.poll())).toEqual(['alert-on-time']);

		addEntity.newAlert('alert-too-late', secondsAfter(now, -LOOK_BACK_MINUTES * 60 - 1));
		addEntity.newAlert('alert-just-in-time', secondsAfter(now, -LOOK_BACK_MINUTES * 60));
		expect(ids(await trigger.poll())).toEqual(['alert-just-in-time']);
		expect(ids(await trigger.poll())).toBeNull();
	});

	test.each(['newAlert', 'newIncident', 'newIncidentTask'])(
		'%s: across many polls with entities on time, late and in the same second, each is emitted exactly once',
		async (event) => {
			sim.configure({ pageSize: 3 });
			const trigger = activeTrigger({ event });
			await trigger.poll();
			const start = instant();
			const added: string[] = [];
			const emitted: string[] = [];
			for (let round = 1; round <= 12; round++) {
				const newest = secondsAfter(start, round * 30);
				const arrivals: Array<[string, string]> = [
					[`r${round}-on-time`, newest],
					[`r${round}-same-second`, newest],
					[`r${round}-late`, secondsAfter(newest, -((round * 47) % (LOOK_BACK_MINUTES * 60)))],
				];
				for (const [id, createdDateTime] of arrivals.slice(0, 1 + (round % 3))) {
					addEntity[event](id, createdDateTime);
					added.push(id);
				}
				emitted.push(...(ids(await trigger.poll()) ?? []));
			}
			emitted.push(...(ids(await trigger.poll()) ?? []));
			expect(emitted.sort()).toEqual(added.sort());
		},
	);

	test('a saved cursor in a shape the trigger does not write is read as none: it starts over, replays nothing, then emits what is new', async () => {
		const trigger = activeTrigger({ event: 'newIncidentTask' });
		const at = instant(-5);
		addEntity.newIncidentTask('task-backlog', at);
		addEntity.newIncidentTask('task-backlog-later', secondsAfter(at, 1));
		trigger.restore({
			cursor: {
				event: 'newIncidentTask',
				createdDateTime: graphKey(at),
				idsAtCreatedDateTime: ['task-backlog'],
			},
		});

		expect(ids(await trigger.poll())).toBeNull();
		expect(trigger.saved()?.cursor).toMatchObject({
			event: 'newIncidentTask',
			seenIds: {
				'task-backlog': graphKey(at),
				'task-backlog-later': graphKey(secondsAfter(at, 1)),
			},
		});
		expect(trigger.saved()?.cursor).not.toHaveProperty('idsAtCreatedDateTime');
		addEntity.newIncidentTask('task-new', instant());
		expect(ids(await trigger.poll())).toEqual(['task-new']);
	});

	test(`${MAX_SEEN_IDS + 5} alerts in one second are emitted once and not again, though only ${MAX_SEEN_IDS} IDs are kept`, async () => {
		const trigger = activeTrigger({ event: 'newAlert' });
		await trigger.poll();
		const now = instant();
		for (let n = 0; n < MAX_SEEN_IDS + 5; n++) addEntity.newAlert(`alert-burst-${n}`, now);

		expect(await trigger.poll().then((poll) => poll.items?.length)).toBe(MAX_SEEN_IDS + 5);
		expect(Object.keys(trigger.saved()?.cursor.seenIds).length).toBeLessThanOrEqual(MAX_SEEN_IDS);
		expect(ids(await trigger.poll())).toBeNull();
		addEntity.newAlert('alert-after-burst', secondsAfter(now, 1));
		expect(ids(await trigger.poll())).toEqual(['alert-after-burst']);
	});
});

describe('examples/new-task-trigger-execute.json', () => {
	const example = () =>
		JSON.parse(
			readFileSync(path.resolve(__dirname, '../../examples/new-task-trigger-execute.json'), 'utf8'),
		);

	test('runs the newest task\'s response action and ends on "Executed"', async () => {
		sim.addTask({
			id: 'task-example-isolate',
			actionType: 'isolateDevice',
			createdDateTime: instant(1),
		});
		const run = await engine.runWorkflow(example());
		expect(run.status).toBe('success');
		expect(run.outputs['Executed'][0]).toHaveLength(1);
		expect(run.outputs['Executed'][0][0].json).toMatchObject({
			incidentTaskId: 'task-example-isolate',
			actionType: 'isolateDevice',
			outcome: 'executed',
		});
		expect(run.outputs['Needs attention']).toBeUndefined();
		expect(sim.executions.map((execution: any) => execution.taskId ?? execution.id)).toEqual([
			'task-example-isolate',
		]);
	});

	test('a task Graph refuses to execute ends on "Needs attention"', async () => {
		sim.addTask({
			id: 'task-example-refused',
			actionType: 'runAntiVirusScan',
			createdDateTime: instant(1),
		});
		sim.injectFault({ method: 'POST', path: /executeResponseAction/, fault: '403' });
		const run = await engine.runWorkflow(example());
		expect(run.outputs['Executed']).toBeUndefined();
		expect(run.outputs['Needs attention'][0][0].json).toMatchObject({
			incidentTaskId: 'task-example-refused',
			outcome: 'failed',
			error: { statusCode: 403, executed: 'no' },
		});
	});
});
