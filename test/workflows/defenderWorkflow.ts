/**
 * Drives the node the way a workflow does: Manual Trigger -> Microsoft Defender XDR -> its Success output to
 * "Executed" and its Error output to "Needs attention", run by the real n8n engine against the simulator.
 */
import { createEngine, PACKAGE_NAME } from '../../scripts/n8n-engine';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../simulator';

export type Engine = ReturnType<typeof createEngine>;
export type Json = Record<string, any>;

export const DEFENDER_NODE_TYPE = `${PACKAGE_NAME}.microsoftDefenderXdr`;

export function simulatorCredential(sim: Simulator): Json {
	return {
		grantType: 'clientCredentials',
		tenantId: sim.tenantId,
		clientId: sim.clientId,
		clientSecret: sim.clientSecret,
		cloud: 'custom',
		customGraphUrl: sim.url,
		customLoginUrl: sim.url,
	};
}

export async function startWorld(options: SimulatorOptions = {}) {
	const sim = await startSimulator({ actionDelayMs: 50, ...options });
	const engine = createEngine({ credential: simulatorCredential(sim) });
	return { sim, engine };
}

export function defenderWorkflow(parameters: Json, nodeType = DEFENDER_NODE_TYPE) {
	return {
		name: 'Defender XDR test',
		nodes: [
			{ id: 'n1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'n2',
				name: 'Defender',
				type: nodeType,
				typeVersion: 1,
				position: [200, 0],
				parameters,
				credentials: { microsoftDefenderXdrOAuth2Api: { id: 'cred-1', name: 'Defender XDR (simulator)' } },
			},
			{ id: 'n3', name: 'Executed', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [400, -100], parameters: {} },
			{ id: 'n4', name: 'Needs attention', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [400, 100], parameters: {} },
		],
		connections: {
			Start: { main: [[{ node: 'Defender', type: 'main', index: 0 }]] },
			Defender: {
				main: [[{ node: 'Executed', type: 'main', index: 0 }], [{ node: 'Needs attention', type: 'main', index: 0 }]],
			},
		},
	};
}

export interface DefenderRun {
	success: Json[];
	error: Json[];
	/** pairedItem.item of each item, Success then Error. */
	successPairs: number[];
	errorPairs: number[];
	/** Items that reached the nodes behind each output. */
	executedNode: Json[];
	attentionNode: Json[];
	nodeError: any;
	raw: any;
}

/** Runs the Defender node over `items` with `parameters`; returns what each output carried. */
export async function runDefender(engine: Engine, parameters: Json, items: Json[] = [{}]): Promise<DefenderRun> {
	const result = await engine.runWorkflow(defenderWorkflow(parameters), { startItems: items.map((json) => ({ json })) });
	const [success = [], error = []] = result.outputs.Defender ?? [];
	return {
		success: success.map((item: any) => item.json),
		error: error.map((item: any) => item.json),
		successPairs: success.map((item: any) => item.pairedItem?.item),
		errorPairs: error.map((item: any) => item.pairedItem?.item),
		executedNode: (result.outputs.Executed?.[0] ?? []).map((item: any) => item.json),
		attentionNode: (result.outputs['Needs attention']?.[0] ?? []).map((item: any) => item.json),
		nodeError: result.errors.Defender,
		raw: result,
	};
}

export const execute = (options: Json = {}, extra: Json = {}) => ({
	resource: 'incidentTask',
	operation: 'executeResponseAction',
	incidentTaskId: '={{ $json.id }}',
	actionType: '={{ $json.actionType }}',
	options,
	...extra,
});

/** Graph requests the simulator saw (the token endpoint excluded). */
export function graphRequests(sim: Simulator, method?: string) {
	return sim.requests.filter((r) => !r.path.includes('/oauth2/') && (!method || r.method === method));
}

export function tokenRequests(sim: Simulator) {
	return sim.requests.filter((r) => r.path.includes('/oauth2/v2.0/token'));
}
