import type { Clock } from './clock';
import { RequestPacer } from './requestPacer';

/**
 * The run-wide answer to a 429: every request of the run holds until the API's wait is over, then one goes first
 * and the others wait for its answer instead of bursting; from then on requests are spaced at the rate revealed.
 */
export class RunThrottle {
	private pausedUntilMs = 0;
	private probeAfterPause = false;
	private probe: { answered: Promise<void>; release: () => void } | undefined;
	private readonly pacer: RequestPacer;

	constructor(
		private readonly clock: Clock,
		private readonly pause: (seconds: number) => Promise<void>,
	) {
		this.pacer = new RequestPacer(() => clock.now());
	}

	/** Returns once a request may be sent; `probe` is true when it is the one testing the API after a pause. */
	async turn(): Promise<{ probe: boolean }> {
		const probe = await this.waitForTurn();
		const paceMs = this.pacer.nextDelayMs();
		if (paceMs > 0) await this.pause(paceMs / 1000);
		return { probe };
	}

	/** The API answered, with something other than 429: the request counted against its budget. */
	answered(statusCode: number, wasProbe: boolean): void {
		if (statusCode !== 429) this.pacer.answered();
		if (wasProbe) this.endProbe();
	}

	/** No answer came back; a probe still lets the waiting requests look again. */
	unanswered(wasProbe: boolean): void {
		if (wasProbe) this.endProbe();
	}

	/** A 429 with Retry-After: everyone pauses, and the pace is learned. Returns the new rate when it changed. */
	throttled(retryAfterSeconds: number | undefined, waitSeconds: number): number | undefined {
		let learned: number | undefined;
		if (retryAfterSeconds !== undefined) {
			const before = this.pacer.ratePerSecond;
			this.pacer.throttled(retryAfterSeconds);
			const after = this.pacer.ratePerSecond;
			if (after !== undefined && after !== before) learned = after;
		}
		this.pausedUntilMs = Math.max(this.pausedUntilMs, this.clock.now() + waitSeconds * 1000);
		this.probeAfterPause = true;
		return learned;
	}

	private async waitForTurn(): Promise<boolean> {
		for (;;) {
			const waitMs = this.pausedUntilMs - this.clock.now();
			if (waitMs > 0) {
				await this.pause(waitMs / 1000);
			} else if (this.probe) {
				await this.probe.answered;
			} else if (this.probeAfterPause) {
				this.probeAfterPause = false;
				let release!: () => void;
				const answered = new Promise<void>((resolve) => (release = resolve));
				this.probe = { answered, release };
				return true;
			} else {
				return false;
			}
		}
	}

	private endProbe(): void {
		const probe = this.probe;
		this.probe = undefined;
		probe?.release();
	}
}
