import {
	DefenderXdrError,
	describeFailedRequest,
	redactSecrets,
} from '../../../../nodes/shared/transport/graphError';

const base = { retriesDone: 0, cloud: 'global' as const };

describe('error mapping', () => {
	it('routes a 404 with executed: no and says to check the ID and tenant', () => {
		const { details } = describeFailedRequest({ ...base, method: 'POST', statusCode: 404, graphCode: 'NotFound', requestId: 'r1' });
		expect(details).toEqual({
			message: expect.stringContaining('Check the incident task ID and that the credential\'s tenant'),
			code: 'NotFound',
			statusCode: 404,
			requestId: 'r1',
			retryable: false,
			executed: 'no',
		});
	});

	it('keeps Graph\'s 400 message (unsupported type)', () => {
		const { details } = describeFailedRequest({ ...base, method: 'POST', statusCode: 400, graphMessage: 'Currently disableUser is not supported' });
		expect(details.message).toContain('Currently disableUser is not supported');
		expect(details.executed).toBe('no');
	});

	it('names permissions and consent on a 403', () => {
		const { details } = describeFailedRequest({ ...base, method: 'GET', statusCode: 403 });
		expect(details.message).toMatch(/permission/i);
		expect(details.message).toMatch(/admin consent/);
	});

	it('says incident tasks are Global-only when another national cloud answers 404', () => {
		const { details } = describeFailedRequest({ ...base, cloud: 'usGovL4', method: 'GET', statusCode: 404 });
		expect(details.message).toContain('Global cloud only');
		expect(details.message).toContain('usGovL4');
	});

	it('marks a 504 on the POST as executed: unknown', () => {
		const { details } = describeFailedRequest({ ...base, method: 'POST', statusCode: 504 });
		expect(details.executed).toBe('unknown');
		expect(details.message).toContain('may or may not have run');
	});

	it('marks a timeout on the POST as executed: unknown and not retryable', () => {
		const { details } = describeFailedRequest({ ...base, method: 'POST', networkFault: 'timeout' });
		expect(details).toMatchObject({ code: 'timeout', executed: 'unknown', retryable: false, statusCode: null });
	});

	it('marks exhausted throttling as retryable with nothing executed', () => {
		const { details } = describeFailedRequest({ ...base, method: 'POST', statusCode: 429, retriesDone: 3 });
		expect(details).toMatchObject({ code: 'TooManyRequests', retryable: true, executed: 'no' });
		expect(details.message).toContain('after 3 retries');
	});
});

describe('secret redaction', () => {
	it.each([
		['Authorization: Bearer eyJ0eXAiOiJKV1QiLCJhbGciOi.abc.def', 'eyJ0eXAiOiJKV1Qi'],
		['{"access_token":"sim-at-123456"}', 'sim-at-123456'],
		['client_secret=hunter2&grant_type=client_credentials', 'hunter2'],
		['refresh_token: r-987', 'r-987'],
	])('removes secrets from %p', (text, secret) => {
		expect(redactSecrets(text)).not.toContain(secret);
	});

	it('redacts messages of item errors', () => {
		const error = new DefenderXdrError({ code: 'x', message: 'failed with Bearer abc.def.ghi' });
		expect(error.details.message).toBe('failed with Bearer [redacted]');
	});
});
