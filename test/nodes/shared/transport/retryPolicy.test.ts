import { backoffSeconds, parseRetryAfter } from '../../../../nodes/shared/transport/retryPolicy';

describe('Retry-After', () => {
	const now = Date.parse('2026-11-29T10:00:00Z');

	it.each([
		['5', 5],
		['0', 0],
		['120', 120],
		['1.5', 1.5],
		[' 7 ', 7],
	])('reads delta-seconds %p', (header, seconds) => {
		expect(parseRetryAfter(header, now)).toBe(seconds);
	});

	it('reads an HTTP date as the seconds until then', () => {
		expect(parseRetryAfter('Sun, 29 Nov 2026 10:00:30 GMT', now)).toBe(30);
	});

	it('treats a date in the past as no wait', () => {
		expect(parseRetryAfter('Sun, 29 Nov 2026 09:59:00 GMT', now)).toBe(0);
	});

	it('reads the first value of a repeated header', () => {
		expect(parseRetryAfter(['3', '9'], now)).toBe(3);
	});

	it.each([undefined, null, '', 'soon', '-5', {}])('ignores %p', (header) => {
		expect(parseRetryAfter(header, now)).toBeUndefined();
	});
});

describe('backoff', () => {
	it('grows exponentially with full jitter and a cap', () => {
		expect(backoffSeconds(0, () => 0)).toBe(0.25);
		expect(backoffSeconds(0, () => 1)).toBe(1.25);
		expect(backoffSeconds(3, () => 1)).toBe(8.25);
		expect(backoffSeconds(20, () => 1)).toBe(32.25);
	});

	it('spreads concurrent retries apart', () => {
		const waits = new Set(Array.from({ length: 20 }, () => backoffSeconds(2)));
		expect(waits.size).toBeGreaterThan(10);
	});
});
