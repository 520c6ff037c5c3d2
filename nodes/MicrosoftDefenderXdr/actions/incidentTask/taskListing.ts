import type { IExecuteFunctions } from 'n8n-workflow';

import { RECENTLY_UPDATED_FIRST, type IncidentTask } from '../../../shared/incidentTask';
import { INCIDENT_TASK } from '../../../shared/resources/incidentTask';
import type { ApiSession } from '../../../shared/transport/session';

/** From this many items on, a run verifies its tasks from Graph's task listing instead of one read per task. */
const LISTING_MIN_BATCH = 100;

/** The listing may cost at most this share of the batch in requests; tasks beyond it are read one by one. */
const LISTING_MAX_REQUEST_SHARE = 0.1;

type ListingPages = AsyncGenerator<{ items: IncidentTask[]; nextLinkRefused: boolean }>;

/**
 * Graph's incident-task listing for one run, read page by page (500 tasks each, most recently updated first, as asked
 * with `$orderby`: the tasks a run acts on are usually the fresh ones) only as far as the items need, so a large
 * batch costs one request per 500 tasks to verify instead of one per task. A listed task verifies one item only:
 * another item for the same task reads it again, since the first may have started it.
 */
class TaskListing {
	private readonly listed = new Map<string, IncidentTask>();
	private readonly taken = new Set<string>();
	private pages: ListingPages | undefined;
	private pagesRead = 0;
	private exhausted = false;
	private reading: Promise<void> | undefined;

	constructor(
		private readonly session: ApiSession,
		private readonly maxPages: number,
	) {}

	/** The task as listed, or undefined when the item must read it itself (not listed, or listed for another item). */
	async take(incidentTaskId: string): Promise<IncidentTask | undefined> {
		if (this.taken.has(incidentTaskId)) return undefined;
		while (!this.listed.has(incidentTaskId) && !this.exhausted) await this.readNextPage();
		const task = this.listed.get(incidentTaskId);
		if (task === undefined) return undefined;
		this.listed.delete(incidentTaskId);
		this.taken.add(incidentTaskId);
		return task;
	}

	/** One page at a time for the whole run, however many items wait for it. */
	private async readNextPage(): Promise<void> {
		this.reading ??= this.readPage().finally(() => (this.reading = undefined));
		await this.reading;
	}

	private async readPage(): Promise<void> {
		try {
			this.pages ??= this.session.pages<IncidentTask>(
				INCIDENT_TASK.path,
				{ $top: String(INCIDENT_TASK.pageSize), $orderby: RECENTLY_UPDATED_FIRST },
				{ subject: INCIDENT_TASK.subject },
			);
			const page = await this.pages.next();
			if (page.done) {
				this.exhausted = true;
				return;
			}
			this.pagesRead++;
			for (const task of page.value.items) {
				if (typeof task?.id === 'string' && !this.taken.has(task.id) && !this.listed.has(task.id))
					this.listed.set(task.id, task);
			}
			if (this.pagesRead >= this.maxPages) this.exhausted = true;
		} catch (error) {
			// Verifying never depends on the listing: without it every item reads its own task.
			this.exhausted = true;
			this.session.log(
				`Reading the task listing failed (${(error as Error).message}); each task is read on its own`,
			);
		}
	}
}

const listings = new WeakMap<ApiSession, TaskListing>();

/** The run's listing when its batch is large enough to be verified from one; undefined for a small batch. */
export function taskListingFor(
	ctx: IExecuteFunctions,
	session: ApiSession,
): TaskListing | undefined {
	const batch = ctx.getInputData().length;
	if (batch < LISTING_MIN_BATCH) return undefined;
	let listing = listings.get(session);
	if (!listing) {
		listing = new TaskListing(session, Math.ceil(batch * LISTING_MAX_REQUEST_SHARE));
		listings.set(session, listing);
	}
	return listing;
}
