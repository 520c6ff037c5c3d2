import {
	DefenderXdrError,
	describeFailedRequest,
	notOfferedInCloud,
	redactSecrets,
} from '../../../../nodes/shared/transport/errors';
import { ADVANCED_HUNTING } from '../../../../nodes/shared/resources/advancedHunting';
import { ALERT } from '../../../../nodes/shared/resources/alert';
import { INCIDENT } from '../../../../nodes/shared/resources/incident';
import { INCIDENT_TASK } from '../../../../nodes/shared/resources/incidentTask';

const ALERT_SUBJECT = ALERT.subject;
const HUNTING_SUBJECT = ADVANCED_HUNTING.subject;
const INCIDENT_SUBJECT = INCIDENT.subject;

const base = { api: 'Graph', retriesDone: 0, subject: INCIDENT_TASK.subject };

describe('error mapping', () => {
	it('routes a 404 with executed: no and says to check the ID and tenant', () => {
		const { details } = describeFailedRequest({
			...base,
			method: 'POST',
			statusCode: 404,
			apiCode: 'NotFound',
			requestId: 'r1',
		});
		expect(details).toEqual({
			message: expect.stringContaining(
				"Check the incident task ID and that the credential's tenant",
			),
			code: 'NotFound',
			statusCode: 404,
			requestId: 'r1',
			retryable: false,
			executed: 'no',
		});
	});

	it("keeps Graph's 400 message (unsupported type)", () => {
		const { details } = describeFailedRequest({
			...base,
			method: 'POST',
			statusCode: 400,
			apiMessage: 'Currently disableUser is not supported',
		});
		expect(details.message).toContain('Currently disableUser is not supported');
		expect(details.executed).toBe('no');
	});

	it('names permissions and consent on a 403', () => {
		const { details } = describeFailedRequest({ ...base, method: 'GET', statusCode: 403 });
		expect(details.message).toMatch(/permission/i);
		expect(details.message).toMatch(/admin consent/);
	});

	it('names what Microsoft publishes on a 403: no permission for incident tasks, the documented one for the others', () => {
		const task = describeFailedRequest({ ...base, method: 'POST', statusCode: 403 }).details
			.message;
		expect(task).toContain('Microsoft publishes no Graph permission for incident tasks yet');
		expect(task).toContain(
			'What to try: the application permission SecurityIncident.ReadWrite.All with admin consent',
		);
		expect(task).toContain('Defender Experts for XDR');
		expect(
			describeFailedRequest({ ...base, method: 'GET', statusCode: 403, subject: INCIDENT_SUBJECT })
				.details.message,
		).toMatch(/SecurityIncident\.Read\.All .*SecurityIncident\.ReadWrite\.All/);
		expect(
			describeFailedRequest({ ...base, method: 'GET', statusCode: 403, subject: ALERT_SUBJECT })
				.details.message,
		).toMatch(/SecurityAlert\.Read\.All .*SecurityAlert\.ReadWrite\.All/);
		expect(
			describeFailedRequest({ ...base, method: 'POST', statusCode: 403, subject: HUNTING_SUBJECT })
				.details.message,
		).toContain('ThreatHunting.Read.All');
	});

	it('sends a refused hunting query to its KQL, not to an ID it does not have', () => {
		const { details } = describeFailedRequest({
			...base,
			method: 'POST',
			statusCode: 400,
			apiMessage: 'Query could not be parsed',
			subject: HUNTING_SUBJECT,
			safeToRepeat: true,
		});
		expect(details.message).toBe(
			"Graph refused the request (400): Query could not be parsed. Check the query's KQL and the Timespan.",
		);
		expect(
			describeFailedRequest({ ...base, method: 'POST', statusCode: 404, subject: HUNTING_SUBJECT })
				.details.message,
		).not.toMatch(/\bID\b/);
	});

	it.each([
		[
			'incident tasks',
			INCIDENT_TASK.subject,
			['usGovL4', 'usGovL5', 'china'],
			'the Global cloud only',
		],
		[
			'incidents',
			INCIDENT_SUBJECT,
			['china'],
			'the Global, US Government L4 and US Government L5 (DoD) clouds only',
		],
		[
			'alerts',
			ALERT_SUBJECT,
			['china'],
			'the Global, US Government L4 and US Government L5 (DoD) clouds only',
		],
		[
			'advanced hunting',
			HUNTING_SUBJECT,
			['china'],
			'the Global, US Government L4 and US Government L5 (DoD) clouds only',
		],
	] as const)(
		'refuses %s on a cloud where Microsoft does not offer them, and allows them elsewhere',
		(resource, subject, refusedIn, offeredIn) => {
			for (const cloud of ['global', 'usGovL4', 'usGovL5', 'china', 'custom'] as const) {
				const refusal = notOfferedInCloud(cloud, subject);
				if (!(refusedIn as readonly string[]).includes(cloud)) {
					expect(refusal).toBeUndefined();
					continue;
				}
				expect(refusal?.details).toMatchObject({
					code: 'notOfferedInCloud',
					executed: 'no',
					retryable: false,
					statusCode: null,
				});
				expect(refusal?.details.message).toContain(`Microsoft does not offer ${resource} in the`);
				expect(refusal?.details.message).toContain(offeredIn);
				expect(refusal?.details.message).toContain('Nothing was sent');
			}
		},
	);

	it('marks a 504 on the POST as executed: unknown', () => {
		const { details } = describeFailedRequest({ ...base, method: 'POST', statusCode: 504 });
		expect(details.executed).toBe('unknown');
		expect(details.message).toContain('may or may not have run');
	});

	it('marks a timeout on the POST as executed: unknown and not retryable', () => {
		const { details } = describeFailedRequest({ ...base, method: 'POST', networkFault: 'timeout' });
		expect(details).toMatchObject({
			code: 'timeout',
			executed: 'unknown',
			retryable: false,
			statusCode: null,
		});
	});

	it('marks exhausted throttling as retryable with nothing executed', () => {
		const { details } = describeFailedRequest({
			...base,
			method: 'POST',
			statusCode: 429,
			retriesDone: 3,
		});
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
