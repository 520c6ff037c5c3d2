import type { Clock } from './clock';

/** A limit an API documents: at most `max` requests in any `windowSeconds`, per app and tenant. */
export interface RateLimit {
	max: number;
	windowSeconds: number;
	/** Only requests whose path matches count against it; every request when absent. */
	path?: RegExp;
	/** How messages name it: "100 calls a minute". */
	label: string;
}

/** What the budget decides for one request: send after `waitMs`, or do not send because of `limit`. */
export type BudgetDecision = { waitMs: number } | { refused: RateLimit; freeInSeconds: number };

/**
 * Keeps one run within the limits its API documents, before the API has to say so with a 429: a request waits for
 * room in a short window (a minute), and is refused at once when the room would come later than the caller may
 * wait (an hour's limit), instead of hammering the API into refusals. It counts this run's requests only; other
 * runs on the same app still meet the API's own 429, which the retry policy handles.
 */
export class RequestBudget {
	private readonly sent = new Map<RateLimit, number[]>();

	constructor(
		private readonly clock: Clock,
		private readonly limits: readonly RateLimit[],
	) {}

	/** Takes a slot for a request to `path` that may wait at most `maxWaitSeconds`. */
	take(path: string, maxWaitSeconds: number): BudgetDecision {
		const now = this.clock.now();
		const applying = this.limits.filter((limit) => !limit.path || limit.path.test(path));
		let sendAt = now;
		for (const limit of applying) {
			const times = this.recent(limit, now);
			if (times.length < limit.max) continue;
			// Room comes when the oldest request that fills the window leaves it.
			const freeAt = times[times.length - limit.max] + limit.windowSeconds * 1000;
			if (freeAt - now > maxWaitSeconds * 1000)
				return { refused: limit, freeInSeconds: Math.ceil((freeAt - now) / 1000) };
			sendAt = Math.max(sendAt, freeAt);
		}
		for (const limit of applying) this.recent(limit, now).push(sendAt);
		for (const limit of applying) this.recent(limit, now).sort((one, other) => one - other);
		return { waitMs: sendAt - now };
	}

	/**
	 * What became of a request whose slot was taken for `at`. Answered at `answeredAt`: the API counted it on arrival, at
	 * the latest then, so its slot is kept until a window after the answer (never sooner than the API frees it, though
	 * the slot was taken before n8n fetched a token or opened a connection). Refused with a 429: the API did not take
	 * it, so the slot is given back for the retry.
	 */
	settle(path: string, at: number, answeredAt: number | 'refused'): void {
		for (const limit of this.limits.filter((each) => !each.path || each.path.test(path))) {
			const times = this.sent.get(limit);
			const index = times?.indexOf(at) ?? -1;
			if (!times || index < 0) continue;
			if (answeredAt === 'refused') times.splice(index, 1);
			else {
				times[index] = Math.max(at, answeredAt);
				times.sort((one, other) => one - other);
			}
		}
	}

	private recent(limit: RateLimit, now: number): number[] {
		const kept = (this.sent.get(limit) ?? []).filter((at) => at > now - limit.windowSeconds * 1000);
		this.sent.set(limit, kept);
		return kept;
	}
}
