// @ts-check
'use strict';

// 10,000 hostile task IDs, action types and filter values, as an expression could hand them to the node: none
// may reach anything but the task endpoints, none may make the node throw, and every message names its field.

const { createRandom } = require('../../../simulator/faults');
const { ACTION_TYPES, EXECUTABLE_ACTION_TYPES, TASK_STATUSES } = require('../../../simulator');
const { itemAccounting } = require('../world');
const { executeParameters, tally } = require('./common');

/** Longest message we accept; a long value must be shortened, not echoed. */
const MAX_MESSAGE_LENGTH = 1000;

/** Values that try path traversal, another host, query or header injection, OData injection, odd types. */
const HOSTILE_STRINGS = [
	'../../v1.0/users',
	'..',
	'.',
	'/',
	'',
	' ',
	'//evil.example/x',
	'http://evil.example/steal',
	'https://graph.microsoft.com/v1.0/me',
	'task?$filter=x',
	'task#frag',
	'task%2F..%2Fincidents',
	'%2e%2e',
	'%00',
	'task\u0000x',
	'task\r\nX-Injected: 1',
	'task\nHost: evil.example',
	"' or 1 eq 1 or '",
	"open' or status eq 'completed",
	'open) or (1 eq 1',
	'$metadata',
	'$batch',
	'@evil.example',
	'user:pass@evil.example',
	'\u202etask',
	'ta\u0301sk',
	'😀',
	'task\t',
	' task',
	'task ',
	'\\..\\..\\windows',
	'task;rm -rf /',
	'${process.env}',
	'{{ $env }}',
	'=1+1',
	'<script>alert(1)</script>',
	'task/../../me',
	'task/executeResponseAction',
	'task?',
	'task&x=1',
	'isolateDevice ',
	'ISOLATEDEVICE',
	'isolatedevice',
	'isolateDevice\u0000',
	'disableUser',
	'unknownFutureValue',
	'open ',
	'Open',
	'OPEN',
	"open'",
	'inProgress or 1 eq 1',
	'completed\r\n',
	'notRelevant;',
	'text',
	'x'.repeat(129),
	'x'.repeat(5000),
];

/** What an expression can return besides a string. */
const NOT_STRINGS = [
	12345,
	0,
	-1,
	1.5,
	true,
	false,
	null,
	{},
	{ id: 'task-isolate-open-001' },
	['task-isolate-open-001'],
	[],
	1e308,
];

const JUNK = [
	'/',
	'\\',
	'?',
	'#',
	'%',
	'&',
	'=',
	"'",
	'"',
	' ',
	'\n',
	'\r',
	'\u0000',
	'\u202e',
	'😀',
	'..',
	'$',
	'@',
	':',
	'.',
	'-',
	'_',
	';',
	'{',
	'}',
];

/**
 * `count` hostile values, the same ones on every run.
 * @param {number} count
 * @param {number} seed
 * @returns {unknown[]}
 */
function hostileValues(count, seed) {
	const random = createRandom(seed);
	const pick = (/** @type {any[]} */ list) => list[Math.floor(random() * list.length)];
	const values = [];
	for (let n = 0; n < count; n++) {
		const roll = random();
		if (n < HOSTILE_STRINGS.length) values.push(HOSTILE_STRINGS[n]);
		else if (roll < 0.08) values.push(pick(NOT_STRINGS));
		else if (roll < 0.5)
			values.push(`${pick(HOSTILE_STRINGS)}${pick(JUNK)}${pick(HOSTILE_STRINGS)}`);
		else if (roll < 0.9) {
			const length = 1 + Math.floor(random() * 40);
			values.push(Array.from({ length }, () => pick(JUNK)).join(''));
		} else values.push(`task-${pick(JUNK)}${'y'.repeat(Math.floor(random() * 300))}`);
	}
	return values;
}

const TASK_PATH =
	/^\/beta\/security\/incidentTasks(?:\/([^/?#]+)(\/executeResponseAction|\/incident)?)?(\?.*)?$/;
const TASK_ID_RULE = /^[A-Za-z0-9._:-]{1,128}$/;
const KNOWN_FILTER =
	/^(status eq '(open|inProgress|completed|failed|notRelevant)'|actionType eq '[A-Za-z]+')( and (status|actionType) eq '[A-Za-z]+')*$/;

/**
 * Why a request the node sent is not one of the legitimate task endpoints, or undefined.
 * @param {{ method: string, path: string, route: string }} request
 * @param {string} tenantId
 */
function offLegitimateEndpoints(request, tenantId) {
	if (request.route === 'token')
		return request.path === `/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`
			? undefined
			: `token call on ${request.path}`;
	const match = TASK_PATH.exec(request.path);
	if (!match) return `${request.method} ${request.path.slice(0, 120)}`;
	const [, encodedId, navigation, query] = match;
	if (encodedId !== undefined) {
		let id;
		try {
			id = decodeURIComponent(encodedId);
		} catch {
			return `undecodable ID in ${request.path.slice(0, 120)}`;
		}
		if (!TASK_ID_RULE.test(id) || id === '.' || id === '..')
			return `a malformed ID reached Graph: ${JSON.stringify(id).slice(0, 80)}`;
		if (query) return `a query on a single task: ${request.path.slice(0, 120)}`;
		if (navigation === '/executeResponseAction' && request.method !== 'POST')
			return `${request.method} on executeResponseAction`;
		return undefined;
	}
	if (request.method !== 'GET') return `${request.method} on the task list`;
	const params = new URLSearchParams(query ?? '');
	for (const [name, value] of params) {
		if (name === '$top' && /^\d+$/.test(value)) continue;
		if (name === '$filter' && KNOWN_FILTER.test(value)) continue;
		if (name === '$skiptoken') continue;
		// The one order Graph documents for the task list, which the node asks for.
		if (name === '$orderby' && value === 'lastUpdateDateTime desc') continue;
		return `list query ${name}=${value.slice(0, 80)}`;
	}
	return undefined;
}

/**
 * @param {{ check: (name: string, body: (check: any) => Promise<void>, options?: { timeoutMs?: number }) => void }} suite
 * @param {import('../world').FaultWorld} world
 */
module.exports = (suite, world) => {
	const { sim, proxy } = world;

	const existingIds = sim.state().tasks.map((task) => task.id);
	/** @type {Array<{ name: string, count: number, field: RegExp, parameters: Record<string, unknown>, item: (value: unknown) => Record<string, unknown>, requestsAllowed: boolean, valid: readonly string[] }>} */
	const batches = [
		{
			name: 'Execute Response Action, task IDs',
			count: 3000,
			field: /incident task ID/i,
			parameters: executeParameters({ concurrency: 16 }),
			item: (value) => ({ id: value, actionType: 'isolateDevice' }),
			requestsAllowed: true,
			valid: existingIds,
		},
		{
			name: 'Get, task IDs',
			count: 1500,
			field: /incident task ID/i,
			parameters: { resource: 'incidentTask', operation: 'get', incidentTaskId: '={{ $json.id }}' },
			item: (value) => ({ id: value }),
			requestsAllowed: true,
			valid: existingIds,
		},
		{
			name: 'Update, task IDs',
			count: 1500,
			field: /incident task ID/i,
			parameters: {
				resource: 'incidentTask',
				operation: 'update',
				incidentTaskId: '={{ $json.id }}',
				status: 'completed',
			},
			item: (value) => ({ id: value }),
			requestsAllowed: true,
			valid: existingIds,
		},
		{
			name: 'Execute Response Action, action types',
			count: 2000,
			field: /action type/i,
			parameters: executeParameters({ dryRun: true, concurrency: 16 }),
			item: (value) => ({ id: 'task-isolate-open-001', actionType: value }),
			requestsAllowed: false,
			valid: EXECUTABLE_ACTION_TYPES,
		},
		{
			name: 'Get Many, status filter',
			count: 1000,
			field: /status/i,
			parameters: {
				resource: 'incidentTask',
				operation: 'getMany',
				returnAll: false,
				limit: 5,
				filters: { status: '={{ $json.value }}' },
			},
			item: (value) => ({ value }),
			requestsAllowed: false,
			valid: TASK_STATUSES,
		},
		{
			name: 'Get Many, action type filter',
			count: 1000,
			field: /action type/i,
			parameters: {
				resource: 'incidentTask',
				operation: 'getMany',
				returnAll: false,
				limit: 5,
				filters: { actionType: '={{ $json.value }}' },
			},
			item: (value) => ({ value }),
			requestsAllowed: false,
			valid: ACTION_TYPES,
		},
	];

	suite.check(
		`hostile inputs: ${batches.reduce((sum, batch) => sum + batch.count, 0)} task IDs, action types and filter values: 0 requests off the task endpoints, 0 throws, each message names its field`,
		async (check) => {
			let seed = 1;
			let total = 0;
			for (const batch of batches) {
				// A valid value is no attack; empty values (``, null, false, 0) are refused with a message of their own, checked elsewhere.
				const values = hostileValues(batch.count * 2, seed++)
					.filter(
						(value) =>
							!batch.valid.includes(/** @type {any} */ (value)) &&
							(!batch.name.startsWith('Get Many') || Boolean(value)),
					)
					.slice(0, batch.count);
				const items = values.map(batch.item);
				const requestsBefore = proxy.requests.length;
				const tasksBefore = JSON.stringify(sim.state().tasks);
				const run = await world.runNode(batch.parameters, items, { timeoutMs: 120_000 });
				total += items.length;
				check.expect(
					!run.timedOut && run.status === 'success' && !run.nodeError,
					`${batch.name}: the run ${run.timedOut ? 'did not end' : `ended ${run.status}`} ${run.nodeError ?? run.runError ?? ''}`,
				);
				for (const problem of itemAccounting(run, items.length))
					check.expect(false, `${batch.name}: ${problem}`);
				const succeeded = run.success.length;
				check.expect(
					succeeded === 0,
					`${batch.name}: ${succeeded} hostile values were accepted (e.g. ${JSON.stringify(items[run.successPairs[0]])?.slice(0, 120)})`,
				);
				const unnamed = [];
				const unbounded = [];
				run.error.forEach((item, index) => {
					const message = String(item.error?.message ?? '');
					if (!batch.field.test(message))
						unnamed.push({ value: items[run.errorPairs[index]], message });
					const value = values[run.errorPairs[index]];
					if (
						message.length > MAX_MESSAGE_LENGTH ||
						(typeof value === 'string' && value.length > 200 && message.includes(value))
					)
						unbounded.push(message.length);
				});
				check.expect(
					unnamed.length === 0,
					`${batch.name}: ${unnamed.length} messages do not name the field (e.g. value ${JSON.stringify(unnamed[0]?.value)?.slice(0, 80)}: "${unnamed[0]?.message.slice(0, 200)}")`,
				);
				check.expect(
					unbounded.length === 0,
					`${batch.name}: ${unbounded.length} messages are longer than ${MAX_MESSAGE_LENGTH} characters or echo a long value in full`,
				);
				const sent = proxy.requests.slice(requestsBefore);
				const off = sent
					.map((request) => offLegitimateEndpoints(request, sim.tenantId))
					.filter(Boolean);
				check.expect(
					off.length === 0,
					`${batch.name}: ${off.length} requests off the task endpoints (e.g. ${off.slice(0, 3).join('; ')})`,
				);
				const graphSent = sent.filter((request) => request.route !== 'token');
				if (!batch.requestsAllowed)
					check.expect(
						graphSent.length === 0,
						`${batch.name}: ${graphSent.length} Graph requests although every value is refused before sending`,
					);
				check.expect(
					JSON.stringify(sim.state().tasks) === tasksBefore,
					`${batch.name}: a task changed`,
				);
				check.figure(batch.name, {
					items: items.length,
					error: run.error.length,
					success: succeeded,
					graphRequests: graphSent.length,
					codes: tally(run.error, (item) => String(item.error?.code)),
				});
			}
			check.expect(sim.executions.length === 0, `${sim.executions.length} response actions ran`);
			check.figure('total', { items: total, actionsRun: sim.executions.length });
		},
		{ timeoutMs: 240_000 },
	);
};
