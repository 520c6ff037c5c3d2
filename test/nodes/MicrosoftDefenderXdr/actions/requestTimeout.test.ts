/**
 * The Request Timeout each request is sent with, read where the node hands it to n8n's HTTP helper: Run Query waits
 * longer than Graph's 3 minutes per hunting query unless the user sets a timeout, every other operation 60 s.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { MicrosoftDefenderXdr } from '../../../../nodes/MicrosoftDefenderXdr/MicrosoftDefenderXdr.node';
import { RESOURCES } from '../../../../nodes/MicrosoftDefenderXdr/actions';
import { route } from '../../../../nodes/MicrosoftDefenderXdr/actions/router';

/** Just enough of n8n's execute context for one item; every request answers 200 with an empty result. */
function contextFor(parameters: IDataObject) {
	const httpRequestWithAuthentication = jest.fn(async () => ({
		statusCode: 200,
		headers: {},
		body: { results: [], value: [] },
	}));
	const ctx = {
		getInputData: () => [{ json: {} }],
		getNodeParameter: (name: string, _itemIndex: number, fallback?: unknown) =>
			name in parameters ? parameters[name] : fallback,
		getNode: () => ({
			name: 'Defender',
			type: 'n8n-nodes-microsoft-defender-xdr.microsoftDefenderXdr',
		}),
		getCredentials: async () => ({
			cloud: 'custom',
			customGraphUrl: 'http://127.0.0.1:9',
			customLoginUrl: 'http://127.0.0.1:9',
			oauthTokenData: { access_token: 'token' },
		}),
		getExecutionCancelSignal: () => undefined,
		helpers: { httpRequestWithAuthentication, refreshOAuth2Token: jest.fn() },
		logger: { info: jest.fn(), warn: jest.fn(), debug: jest.fn(), error: jest.fn() },
	} as unknown as IExecuteFunctions;
	return {
		ctx,
		sentTimeouts: () =>
			httpRequestWithAuthentication.mock.calls
				.map((call) => (call as unknown[])[1] as { timeout: number })
				.map((request) => request.timeout),
	};
}

const hunt = {
	resource: 'advancedHunting',
	operation: 'runQuery',
	query: 'DeviceInfo | take 1',
	timespan: '',
};

describe('Request Timeout', () => {
	it('is 200 s for Run Query when the user sets none, covering the 3 minutes Graph lets a query run', async () => {
		const { ctx, sentTimeouts } = contextFor({ ...hunt, options: {} });
		await route.call(ctx, RESOURCES);
		expect(sentTimeouts()).toEqual([200_000]);
	});

	it('is what the user set, for Run Query too', async () => {
		const { ctx, sentTimeouts } = contextFor({ ...hunt, options: { requestTimeout: 30 } });
		await route.call(ctx, RESOURCES);
		expect(sentTimeouts()).toEqual([30_000]);
	});

	it('stays 60 s for the other operations', async () => {
		const { ctx, sentTimeouts } = contextFor({
			resource: 'incident',
			operation: 'get',
			incidentId: '1001',
			options: {},
		});
		await route.call(ctx, RESOURCES);
		expect(sentTimeouts()).toEqual([60_000]);
	});

	it('shows those defaults in the editor', () => {
		const optionsOf = (resource: string, operation: string) =>
			new MicrosoftDefenderXdr().description.properties.find(
				(property) =>
					property.name === 'options' &&
					property.displayOptions?.show?.resource?.includes(resource) &&
					property.displayOptions?.show?.operation?.includes(operation),
			)?.options as INodeProperties[];
		expect(
			optionsOf('advancedHunting', 'runQuery').find((option) => option.name === 'requestTimeout')
				?.default,
		).toBe(200);
		expect(
			optionsOf('incident', 'get').find((option) => option.name === 'requestTimeout')?.default,
		).toBe(60);
	});
});
