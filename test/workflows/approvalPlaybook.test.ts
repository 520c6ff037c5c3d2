import { readFileSync } from 'node:fs';
import path from 'node:path';

import { graphRequests, useWorld } from './defenderWorkflow';

const playbook = JSON.parse(
	readFileSync(path.join(__dirname, '../../examples/approval-gated-isolation.json'), 'utf8'),
);
// The example polls every 15 s while the action runs; the simulator finishes in 100 ms.
playbook.nodes.find((node: any) => node.name === 'Isolate device').parameters.options.pollInterval =
	0.1;

const world = useWorld({ actionDelayMs: 100 });

const json = (items: any[] | undefined) => (items ?? []).map((item) => item.json);

describe('examples/approval-gated-isolation.json', () => {
	let taskId: string;

	beforeEach(() => {
		taskId = world.sim.addTask({
			id: `task-isolate-approval-${Date.now()}`,
			actionType: 'isolateDevice',
			displayName: 'Isolate LAPTOP-7',
		}).id;
	});

	async function dryRunAndWait() {
		// The trigger in a manual run hands over the newest isolation task, as "Test workflow" does.
		const waiting = await world.engine.runWorkflow(playbook);
		expect(waiting.status).toBe('waiting');
		expect(json(waiting.outputs['Dry run'][0])).toEqual([
			expect.objectContaining({
				incidentTaskId: taskId,
				outcome: 'dryRun',
				task: expect.objectContaining({ displayName: 'Isolate LAPTOP-7' }),
			}),
		]);
		expect(graphRequests(world.sim, 'POST')).toEqual([]);
		return waiting;
	}

	it('isolates the device after approval, waits for completion and marks the task completed', async () => {
		const waiting = await dryRunAndWait();

		const done = await world.engine.resumeWorkflow(playbook, waiting, { body: { approved: true } });

		expect(done.status).toBe('success');
		expect(json(done.outputs['Isolate device'][0])).toEqual([
			expect.objectContaining({ incidentTaskId: taskId, outcome: 'completed' }),
		]);
		expect(json(done.outputs['Mark task completed'][0])).toEqual([
			expect.objectContaining({ id: taskId, status: 'completed' }),
		]);
		expect(done.outputs['Rejected: nothing executed']).toBeUndefined();
		expect(world.sim.executions.map((e) => e.taskId)).toEqual([taskId]);
		expect(world.sim.getTask(taskId)).toMatchObject({
			status: 'completed',
			actionStatus: 'completed',
		});
	});

	it('executes nothing when the approver rejects', async () => {
		const waiting = await dryRunAndWait();

		const done = await world.engine.resumeWorkflow(playbook, waiting, {
			body: { approved: false },
		});

		expect(done.status).toBe('success');
		expect(json(done.outputs['Rejected: nothing executed'][0])).toHaveLength(1);
		expect(done.outputs['Isolate device']).toBeUndefined();
		expect(world.sim.executions).toEqual([]);
		expect(world.sim.getTask(taskId)?.status).toBe('open');
	});

	it('notifies when the approved isolation fails', async () => {
		world.sim.setTask(taskId, { outcome: 'failed' });
		const waiting = await dryRunAndWait();

		const done = await world.engine.resumeWorkflow(playbook, waiting, { body: { approved: true } });

		expect(json(done.outputs['Notify: isolation failed'][0])).toEqual([
			expect.objectContaining({
				incidentTaskId: taskId,
				error: expect.objectContaining({ code: 'actionFailed', executed: 'yes' }),
			}),
		]);
		expect(done.outputs['Mark task completed']).toBeUndefined();
	});
});
