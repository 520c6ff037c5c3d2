import {
	Workflow,
	type ICredentialDataDecryptedObject,
	type INode,
	type INodeType,
} from 'n8n-workflow';

import { MicrosoftDefenderXdrOAuth2Api } from '../../credentials/MicrosoftDefenderXdrOAuth2Api.credentials';
import { startSimulator, type Simulator } from '../../simulator';
import { simulatorCredential } from '../../simulator/credential';
import { createEngine } from '../harness/n8n-engine';

const credentialType = new MicrosoftDefenderXdrOAuth2Api();
const { request, rules } = credentialType.test;

/** The test request's Graph root as n8n's credential tester resolves it: the credential's values as `$credentials`. */
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

/**
 * A declarative node whose one property sends the credential's test request: the shape of the temporary node
 * n8n's credential tester builds, run here by n8n-core's routing engine with n8n's OAuth2 client-credentials flow.
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

const nodes: INode[] = [
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
		credentials: { [credentialType.name]: { id: '1', name: 'Defender' } },
	},
];
const workflow = {
	nodes,
	connections: { Start: { main: [[{ node: 'Test', type: 'main' as const, index: 0 }]] } },
};

describe('the credential test', () => {
	it.each([
		['global', 'https://graph.microsoft.com'],
		['usGovL4', 'https://graph.microsoft.us'],
		['usGovL5', 'https://dod-graph.microsoft.us'],
		['china', 'https://microsoftgraph.chinacloudapi.cn'],
	])('reads one incident task from the %s Graph root', (cloud, root) => {
		expect(testedRoot({ cloud })).toBe(root);
		expect(request).toMatchObject({
			method: 'GET',
			url: '/beta/security/incidentTasks',
			qs: { $top: 1 },
		});
	});

	it('reads from the custom Graph URL, and never from a plain-http one off loopback', () => {
		expect(testedRoot({ cloud: 'custom', customGraphUrl: 'http://127.0.0.1:8787/' })).toBe(
			'http://127.0.0.1:8787',
		);
		expect(testedRoot({ cloud: 'custom', customGraphUrl: 'http://graph.example.internal' })).toBe(
			'https://customGraphUrl-must-use-https.invalid',
		);
	});

	it.each([
		[401, /Tenant ID, the Client ID and the Client Secret/],
		[403, /SecurityIncident\.ReadWrite\.All.*admin consent/],
		[404, /Global cloud only.*Custom Graph URL/],
		[429, /test again in a minute/],
	])('tells what to fix when Graph answers %s', (status, message) => {
		const rule = rules?.find((r) => r.type === 'responseCode' && r.properties.value === status);
		expect(rule?.properties.message).toMatch(message);
	});

	describe('against the simulator, through n8n-core', () => {
		let sim: Simulator;
		beforeAll(async () => {
			sim = await startSimulator();
		});
		afterAll(async () => {
			await sim.stop();
		});
		beforeEach(() => sim.reset());

		async function runTest(credential: ICredentialDataDecryptedObject) {
			const engine = createEngine({
				credential,
				extraNodeTypes: { credentialTest: credentialTestNode },
			});
			try {
				return await engine.runWorkflow(workflow);
			} finally {
				engine.shutdown();
			}
		}

		it('passes with a token from the login endpoint and the permission to list tasks', async () => {
			const run = await runTest(simulatorCredential(sim));

			expect(run.status).toBe('success');
			expect(run.outputs.Test[0][0].json.value).toHaveLength(1);
			const listing = sim.requests.find((r) => r.path.startsWith('/beta/security/incidentTasks'));
			expect(listing).toMatchObject({
				method: 'GET',
				path: '/beta/security/incidentTasks?%24top=1',
				status: 200,
				authorized: true,
			});
			expect(sim.requests.filter((r) => r.grantType === 'client_credentials')).toHaveLength(1);
		});

		it("stops at Graph's 403, the status of the permission rule, when the app lacks the permission", async () => {
			sim.injectFault({ method: 'GET', path: /^\/beta\/security\/incidentTasks$/, fault: '403' });

			const run = await runTest(simulatorCredential(sim));

			expect(run.status).toBe('error');
			expect(JSON.stringify(run.error)).toContain('403');
			expect(
				sim.requests.find((r) => r.path.startsWith('/beta/security/incidentTasks'))?.status,
			).toBe(403);
		});

		it('never reaches Graph with a wrong client secret', async () => {
			const run = await runTest({ ...simulatorCredential(sim), clientSecret: 'wrong' });

			expect(run.status).toBe('error');
			expect(sim.requests.map((r) => r.status)).toEqual([401]);
		});
	});
});
