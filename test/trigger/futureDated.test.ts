import { existsSync } from 'node:fs';
import path from 'node:path';

import { INCIDENT_TASK } from '../../nodes/shared/resources/incidentTask';
import type { ApiSession } from '../../nodes/shared/transport/session';
import type { EntityListing, GraphEntity } from '../../nodes/MicrosoftDefenderXdrTrigger/events';
import {
	activate,
	catchUp,
	LOOK_BACK_MINUTES,
	type PollCursor,
} from '../../nodes/MicrosoftDefenderXdrTrigger/pollCursor';
import { startSimulator, type Simulator } from '../../simulator';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createEngine, simulatorCredential } = require('../harness/n8n-engine.js');

/** A Graph list served from fixed pages. */
function listedGraph(items: GraphEntity[]) {
	return {
		api: { name: 'Graph' },
		endpoints: { root: 'https://graph.example' },
		clock: { now: () => Date.now() },
		async *pages() {
			yield { items, nextLinkRefused: false };
		},
	} as unknown as ApiSession;
}

const unorderedList: EntityListing = {
	resource: INCIDENT_TASK,
	query: () => ({}),
	matches: () => true,
	newestFirst: false,
};
const task = (id: string, createdDateTime: string): GraphEntity => ({ id, createdDateTime });
const NOW = Date.parse('2026-03-01T10:00:00Z');
const at = (minutes: number) => new Date(NOW + minutes * 60_000).toISOString();

describe('an entity with a createdDateTime in the future (clock skew, bad data)', () => {
	test('does not move the cursor past the time of the poll, so entities created before it are still emitted', async () => {
		const cursor: PollCursor = {
			event: 'newIncidentTask',
			createdDateTime: '2026-03-01T09:59:00.0000000Z',
			windowStart: '2026-03-01T09:49:00.0000000Z',
			seenIds: {},
		};
		const first = await catchUp(
			listedGraph([task('future', at(60)), task('now', at(0))]),
			unorderedList,
			cursor,
			NOW,
		);
		expect(first.fresh.map((entity) => entity.id)).toEqual(['now', 'future']);
		expect(first.cursor.createdDateTime).toBe('2026-03-01T10:00:00.0000000Z');
		expect(first.cursor.windowStart).toBe(`2026-03-01T09:${60 - LOOK_BACK_MINUTES}:00.0000000Z`);

		// One minute later Graph lists two more, created before the future-dated one: both are emitted, it is not again.
		const later = [
			task('future', at(60)),
			task('now', at(0)),
			task('next', at(1)),
			task('late', at(-2)),
		];
		const second = await catchUp(listedGraph(later), unorderedList, first.cursor, NOW + 60_000);
		expect(second.fresh.map((entity) => entity.id)).toEqual(['late', 'next']);
		const third = await catchUp(listedGraph(later), unorderedList, second.cursor, NOW + 120_000);
		expect(third.fresh).toEqual([]);
	});

	test('is remembered until its time has passed the look-back, so it is emitted once', async () => {
		const cursor: PollCursor = {
			event: 'newIncidentTask',
			createdDateTime: '2026-03-01T10:00:00.0000000Z',
			windowStart: `2026-03-01T09:${60 - LOOK_BACK_MINUTES}:00.0000000Z`,
			seenIds: {},
		};
		const listed = [task('future', at(60))];
		let { fresh, cursor: next } = await catchUp(listedGraph(listed), unorderedList, cursor, NOW);
		expect(fresh.map((entity) => entity.id)).toEqual(['future']);
		for (const minutes of [30, 61, 69, 75]) {
			({ fresh, cursor: next } = await catchUp(
				listedGraph(listed),
				unorderedList,
				next,
				NOW + minutes * 60_000,
			));
			expect(fresh).toEqual([]);
		}
	});

	test('activation with a future-dated entity starts the look-back from the time of activation', async () => {
		const cursor = await activate(
			listedGraph([task('future', at(60)), task('backlog', at(-30))]),
			unorderedList,
			'newIncidentTask',
			NOW,
		);
		expect(cursor.createdDateTime).toBe('2026-03-01T10:00:00.0000000Z');
		expect(cursor.windowStart).toBe(`2026-03-01T09:${60 - LOOK_BACK_MINUTES}:00.0000000Z`);
		const { fresh } = await catchUp(
			listedGraph([task('future', at(60)), task('backlog', at(-30)), task('new', at(1))]),
			unorderedList,
			cursor,
			NOW + 60_000,
		);
		expect(fresh.map((entity) => entity.id)).toEqual(['new']);
	});

	test('a cursor whose window starts in the future is brought back to the time of the poll, so nothing newer is missed', async () => {
		const ahead: PollCursor = {
			event: 'newIncidentTask',
			createdDateTime: at(60),
			windowStart: at(60 - LOOK_BACK_MINUTES),
			seenIds: { future: at(60).replace('.000Z', '.0000000Z') },
		};
		const { fresh, cursor } = await catchUp(
			listedGraph([task('future', at(60)), task('new', at(0))]),
			unorderedList,
			ahead,
			NOW,
		);
		expect(fresh.map((entity) => entity.id)).toEqual(['new']);
		expect(cursor.windowStart! <= '2026-03-01T10:00:00.0000000Z').toBe(true);
	});
});

describe('Microsoft Defender XDR Trigger in the engine: one entity dated an hour ahead', () => {
	let sim: Simulator;
	let engine: any;

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

	beforeEach(() => sim.reset());

	const add: Record<string, (id: string, createdDateTime: string) => void> = {
		newIncidentTask: (id, createdDateTime) =>
			sim.addTask({ id, actionType: 'isolateDevice', createdDateTime }),
		newAlert: (id, createdDateTime) => sim.addAlert({ id, createdDateTime }),
	};

	test.each(['newIncidentTask', 'newAlert'])(
		'%s: every entity created after it is still emitted, each once',
		async (event) => {
			const node = {
				id: 'trigger',
				name: 'Defender XDR Trigger',
				type: 'n8n-nodes-microsoft-defender-xdr.microsoftDefenderXdrTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: { event },
				credentials: {
					microsoftDefenderXdrOAuth2Api: { id: 'sim', name: 'Defender XDR (simulator)' },
				},
			};
			const staticData: Record<string, any> = {};
			const poll = async (): Promise<string[]> => {
				const { result } = await engine.poll(node, { staticData });
				return result === null
					? []
					: result[0].map((item: { json: { id: string } }) => item.json.id);
			};
			await poll();
			const nowIso = (offsetMs = 0) => new Date(Date.now() + offsetMs).toISOString();
			add[event]('dated-an-hour-ahead', nowIso(3_600_000));
			const added = ['dated-an-hour-ahead'];
			const emitted: string[] = [];
			for (let round = 0; round < 5; round++) {
				for (let n = 0; n < 6; n++) {
					const id = `r${round}-${n}`;
					add[event](id, nowIso(-n * 1000));
					added.push(id);
				}
				emitted.push(...(await poll()));
			}
			emitted.push(...(await poll()));
			expect(emitted.filter((id) => !added.includes(id))).toEqual([]);
			expect([...emitted].sort()).toEqual([...added].sort());
		},
	);
});
