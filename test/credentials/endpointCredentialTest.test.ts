import { Workflow } from 'n8n-workflow';

import { MicrosoftDefenderEndpointOAuth2Api } from '../../credentials/MicrosoftDefenderEndpointOAuth2Api.credentials';
import {
	ENDPOINT_CLOUDS,
	ENDPOINT_REGIONS,
	resolveEndpointApiEndpoints,
} from '../../nodes/shared/apis/endpointCloud';

const credentialType = new MicrosoftDefenderEndpointOAuth2Api();
const { request, rules } = credentialType.test;

/** The test request's API root as n8n's credential tester resolves it: the credential's values as `$credentials`. */
function testedRoot(credentials: Record<string, unknown>): string {
	const node = {
		id: 'temp',
		name: 'Temp-Node',
		type: 'test',
		typeVersion: 1,
		position: [0, 0] as [number, number],
		parameters: {},
	};
	const nodeTypes = {
		getByName: () => undefined,
		getByNameAndVersion: () => undefined,
		getKnownTypes: () => ({}),
	} as any;
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	return workflow.expression.getParameterValue(
		request.baseURL!,
		null,
		0,
		0,
		node.name,
		[],
		'internal',
		{ $credentials: credentials } as any,
	) as string;
}

/** The credential's values as n8n hands them to the tester: type defaults applied, fields hidden by the cloud dropped. */
const everyCloudAndRegion: Array<Record<string, string>> = [
	...Object.keys(ENDPOINT_REGIONS).map((region) => ({ cloud: 'global', region })),
	...Object.keys(ENDPOINT_CLOUDS)
		.filter((cloud) => cloud !== 'global')
		.map((cloud) => ({ cloud })),
	{
		cloud: 'custom',
		customApiUrl: 'https://mde.example.internal/',
		customLoginUrl: 'https://login.example.internal',
	},
	{
		cloud: 'custom',
		customApiUrl: 'http://127.0.0.1:8787',
		customLoginUrl: 'http://127.0.0.1:8787',
	},
];

describe('the Defender for Endpoint credential test', () => {
	it('lists one device: GET /api/machines?$top=1', () => {
		expect(request).toMatchObject({ method: 'GET', url: '/api/machines', qs: { $top: 1 } });
	});

	it.each([
		[{ cloud: 'global', region: 'auto' }, 'https://api.security.microsoft.com'],
		[{ cloud: 'global', region: 'eu' }, 'https://eu.api.security.microsoft.com'],
		[{ cloud: 'global', region: 'aea' }, 'https://aea.api.security.microsoft.com'],
		[{ cloud: 'usGovGcc' }, 'https://api-gcc.securitycenter.microsoft.us'],
		[{ cloud: 'usGovGccHigh' }, 'https://api-gov.securitycenter.microsoft.us'],
		[{ cloud: 'usGovDod' }, 'https://api-gov.securitycenter.microsoft.us'],
	])('reads from the API root of %p: %s', (credential, root) => {
		expect(testedRoot(credential)).toBe(root);
	});

	it.each(everyCloudAndRegion)(
		'reads from the API root the node resolver gives for %p',
		(credential) => {
			expect(testedRoot(credential)).toBe(resolveEndpointApiEndpoints(credential).apiRoot);
		},
	);

	it.each(['http://mde.example.internal', 'http://localhost.evil.example', 'ftp://127.0.0.1', ''])(
		'never reads from plain-http custom API URL %p off loopback',
		(customApiUrl) => {
			expect(testedRoot({ cloud: 'custom', customApiUrl })).toBe(
				'https://customApiUrl-must-use-https.invalid',
			);
			expect(() =>
				resolveEndpointApiEndpoints({
					cloud: 'custom',
					customApiUrl,
					customLoginUrl: 'https://login.example',
				}),
			).toThrow(/Custom API URL/);
		},
	);

	it.each([
		[401, /Tenant ID, the Client ID and the Client Secret/],
		[403, /WindowsDefenderATP permission Machine\.Read\.All.*admin consent/],
		[404, /no device has been seen recently.*Custom API URL/],
		[429, /test again in a minute/],
	])('tells what to fix when the API answers %s', (status, message) => {
		const rule = rules?.find((r) => r.type === 'responseCode' && r.properties.value === status);
		expect(rule?.properties.message).toMatch(message);
	});
});

describe("the Defender for Endpoint credential's Cloud and Region fields", () => {
	const field = (name: string) =>
		credentialType.properties.find((property) => property.name === name);

	it('says Microsoft documents no scope for the US Government clouds, and which ones it asks for', () => {
		expect(field('cloud')?.hint).toBe(
			"Microsoft documents the API and sign-in hosts of these clouds, but no token scope for the US Government ones: this credential asks for https://securitycenter.onmicrosoft.com/windowsatpservice/.default in US Government GCC and https://securitycenter.onmicrosoft.us/windowsatpservice/.default in US Government GCC High and US Government DoD, the scopes Cortex XSOAR's Microsoft API module uses. If sign-in works there but the API refuses the token (401 or 403), the scope is the likely cause: please open an issue.",
		);
	});

	it('offers the clouds and regions by their stable values, global and automatic first', () => {
		const values = (name: string) =>
			(field(name)?.options as Array<{ value: string }>).map((option) => option.value);
		expect(values('cloud')).toEqual(['global', 'usGovGcc', 'usGovGccHigh', 'usGovDod', 'custom']);
		expect(field('cloud')?.default).toBe('global');
		expect(values('region')).toEqual(['auto', 'us', 'eu', 'uk', 'au', 'swa', 'ina', 'aea']);
		expect(field('region')).toMatchObject({
			default: 'auto',
			displayOptions: { show: { cloud: ['global'] } },
		});
		for (const name of ['customApiUrl', 'customLoginUrl']) {
			expect(field(name)?.displayOptions).toEqual({ show: { cloud: ['custom'] } });
		}
	});
});
