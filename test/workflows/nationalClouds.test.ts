/**
 * Microsoft offers incident tasks in the Global cloud only, and incidents, alerts and advanced hunting in the Global
 * and US Government clouds, not in China. The node refuses the others before anything leaves n8n: no sign-in, no
 * request. Run by the n8n engine; every connection the process opens is watched, and the simulator counts requests.
 */
import net from 'node:net';

import {
	SEEDED_ALERT_IDS as ALERTS,
	SEEDED_HUNTING_QUERIES as QUERIES,
	SEEDED_HUNTING_TIMESPAN,
	SEEDED_INCIDENT_IDS as INCIDENTS,
	SEEDED_TASK_IDS as TASKS,
} from '../../simulator';
import type { INode } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../harness/n8n-engine';
import {
	execute,
	graphRequests,
	runDefender,
	simulatorCredential,
	tokenRequests,
	useWorld,
	type Json,
} from './defenderWorkflow';

const world = useWorld();

/** The simulator credential with another cloud: only `custom` reaches the simulator, so any request elsewhere is a leak. */
function useCloud(cloud: string) {
	world.engine.credentialsHelper.stored[CREDENTIAL_TYPE] = {
		...simulatorCredential(world.sim),
		cloud,
	};
}
afterEach(() => useCloud('custom'));

/**
 * Every TCP connection the process opens while `run` runs. Connections to other hosts than loopback are refused
 * on the spot, so a regression fails the test instead of reaching Microsoft.
 */
async function connectionsDuring<T>(
	run: () => Promise<T>,
): Promise<{ result: T; hosts: string[] }> {
	const hosts: string[] = [];
	const original = net.Socket.prototype.connect;
	net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
		const first = Array.isArray(args[0]) ? args[0][0] : args[0];
		const host =
			typeof first === 'object' && first !== null
				? String((first as { host?: string }).host ?? 'localhost')
				: String(args[1] ?? 'localhost');
		hosts.push(host);
		if (!/^(127\.|localhost$|::1$)/.test(host)) {
			process.nextTick(() =>
				this.destroy(
					Object.assign(new Error(`connection to ${host} refused by the test`), {
						code: 'ECONNREFUSED',
					}),
				),
			);
			return this;
		}
		return (original as (...a: unknown[]) => net.Socket).apply(this, args);
	} as typeof original;
	try {
		return { result: await run(), hosts };
	} finally {
		net.Socket.prototype.connect = original;
	}
}

const cases: Array<[string, string, Json, Json[]]> = [
	[
		'executes a response action',
		'usGovL4',
		execute(),
		[{ id: TASKS.openByActionType.isolateDevice, actionType: 'isolateDevice' }],
	],
	['lists incident tasks', 'usGovL5', { resource: 'incidentTask', operation: 'getMany' }, [{}]],
	[
		'reads an incident task',
		'china',
		{
			resource: 'incidentTask',
			operation: 'get',
			incidentTaskId: TASKS.openByActionType.isolateDevice,
		},
		[{}],
	],
	[
		'reads an incident',
		'china',
		{ resource: 'incident', operation: 'get', incidentId: INCIDENTS.active },
		[{}],
	],
	[
		'comments on an incident',
		'china',
		{ resource: 'incident', operation: 'addComment', incidentId: INCIDENTS.active, comment: 'n8n' },
		[{}],
	],
	['lists alerts', 'china', { resource: 'alert', operation: 'getMany' }, [{}]],
	[
		'updates an alert',
		'china',
		{
			resource: 'alert',
			operation: 'update',
			alertId: ALERTS.new,
			updateFields: { status: 'resolved' },
		},
		[{}],
	],
	[
		'runs a hunting query',
		'china',
		{ resource: 'advancedHunting', operation: 'runQuery', query: QUERIES.devicesOfIncident },
		[{}],
	],
];

describe("a resource Microsoft does not offer in the credential's cloud", () => {
	it.each(cases)(
		'%s on %s: every item on Error with notOfferedInCloud, and nothing leaves n8n',
		async (_what, cloud, parameters, items) => {
			useCloud(cloud);
			const { result: run, hosts } = await connectionsDuring(
				async () => await runDefender(world.engine, parameters, [...items, ...items]),
			);

			expect(run.success).toHaveLength(0);
			expect(run.error).toHaveLength(2);
			for (const item of run.error) {
				expect(item).toMatchObject({
					outcome: 'failed',
					error: { code: 'notOfferedInCloud', executed: 'no', retryable: false, statusCode: null },
				});
				expect(item.error.message).toMatch(
					/^Microsoft does not offer (incident tasks|incidents|alerts|advanced hunting) in the .* cloud that this credential uses; .* Nothing was sent\./,
				);
			}
			expect(run.errorPairs).toEqual([0, 1]);
			expect(hosts).toEqual([]);
			expect(graphRequests(world.sim)).toHaveLength(0);
			expect(tokenRequests(world.sim)).toHaveLength(0);
		},
	);

	it('says which clouds Microsoft does offer it in', async () => {
		useCloud('usGovL4');
		const tasks = await runDefender(world.engine, {
			resource: 'incidentTask',
			operation: 'get',
			incidentTaskId: TASKS.openByActionType.isolateDevice,
		});
		useCloud('china');
		const hunting = await runDefender(world.engine, {
			resource: 'advancedHunting',
			operation: 'runQuery',
			query: QUERIES.devicesOfIncident,
		});

		expect(tasks.error[0].error.message).toBe(
			'Microsoft does not offer incident tasks in the US Government L4 cloud that this credential uses; its Graph documentation names the Global cloud only. Nothing was sent. Use a credential for a tenant in the Global cloud.',
		);
		expect(hunting.error[0].error.message).toContain(
			'Microsoft does not offer advanced hunting in the China (21Vianet) cloud',
		);
		expect(hunting.error[0].error.message).toContain(
			'names the Global, US Government L4 and US Government L5 (DoD) clouds only',
		);
	});

	it("stops the trigger's poll before any request, with the same message", async () => {
		useCloud('china');
		const trigger: INode = {
			id: 'trigger',
			name: 'Defender XDR Trigger',
			type: 'n8n-nodes-microsoft-defender-xdr.microsoftDefenderXdrTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: { event: 'newIncident' },
			credentials: { [CREDENTIAL_TYPE]: { id: 'cred-1', name: 'Defender XDR (simulator)' } },
		};
		const { result, hosts } = await connectionsDuring(
			async () =>
				await world.engine.poll(trigger, { mode: 'manual' }).catch((error: Error) => error),
		);

		expect(result).toBeInstanceOf(Error);
		expect((result as Error).message).toContain(
			'Microsoft does not offer incidents in the China (21Vianet) cloud',
		);
		expect(hosts).toEqual([]);
		expect(world.sim.requests).toHaveLength(0);
	});
});

describe('where Microsoft offers it', () => {
	it('the custom cloud (the simulator) reaches every resource, and the connection watch sees those requests', async () => {
		const { result, hosts } = await connectionsDuring(async () => [
			await runDefender(world.engine, {
				resource: 'incidentTask',
				operation: 'get',
				incidentTaskId: TASKS.openByActionType.isolateDevice,
			}),
			await runDefender(world.engine, {
				resource: 'incident',
				operation: 'get',
				incidentId: INCIDENTS.active,
			}),
			await runDefender(world.engine, { resource: 'alert', operation: 'get', alertId: ALERTS.new }),
			// The seeded rows are older than Graph's default 30-day window.
			await runDefender(world.engine, {
				resource: 'advancedHunting',
				operation: 'runQuery',
				query: QUERIES.devicesOfIncident,
				timespan: SEEDED_HUNTING_TIMESPAN,
			}),
		]);

		expect(result.map((run) => run.error)).toEqual([[], [], [], []]);
		expect(result.every((run) => run.success.length > 0)).toBe(true);
		expect(graphRequests(world.sim).length).toBeGreaterThanOrEqual(4);
		expect(hosts.length).toBeGreaterThan(0);
		expect(hosts.every((host) => host.startsWith('127.') || host === 'localhost')).toBe(true);
	});

	it('a US Government cloud is not refused for incidents: the request is made (and here refused by the test, not by the node)', async () => {
		useCloud('usGovL4');
		const { result: run, hosts } = await connectionsDuring(
			async () =>
				await runDefender(world.engine, {
					resource: 'incident',
					operation: 'get',
					incidentId: INCIDENTS.active,
					options: { maxRetries: 0 },
				}),
		);

		expect(run.error[0].error.code).not.toBe('notOfferedInCloud');
		expect(hosts).toContain('login.microsoftonline.us');
	});
});
