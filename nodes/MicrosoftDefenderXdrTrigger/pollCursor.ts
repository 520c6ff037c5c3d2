import type { GraphSession } from '../MicrosoftDefenderXdr/transport/graphSession';
import { DefenderXdrError } from '../MicrosoftDefenderXdr/transport/graphError';
import type { EntityListing, GraphEntity } from './events';

/**
 * What the trigger keeps in the workflow's static data (`getWorkflowStaticData('node').cursor`) between polls.
 * A time alone would lose or double entities created in the same instant, so the IDs at that instant come along.
 */
export interface PollCursor {
	/** The event the cursor belongs to; after switching events the trigger starts over without replaying. */
	event: string;
	/** Newest `createdDateTime` seen, as `YYYY-MM-DDTHH:mm:ss.fffffffZ`; null when nothing existed at activation. */
	createdDateTime: string | null;
	/** IDs already emitted or skipped at exactly `createdDateTime`. */
	idsAtCreatedDateTime: string[];
}

/** The saved cursor of this event, or undefined when there is none (first activation, another event, or unreadable). */
export function savedCursor(saved: unknown, event: string): PollCursor | undefined {
	if (!saved || typeof saved !== 'object') return undefined;
	const cursor = saved as Partial<PollCursor>;
	const readable =
		cursor.event === event &&
		(cursor.createdDateTime === null || createdKey(cursor.createdDateTime) === cursor.createdDateTime) &&
		Array.isArray(cursor.idsAtCreatedDateTime) &&
		cursor.idsAtCreatedDateTime.every((id) => typeof id === 'string');
	return readable ? (cursor as PollCursor) : undefined;
}

/** More entities than this in one instant is not realistic; the bound keeps static data small. */
export const MAX_BOUNDARY_IDS = 1000;

const GRAPH_DATE_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * A `createdDateTime` as a string that sorts in time order: UTC, seven fractional digits (Graph's precision).
 * It doubles as the OData literal of the server-side time filter. Undefined when Graph sent no usable time.
 */
export function createdKey(value: unknown): string | undefined {
	if (typeof value !== 'string') return undefined;
	const match = GRAPH_DATE_TIME.exec(value.trim());
	if (!match) return undefined;
	const [, upToSeconds, fraction = '', offset] = match;
	const wholeSecondsMs = Date.parse(`${upToSeconds}${offset.toUpperCase()}`);
	if (Number.isNaN(wholeSecondsMs)) return undefined;
	return `${new Date(wholeSecondsMs).toISOString().slice(0, 19)}.${fraction.padEnd(7, '0').slice(0, 7)}Z`;
}

interface Seen {
	entity: GraphEntity;
	key: string;
}

/**
 * Reads the list page by page in Graph's order. Paging stops early only for a list Graph documents as newest
 * first, only while it has really been newest first so far, and once `canStopAfter` says the page's oldest
 * entity is older than anything still wanted; otherwise every page is read.
 */
async function scan(
	graph: GraphSession,
	listing: EntityListing,
	since: string | undefined,
	canStopAfter: (oldestKeyOnPage: string) => boolean,
	visit: (seen: Seen) => void,
): Promise<void> {
	const visitedIds = new Set<string>();
	let previousKey: string | undefined;
	let newestFirst = listing.newestFirst;
	for await (const page of graph.pages<GraphEntity>(listing.version, listing.path, listing.query(since))) {
		let oldestKeyOnPage: string | undefined;
		for (const entity of page.items) {
			const key = createdKey(entity?.createdDateTime);
			// An entity without an ID or a creation time cannot be placed on the cursor; Graph always sends both.
			if (typeof entity?.id !== 'string' || key === undefined) continue;
			// Offset paging repeats an entity when new ones arrive between two pages.
			if (visitedIds.has(entity.id)) continue;
			visitedIds.add(entity.id);
			if (previousKey !== undefined && key > previousKey) newestFirst = false;
			previousKey = key;
			oldestKeyOnPage = key;
			visit({ entity, key });
		}
		if (page.nextLinkRefused) {
			throw new DefenderXdrError({
				code: 'foreignNextLink',
				message: `Graph sent a next-page link to another origin than ${graph.endpoints.graphRoot}; it was not followed, so the token is not sent there. The list is incomplete, so nothing is emitted and the trigger's position stays where it was.`,
			});
		}
		if (newestFirst && oldestKeyOnPage !== undefined && canStopAfter(oldestKeyOnPage)) return;
	}
}

/** First activation: remember where the list ends now, so the backlog is not replayed. */
export async function activate(graph: GraphSession, listing: EntityListing, event: string): Promise<PollCursor> {
	const boundary = new Boundary(null, []);
	await scan(graph, listing, undefined, (oldest) => boundary.createdDateTime !== null && oldest < boundary.createdDateTime, (seen) => boundary.add(seen));
	return boundary.toCursor(event);
}

/** Everything that matches and was created after the cursor (or at its instant with an unseen ID), oldest first. */
export async function catchUp(
	graph: GraphSession,
	listing: EntityListing,
	cursor: PollCursor,
): Promise<{ fresh: GraphEntity[]; cursor: PollCursor }> {
	const since = cursor.createdDateTime;
	const known = new Set(cursor.idsAtCreatedDateTime);
	const boundary = new Boundary(since, cursor.idsAtCreatedDateTime);
	const fresh: Seen[] = [];
	await scan(
		graph,
		listing,
		since ?? undefined,
		(oldest) => since !== null && oldest < since,
		(seen) => {
			const isNew = since === null || seen.key > since || (seen.key === since && !known.has(seen.entity.id));
			if (!isNew) return;
			boundary.add(seen);
			if (listing.matches(seen.entity)) fresh.push(seen);
		},
	);
	fresh.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
	return { fresh: fresh.map((seen) => seen.entity), cursor: boundary.toCursor(cursor.event) };
}

/** The newest matching entity, for a manual test run; the cursor is not touched. */
export async function newestMatching(graph: GraphSession, listing: EntityListing): Promise<GraphEntity | undefined> {
	let newest: Seen | undefined;
	await scan(
		graph,
		listing,
		undefined,
		(oldest) => newest !== undefined && oldest < newest.key,
		(seen) => {
			if (listing.matches(seen.entity) && (newest === undefined || seen.key > newest.key)) newest = seen;
		},
	);
	return newest?.entity;
}

/** The newest instant seen so far and the IDs at it, bounded. */
class Boundary {
	private ids: string[];

	constructor(
		public createdDateTime: string | null,
		ids: string[],
	) {
		this.ids = [...ids];
	}

	add({ entity, key }: Seen): void {
		if (this.createdDateTime === null || key > this.createdDateTime) {
			this.createdDateTime = key;
			this.ids = [entity.id];
		} else if (key === this.createdDateTime && !this.ids.includes(entity.id)) {
			this.ids.push(entity.id);
		}
	}

	toCursor(event: string): PollCursor {
		return { event, createdDateTime: this.createdDateTime, idsAtCreatedDateTime: this.ids.slice(-MAX_BOUNDARY_IDS) };
	}
}
