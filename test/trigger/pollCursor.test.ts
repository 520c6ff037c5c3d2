import type { GraphSession } from '../../nodes/MicrosoftDefenderXdr/transport/graphSession';
import type { EntityListing, GraphEntity } from '../../nodes/MicrosoftDefenderXdrTrigger/events';
import { catchUp, createdKey, MAX_BOUNDARY_IDS, savedCursor, type PollCursor } from '../../nodes/MicrosoftDefenderXdrTrigger/pollCursor';

/** A Graph list served from fixed pages, counting how many pages were read. */
function pagedGraph(pages: GraphEntity[][]) {
	const read = { pages: 0 };
	const graph = {
		endpoints: { graphRoot: 'https://graph.example' },
		async *pages() {
			for (const items of pages) {
				read.pages++;
				yield { items, nextLinkRefused: false };
			}
		},
	} as unknown as GraphSession;
	return { graph, read };
}

const newestFirstList: EntityListing = { version: 'v1.0', path: '/security/alerts_v2', query: () => ({}), matches: () => true, newestFirst: true };
const unorderedList: EntityListing = { ...newestFirstList, newestFirst: false };
const task = (id: string, createdDateTime: string): GraphEntity => ({ id, createdDateTime });
const cursorAt = (createdDateTime: string, ids: string[] = []): PollCursor => ({ event: 'newIncidentTask', createdDateTime, idsAtCreatedDateTime: ids });

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
		const { fresh, cursor } = await catchUp(graph, newestFirstList, cursorAt('2026-03-01T10:00:00.0000000Z'));
		expect(fresh.map((entity) => entity.id)).toEqual(['a', 'b', 'c']);
		expect(read.pages).toBe(2);
		expect(cursor).toEqual(cursorAt('2026-03-01T10:00:03.0000000Z', ['c']));
	});

	test('reads every page when a list documented newest first turns out not to be', async () => {
		const { graph, read } = pagedGraph([
			[task('old', '2026-03-01T09:00:00Z'), task('a', '2026-03-01T10:00:01Z')],
			[task('c', '2026-03-01T10:00:03Z')],
		]);
		const { fresh } = await catchUp(graph, newestFirstList, cursorAt('2026-03-01T10:00:00.0000000Z'));
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
		const { fresh, cursor } = await catchUp(graph, unorderedList, cursorAt('2026-03-01T10:00:00.0000000Z', ['seen']));
		expect(fresh.map((entity) => entity.id)).toEqual(['new']);
		expect(cursor.idsAtCreatedDateTime).toEqual(['seen', 'new']);
	});

	test(`keeps at most ${MAX_BOUNDARY_IDS} IDs at the boundary`, async () => {
		const burst = Array.from({ length: MAX_BOUNDARY_IDS + 5 }, (_, n) => task(`t${n}`, '2026-03-01T10:00:00Z'));
		const { graph } = pagedGraph([burst]);
		const { fresh, cursor } = await catchUp(graph, unorderedList, cursorAt('2026-03-01T09:00:00.0000000Z'));
		expect(fresh).toHaveLength(MAX_BOUNDARY_IDS + 5);
		expect(cursor.idsAtCreatedDateTime).toHaveLength(MAX_BOUNDARY_IDS);
	});
});

describe('savedCursor', () => {
	test('reads back what the trigger saved, and treats anything else as a first activation', () => {
		const cursor = cursorAt('2026-03-01T10:00:00.0000000Z', ['a']);
		expect(savedCursor(cursor, 'newIncidentTask')).toEqual(cursor);
		expect(savedCursor({ ...cursor, createdDateTime: null, idsAtCreatedDateTime: [] }, 'newIncidentTask')).toBeDefined();
		expect(savedCursor(cursor, 'newAlert')).toBeUndefined();
		expect(savedCursor(undefined, 'newIncidentTask')).toBeUndefined();
		expect(savedCursor({ ...cursor, createdDateTime: '2026-03-01T10:00:00Z' }, 'newIncidentTask')).toBeUndefined();
		expect(savedCursor({ ...cursor, idsAtCreatedDateTime: 'a' }, 'newIncidentTask')).toBeUndefined();
	});
});
