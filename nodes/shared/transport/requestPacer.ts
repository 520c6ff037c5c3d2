/** A 429 says little about the rate after this few answered requests (a fault, another run's burst): no pacing. */
const MIN_REQUESTS_TO_ESTIMATE = 10;

/**
 * Spreads one run's requests at the rate Graph revealed, instead of bursting into the next 429. Until the first
 * 429 requests go as fast as the concurrency allows. A 429 after `accepted` answered requests, `elapsed` seconds
 * into the run, with `Retry-After` R, shows Graph lets about `accepted` requests through in `elapsed + R`
 * seconds: from then on requests leave one every `(elapsed + R) / accepted` seconds. Every later 429 recomputes
 * it over the whole run, so the spacing only grows when several runs share one app's budget.
 */
export class RequestPacer {
	private firstRequestAtMs: number | undefined;
	private accepted = 0;
	private intervalMs = 0;
	private nextSlotMs = 0;

	constructor(private readonly now: () => number) {}

	/** How long the caller waits before sending; every call takes the next free slot. */
	nextDelayMs(): number {
		const now = this.now();
		this.firstRequestAtMs ??= now;
		if (this.intervalMs === 0) return 0;
		const slot = Math.max(now, this.nextSlotMs);
		this.nextSlotMs = slot + this.intervalMs;
		return slot - now;
	}

	/** Graph answered (anything but a 429): the request counted against the budget. */
	answered(): void {
		this.accepted++;
	}

	/** Graph answered 429 and asked to wait `retryAfterSeconds`. */
	throttled(retryAfterSeconds: number): void {
		if (this.firstRequestAtMs === undefined || this.accepted < MIN_REQUESTS_TO_ESTIMATE) return;
		const windowMs = this.now() - this.firstRequestAtMs + retryAfterSeconds * 1000;
		this.intervalMs = Math.max(this.intervalMs, windowMs / this.accepted);
		// The pause ends the current slots: the first request after it goes at once, the rest follow spaced.
		this.nextSlotMs = this.now() + retryAfterSeconds * 1000;
	}

	/** Requests per second the run keeps to, or undefined while Graph has not shown a limit. */
	get ratePerSecond(): number | undefined {
		return this.intervalMs === 0 ? undefined : 1000 / this.intervalMs;
	}
}
