import * as node from '../../nodes/shared/incidentTask';
import {
	ACTION_TYPES,
	EXECUTABLE_ACTION_TYPES,
	SEED_TASKS,
	SEEDED_TASK_IDS,
	TASK_STATUSES,
	isExecutableActionType,
} from '../../simulator';

// The simulator keeps Graph's vocabulary on its own, so a wrong list in the node shows up as a disagreement here.

describe('the simulator and the node agree on the incident-task vocabulary', () => {
	it('every action type Graph documents', () => {
		expect([...node.ALL_ACTION_TYPES].sort()).toEqual([...ACTION_TYPES].sort());
		expect(ACTION_TYPES).toHaveLength(17);
	});

	it('the eight that executeResponseAction runs', () => {
		const nodeExecutable = node.EXECUTABLE_ACTION_TYPES.map((type) => type.value);
		expect([...nodeExecutable].sort()).toEqual([...EXECUTABLE_ACTION_TYPES].sort());
		for (const actionType of ACTION_TYPES)
			expect({ actionType, node: node.isExecutableActionType(actionType) }).toEqual({
				actionType,
				node: isExecutableActionType(actionType),
			});
	});

	it('the task statuses a PATCH may set', () => {
		expect(node.TASK_STATUSES.map((status) => status.value).sort()).toEqual(
			[...TASK_STATUSES].sort(),
		);
	});

	it('the seed has an open task for each executable type the node offers', () => {
		for (const { value } of node.EXECUTABLE_ACTION_TYPES) {
			const id = SEEDED_TASK_IDS.openByActionType[value];
			expect(SEED_TASKS.find((task) => task.id === id)).toMatchObject({
				actionType: value,
				status: 'open',
				actionStatus: 'notStarted',
			});
		}
	});
});
