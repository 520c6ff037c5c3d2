/**
 * What a person in the editor, or an AI agent calling the node as a tool, reads when an item fails or a dry run
 * reports: it names only what exists in their situation. Run by the n8n engine against the simulator.
 */
import { SEEDED_TASK_IDS as TASKS } from '../../simulator';
import type { IDataObject, INode, INodeParameters } from 'n8n-workflow';

import { agentTool, execute, graphRequests, runDefender, useWorld } from './defenderWorkflow';

const world = useWorld();

const toolNode = (parameters: INodeParameters): INode =>
	agentTool({
		resource: 'incidentTask',
		operation: 'executeResponseAction',
		incidentTaskId: "={{ $fromAI('incidentTaskId') }}",
		actionType: "={{ $fromAI('actionType') }}",
		...parameters,
	});

/** The message an agent receives when the tool call fails. */
async function toolFailure(parameters: INodeParameters, args: IDataObject): Promise<string> {
	const failure = await world.engine.callTool(toolNode(parameters), args).then(
		() => undefined,
		(error: Error) => error.message,
	);
	if (failure === undefined) throw new Error('the tool call did not fail');
	return failure;
}

describe('a hunting query Graph refuses', () => {
	it('sends the reader to the KQL and the Timespan, never to a query ID', async () => {
		const query = 'DeviceInfo | summarize count() by OSPlatform';
		const run = await runDefender(world.engine, {
			resource: 'advancedHunting',
			operation: 'runQuery',
			query,
		});

		expect(run.error[0]).toMatchObject({ query, error: { statusCode: 400, executed: 'no' } });
		expect(run.error[0].error.message).toMatch(
			/^Graph refused the request \(400\): .*Query could not be parsed.*\. Check the query's KQL and the Timespan\.$/,
		);
		expect(run.error[0].error.message).not.toMatch(/\bID\b/);
	});
});

describe('a task that prescribes another action type', () => {
	const mismatch = { id: TASKS.openByActionType.isolateDevice, actionType: 'unIsolateDevice' };

	it('tells a person in the editor to set Action Type or map it from the task', async () => {
		const run = await runDefender(world.engine, execute(), [mismatch]);

		expect(run.error[0].error).toMatchObject({ code: 'actionTypeMismatch', executed: 'no' });
		expect(run.error[0].error.message).toBe(
			'The task wants isolateDevice, the node is set to unIsolateDevice. Nothing was executed. Set Action Type to isolateDevice, or map it from the task with the expression {{ $json.actionType }}.',
		);
		expect(graphRequests(world.sim, 'POST')).toEqual([]);
	});

	it('tells an agent what to call with, and nothing about expressions or the editor', async () => {
		const message = await toolFailure(
			{ options: { allowExecuteAsTool: true } },
			{ incidentTaskId: mismatch.id, actionType: mismatch.actionType },
		);

		expect(message).toContain(
			'The task wants isolateDevice, the node is set to unIsolateDevice. Nothing was executed.',
		);
		expect(message).toContain(
			'If isolateDevice is the action to run, call again with Action Type isolateDevice.',
		);
		expect(message).toContain('code: actionTypeMismatch, executed: no');
		expect(message).not.toContain('{{');
		expect(message).not.toContain('$json');
		expect(world.sim.executions).toEqual([]);
	});

	it("says when the task's own action type is one Graph cannot execute at all", async () => {
		const run = await runDefender(world.engine, execute(), [
			{ id: TASKS.nonExecutableByActionType.disableUser, actionType: 'isolateDevice' },
		]);

		expect(run.error[0].error.message).toBe(
			'The task wants disableUser, the node is set to isolateDevice. Nothing was executed. Graph cannot execute that action type, so the task has to be handled in the Defender portal.',
		);
	});
});

describe('a dry run', () => {
	it('reports as wouldExecute the very request a real run then sends', async () => {
		const task = { id: TASKS.openByActionType.isolateDevice, actionType: 'isolateDevice' };
		const dry = await runDefender(world.engine, execute({ dryRun: true }), [task]);
		expect(graphRequests(world.sim, 'POST')).toEqual([]);

		const real = await runDefender(world.engine, execute(), [task]);
		const [post] = graphRequests(world.sim, 'POST');

		expect(real.success[0].outcome).toBe('executed');
		expect(dry.success[0].wouldExecute).toBe(`${post.method} ${post.path}`);
		expect(dry.success[0].wouldExecute).toBe(
			`POST /beta/security/incidentTasks/${task.id}/executeResponseAction`,
		);
	});

	it('reports the same request to an agent', async () => {
		const answer = await world.engine.callTool(toolNode({ options: { dryRun: true } }), {
			incidentTaskId: TASKS.openByActionType.restrictAppExecution,
			actionType: 'restrictAppExecution',
		});

		expect(JSON.parse(answer as string)[0].wouldExecute).toBe(
			`POST /beta/security/incidentTasks/${TASKS.openByActionType.restrictAppExecution}/executeResponseAction`,
		);
	});
});
