import {
	Workflow,
	type ICredentialDataDecryptedObject,
	type INode,
	type INodeType,
} from 'n8n-workflow';

import { MicrosoftDefenderEndpointOAuth2Api } from '../../credentials/MicrosoftDefenderEndpointOAuth2Api.credentials';
import {
	ENDPOINT_CLOUDS,
	ENDPOINT_REGIONS,
	resolveEndpointApiEndpoints,
} from '../../nodes/shared/apis/endpointCloud';
import { ENDPOINT_SCOPE, startSimulator, type Simulator } from '../../simulator';
import { simulatorEndpointCredential } from '../../simulator/credential';
import { createEngine } from '../harness/n8n-engine';

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

/**
 * A declarative node whose one property sends the credential's test request, as n8n's credential tester builds it,
 * run by n8n-core's routing engine with n8n's OAuth2 client-credentials flow.
 */
const credentialTestNode: INodeType = {
	description: {
		displayName: 'Credential test',
		name: 'credentialTest',
		description: 'The request of the credential test',
		group: ['transform'],
		version: 1,
		defaults: {},
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: credentialType.name, required: true }],
		properties: [
			{ displayName: 'Temp', name: 'temp', type: 'string', default: '', routing: { request } },
		],
	},
};

const testNodes: INode[] = [
	{
		id: '1',
		name: 'Start',
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	},
	{
		id: '2',
		name: 'Test',
		type: 'credentialTest',
		typeVersion: 1,
		position: [200, 0],
		parameters: {},
		credentials: { [credentialType.name]: { id: '1', name: 'Defender for Endpoint' } },
	},
];

describe('the Defender for Endpoint credential test, against the simulator through n8n-core', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator();
	});
	afterAll(async () => {
		await sim.stop();
	});
	beforeEach(() => sim.reset());

	async function runTest(endpointCredential: ICredentialDataDecryptedObject) {
		const engine = createEngine({
			endpointCredential,
			extraNodeTypes: { credentialTest: credentialTestNode },
		});
		try {
			return await engine.runWorkflow({
				nodes: testNodes,
				connections: { Start: { main: [[{ node: 'Test', type: 'main' as const, index: 0 }]] } },
			});
		} finally {
			engine.shutdown();
		}
	}

	it("lists one device with a token for the API's own audience", async () => {
		const run = await runTest(simulatorEndpointCredential(sim));

		expect(run.status).toBe('success');
		expect(run.outputs.Test[0][0].json.value).toHaveLength(1);
		expect(sim.requests.find((r) => r.path.startsWith('/api/machines'))).toMatchObject({
			method: 'GET',
			path: '/api/machines?%24top=1',
			status: 200,
			authorized: true,
		});
		const signIns = sim.requests.filter((r) => r.grantType === 'client_credentials');
		expect(signIns.map((r) => r.scope)).toEqual([ENDPOINT_SCOPE]);
	});

	it("stops at Defender's 403 when the app lacks the permission", async () => {
		sim.injectFault({ method: 'GET', path: /^\/api\/machines$/, fault: '403' });

		const run = await runTest(simulatorEndpointCredential(sim));

		expect(run.status).toBe('error');
		expect(JSON.stringify(run.error)).toContain('403');
	});
});
