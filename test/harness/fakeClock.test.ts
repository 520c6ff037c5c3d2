import { FakeClock } from './fakeClock';

/** A clock over a real time the test moves by hand (it stands still unless told). */
function clockAt(start = 1_000_000) {
	const real = { now: start };
	let marks = 0;
	const clock = new FakeClock({ realNow: () => real.now, mark: () => marks++ });
	return { clock, real };
}

describe('the fake clock', () => {
	it('ends each wait at its virtual end, earliest first, whatever order they were asked in', async () => {
		const { clock } = clockAt();
		const ended: Array<[string, number]> = [];
		const asleep = (name: string, ms: number) =>
			clock.sleep(ms).then(() => ended.push([name, clock.now()]));

		await Promise.all([asleep('long', 3000), asleep('short', 1000), asleep('middle', 2000)]);

		expect(ended).toEqual([
			['short', 1_001_000],
			['middle', 1_002_000],
			['long', 1_003_000],
		]);
		expect(clock.skippedMs).toBe(3000);
		expect(clock.elapsedMs).toBe(3000);
		expect(clock.waits.map((wait) => [wait.ms, wait.at, wait.until])).toEqual([
			[3000, 1_000_000, 1_003_000],
			[1000, 1_000_000, 1_001_000],
			[2000, 1_000_000, 1_002_000],
		]);
	});

	it('skips the time of waits that end together once, not once per sleeper', async () => {
		const { clock, real } = clockAt();
		const first = clock.sleep(2000);
		real.now += 500; // a second sleeper joins the same pause half a second later, for what is left of it
		const second = clock.sleep(1500);

		await Promise.all([first, second]);

		expect(clock.now()).toBe(1_002_000);
		expect(clock.skippedMs).toBe(1500);
		expect(clock.waits.map((wait) => wait.until)).toEqual([1_002_000, 1_002_000]);
	});

	it('never goes back: real time that already passed a wait is not undone', async () => {
		const { clock, real } = clockAt();
		await clock.sleep(1000);
		const waited = clock.sleep(200);
		real.now += 5000; // the real clock moved past the wait's end before it fired

		await waited;

		expect(clock.skippedMs).toBe(1000);
		expect(clock.now()).toBe(1_006_000);
		expect(clock.waits[1].endedAt).toBe(1_006_000);
	});

	it('resolves a wait of zero or less at once in virtual time', async () => {
		const { clock } = clockAt();
		await clock.sleep(0);
		await clock.sleep(-5);
		expect(clock.now()).toBe(1_000_000);
		expect(clock.waits.map((wait) => wait.until)).toEqual([1_000_000, 1_000_000]);
	});

	it('records the mark when a wait is asked and when it ends, to place it among other events', async () => {
		const { clock } = clockAt();
		await clock.sleep(100);
		expect(clock.waits[0]).toMatchObject({ mark: 0, endMark: 1, endedAt: 1_000_100 });
	});

	it('does not jump while held or while time may not move, and jumps once released', async () => {
		let wireBusy = true;
		const clock = new FakeClock({ realNow: () => 0, mayAdvance: () => !wireBusy });
		const release = clock.hold();
		let ended = false;
		const waited = clock.sleep(1000).then(() => (ended = true));

		await new Promise((resolve) => setTimeout(resolve, 20));
		expect([ended, clock.now(), clock.pending]).toEqual([false, 0, 1]);
		release();
		await new Promise((resolve) => setTimeout(resolve, 20));
		expect([ended, clock.now()]).toEqual([false, 0]);
		wireBusy = false;
		await waited;
		expect([ended, clock.now(), clock.pending]).toEqual([true, 1000, 0]);
	});

	it('tells who listens for it about a wait before the wait can end', async () => {
		const { clock } = clockAt();
		const seen = clock.nextWait((wait) => wait.ms === 700);
		const first = clock.sleep(100);
		const second = clock.sleep(700);

		const wait = await seen;
		expect([wait.ms, wait.endedAt]).toEqual([700, undefined]);
		await Promise.all([first, second]);
		expect(wait.endedAt).toBe(1_000_700);
	});

	it('is the process clock while shared, and stops being it when undone', async () => {
		const { clock } = clockAt();
		const undo = clock.shareWithProcess();
		try {
			await clock.sleep(60_000);
			expect(Date.now()).toBe(1_060_000);
		} finally {
			undo();
		}
		expect(Math.abs(Date.now() - new Date().getTime())).toBeLessThan(1000);
	});
});
