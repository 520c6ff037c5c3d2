/**
 * Drives the node the way a workflow does: Manual Trigger -> Microsoft Defender XDR -> its Success output to
 * "Executed" and its Error output to "Needs attention", run by the real n8n engine against the simulator.
 */
import type { INode, INodeParameters } from 'n8n-workflow';

import {
	createEngine,
	defenderWorkflow,
	PACKAGE_NAME,
	simulatorCredential,
	simulatorEndpointCredential,
} from '../harness/n8n-engine';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../simulator';

export type Engine = ReturnType<typeof createEngine>;
export type Json = Record<string, any>;

export const DEFENDER_NODE_TYPE = `${PACKAGE_NAME}.microsoftDefenderXdr`;

/** The node as an AI agent's tool (n8n's `<name>Tool` variant), with the simulator credential. */
export function agentTool(parameters: INodeParameters): INode {
	return {
		id: 'tool',
		name: 'Defender XDR tool',
		type: `${DEFENDER_NODE_TYPE}Tool`,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: {
			microsoftDefenderXdrOAuth2Api: { id: 'cred-1', name: 'Defender XDR (simulator)' },
			microsoftDefenderEndpointOAuth2Api: {
				id: 'cred-2',
				name: 'Defender for Endpoint (simulator)',
			},
		},
	};
}

export { defenderWorkflow, simulatorCredential, simulatorEndpointCredential };

export async function startWorld(options: SimulatorOptions = {}) {
	const sim = await startSimulator({ actionDelayMs: 50, ...options });
	const engine = createEngine({
		credential: simulatorCredential(sim),
		endpointCredential: simulatorEndpointCredential(sim),
	});
	return { sim, engine };
}

/**
 * One simulator and one engine for a test file, torn down after it; the simulator is reset before each
 * test so tests do not see each other's tasks, faults or requests.
 */
export function useWorld(options: SimulatorOptions = {}) {
	const world = {} as { sim: Simulator; engine: Engine };
	beforeAll(async () => Object.assign(world, await startWorld(options)));
	afterAll(async () => {
		world.engine.shutdown();
		await world.sim.stop();
	});
	beforeEach(() => {
		world.sim.reset();
		world.sim.configure({
			latencyMs: 0,
			rateLimit: null,
			pageSize: null,
			nextLinkOrigin: null,
			huntingQueryMs: 0,
			actionDelayMs: options.actionDelayMs ?? 50,
			actionStartLagMs: 0,
			endpointRateLimits: null,
		});
	});
	return world;
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
export async function runDefender(
	engine: Engine,
	parameters: Json,
	items: Json[] = [{}],
	mode?: 'manual' | 'webhook' | 'retry',
): Promise<DefenderRun> {
	const result = await engine.runWorkflow(defenderWorkflow(parameters), {
		startItems: items.map((json) => ({ json })),
		mode,
	});
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
	return sim.requests.filter(
		(r) => !r.path.includes('/oauth2/') && (!method || r.method === method),
	);
}

export function tokenRequests(sim: Simulator) {
	return sim.requests.filter((r) => r.path.includes('/oauth2/v2.0/token'));
}
