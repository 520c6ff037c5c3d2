import { DEFAULT_EXECUTE_OPTIONS } from '../../../../nodes/MicrosoftDefenderXdr/actions/incidentTask/executeResponseAction.operation';
import { DEFAULT_REQUEST_TIMEOUT_SECONDS, DEFAULT_RETRY_POLICY } from '../../../../nodes/shared/transport/retryPolicy';

describe('Execute Response Action options', () => {
	it('have the documented defaults', () => {
		expect(DEFAULT_EXECUTE_OPTIONS).toEqual({
			allowExecuteAsTool: false,
			concurrency: 4,
			dryRun: false,
			ifAlreadyStarted: 'skip',
			maxRetries: 3,
			maxRetryWait: 120,
			onUnknownOutcome: 'verifyAndResend',
			pollInterval: 15,
			requestTimeout: 60,
			verifyTask: true,
			waitForCompletion: false,
			waitTimeout: 900,
		});
	});

	it('retry the way the transport does for the trigger and the other operations', () => {
		expect({ maxRetries: DEFAULT_EXECUTE_OPTIONS.maxRetries, maxRetryWaitSeconds: DEFAULT_EXECUTE_OPTIONS.maxRetryWait }).toEqual(DEFAULT_RETRY_POLICY);
		expect(DEFAULT_EXECUTE_OPTIONS.requestTimeout).toBe(DEFAULT_REQUEST_TIMEOUT_SECONDS);
	});
});
