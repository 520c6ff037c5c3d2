import type { ApiSession } from '../shared/transport/session';
import { DefenderXdrError } from '../shared/transport/errors';
import type { EntityListing, GraphEntity } from './events';

/**
 * What the trigger keeps in the workflow's static data (`getWorkflowStaticData('node').cursor`) between polls.
 * Defender lists some entities minutes after their `createdDateTime`, so each poll looks back from the newest
 * time seen and skips the IDs it already saw there: a late-listed entity is emitted once instead of lost.
 */
export interface PollCursor {
	/** The event the cursor belongs to; after switching events the trigger starts over without replaying. */
	event: string;
	/** Newest `createdDateTime` seen, at most the time of the poll, as `YYYY-MM-DDTHH:mm:ss.fffffffZ`; null when nothing existed at activation. */
	createdDateTime: string | null;
	/** Entities created before this are never emitted; null when there is no bound yet. */
	windowStart: string | null;
	/** ID -> `createdDateTime` of every entity already emitted or skipped since `windowStart`. */
	seenIds: Record<string, string>;
}

/** Defender lists some entities minutes late (created 10:00, first listed 10:03); ten minutes covers that. */
export const LOOK_BACK_MINUTES = 10;

/**
 * Bounds the static data. Past it, the oldest IDs are dropped and `windowStart` moves past them, so the
 * look-back shrinks for that burst: an entity listed later than that is missed, none is emitted twice.
 */
export const MAX_SEEN_IDS = 1000;

/** The saved cursor of this event, or undefined when there is none (first activation, another event, or unreadable). */
export function savedCursor(saved: unknown, event: string): PollCursor | undefined {
	if (!saved || typeof saved !== 'object') return undefined;
	const cursor = saved as Partial<PollCursor>;
	const isKeyOrNull = (value: unknown) => value === null || createdKey(value) === value;
	const readable =
		cursor.event === event &&
		isKeyOrNull(cursor.createdDateTime) &&
		isKeyOrNull(cursor.windowStart) &&
		typeof cursor.seenIds === 'object' &&
		cursor.seenIds !== null &&
		Object.values(cursor.seenIds).every((key) => createdKey(key) === key);
	return readable ? (cursor as PollCursor) : undefined;
}

const GRAPH_DATE_TIME =
	/^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/i;

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

const TICKS_PER_SECOND = 10_000_000;

/** A key moved by `ticks` of 100 ns, Graph's precision, which a JavaScript Date cannot hold. */
function shiftKey(key: string, ticks: number): string {
	const seconds = Date.parse(`${key.slice(0, 19)}Z`) / 1000;
	const total = Number(key.slice(20, 27)) + ticks;
	const carry = Math.floor(total / TICKS_PER_SECOND);
	const fraction = String(total - carry * TICKS_PER_SECOND).padStart(7, '0');
	return `${new Date((seconds + carry) * 1000).toISOString().slice(0, 19)}.${fraction}Z`;
}

const lookBackFrom = (newest: string) =>
	shiftKey(newest, -LOOK_BACK_MINUTES * 60 * TICKS_PER_SECOND);
const later = (a: string | null, b: string | null) =>
	a === null ? b : b === null || a > b ? a : b;
const earlier = (a: string | null, b: string) => (a === null || a > b ? b : a);
const keyOfTime = (timeMs: number) => createdKey(new Date(timeMs).toISOString()) as string;

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
	session: ApiSession,
	listing: EntityListing,
	since: string | undefined,
	canStopAfter: (oldestKeyOnPage: string) => boolean,
	visit: (seen: Seen) => void,
): Promise<void> {
	const visitedIds = new Set<string>();
	let previousKey: string | undefined;
	let newestFirst = listing.newestFirst;
	for await (const page of session.pages<GraphEntity>(listing.resource.path, listing.query(since), {
		subject: listing.resource.subject,
	})) {
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
				message: `${session.api.name} sent a next-page link to another origin than ${session.endpoints.root}; it was not followed, so the token is not sent there. The list is incomplete, so nothing is emitted and the trigger's position stays where it was.`,
			});
		}
		if (newestFirst && oldestKeyOnPage !== undefined && canStopAfter(oldestKeyOnPage)) return;
	}
}

/**
 * First activation: remember the end of the list and the IDs within the look-back, so the backlog is not replayed.
 * `nowMs` is the time of the poll: no entity, whatever its `createdDateTime`, moves the cursor past it.
 */
export async function activate(
	session: ApiSession,
	listing: EntityListing,
	event: string,
	nowMs = session.clock.now(),
): Promise<PollCursor> {
	const lookBack = new LookBack(
		{ event, createdDateTime: null, windowStart: null, seenIds: {} },
		nowMs,
	);
	await scan(
		session,
		listing,
		undefined,
		(oldest) => lookBack.newest !== null && oldest < lookBackFrom(lookBack.newest),
		(seen) => lookBack.add(seen),
	);
	return lookBack.toCursor();
}

/** Everything that matches, was created since `windowStart` and was not seen before, oldest first. */
export async function catchUp(
	session: ApiSession,
	listing: EntityListing,
	cursor: PollCursor,
	nowMs = session.clock.now(),
): Promise<{ fresh: GraphEntity[]; cursor: PollCursor }> {
	const lookBack = new LookBack(cursor, nowMs);
	const windowStart = lookBack.start;
	const fresh: Seen[] = [];
	await scan(
		session,
		listing,
		windowStart ?? undefined,
		(oldest) => windowStart !== null && oldest < windowStart,
		(seen) => {
			if ((windowStart !== null && seen.key < windowStart) || !lookBack.add(seen)) return;
			if (listing.matches(seen.entity)) fresh.push(seen);
		},
	);
	fresh.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
	return { fresh: fresh.map((seen) => seen.entity), cursor: lookBack.toCursor() };
}

/** The newest matching entity, for a manual test run; the cursor is not touched. */
export async function newestMatching(
	session: ApiSession,
	listing: EntityListing,
): Promise<GraphEntity | undefined> {
	let newest: Seen | undefined;
	await scan(
		session,
		listing,
		undefined,
		(oldest) => newest !== undefined && oldest < newest.key,
		(seen) => {
			if (listing.matches(seen.entity) && (newest === undefined || seen.key > newest.key))
				newest = seen;
		},
	);
	return newest?.entity;
}

/**
 * The newest instant seen and the IDs seen within the look-back from it, bounded by `MAX_SEEN_IDS`.
 * Nothing moves past the time of the poll: one entity dated in the future (clock skew, bad data) would
 * otherwise carry the look-back with it and skip everything created before that date. Such an entity is
 * still emitted once; its ID is kept, under its own date, until the look-back has passed that date.
 */
class LookBack {
	readonly event: string;
	newest: string | null;
	/**
	 * Where the look-back starts, never later than the time of the poll: when more IDs than are kept fall in the
	 * window and some are dated ahead (clock skew), the saved start can lie in the future, and an entity created
	 * before it would be missed.
	 */
	readonly start: string | null;
	private readonly now: string;
	private readonly seenIds: Map<string, string>;

	constructor(cursor: PollCursor, nowMs: number) {
		this.event = cursor.event;
		this.now = keyOfTime(nowMs);
		this.newest =
			cursor.createdDateTime === null ? null : earlier(cursor.createdDateTime, this.now);
		this.start = cursor.windowStart === null ? null : earlier(cursor.windowStart, this.now);
		this.seenIds = new Map(Object.entries(cursor.seenIds));
	}

	/** Records an entity; false when its ID was already seen. */
	add({ entity, key }: Seen): boolean {
		if (this.seenIds.has(entity.id)) return false;
		this.seenIds.set(entity.id, key);
		this.newest = later(this.newest, earlier(key, this.now));
		return true;
	}

	toCursor(): PollCursor {
		let windowStart = later(this.start, this.newest === null ? null : lookBackFrom(this.newest));
		let kept = [...this.seenIds].filter(([, key]) => windowStart === null || key >= windowStart);
		if (kept.length > MAX_SEEN_IDS) {
			kept.sort(([, a], [, b]) => (a > b ? -1 : a < b ? 1 : 0));
			// Past the newest dropped instant, so an ID dropped from an instant that keeps others is not emitted again.
			windowStart = shiftKey(kept[MAX_SEEN_IDS][1], 1);
			kept = kept.slice(0, MAX_SEEN_IDS).filter(([, key]) => key >= (windowStart as string));
		}
		return {
			event: this.event,
			createdDateTime: this.newest,
			windowStart,
			seenIds: Object.fromEntries(kept),
		};
	}
}
