import { sleep } from 'n8n-workflow';

/** Time as the node sees it: every wait and every "now" in `nodes/` goes through one of these. */
export interface Clock {
	now(): number;
	/** Resolves after `ms`; never holds a CPU. */
	sleep(ms: number): Promise<void>;
}

/** The wall clock; n8n-workflow's `sleep` exists in every n8n version the package supports. */
export const systemClock: Clock = {
	now: () => Date.now(),
	sleep: async (ms) => await sleep(Math.max(0, ms)),
};

let current: Clock = systemClock;

/** The clock sessions opened from now on use. */
export function currentClock(): Clock {
	return current;
}

/**
 * Replaces the clock for sessions opened afterwards and returns a function that restores the previous one. Tests
 * that run the node through n8n's engine use it to pass fake time, since the engine gives no other way in.
 */
export function useClock(clock: Clock): () => void {
	const previous = current;
	current = clock;
	return () => {
		current = previous;
	};
}

/** Waits `seconds` on `clock`; a cancelled execution ends the wait at once with `onCancel()`'s error. */
export async function pauseFor(
	clock: Clock,
	seconds: number,
	signal: AbortSignal | undefined,
	onCancel: () => Error,
): Promise<void> {
	if (signal?.aborted) throw onCancel();
	await new Promise<void>((resolve, reject) => {
		const abort = () => reject(onCancel());
		signal?.addEventListener('abort', abort, { once: true });
		void clock.sleep(Math.max(0, seconds * 1000)).then(() => {
			signal?.removeEventListener('abort', abort);
			resolve();
		});
	});
}
