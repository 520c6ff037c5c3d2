import type { Clock } from '../../nodes/shared/transport/clock';

/** One wait the node asked for, in virtual milliseconds. */
export interface Wait {
	/** How long it asked to wait. */
	ms: number;
	/** Virtual time when it asked, and when the wait is due to end. */
	at: number;
	until: number;
	/** What `mark()` said when it asked (engine tests: how many requests the simulator had recorded). */
	mark: number;
	/** Virtual time and mark when the wait ended; undefined while it runs. */
	endedAt?: number;
	endMark?: number;
}

interface Timer {
	wait: Wait;
	order: number;
	resolve: () => void;
}

export interface FakeClockOptions {
	/** The real clock underneath; the process's own Date.now as it was when this module loaded. */
	realNow?: () => number;
	/** A fact recorded with every wait, to place it among other events (default 0). */
	mark?: () => number;
	/** Whether time may jump now; the engine harness says no while an HTTP request is on the wire. */
	mayAdvance?: () => boolean;
}

const processDateNow = Date.now.bind(Date);

/**
 * Virtual time that jumps: `now()` is the real time plus the time skipped so far. A `sleep` is recorded and
 * becomes a timer; a real tick later (once `mayAdvance` allows, twice in a row) the earliest timer fires: time
 * jumps forward just enough to reach its end, never back, and every timer then due resolves. Sleepers that
 * share an end (the run-wide 429 pause) therefore skip that time once, not once each.
 */
export class FakeClock implements Clock {
	readonly waits: Wait[] = [];
	private skipped = 0;
	private readonly startedAt: number;
	private timers: Timer[] = [];
	private order = 0;
	private ticking = false;
	private quietChecks = 0;
	private holds = 0;
	private listeners: Array<(wait: Wait) => void> = [];
	private readonly realNow: () => number;
	private readonly mark: () => number;
	private readonly mayAdvance: () => boolean;

	constructor(options: FakeClockOptions = {}) {
		this.realNow = options.realNow ?? processDateNow;
		this.mark = options.mark ?? (() => 0);
		this.mayAdvance = options.mayAdvance ?? (() => true);
		this.startedAt = this.now();
	}

	now(): number {
		return this.realNow() + this.skipped;
	}

	async sleep(ms: number): Promise<void> {
		const at = this.now();
		const wait: Wait = { ms, at, until: at + Math.max(0, ms), mark: this.mark() };
		this.waits.push(wait);
		for (const listener of this.listeners) listener(wait);
		await new Promise<void>((resolve) => {
			this.timers.push({ wait, order: this.order++, resolve });
			this.timers.sort((a, b) => a.wait.until - b.wait.until || a.order - b.order);
			this.tick();
		});
	}

	/** Virtual time since the clock was made: real time that passed plus time skipped. */
	get elapsedMs(): number {
		return this.now() - this.startedAt;
	}

	/** Virtual time skipped by jumps, without the real time that passed. */
	get skippedMs(): number {
		return this.skipped;
	}

	/** Waits asked for and not yet over. */
	get pending(): number {
		return this.timers.length;
	}

	/** The next wait asked for that `matches`; resolves before that wait can end. */
	async nextWait(matches: (wait: Wait) => boolean = () => true): Promise<Wait> {
		return await new Promise<Wait>((resolve) => {
			const listener = (wait: Wait) => {
				if (!matches(wait)) return;
				this.listeners = this.listeners.filter((other) => other !== listener);
				resolve(wait);
			};
			this.listeners.push(listener);
		});
	}

	/** Stops time from jumping until the returned function is called. */
	hold(): () => void {
		this.holds++;
		let released = false;
		return () => {
			if (released) return;
			released = true;
			this.holds--;
			this.tick();
		};
	}

	/** Resolves once no wait is pending and time may move (everything the clock was asked for has run). */
	async idle(): Promise<void> {
		for (let quiet = 0; quiet < 3; ) {
			await new Promise((resolve) => setTimeout(resolve, 1));
			quiet = this.timers.length === 0 && this.mayAdvance() ? quiet + 1 : 0;
		}
	}

	/** Makes this clock the process's `Date.now` (the in-process simulator then lives on it too); returns the undo. */
	shareWithProcess(): () => void {
		const previous = Date.now;
		Date.now = () => this.now();
		return () => {
			Date.now = previous;
		};
	}

	private tick(): void {
		if (this.ticking || this.timers.length === 0) return;
		this.ticking = true;
		const blocked = this.holds > 0 || !this.mayAdvance();
		const next = () => {
			this.ticking = false;
			this.fire();
		};
		// A blocked clock looks again a millisecond later rather than spinning the event loop.
		if (blocked) setTimeout(next, 1);
		else setImmediate(next);
	}

	private fire(): void {
		const first = this.timers[0];
		if (!first) return;
		if (this.holds > 0 || !this.mayAdvance()) {
			this.quietChecks = 0;
			return this.tick();
		}
		// Quiet on two checks in a row: work that was between two steps has had its turn.
		if (++this.quietChecks < 2) return this.tick();
		this.quietChecks = 0;
		this.skipped = Math.max(this.skipped, first.wait.until - this.realNow());
		const now = this.now();
		const due = this.timers.filter((timer) => timer.wait.until <= now);
		this.timers = this.timers.filter((timer) => timer.wait.until > now);
		for (const timer of due) {
			timer.wait.endedAt = now;
			timer.wait.endMark = this.mark();
			timer.resolve();
		}
		this.tick();
	}
}
