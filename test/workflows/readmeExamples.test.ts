/**
 * The items the README shows are items the node really produces: each `<!-- readme-example: NAME -->` block
 * is compared with the item of a real run of examples/execute-pending-tasks.json against the simulator. Only
 * the values that differ from run to run (Graph's request IDs and the time) are compared by their shape.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { SEEDED_MACHINE_IDS as MACHINES } from '../../simulator';
import { runDefender, useWorld } from './defenderWorkflow';

const world = useWorld();

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** Fields whose value is new in every run, and the shape both the README and the run must have. */
const VOLATILE: Record<string, RegExp> = {
	requestId: UUID,
	clientRequestId: UUID,
	executedAt: ISO_TIME,
	deviceActionId: UUID,
	id: UUID,
};

function readmeExamples(): Record<string, Record<string, unknown>> {
	const readme = readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
	const examples: Record<string, Record<string, unknown>> = {};
	for (const [, name, json] of readme.matchAll(
		/<!-- readme-example: (\w+) -->\s*```json\n([\s\S]*?)\n```/g,
	))
		examples[name] = JSON.parse(json);
	return examples;
}

/** The item with its volatile values replaced by whether they have the right shape. */
function comparable(item: Record<string, unknown>): Record<string, unknown> {
	return Object.fromEntries(
		Object.entries(item).map(([key, value]) => {
			if (key in VOLATILE)
				return [key, typeof value === 'string' && VOLATILE[key].test(value) ? `<${key}>` : value];
			if (value && typeof value === 'object' && !Array.isArray(value))
				return [key, comparable(value as Record<string, unknown>)];
			return [key, value];
		}),
	);
}

it('shows in the README exactly the Success and Error items a real run produces', async () => {
	const examples = readmeExamples();
	expect(Object.keys(examples).sort()).toEqual([
		'deviceActionFailed',
		'deviceIsolated',
		'executed',
		'forbidden',
	]);

	// As in `npm run demo`: one task the app may not touch, so the Error output shows.
	world.sim.injectFault({
		method: 'POST',
		path: `/beta/security/incidentTasks/${String(examples.forbidden.incidentTaskId)}/executeResponseAction`,
		fault: '403',
	});
	const workflow = JSON.parse(
		readFileSync(path.join(__dirname, '../../examples/execute-pending-tasks.json'), 'utf8'),
	);
	const run = await world.engine.runWorkflow(workflow);
	const [success, error] = run.outputs['Execute response action'];
	const byTask = (items: Array<{ json: Record<string, unknown> }>, id: unknown) =>
		items.find((item) => item.json.incidentTaskId === id)?.json;

	const executed = byTask(success, examples.executed.incidentTaskId);
	const forbidden = byTask(error, examples.forbidden.incidentTaskId);
	expect(executed && comparable(executed)).toEqual(comparable(examples.executed));
	expect(forbidden && comparable(forbidden)).toEqual(comparable(examples.forbidden));
	// Key order too: the README shows the item as n8n shows it.
	expect(Object.keys(executed ?? {})).toEqual(Object.keys(examples.executed));
});

it('shows in the README the device action items a real run produces', async () => {
	const { deviceIsolated, deviceActionFailed } = readmeExamples();
	const run = await runDefender(
		world.engine,
		{
			resource: 'device',
			operation: 'isolate',
			deviceId: '={{ $json.deviceId }}',
			comment: 'Ransomware on the finance floor',
			options: { waitForCompletion: true, pollInterval: 0.1 },
		},
		[{ deviceId: MACHINES.storyWorkstation }, { deviceId: MACHINES.failingActions }],
	);

	// The README shortens the device action to the fields that tell the story; each must be as the run has it.
	const { deviceAction: shownAction, ...shown } = deviceIsolated as Record<string, any>;
	const { deviceAction: realAction, ...real } = run.success[0];
	expect(comparable(real)).toEqual(comparable(shown));
	expect(Object.keys(run.success[0])).toEqual(Object.keys(deviceIsolated));
	expect(comparable(realAction)).toMatchObject(comparable(shownAction));
	expect(comparable(run.error[0])).toEqual(
		comparable({
			...deviceActionFailed,
			error: {
				...(deviceActionFailed.error as object),
				message: `Defender reports the Isolate action ${run.error[0].deviceActionId} failed. Check that the device is onboarded, online and healthy in the Defender portal, and the action's details in its action center.`,
			},
		}),
	);
	expect((deviceActionFailed.error as any).message).toContain(
		String(deviceActionFailed.deviceActionId),
	);
	expect(Object.keys(run.error[0])).toEqual(Object.keys(deviceActionFailed));
});
