import type { IExecuteFunctions } from 'n8n-workflow';

import { readIncidentTaskId } from '../../../nodes/MicrosoftDefenderXdr/actions/incidentTask/common';
import {
	alreadyStartedReason,
	EXECUTABLE_ACTION_TYPES,
	isExecutableActionType,
	type IncidentTask,
} from '../../../nodes/shared/incidentTask';

/** The two fields that say whether a task's action has started. */
type TaskProgress = Pick<IncidentTask, 'actionStatus' | 'status'>;

/** Why the node refuses an item's incident task ID (the message of the error it fails the item with), or undefined. */
function incidentTaskIdProblem(incidentTaskId: unknown): string | undefined {
	const ctx = {
		getNodeParameter: (name: string) => (name === 'incidentTaskId' ? incidentTaskId : undefined),
	} as unknown as IExecuteFunctions;
	try {
		expect(readIncidentTaskId(ctx, 0)).toBe(incidentTaskId);
		return undefined;
	} catch (error) {
		expect(error).toMatchObject({ details: { code: 'invalidIncidentTaskId', executed: 'no' } });
		return (error as Error).message;
	}
}

describe('incident task ID rule', () => {
	it.each(['213213', 'task-isolate-open-001', 'a_b.c:d', 'A'.repeat(128), '..a', 'a..b'])(
		'accepts %s',
		(id) => {
			expect(incidentTaskIdProblem(id)).toBeUndefined();
		},
	);

	it.each([
		['empty', ''],
		['path traversal', '../x'],
		['a slash', 'a/b'],
		['a space', 'a b'],
		['percent-encoding', '%2e'],
		['129 characters', 'A'.repeat(129)],
		['200 characters', 'x'.repeat(200)],
		['a lone dot', '.'],
		['two dots', '..'],
		['a query', 'abc?x=1'],
		['a fragment', 'abc#x'],
		['a newline', 'abc\ndef'],
		['a backslash', 'a\\b'],
		['unicode', 'tâche'],
	])('refuses %s', (_name, id) => {
		expect(incidentTaskIdProblem(id)).toEqual(expect.any(String));
	});

	it('refuses a value that is not a string', () => {
		expect(incidentTaskIdProblem(42)).toBe(
			'The incident task ID is not text (got a number). No request was sent.',
		);
		expect(incidentTaskIdProblem(undefined)).toBe(
			'The incident task ID is empty. No request was sent.',
		);
	});

	it('says how long a too-long ID is', () => {
		expect(incidentTaskIdProblem('x'.repeat(200))).toContain('200 characters');
	});

	it('does not echo control characters back', () => {
		expect(incidentTaskIdProblem('a\u0000b')).not.toContain('\u0000');
	});
});

describe('executable action types', () => {
	it('are exactly the eight Graph can execute', () => {
		expect(EXECUTABLE_ACTION_TYPES.map((t) => t.value).sort()).toEqual(
			[
				'collectInvestigationPackage',
				'isolateDevice',
				'restrictAppExecution',
				'runAntiVirusScan',
				'stopAndQuarantineFile',
				'submitIocRule',
				'unIsolateDevice',
				'unRestrictAppExecution',
			].sort(),
		);
	});

	it.each(['disableUser', 'text', 'unknownFutureValue', 'IsolateDevice', '', 'isolateDevice '])(
		'%p is not executable',
		(type) => {
			expect(isExecutableActionType(type)).toBe(false);
		},
	);
});

describe('already started', () => {
	it.each<[TaskProgress, string]>([
		[{ actionStatus: 'inProgress', status: 'open' }, 'already inProgress'],
		[{ actionStatus: 'completed', status: 'open' }, 'already completed'],
		[{ actionStatus: 'partiallyCompleted', status: 'open' }, 'already partiallyCompleted'],
		[{ actionStatus: 'notStarted', status: 'completed' }, 'marked completed'],
		[{ actionStatus: 'notStarted', status: 'notRelevant' }, 'marked notRelevant'],
	])('%p is started', (fields, reason) => {
		expect(alreadyStartedReason({ id: 't', ...fields })).toContain(reason);
	});

	it.each<TaskProgress>([
		{ actionStatus: 'notStarted', status: 'open' },
		{ actionStatus: 'failed', status: 'inProgress' },
		{ status: 'open' },
	])('%p is not started', (fields) => {
		expect(alreadyStartedReason({ id: 't', ...fields })).toBeUndefined();
	});
});
