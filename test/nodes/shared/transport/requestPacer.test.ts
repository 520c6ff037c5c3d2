import { RequestPacer } from '../../../../nodes/shared/transport/requestPacer';

describe('request pacing', () => {
	let nowMs = 0;
	const pacer = () => new RequestPacer(() => nowMs);
	beforeEach(() => (nowMs = 1_000_000));

	/** `count` requests sent back to back and answered, `stepMs` apart. */
	function send(p: RequestPacer, count: number, stepMs = 10) {
		for (let i = 0; i < count; i++) {
			expect(p.nextDelayMs()).toBe(0);
			p.answered();
			nowMs += stepMs;
		}
	}

	it('sends without delay until Graph throttles', () => {
		const p = pacer();
		send(p, 500, 1);
		expect(p.ratePerSecond).toBeUndefined();
	});

	it('after 300 requests in 3 s and a 429 asking for 57 s, spaces requests 200 ms apart after the pause', () => {
		const p = pacer();
		send(p, 300);
		p.throttled(57);

		expect(p.ratePerSecond).toBeCloseTo(5, 5);
		// Everyone asks at once after the pause: the first goes at its end, the next 200 ms later, and so on.
		expect([p.nextDelayMs(), p.nextDelayMs(), p.nextDelayMs()]).toEqual([57_000, 57_200, 57_400]);
		nowMs += 58_000;
		expect(p.nextDelayMs()).toBe(0);
		expect(p.nextDelayMs()).toBe(200);
	});

	it('does not guess a rate from a 429 that came after only a few requests', () => {
		const p = pacer();
		send(p, 3);
		p.throttled(1);
		expect(p.ratePerSecond).toBeUndefined();
		expect(p.nextDelayMs()).toBe(0);
	});

	it('slows down when a later 429 shows a smaller share of the budget, and never speeds up again', () => {
		const p = pacer();
		send(p, 100);
		p.throttled(59); // 100 requests in 60 s
		expect(p.ratePerSecond).toBeCloseTo(100 / 60, 5);
		nowMs += 59_000;
		send(p, 20, 600);
		p.throttled(60); // 120 requests in 132 s: another run shares the budget
		expect(p.ratePerSecond).toBeCloseTo(120 / 132, 5);
		nowMs += 60_000;
		send(p, 1);
		p.throttled(1);
		expect(p.ratePerSecond).toBeCloseTo(120 / 132, 5);
	});
});
