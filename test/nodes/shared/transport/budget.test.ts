import { RequestBudget, type RateLimit } from '../../../../nodes/shared/transport/budget';
import type { Clock } from '../../../../nodes/shared/transport/clock';

/** A clock that moves only when told to. */
function manualClock(startMs = Date.parse('2026-12-06T08:00:00Z')) {
	let now = startMs;
	const clock: Clock = { now: () => now, sleep: async () => undefined };
	return { clock, advance: (seconds: number) => (now += seconds * 1000) };
}

const perMinute: RateLimit = { max: 100, windowSeconds: 60, label: '100 calls a minute' };
const perHour: RateLimit = { max: 1500, windowSeconds: 3600, label: '1,500 calls an hour' };
const imports: RateLimit = {
	max: 30,
	windowSeconds: 60,
	path: /\/indicators\/import$/i,
	label: '30 indicator imports a minute',
};

describe('the request budget of a run', () => {
	it('lets 100 requests go at once and makes the 101st wait until the first leaves the minute', () => {
		const { clock } = manualClock();
		const budget = new RequestBudget(clock, [perMinute, perHour]);
		for (let sent = 0; sent < 100; sent++)
			expect(budget.take('/api/machines', 120)).toEqual({ waitMs: 0 });
		expect(budget.take('/api/machines', 120)).toEqual({ waitMs: 60_000 });
		expect(budget.take('/api/machines', 120)).toEqual({ waitMs: 60_000 });
	});

	it('spaces 300 requests into three minutes, none of them refused', () => {
		const { clock } = manualClock();
		const budget = new RequestBudget(clock, [perMinute, perHour]);
		const waits = Array.from({ length: 300 }, () => budget.take('/api/machines', 120));
		expect(waits.filter((decision) => 'refused' in decision)).toEqual([]);
		const waited = waits.map((decision) => ('waitMs' in decision ? decision.waitMs : NaN));
		expect(Math.max(...waited)).toBe(120_000);
		expect(waited.filter((ms) => ms === 0)).toHaveLength(100);
		expect(waited.filter((ms) => ms === 60_000)).toHaveLength(100);
	});

	it('refuses, without waiting, a request that the hourly limit would hold longer than the caller may wait', () => {
		const { clock, advance } = manualClock();
		const budget = new RequestBudget(clock, [perMinute, perHour]);
		for (let minute = 0; minute < 15; minute++) {
			for (let sent = 0; sent < 100; sent++)
				expect(budget.take('/api/machines', 120)).toEqual({ waitMs: 0 });
			advance(60);
		}
		const refused = budget.take('/api/machines', 120);
		expect(refused).toEqual({ refused: perHour, freeInSeconds: 2700 });
		// A refused request takes no slot: the next one is refused for the same reason, not later.
		expect(budget.take('/api/machines', 120)).toEqual({ refused: perHour, freeInSeconds: 2700 });
	});

	it('counts a limit only for the paths it names', () => {
		const { clock } = manualClock();
		const budget = new RequestBudget(clock, [perMinute, imports]);
		for (let sent = 0; sent < 30; sent++)
			expect(budget.take('/api/indicators/import', 120)).toEqual({ waitMs: 0 });
		expect(budget.take('/api/indicators/import', 120)).toEqual({ waitMs: 60_000 });
		expect(budget.take('/api/machines', 120)).toEqual({ waitMs: 0 });
	});

	it('has nothing to keep to for an API that documents no limit', () => {
		const { clock } = manualClock();
		const budget = new RequestBudget(clock, []);
		for (let sent = 0; sent < 5000; sent++)
			expect(budget.take('/v1.0/security/alerts_v2', 1)).toEqual({ waitMs: 0 });
	});

	it("keeps an answered request's slot until a window after its answer, so the API's window is never ahead of it", () => {
		const { clock, advance } = manualClock();
		const start = clock.now();
		const budget = new RequestBudget(clock, [perMinute]);
		// The first request's slot is taken, then n8n fetches a token: the API sees it, and answers, 0.4 s later.
		expect(budget.take('/api/machines', 120)).toEqual({ waitMs: 0 });
		advance(0.4);
		budget.settle('/api/machines', start, clock.now());
		for (let sent = 1; sent < 100; sent++)
			expect(budget.take('/api/machines', 120)).toEqual({ waitMs: 0 });
		// The 101st waits for the first one's answer to leave the minute, not for when its slot was taken.
		expect(budget.take('/api/machines', 120)).toEqual({ waitMs: 60_000 });
	});

	it('gives back the slot of a request the API refused with a 429, for its retry', () => {
		const { clock } = manualClock();
		const budget = new RequestBudget(clock, [perMinute, imports]);
		for (let sent = 0; sent < 30; sent++)
			expect(budget.take('/api/indicators/import', 120)).toEqual({ waitMs: 0 });
		budget.settle('/api/indicators/import', clock.now(), 'refused');
		expect(budget.take('/api/indicators/import', 120)).toEqual({ waitMs: 0 });
		expect(budget.take('/api/indicators/import', 120)).toEqual({ waitMs: 60_000 });
		// A slot that is not there (taken for another time) changes nothing.
		budget.settle('/api/indicators/import', clock.now() - 1, 'refused');
		expect(budget.take('/api/indicators/import', 120)).toEqual({ waitMs: 60_000 });
	});
});
