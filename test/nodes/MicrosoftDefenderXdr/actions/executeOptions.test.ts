import type { IExecuteFunctions } from 'n8n-workflow';

import * as executeResponseAction from '../../../../nodes/MicrosoftDefenderXdr/actions/incidentTask/executeResponseAction.operation';
import {
	defaultsOf,
	readRequestSettings,
} from '../../../../nodes/MicrosoftDefenderXdr/actions/operation';
import { DEFAULT_REQUEST_SETTINGS } from '../../../../nodes/shared/transport/retryPolicy';

/** An execution context whose items carry these options. */
const withOptions = (options: Record<string, unknown>) =>
	({ getNodeParameter: () => options }) as unknown as IExecuteFunctions;

describe('Execute Response Action options', () => {
	const optionsOfExecute = executeResponseAction.description.find(
		(property) => property.name === 'options',
	);
	const shown = defaultsOf(optionsOfExecute!);

	it('show in the editor the request settings the node applies when none is set, which are the transport’s', () => {
		expect(readRequestSettings(withOptions({}))).toEqual({
			concurrency: shown.concurrency,
			settings: {
				maxRetries: shown.maxRetries,
				maxRetryWaitSeconds: shown.maxRetryWait,
				requestTimeoutSeconds: shown.requestTimeout,
			},
		});
		expect({
			maxRetries: shown.maxRetries,
			maxRetryWaitSeconds: shown.maxRetryWait,
			requestTimeoutSeconds: shown.requestTimeout,
		}).toEqual(DEFAULT_REQUEST_SETTINGS);
	});

	it('apply what the user set instead of the defaults', () => {
		expect(
			readRequestSettings(
				withOptions({ concurrency: 2, maxRetries: 0, maxRetryWait: 5, requestTimeout: 10 }),
			),
		).toEqual({
			concurrency: 2,
			settings: { maxRetries: 0, maxRetryWaitSeconds: 5, requestTimeoutSeconds: 10 },
		});
	});

	it('start with the safe choices the editor notice names: the task is verified and a lost answer is not resent blindly', () => {
		expect(shown).toMatchObject({
			verifyTask: true,
			ifAlreadyStarted: 'skip',
			dryRun: false,
			allowExecuteAsTool: false,
			onUnknownOutcome: 'verifyAndResend',
		});
	});
});
