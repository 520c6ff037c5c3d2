/**
 * examples/incident-response-loop.json in the n8n engine: a new incident's pending tasks are hunted for, executed
 * and waited for, then the incident is resolved and a comment records what ran, with Graph's request IDs.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { SEED_HUNTING_TABLES, SEEDED_TASK_IDS as TASKS } from '../../simulator';
import { useWorld } from './defenderWorkflow';

const example = () =>
	JSON.parse(
		readFileSync(path.join(__dirname, '../../examples/incident-response-loop.json'), 'utf8'),
	);
const world = useWorld();

/**
 * A new high-severity incident that owns two open tasks on the same device. The device reported to Defender today:
 * the example hunts with Graph's default window (the last 30 days), which the seeded January rows are outside of.
 */
function newIncidentWithTasks() {
	const incident = world.sim.addIncident({
		severity: 'high',
		displayName: 'Ransomware on WS-FIN-042',
	});
	const tasks = [TASKS.openByActionType.isolateDevice, TASKS.openByActionType.runAntiVirusScan];
	for (const id of tasks) world.sim.setTask(id, { incidentId: incident.id });
	const deviceId = world.sim.getTask(tasks[0])?.responseAction?.identifierValue;
	const seen = SEED_HUNTING_TABLES.DeviceInfo.rows.find((row) => row.DeviceId === deviceId);
	world.sim.addHuntingRows('DeviceInfo', [{ ...seen, Timestamp: new Date().toISOString() }]);
	return incident;
}

it("executes the incident's tasks, resolves it, and comments with what ran and the request IDs", async () => {
	const incident = newIncidentWithTasks();

	const run = await world.engine.runWorkflow(example());

	expect(run.status).toBe('success');
	expect(
		world.sim.executions.map((execution: { taskId: string }) => execution.taskId).sort(),
	).toEqual([TASKS.openByActionType.isolateDevice, TASKS.openByActionType.runAntiVirusScan].sort());
	const executed = run.outputs['Execute tasks'][0].map(
		(item: { json: Record<string, any> }) => item.json,
	);
	expect(executed.map((item: Record<string, any>) => item.outcome)).toEqual([
		'completed',
		'completed',
	]);
	expect(run.outputs['Needs attention']).toBeUndefined();

	const resolved = world.sim.getIncident(incident.id);
	expect(resolved).toMatchObject({
		status: 'resolved',
		classification: 'truePositive',
		determination: 'malware',
	});
	const [comment] = resolved?.comments ?? [];
	expect(comment.comment).toContain('n8n ran 2 response action(s)');
	for (const item of executed) expect(comment.comment).toContain(`request ${item.requestId}`);
	expect(comment.comment).toMatch(
		/Advanced hunting found 1 device\(s\) behind the tasks: ws-fin-042/i,
	);
	// One PATCH and one comment for the incident, however many tasks it had.
	expect(world.sim.requests.filter((request) => request.method === 'PATCH')).toHaveLength(1);
	expect(world.sim.requests.filter((request) => request.path.endsWith('/comments'))).toHaveLength(
		1,
	);
}, 60_000);

it('sends a refused task to "Needs attention" and still records the others', async () => {
	const incident = newIncidentWithTasks();
	world.sim.injectFault({
		method: 'POST',
		path: new RegExp(`${TASKS.openByActionType.runAntiVirusScan}/executeResponseAction`),
		fault: '403',
	});

	const run = await world.engine.runWorkflow(example());

	const attention = run.outputs['Needs attention'][0].map(
		(item: { json: Record<string, any> }) => item.json,
	);
	expect(attention).toEqual([
		expect.objectContaining({
			incidentTaskId: TASKS.openByActionType.runAntiVirusScan,
			outcome: 'failed',
			error: expect.objectContaining({ statusCode: 403, executed: 'no' }),
		}),
	]);
	expect(world.sim.getIncident(incident.id)?.comments[0].comment).toContain(
		'n8n ran 1 response action(s)',
	);
}, 60_000);
