/**
 * examples/alert-device-isolation.json in the n8n engine: a new high-severity alert's devices (its device evidence
 * with a Defender device ID) are isolated through the Defender for Endpoint API, the node waits for the outcome, and
 * the alert gets a comment with the device action's ID and status, or, when it failed, what to check.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { SEED_ALERTS, SEEDED_MACHINE_IDS as MACHINES } from '../../simulator';
import { useWorld } from './defenderWorkflow';

const workflow = JSON.parse(
	readFileSync(path.join(__dirname, '../../examples/alert-device-isolation.json'), 'utf8'),
);
// The example polls every 15 s while Defender works; the simulator finishes in 200 ms.
workflow.nodes.find((node: any) => node.name === 'Isolate device').parameters.options.pollInterval =
	0.1;

const world = useWorld({ actionDelayMs: 200 });

const json = (items: any[] | undefined) => (items ?? []).map((item) => item.json);

/** The story alert's evidence: the finance workstation, its user, an IP and files on it. */
const storyEvidence = (SEED_ALERTS as any[]).find((alert) => alert.id === 'alert-1001-01').evidence;
const workstationEvidence = storyEvidence.find(
	(evidence: any) => evidence['@odata.type'] === '#microsoft.graph.security.deviceEvidence',
);

function addHighSeverityAlert(devices: Array<{ id: string; name: string }>) {
	return world.sim.addAlert({
		severity: 'high',
		title: 'Ransomware behavior detected',
		evidence: [
			...storyEvidence.filter((evidence: any) => evidence !== workstationEvidence),
			...devices.map((device) => ({
				...workstationEvidence,
				mdeDeviceId: device.id,
				deviceDnsName: device.name,
			})),
		],
	});
}

describe('examples/alert-device-isolation.json', () => {
	it("isolates the alert's device, waits for the outcome and comments the action's ID and status", async () => {
		const alert = addHighSeverityAlert([
			{ id: MACHINES.storyWorkstation, name: 'ws-fin-042.contoso.com' },
		]);

		const run = await world.engine.runWorkflow(workflow);

		expect(run.status).toBe('success');
		// Only the device evidence is acted on: users, IPs and files are not devices.
		expect(world.sim.machineActions.map((action) => [action.machineId, action.type])).toEqual([
			[MACHINES.storyWorkstation, 'Isolate'],
		]);
		const [isolation] = world.sim.machineActions;
		expect(isolation.requestorComment).toBe(
			`Isolated by n8n: Defender alert ${alert.id} (Ransomware behavior detected)`,
		);
		expect(json(run.outputs['Isolate device'][0])).toEqual([
			expect.objectContaining({
				deviceId: MACHINES.storyWorkstation,
				outcome: 'completed',
				deviceActionId: isolation.id,
				status: 'Succeeded',
			}),
		]);
		expect(world.sim.getAlert(alert.id)?.comments?.map((c: any) => c.comment)).toEqual([
			`n8n isolated device ws-fin-042.contoso.com (${MACHINES.storyWorkstation}). Device action ${isolation.id}: Succeeded.`,
		]);
		expect(run.outputs['Comment: what to check']).toBeUndefined();
	});

	it('comments what to check when a device cannot be isolated, and still isolates the others', async () => {
		const alert = addHighSeverityAlert([
			{ id: MACHINES.storyWorkstation, name: 'ws-fin-042.contoso.com' },
			{ id: MACHINES.failingActions, name: 'kiosk-lobby-01.contoso.com' },
		]);

		const run = await world.engine.runWorkflow(workflow);

		expect(run.status).toBe('success');
		const failed = world.sim.machineActions.find(
			(action) => action.machineId === MACHINES.failingActions,
		);
		const comments = world.sim.getAlert(alert.id)?.comments?.map((c: any) => c.comment) ?? [];
		expect(comments).toHaveLength(2);
		expect(comments).toContainEqual(expect.stringMatching(/^n8n isolated device ws-fin-042/));
		expect(comments).toContainEqual(
			expect.stringContaining(
				`n8n could not confirm the isolation of device ${MACHINES.failingActions} (device action ${failed?.id}, status Failed): Defender reports the Isolate action`,
			),
		);
		expect(comments.find((c: string) => c.includes('could not confirm'))).toContain(
			'Executed: yes. Check the device in the Defender portal',
		);
	});
});
