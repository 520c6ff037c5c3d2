import type { ApiSession } from '../../nodes/shared/transport/session';
import type { EntityListing, GraphEntity } from '../../nodes/MicrosoftDefenderXdrTrigger/events';
import { ALERT } from '../../nodes/shared/resources/alert';
import {
	activate,
	catchUp,
	createdKey,
	LOOK_BACK_MINUTES,
	MAX_SEEN_IDS,
	savedCursor,
	type PollCursor,
} from '../../nodes/MicrosoftDefenderXdrTrigger/pollCursor';

/** A Graph list served from fixed pages, counting how many pages were read. */
function pagedGraph(pages: GraphEntity[][]) {
	const read = { pages: 0 };
	const graph = {
		api: { name: 'Graph' },
		endpoints: { root: 'https://graph.example' },
		clock: { now: () => Date.now() },
		async *pages() {
			for (const items of pages) {
				read.pages++;
				yield { items, nextLinkRefused: false };
			}
		},
	} as unknown as ApiSession;
	return { graph, read };
}

const newestFirstList: EntityListing = {
	resource: ALERT,
	query: () => ({}),
	matches: () => true,
	newestFirst: true,
};
const unorderedList: EntityListing = { ...newestFirstList, newestFirst: false };
const task = (id: string, createdDateTime: string): GraphEntity => ({ id, createdDateTime });
/** A cursor at `createdDateTime` whose look-back starts there too, having seen `ids` at that instant. */
const cursorAt = (createdDateTime: string, ids: string[] = []): PollCursor => ({
	event: 'newIncidentTask',
	createdDateTime,
	windowStart: createdDateTime,
	seenIds: Object.fromEntries(ids.map((id) => [id, createdDateTime])),
});

describe('createdKey', () => {
	test('puts every Graph spelling of one instant on the same sortable key', () => {
		const key = '2026-03-01T10:00:00.0000000Z';
		expect(createdKey('2026-03-01T10:00:00Z')).toBe(key);
		expect(createdKey('2026-03-01T10:00:00.000Z')).toBe(key);
		expect(createdKey('2026-03-01T10:00:00.0000000Z')).toBe(key);
		expect(createdKey('2026-03-01T11:00:00+01:00')).toBe(key);
		expect(createdKey('2026-03-01T10:00:00.1234567Z')! > key).toBe(true);
		expect(createdKey('2026-03-01T09:59:59.9999999Z')! < key).toBe(true);
	});

	test('refuses what is not a date-time', () => {
		expect(createdKey(undefined)).toBeUndefined();
		expect(createdKey('yesterday')).toBeUndefined();
		expect(createdKey(1700000000)).toBeUndefined();
	});
});

describe('catchUp', () => {
	test('stops paging at the first page older than the cursor on a list documented newest first', async () => {
		const { graph, read } = pagedGraph([
			[task('c', '2026-03-01T10:00:03Z'), task('b', '2026-03-01T10:00:02Z')],
			[task('a', '2026-03-01T10:00:01Z'), task('old', '2026-03-01T09:00:00Z')],
			[task('older', '2026-03-01T08:00:00Z')],
		]);
		const { fresh, cursor } = await catchUp(
			graph,
			newestFirstList,
			cursorAt('2026-03-01T10:00:00.0000000Z'),
		);
		expect(fresh.map((entity) => entity.id)).toEqual(['a', 'b', 'c']);
		expect(read.pages).toBe(2);
		expect(cursor).toEqual({
			event: 'newIncidentTask',
			createdDateTime: '2026-03-01T10:00:03.0000000Z',
			windowStart: '2026-03-01T10:00:00.0000000Z',
			seenIds: {
				a: '2026-03-01T10:00:01.0000000Z',
				b: '2026-03-01T10:00:02.0000000Z',
				c: '2026-03-01T10:00:03.0000000Z',
			},
		});
	});

	test('reads every page when a list documented newest first turns out not to be', async () => {
		const { graph, read } = pagedGraph([
			[task('old', '2026-03-01T09:00:00Z'), task('a', '2026-03-01T10:00:01Z')],
			[task('c', '2026-03-01T10:00:03Z')],
		]);
		const { fresh } = await catchUp(
			graph,
			newestFirstList,
			cursorAt('2026-03-01T10:00:00.0000000Z'),
		);
		expect(fresh.map((entity) => entity.id)).toEqual(['a', 'c']);
		expect(read.pages).toBe(2);
	});

	test('reads every page of a list with no promised order, and misses nothing', async () => {
		const { graph, read } = pagedGraph([
			[task('a', '2026-03-01T10:00:01Z'), task('old', '2026-03-01T09:00:00Z')],
			[task('c', '2026-03-01T10:00:03Z')],
		]);
		const { fresh } = await catchUp(graph, unorderedList, cursorAt('2026-03-01T10:00:00.0000000Z'));
		expect(fresh.map((entity) => entity.id)).toEqual(['a', 'c']);
		expect(read.pages).toBe(2);
	});

	test('skips IDs already seen at the cursor instant and an entity repeated by a shifted page', async () => {
		const { graph } = pagedGraph([
			[task('new', '2026-03-01T10:00:00Z'), task('seen', '2026-03-01T10:00:00Z')],
			[task('seen', '2026-03-01T10:00:00Z'), task('old', '2026-03-01T09:00:00Z')],
		]);
		const { fresh, cursor } = await catchUp(
			graph,
			unorderedList,
			cursorAt('2026-03-01T10:00:00.0000000Z', ['seen']),
		);
		expect(fresh.map((entity) => entity.id)).toEqual(['new']);
		expect(Object.keys(cursor.seenIds)).toEqual(['seen', 'new']);
	});
});

describe('look-back', () => {
	test(`emits an entity Graph lists late, created up to ${LOOK_BACK_MINUTES} minutes before the newest one seen, once`, async () => {
		const cursor = cursorAt('2026-03-01T10:00:00.0000000Z', ['at-cursor']);
		const first = await catchUp(
			pagedGraph([
				[task('at-cursor', '2026-03-01T10:00:00Z'), task('next', '2026-03-01T10:05:00Z')],
			]).graph,
			newestFirstList,
			cursor,
		);
		expect(first.fresh.map((entity) => entity.id)).toEqual(['next']);
		expect(first.cursor.windowStart).toBe('2026-03-01T10:00:00.0000000Z');

		const withLate = pagedGraph([
			[
				task('next', '2026-03-01T10:05:00Z'),
				task('late', '2026-03-01T10:01:00Z'),
				task('at-cursor', '2026-03-01T10:00:00Z'),
			],
		]);
		const second = await catchUp(withLate.graph, newestFirstList, first.cursor);
		expect(second.fresh.map((entity) => entity.id)).toEqual(['late']);
		const third = await catchUp(withLate.graph, newestFirstList, second.cursor);
		expect(third.fresh).toEqual([]);
	});

	test(`does not emit an entity created more than ${LOOK_BACK_MINUTES} minutes before the newest one seen (it is listed too late to tell from the backlog)`, async () => {
		const cursor = cursorAt('2026-03-01T10:00:00.0000000Z');
		const { cursor: moved } = await catchUp(
			pagedGraph([[task('newest', '2026-03-01T10:30:00Z')]]).graph,
			unorderedList,
			cursor,
		);
		expect(moved.windowStart).toBe('2026-03-01T10:20:00.0000000Z');
		const { fresh } = await catchUp(
			pagedGraph([
				[
					task('newest', '2026-03-01T10:30:00Z'),
					task('too-late', '2026-03-01T10:19:59.9999999Z'),
					task('in-time', '2026-03-01T10:20:00Z'),
				],
			]).graph,
			unorderedList,
			moved,
		);
		expect(fresh.map((entity) => entity.id)).toEqual(['in-time']);
	});

	test('keeps only the IDs within the look-back, so static data stays small', async () => {
		const { cursor } = await catchUp(
			pagedGraph([
				[
					task('old', '2026-03-01T10:00:00Z'),
					task('recent', '2026-03-01T10:25:00Z'),
					task('newest', '2026-03-01T10:30:00Z'),
				],
			]).graph,
			unorderedList,
			cursorAt('2026-03-01T10:00:00.0000000Z'),
		);
		expect(cursor.seenIds).toEqual({
			recent: '2026-03-01T10:25:00.0000000Z',
			newest: '2026-03-01T10:30:00.0000000Z',
		});
	});

	test('activation remembers the IDs within the look-back and stops paging past it on a newest-first list', async () => {
		const { graph, read } = pagedGraph([
			[task('newest', '2026-03-01T10:30:00Z'), task('recent', '2026-03-01T10:21:00Z')],
			[task('before-window', '2026-03-01T10:10:00Z')],
			[task('backlog', '2026-03-01T09:00:00Z')],
		]);
		const cursor = await activate(graph, newestFirstList, 'newAlert');
		expect(cursor).toEqual({
			event: 'newAlert',
			createdDateTime: '2026-03-01T10:30:00.0000000Z',
			windowStart: '2026-03-01T10:20:00.0000000Z',
			seenIds: { newest: '2026-03-01T10:30:00.0000000Z', recent: '2026-03-01T10:21:00.0000000Z' },
		});
		expect(read.pages).toBe(2);
	});
});

describe(`more than ${MAX_SEEN_IDS} entities within the look-back`, () => {
	const burst = (count: number, createdDateTime: (n: number) => string) =>
		Array.from({ length: count }, (_, n) =>
			task(`t${String(n).padStart(4, '0')}`, createdDateTime(n)),
		);

	test(`${MAX_SEEN_IDS + 5} entities in one instant are each emitted once and never again`, async () => {
		const sameInstant = burst(MAX_SEEN_IDS + 5, () => '2026-03-01T10:00:00Z');
		const { graph } = pagedGraph([sameInstant]);
		const first = await catchUp(graph, unorderedList, cursorAt('2026-03-01T09:00:00.0000000Z'));
		expect(first.fresh).toHaveLength(MAX_SEEN_IDS + 5);
		expect(Object.keys(first.cursor.seenIds).length).toBeLessThanOrEqual(MAX_SEEN_IDS);
		// Every ID at the instant cannot be kept, so the window moves past it: later entities there would be missed.
		expect(first.cursor.windowStart).toBe('2026-03-01T10:00:00.0000001Z');

		const again = await catchUp(
			pagedGraph([[...sameInstant, task('after', '2026-03-01T10:00:01Z')]]).graph,
			unorderedList,
			first.cursor,
		);
		expect(again.fresh.map((entity) => entity.id)).toEqual(['after']);
	});

	test('drops the oldest IDs and moves the window past them, so none is emitted again and a late one that old is missed', async () => {
		// One entity per 100 ms: all within one minute, well inside the look-back.
		const spread = burst(MAX_SEEN_IDS + 5, (n) =>
			new Date(Date.parse('2026-03-01T10:00:00Z') + n * 100).toISOString(),
		);
		const first = await catchUp(
			pagedGraph([spread]).graph,
			unorderedList,
			cursorAt('2026-03-01T09:59:00.0000000Z'),
		);
		expect(first.fresh).toHaveLength(MAX_SEEN_IDS + 5);
		expect(Object.keys(first.cursor.seenIds)).toHaveLength(MAX_SEEN_IDS);
		expect(first.cursor.seenIds.t0004).toBeUndefined();
		expect(first.cursor.windowStart).toBe('2026-03-01T10:00:00.4000001Z');

		const late = [
			task('late-dropped-range', '2026-03-01T10:00:00.3Z'),
			task('late-kept-range', '2026-03-01T10:00:00.5Z'),
		];
		const again = await catchUp(
			pagedGraph([[...spread, ...late]]).graph,
			unorderedList,
			first.cursor,
		);
		expect(again.fresh.map((entity) => entity.id)).toEqual(['late-kept-range']);
	});
});

describe('savedCursor', () => {
	test('reads back what the trigger saved, and treats anything else as a first activation', () => {
		const cursor = cursorAt('2026-03-01T10:00:00.0000000Z', ['a']);
		expect(savedCursor(cursor, 'newIncidentTask')).toEqual(cursor);
		expect(
			savedCursor(
				{ ...cursor, createdDateTime: null, windowStart: null, seenIds: {} },
				'newIncidentTask',
			),
		).toBeDefined();
		expect(savedCursor(cursor, 'newAlert')).toBeUndefined();
		expect(savedCursor(undefined, 'newIncidentTask')).toBeUndefined();
		expect(
			savedCursor({ ...cursor, createdDateTime: '2026-03-01T10:00:00Z' }, 'newIncidentTask'),
		).toBeUndefined();
		expect(
			savedCursor({ ...cursor, seenIds: { a: 'yesterday' } }, 'newIncidentTask'),
		).toBeUndefined();
		expect(savedCursor({ ...cursor, seenIds: undefined }, 'newIncidentTask')).toBeUndefined();
	});

	test('reads a cursor without a look-back window as none, so the trigger starts over without replaying', () => {
		const withoutWindow = {
			event: 'newIncidentTask',
			createdDateTime: '2026-03-01T10:00:00.0000000Z',
			idsAtCreatedDateTime: ['a', 'b'],
		};
		expect(savedCursor(withoutWindow, 'newIncidentTask')).toBeUndefined();
	});
});
