// @ts-check
'use strict';

/**
 * What the end-to-end run (`npm run test:e2e`, scripts/e2e.js) asserts in a real n8n: the workflows in
 * this folder and in examples/, what the simulator must be told before each, and what a user would see
 * after: the items on each output, their error objects, and what Defender (the simulator) really did.
 *
 * A scenario is `{ workflow, title, prepare?(sim), verify(ctx) }`. `verify` calls `ctx.check(name, fn)`
 * once per behaviour; `fn` throws (node:assert) when the behaviour is wrong. Checks every workflow must
 * pass (pairing, error shape, executions) are in `checkEveryRun`.
 */

const assert = require('node:assert/strict');

const {
	ENDPOINT_SCOPE,
	EXECUTABLE_ACTION_TYPES,
	SEED_ALERTS,
	SEEDED_MACHINE_IDS,
	SEED_HUNTING_TABLES,
	SEEDED_ALERT_IDS,
	SEEDED_HUNTING_QUERIES,
	SEEDED_IDENTITY_ACCOUNT_IDS,
	SEEDED_INCIDENT_IDS,
	SEEDED_TASK_IDS,
} = require('../../simulator');

const PACKAGE_NAME = 'n8n-nodes-microsoft-defender-xdr';
const DEFENDER_NODE = `${PACKAGE_NAME}.microsoftDefenderXdr`;
const DEFENDER_TOOL = `${PACKAGE_NAME}.microsoftDefenderXdrTool`;
const DEFENDER_TRIGGER = `${PACKAGE_NAME}.microsoftDefenderXdrTrigger`;
const CREDENTIAL_TYPE = 'microsoftDefenderXdrOAuth2Api';
const ENDPOINT_CREDENTIAL_TYPE = 'microsoftDefenderEndpointOAuth2Api';
const TASKS_PATH = '/beta/security/incidentTasks/';

/**
 * @typedef {import('../../simulator').Simulator} Simulator
 * @typedef {{ json: any, pairedItem?: any }} Item
 * @typedef {{ status: string, exitCode: number | null, runData: Record<string, any[]>, error?: any }} Run
 * @typedef {(name: string, fn: () => void) => void} Check
 * @typedef {{ run: Run, sim: Simulator, workflow: any, before: ReturnType<Simulator['state']>, check: Check }} VerifyContext
 * @typedef {{ workflow: string, title: string, prepare?: (sim: Simulator) => void, verify: (ctx: VerifyContext) => void }} Scenario
 */

/** Items a node put on one output; [] when that output stayed empty or the node did not run. @param {Run} run @param {string} node */
function itemsOf(run, node, output = 0) {
	const task = run.runData[node]?.[0];
	return /** @type {Item[]} */ (task?.data?.main?.[output] ?? []);
}

/** Whether a node ran at all. @param {Run} run @param {string} node */
function ran(run, node) {
	return Boolean(run.runData[node]?.length);
}

/** `{ id, outcome, code?, executed?, item }` per item (item = paired input index), to compare with a table. */
function summarize(/** @type {Item[]} */ items) {
	return items.map((item) => ({
		id: item.json.incidentTaskId ?? item.json.id,
		outcome: item.json.outcome,
		...(item.json.error ? { code: item.json.error.code, executed: item.json.error.executed } : {}),
		item: item.pairedItem?.item,
	}));
}

/** The task ID of a simulator request on /beta/security/incidentTasks/{id}[/...], decoded. @param {string} requestPath */
function taskIdOf(requestPath) {
	const bare = requestPath.split('?')[0];
	const at = bare.toLowerCase().indexOf(TASKS_PATH.toLowerCase());
	if (at < 0) return undefined;
	return decodeURIComponent(bare.slice(at + TASKS_PATH.length).split('/')[0]);
}

/** Graph requests the simulator answered for one task, oldest first. @param {Simulator} sim @param {string} method @param {string} taskId */
function requestsFor(sim, method, taskId) {
	return sim.requests.filter((r) => r.method === method && taskIdOf(r.path) === taskId);
}

/** Open tasks Graph can execute, most recently updated first, as the node asks Graph to list them. @param {VerifyContext['before']} state */
function openExecutableTasks(state) {
	/** @type {Set<string>} */
	const executable = new Set(EXECUTABLE_ACTION_TYPES);
	return state.tasks
		.filter((t) => t.status === 'open' && executable.has(t.actionType))
		.sort(
			(a, b) =>
				Date.parse(b.lastModifiedDateTime) - Date.parse(a.lastModifiedDateTime) ||
				a.id.localeCompare(b.id),
		);
}

/** The items of execute-mixed-items.json's Code node, in order, and the output, outcome or error code each must get. */
const MIXED_ITEMS = [
	{ id: 'task-isolate-open-001', output: 'Success', outcome: 'executed' },
	{ id: '../x', output: 'Error', code: 'invalidIncidentTaskId' },
	{ id: 'task-disableuser-open-001', output: 'Error', code: 'unsupportedActionType' },
	{ id: 'task-does-not-exist-404', output: 'Error', code: 'NotFound' },
	{ id: 'task-isolate-completed-001', output: 'Success', outcome: 'skipped' },
	{ id: 'task-collect-open-001', output: 'Error', code: 'actionTypeMismatch' },
	{ id: 'task-avscan-open-001', output: 'Success', outcome: 'executed' },
];

/** The rows of a table that leave on one output, summarized like `summarize`. @param {typeof MIXED_ITEMS} table @param {string} output */
function expectedOn(table, output) {
	return table.flatMap((row, item) =>
		row.output !== output
			? []
			: [
					row.output === 'Success'
						? { id: row.id, outcome: row.outcome, item }
						: { id: row.id, outcome: 'failed', code: row.code, executed: 'no', item },
				],
	);
}

/** The field of an Error item that says which input it is about, per resource. @type {Record<string, string>} */
const SUBJECT_FIELDS = {
	incidentTask: 'incidentTaskId',
	incident: 'incidentId',
	alert: 'alertId',
	advancedHunting: 'query',
	device: 'deviceId',
	deviceAction: 'deviceActionId',
	identityAccount: 'identityAccountId',
};

/** @type {Scenario[]} */
const scenarios = [
	{
		workflow: 'execute-mixed-items.json',
		title: 'execute: items from a Code node sorted onto Success and Error',
		verify({ run, sim, check }) {
			const node = 'Execute response action';
			const success = itemsOf(run, node, 0);
			const error = itemsOf(run, node, 1);
			check('the Code node produced the cases this test expects', () =>
				assert.deepEqual(
					itemsOf(run, 'Task items').map((i) => i.json.id),
					MIXED_ITEMS.map((row) => row.id),
				),
			);
			check(
				'Success holds the executed and skipped tasks, in input order, paired to their inputs',
				() => assert.deepEqual(summarize(success), expectedOn(MIXED_ITEMS, 'Success')),
			);
			check('Error holds the refused items with their codes and executed: no, in input order', () =>
				assert.deepEqual(summarize(error), expectedOn(MIXED_ITEMS, 'Error')),
			);
			check('both outputs reach their next nodes (Executed, Needs attention)', () => {
				assert.equal(itemsOf(run, 'Executed').length, success.length);
				assert.equal(itemsOf(run, 'Needs attention').length, error.length);
			});
			check('an executed item carries 204 and the request ID Graph answered the POST with', () => {
				for (const item of success.filter((i) => i.json.outcome === 'executed')) {
					const posts = requestsFor(sim, 'POST', item.json.incidentTaskId);
					assert.equal(item.json.statusCode, 204);
					assert.equal(posts.length, 1, `POSTs for ${item.json.incidentTaskId}`);
					assert.equal(item.json.requestId, posts[0].requestId);
				}
			});
			check('the skipped task says why it was not executed again', () => {
				const skipped = success.find((i) => i.json.outcome === 'skipped');
				assert.ok(skipped, 'no skipped item');
				assert.match(String(skipped.json.reason), /completed/);
			});
			check("the unknown task ID fails with 404 and the request ID of Graph's answer", () => {
				const notFound = error.find((i) => i.json.incidentTaskId === 'task-does-not-exist-404');
				const gets = requestsFor(sim, 'GET', 'task-does-not-exist-404');
				assert.ok(notFound, 'no Error item for the unknown ID');
				assert.equal(notFound.json.error.statusCode, 404);
				assert.equal(gets.length, 1, 'GETs of the unknown ID');
				assert.equal(notFound.json.error.requestId, gets[0].requestId);
				assert.equal(notFound.json.error.retryable, false);
			});
			check(
				'a non-executable action type fails with "Currently disableUser is not supported"',
				() => {
					const refused = error.find((i) => i.json.actionType === 'disableUser');
					assert.match(
						String(refused?.json.error.message),
						/^Currently disableUser is not supported/,
					);
				},
			);
			check('no request was sent for the hostile ID or the non-executable type', () => {
				const touched = new Set(sim.requests.map((r) => taskIdOf(r.path)).filter(Boolean));
				const expected = MIXED_ITEMS.filter(
					(row) => !['invalidIncidentTaskId', 'unsupportedActionType'].includes(String(row.code)),
				).map((row) => row.id);
				assert.deepEqual([...touched].sort(), [...expected].sort());
			});
		},
	},
	{
		workflow: 'graph-faults.json',
		title: 'execute: 403 fails the item, 429 and 401 are retried',
		prepare(sim) {
			sim.injectFault({
				method: 'POST',
				path: `${TASKS_PATH}task-restrict-open-001/executeResponseAction`,
				fault: '403',
			});
			sim.injectFault({
				method: 'GET',
				path: `${TASKS_PATH}task-unisolate-open-001`,
				fault: '429',
				retryAfterSeconds: 1,
			});
			sim.injectFault({ method: 'GET', path: `${TASKS_PATH}task-ioc-open-001`, fault: '401' });
		},
		verify({ run, sim, check }) {
			const node = 'Execute response action';
			const success = itemsOf(run, node, 0);
			const error = itemsOf(run, node, 1);
			check(
				'the 403 item is on Error with Forbidden, 403, executed: no, not retryable, and says to check permissions',
				() => {
					assert.deepEqual(summarize(error), [
						{
							id: 'task-restrict-open-001',
							outcome: 'failed',
							code: 'Forbidden',
							executed: 'no',
							item: 0,
						},
					]);
					const details = error[0].json.error;
					assert.equal(details.statusCode, 403);
					assert.equal(details.retryable, false);
					assert.match(details.message, /permission/i);
					assert.equal(
						details.requestId,
						requestsFor(sim, 'POST', 'task-restrict-open-001')[0]?.requestId,
					);
				},
			);
			check('the throttled and the 401 items are executed after one retry each', () => {
				assert.deepEqual(summarize(success), [
					{ id: 'task-unisolate-open-001', outcome: 'executed', item: 1 },
					{ id: 'task-ioc-open-001', outcome: 'executed', item: 2 },
				]);
				assert.deepEqual(
					requestsFor(sim, 'GET', 'task-unisolate-open-001').map((r) => r.status),
					[429, 200],
				);
				assert.deepEqual(
					requestsFor(sim, 'GET', 'task-ioc-open-001').map((r) => r.status),
					[401, 200],
				);
			});
			check('after the 401, n8n fetched a new token before the retry', () => {
				const [rejected, retried] = requestsFor(sim, 'GET', 'task-ioc-open-001');
				const between = sim.requests.slice(
					sim.requests.indexOf(rejected) + 1,
					sim.requests.indexOf(retried),
				);
				assert.ok(
					between.some((r) => isTokenRequest(r) && r.status === 200),
					'no token request between the 401 and the retry',
				);
			});
			check('the retry after 429 waited for Retry-After (1 s)', () => {
				const [throttled, retried] = requestsFor(sim, 'GET', 'task-unisolate-open-001');
				assert.ok(
					Date.parse(retried.at) - Date.parse(throttled.at) >= 900,
					`retried after ${Date.parse(retried.at) - Date.parse(throttled.at)} ms`,
				);
			});
		},
	},
	{
		workflow: 'dry-run.json',
		title: 'execute with Dry Run: reports, executes nothing',
		verify({ run, sim, check }) {
			const success = itemsOf(run, 'Dry run', 0);
			const error = itemsOf(run, 'Dry run', 1);
			check(
				'the open task is a dryRun on Success with the task it would execute; the completed one is skipped',
				() => {
					assert.deepEqual(summarize(success), [
						{ id: 'task-isolate-open-001', outcome: 'dryRun', item: 0 },
						{ id: 'task-isolate-completed-001', outcome: 'skipped', item: 1 },
					]);
					assert.equal(success[0].json.dryRun, true);
					assert.equal(success[0].json.task?.id, 'task-isolate-open-001');
					assert.equal(success[0].json.actionStatus, 'notStarted');
				},
			);
			check('the non-executable type still fails on Error', () =>
				assert.deepEqual(summarize(error), [
					{
						id: 'task-disableuser-open-001',
						outcome: 'failed',
						code: 'unsupportedActionType',
						executed: 'no',
						item: 2,
					},
				]),
			);
			check('no POST reached Graph and the task is still notStarted', () => {
				assert.deepEqual(
					sim.requests.filter((r) => r.method === 'POST' && taskIdOf(r.path)),
					[],
				);
				assert.equal(sim.getTask('task-isolate-open-001')?.actionStatus, 'notStarted');
			});
		},
	},
	{
		workflow: 'wait-for-completion.json',
		title: 'execute with Wait for Completion: completed, failed, partially completed',
		verify({ run, sim, check }) {
			const success = itemsOf(run, 'Execute and wait', 0);
			const error = itemsOf(run, 'Execute and wait', 1);
			check('the task that completes is on Success with outcome completed', () => {
				assert.deepEqual(summarize(success), [
					{ id: 'task-isolate-open-002', outcome: 'completed', item: 0 },
				]);
				assert.equal(success[0].json.actionStatus, 'completed');
			});
			check('failed and partially completed actions are on Error with executed: yes', () =>
				assert.deepEqual(summarize(error), [
					{
						id: 'task-avscan-fails-001',
						outcome: 'failed',
						code: 'actionFailed',
						executed: 'yes',
						item: 1,
					},
					{
						id: 'task-quarantine-partial-001',
						outcome: 'failed',
						code: 'actionPartiallyCompleted',
						executed: 'yes',
						item: 2,
					},
				]),
			);
			check('Defender shows the same end states', () =>
				assert.deepEqual(
					['task-isolate-open-002', 'task-avscan-fails-001', 'task-quarantine-partial-001'].map(
						(id) => sim.getTask(id)?.actionStatus,
					),
					['completed', 'failed', 'partiallyCompleted'],
				),
			);
		},
	},
	{
		workflow: 'manage-tasks.json',
		title: 'get, getMany and update',
		verify({ run, sim, before, check }) {
			check(
				'Get Many returns the 3 most recently updated open executable tasks, all paired to the one input',
				() => {
					const listed = itemsOf(run, 'List 3 open executable tasks');
					assert.deepEqual(
						listed.map((i) => i.json.id),
						openExecutableTasks(before)
							.slice(0, 3)
							.map((t) => t.id),
					);
					assert.deepEqual(
						listed.map((i) => i.pairedItem?.item),
						[0, 0, 0],
					);
					assert.equal(itemsOf(run, 'Listed').length, 3);
				},
			);
			check('Get returns the task on Success and a 404 on Error', () => {
				const [read, failed] = [itemsOf(run, 'Get task', 0), itemsOf(run, 'Get task', 1)];
				assert.deepEqual(
					read.map((i) => [i.json.id, i.json.actionType, i.pairedItem?.item]),
					[['task-text-open-001', 'text', 0]],
				);
				assert.deepEqual(summarize(failed), [
					{ id: 'task-gone-404', outcome: 'failed', code: 'NotFound', executed: 'no', item: 1 },
				]);
				assert.equal(failed[0].json.error.statusCode, 404);
				assert.deepEqual([itemsOf(run, 'Read').length, itemsOf(run, 'Read failed').length], [1, 1]);
			});
			check('Update sets the status from an expression, and Defender has it', () => {
				const updated = itemsOf(run, 'Update task', 0);
				assert.deepEqual(
					updated.map((i) => [i.json.id, i.json.status, i.pairedItem?.item]),
					[['task-text-open-002', 'notRelevant', 0]],
				);
				assert.deepEqual(itemsOf(run, 'Update task', 1), []);
				assert.equal(ran(run, 'Update failed'), false, 'Update failed ran');
				assert.equal(sim.getTask('task-text-open-002')?.status, 'notRelevant');
			});
		},
	},
	{
		workflow: 'security-operations.json',
		title: 'incidents, alerts and advanced hunting',
		verify({ run, sim, check }) {
			check(
				'Get Many lists high-severity incidents, newest first; Get reads an awaiting-action incident as such',
				() => {
					const listed = itemsOf(run, 'High-severity incidents');
					assert.ok(listed.length > 0, 'no incidents listed');
					assert.ok(listed.every((i) => i.json.severity === 'high'));
					const read = itemsOf(run, 'Get incident');
					assert.deepEqual(
						read.map((i) => [i.json.id, i.json.status]),
						[[SEEDED_INCIDENT_IDS.awaitingAction, 'awaitingAction']],
					);
				},
			);
			check('Update changes only the fields set, and Defender has them', () => {
				assert.deepEqual(itemsOf(run, 'Update incident', 1), []);
				assert.deepEqual(
					sim.requests
						.filter((r) => r.method === 'PATCH')
						.map((r) => r.path)
						.sort(),
					[
						`/v1.0/security/alerts_v2/${SEEDED_ALERT_IDS.new}`,
						`/v1.0/security/incidents/${SEEDED_INCIDENT_IDS.active}`,
					],
				);
				assert.equal(sim.getIncident(SEEDED_INCIDENT_IDS.active)?.classification, 'truePositive');
				assert.equal(
					sim.getIncident(SEEDED_INCIDENT_IDS.active)?.assignedTo,
					'analyst@contoso.com',
				);
				assert.equal(sim.getAlert(SEEDED_ALERT_IDS.new)?.status, 'resolved');
			});
			check('each comment is added once', () => {
				assert.deepEqual(
					itemsOf(run, 'Comment on incident').map((i) => i.json.outcome),
					['commented'],
				);
				assert.equal(
					sim
						.getIncident(SEEDED_INCIDENT_IDS.active)
						?.comments.filter((c) => c.comment === 'Checked from n8n (end-to-end)').length,
					1,
				);
				assert.equal(sim.getAlert(SEEDED_ALERT_IDS.new)?.comments.length, 1);
			});
			check(
				"a hunting query makes one item per row; a KQL error one Error item with Graph's message",
				() => {
					assert.equal(itemsOf(run, 'Hunt devices').length, 3);
					const refused = itemsOf(run, 'Unsupported query', 1);
					assert.equal(refused.length, 1);
					assert.equal(refused[0].json.error.statusCode, 400);
					assert.match(refused[0].json.error.message, /Query could not be parsed/);
				},
			);
		},
	},
	{
		workflow: 'identity-accounts.json',
		title: 'identity accounts: find by SID, dry run, act, refuse what the account does not list',
		verify({ run, sim, check }) {
			const megan = SEEDED_IDENTITY_ACCOUNT_IDS.activeDirectoryAndEntra;
			check('Get Many finds the identity behind the on-premises SID', () =>
				assert.deepEqual(
					itemsOf(run, 'Find by SID').map((i) => i.json.id),
					[megan],
				),
			);
			check('the dry run shows the request it would send, and sends none', () => {
				const [dry] = itemsOf(run, 'Dry run disable');
				assert.equal(dry?.json.outcome, 'dryRun');
				assert.deepEqual(dry.json.request, {
					method: 'POST',
					path: `/v1.0/security/identities/identityAccounts/${megan}/invokeAction`,
					body: {
						accountId: dry.json.accountId,
						action: 'disable',
						identityProvider: 'activeDirectory',
					},
				});
				assert.equal(sim.getIdentityAccount(megan)?.isEnabled, true);
			});
			check('Revoke sessions ran once in Entra ID, and the item carries its correlation ID', () => {
				assert.deepEqual(
					sim.identityActions.map((a) => [a.identityAccountId, a.action, a.identityProvider]),
					[[megan, 'revokeAllSessions', 'entraID']],
				);
				const [revoked] = itemsOf(run, 'Revoke sessions');
				assert.equal(revoked?.json.outcome, 'executed');
				assert.equal(revoked.json.correlationId, sim.identityActions[0].correlationId);
			});
			check(
				"an action the account's Entra ID entry does not list is refused with nothing sent",
				() => {
					const refused = itemsOf(run, 'Reset in Entra ID', 1);
					assert.deepEqual(
						refused.map((i) => [i.json.error.code, i.json.error.executed]),
						[['actionNotSupported', 'no']],
					);
					assert.equal(itemsOf(run, 'Refused').length, 1);
					assert.equal(
						sim.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/invokeAction'))
							.length,
						1,
					);
				},
			);
		},
	},
	{
		workflow: 'devices-indicators.json',
		title:
			'devices and indicators: dry run, isolate by name and wait, a failed scan, a refused value, an indicator submitted, found and deleted',
		verify({ run, sim, check }) {
			const server = SEEDED_MACHINE_IDS.storyServer;
			const failing = SEEDED_MACHINE_IDS.failingActions;
			const posts = (/** @type {RegExp} */ path) =>
				sim.requests.filter((r) => r.method === 'POST' && path.test(r.path));
			check('the dry run names the device and the request, and creates no action', () => {
				const [dry] = itemsOf(run, 'Dry run isolate');
				assert.equal(dry?.json.outcome, 'dryRun');
				assert.equal(dry.json.deviceId, server);
				assert.equal(
					sim.machineActions.filter((a) => a.machineId === server).length,
					1,
					'only the real isolation created an action on the server',
				);
			});
			check(
				'the isolation went out by ID with the body Defender expects, and was waited for',
				() => {
					const sent = posts(new RegExp(`^/api/machines/${server}/isolate$`, 'i'));
					assert.equal(sent.length, 1);
					assert.deepEqual(JSON.parse(String(sent[0].body)), {
						Comment: 'Requested by an n8n workflow (Microsoft Defender XDR node)',
						IsolationType: 'Selective',
					});
					const [isolated] = itemsOf(run, 'Isolate and wait');
					assert.equal(isolated?.json.outcome, 'completed');
					assert.equal(isolated.json.status, 'Succeeded');
					assert.equal(
						isolated.json.deviceActionId,
						sim.machineActions.find((a) => a.machineId === server)?.id,
					);
				},
			);
			check(
				'a scan that fails on the device goes to Error with actionFailed and executed: yes',
				() => {
					assert.deepEqual(itemsOf(run, 'Scan the failing device'), []);
					const failed = itemsOf(run, 'Scan the failing device', 1);
					assert.deepEqual(
						failed.map((i) => [i.json.error.code, i.json.error.executed]),
						[['actionFailed', 'yes']],
					);
					assert.equal(itemsOf(run, 'Scan failed').length, 1);
					assert.equal(
						posts(new RegExp(`^/api/machines/${failing}/runAntiVirusScan$`, 'i')).length,
						1,
					);
				},
			);
			check('a malformed SHA-1 is refused with nothing sent', () => {
				const refused = itemsOf(run, 'Bad SHA-1', 1);
				assert.deepEqual(
					refused.map((i) => i.json.error.executed),
					['no'],
				);
				assert.equal(itemsOf(run, 'Refused before sending').length, 1);
				assert.equal(posts(/stopandquarantinefile$/i).length, 0);
			});
			check('the indicator was submitted, found by its value and deleted', () => {
				const [submitted] = itemsOf(run, 'Block a hash');
				const value = submitted?.json.indicatorValue;
				assert.match(String(value), /^[0-9a-f]{64}$/);
				const found = itemsOf(run, 'Find the indicator');
				assert.deepEqual(
					found.map((i) => i.json.indicatorValue),
					[value],
				);
				const [deleted] = itemsOf(run, 'Delete the indicator');
				assert.ok(deleted, 'the delete put its item on Success');
				assert.equal(String(deleted.json.indicatorId), String(found[0].json.id));
				assert.equal(
					sim.endpointState().indicators.some((i) => i.indicatorValue === value),
					false,
				);
			});
		},
	},
];

/** Scenarios for the shipped examples; an example not named here gets only `checkEveryRun`. */
/** @type {Record<string, Omit<Scenario, 'workflow'>>} */
const exampleScenarios = {
	'execute-pending-tasks.json': {
		title: 'example: execute pending incident-task response actions',
		verify({ run, before, check }) {
			check('every open executable task is executed and reaches "Executed"', () => {
				const executed = itemsOf(run, 'Executed');
				assert.deepEqual(
					executed.map((i) => i.json.incidentTaskId).sort(),
					openExecutableTasks(before)
						.map((t) => t.id)
						.sort(),
				);
				assert.deepEqual([...new Set(executed.map((i) => i.json.outcome))], ['executed']);
				assert.equal(itemsOf(run, 'Needs attention').length, 0);
			});
		},
	},
};

/**
 * @typedef {{ workflow: string, title: string, run: (ctx: { sim: Simulator, check: Check, waitFor: (what: () => boolean, timeoutMs: number) => Promise<boolean> }) => Promise<void> }} TriggerScenario
 */

/**
 * The trigger example, activated in a started n8n (not `n8n execute`, which runs only workflows with a
 * manual trigger). n8n polls once on activation, then every minute at a random second.
 * @type {TriggerScenario}
 */
const taskTriggerScenario = {
	workflow: 'new-task-trigger-execute.json',
	title: 'example: new-task trigger -> execute, activated in a running n8n',
	async run({ sim, check, waitFor }) {
		const listed = () =>
			sim.requests.some((r) => r.method === 'GET' && /\/incidentTasks(\?|$)/.test(r.path));
		const polled = await waitFor(listed, 60_000);
		await waitFor(() => sim.executions.length > 0, 3_000); // would an activation replay the backlog?
		check('activation polls Defender and replays none of the backlog', () => {
			assert.ok(polled, 'no incident-task list request within 60 s of starting n8n');
			assert.deepEqual(
				sim.executions.map((e) => e.taskId),
				[],
			);
		});
		const task = sim.addTask({ actionType: 'isolateDevice' });
		const executed = await waitFor(() => sim.executions.some((e) => e.taskId === task.id), 90_000);
		await waitFor(() => sim.executions.length > 1, 2_000); // a second execution would be a bug
		check('a task created after activation is executed once, on the next poll', () => {
			assert.ok(executed, `${task.id} not executed within 90 s`);
			assert.deepEqual(
				sim.executions.map((e) => e.taskId),
				[task.id],
			);
		});
	},
};

/**
 * The incident-response loop, activated beside the task trigger: a new incident's tasks (tasks that existed
 * before activation, so the task trigger leaves them alone) are executed, the incident resolved and commented.
 * @type {TriggerScenario}
 */
const incidentLoopScenario = {
	workflow: 'incident-response-loop.json',
	title:
		'example: new incident -> hunt -> execute its tasks -> resolve -> comment, activated in a running n8n',
	async run({ sim, check, waitFor }) {
		const taskIds = [
			SEEDED_TASK_IDS.openByActionType.isolateDevice,
			SEEDED_TASK_IDS.openByActionType.runAntiVirusScan,
		];
		const incident = sim.addIncident({
			severity: 'high',
			displayName: 'Ransomware on WS-FIN-042 (end-to-end)',
		});
		for (const id of taskIds) sim.setTask(id, { incidentId: incident.id });
		// The device reported today: the example hunts with Graph's default window, the last 30 days.
		const deviceId = sim.getTask(taskIds[0])?.responseAction?.identifierValue;
		const seen = SEED_HUNTING_TABLES.DeviceInfo.rows.find((row) => row.DeviceId === deviceId);
		sim.addHuntingRows('DeviceInfo', [{ ...seen, Timestamp: new Date().toISOString() }]);
		const commented = () => (sim.getIncident(incident.id)?.comments ?? []).length > 0;
		const done = await waitFor(commented, 150_000);
		check(
			"the new incident's tasks ran once each, the incident is resolved and carries a comment with the request IDs",
			() => {
				assert.ok(done, `no comment on incident ${incident.id} within 150 s`);
				const ran = sim.executions
					.filter((e) => taskIds.includes(e.taskId))
					.map((e) => e.taskId)
					.sort();
				assert.deepEqual(ran, [...taskIds].sort());
				const stored = sim.getIncident(incident.id);
				assert.equal(stored?.status, 'resolved');
				assert.equal(stored?.classification, 'truePositive');
				const comment = stored?.comments[0]?.comment ?? '';
				assert.match(comment, /n8n ran 2 response action\(s\)/);
				assert.match(comment, /\(request [0-9a-f-]{36}\)/);
				assert.match(comment, /Advanced hunting found 1 device\(s\)/);
			},
		);
	},
};

/**
 * A new high-severity alert naming the finance workstation: the example isolates it through Defender for Endpoint.
 * @type {TriggerScenario}
 */
const alertIsolationScenario = {
	workflow: 'alert-device-isolation.json',
	title:
		"example: new high-severity alert -> isolate its device -> comment the action's ID and status, activated in a running n8n",
	async run({ sim, check, waitFor }) {
		// Only the device: a user in the evidence would also set off the compromised-account example.
		const story = SEED_ALERTS.find((alert) => alert.id === 'alert-1001-01');
		const alert = sim.addAlert({
			severity: 'high',
			title: 'Ransomware behavior detected (end-to-end)',
			evidence: (story?.evidence ?? []).filter(
				(evidence) => evidence['@odata.type'] === '#microsoft.graph.security.deviceEvidence',
			),
		});
		const commented = () => (sim.getAlert(alert.id)?.comments ?? []).length > 0;
		const done = await waitFor(commented, 150_000);
		check(
			"the alert's device is isolated once, and the alert carries a comment with the device action's ID and status",
			() => {
				assert.ok(done, `no comment on alert ${alert.id} within 150 s`);
				const isolations = sim.machineActions.filter(
					(action) => action.type === 'Isolate' && action.requestorComment.includes(alert.id),
				);
				assert.deepEqual(
					isolations.map((action) => action.machineId),
					[SEEDED_MACHINE_IDS.storyWorkstation],
				);
				const comment = sim.getAlert(alert.id)?.comments?.[0]?.comment ?? '';
				assert.match(comment, new RegExp(`Device action ${isolations[0].id}: Succeeded`));
			},
		);
	},
};

/**
 * The compromised-account example, activated beside the others: a new high-severity alert that names a hybrid user
 * leads to the identity's Entra ID sessions revoked and a comment on the alert's incident with the correlation ID.
 * @type {TriggerScenario}
 */
const compromisedAccountScenario = {
	workflow: 'compromised-account.json',
	title:
		'example: new alert naming a user -> find the identity -> revoke its sessions -> comment on the incident, activated in a running n8n',
	async run({ sim, check, waitFor }) {
		const identityAccountId = SEEDED_IDENTITY_ACCOUNT_IDS.activeDirectoryAndEntra;
		const identity = sim.getIdentityAccount(identityAccountId);
		const incidentId = SEEDED_INCIDENT_IDS.awaitingAction;
		const commentsBefore = sim.getIncident(incidentId)?.comments.length ?? 0;
		sim.addAlert({
			incidentId,
			severity: 'high',
			title: 'Suspicious sign-in after a phishing click (end-to-end)',
			serviceSource: 'microsoftDefenderForIdentity',
			evidence: [
				{
					'@odata.type': '#microsoft.graph.security.userEvidence',
					roles: ['compromised'],
					detailedRoles: ['Compromised account'],
					userAccount: {
						accountName: identity?.displayName,
						domainName: 'CONTOSO',
						userSid: identity?.onPremisesSecurityIdentifier,
						displayName: identity?.displayName,
					},
				},
			],
		});
		const commented = () => (sim.getIncident(incidentId)?.comments.length ?? 0) > commentsBefore;
		const done = await waitFor(commented, 150_000);
		check(
			"the identity's Entra ID sessions were revoked once and the incident's comment records the correlation ID",
			() => {
				assert.ok(done, `no new comment on incident ${incidentId} within 150 s`);
				const revoked = sim.identityActions.filter(
					(a) => a.identityAccountId === identityAccountId,
				);
				assert.deepEqual(
					revoked.map((a) => [a.action, a.identityProvider]),
					[['revokeAllSessions', 'entraID']],
				);
				const comments = sim.getIncident(incidentId)?.comments ?? [];
				assert.match(
					comments[comments.length - 1]?.comment ?? '',
					new RegExp(`Correlation ID ${revoked[0].correlationId}`),
				);
			},
		);
	},
};

/** Every trigger example, in the order they run in one started n8n. */
const triggerScenarios = [
	taskTriggerScenario,
	incidentLoopScenario,
	compromisedAccountScenario,
	alertIsolationScenario,
];

/**
 * What must hold for any workflow run in real n8n.
 * @param {VerifyContext} ctx
 */
function checkEveryRun({ run, sim, workflow, check }) {
	check('n8n finished the workflow without a workflow error', () => {
		assert.equal(run.error?.message, undefined);
		assert.equal(run.status, 'success');
		assert.equal(run.exitCode, 0);
	});
	const defenderNodes = workflow.nodes.filter(
		(/** @type {any} */ n) => n.type === DEFENDER_NODE && ran(run, n.name),
	);
	check(
		'every Defender node item has pairedItem, and each input leaves on exactly one output (getMany: at least one)',
		() => {
			for (const node of defenderNodes) {
				const task = run.runData[node.name][0];
				const source = task.source?.[0];
				const inputCount = source
					? itemsOf(run, source.previousNode, source.previousNodeOutput ?? 0).length
					: 1;
				const outputs = [...itemsOf(run, node.name, 0), ...itemsOf(run, node.name, 1)];
				const paired = outputs.map((item) => item.pairedItem?.item);
				for (const index of paired)
					assert.ok(
						Number.isInteger(index) && index >= 0 && index < inputCount,
						`${node.name}: pairedItem ${JSON.stringify(index)} of ${inputCount} inputs`,
					);
				const counts = paired.reduce(
					(/** @type {number[]} */ acc, i) => ((acc[i] = (acc[i] ?? 0) + 1), acc),
					new Array(inputCount).fill(0),
				);
				// Lists and hunting queries make one item per entity or row; every other operation one per input.
				if (node.parameters.operation === 'getMany' || node.parameters.operation === 'runQuery')
					continue;
				assert.deepEqual(counts, new Array(inputCount).fill(1), `${node.name}: items per input`);
			}
		},
	);
	check('every Error item has the documented shape', () => {
		for (const node of defenderNodes) {
			for (const { json } of itemsOf(run, node.name, 1)) {
				assert.equal(json.outcome, 'failed');
				const subject = SUBJECT_FIELDS[node.parameters.resource ?? 'incidentTask'];
				assert.ok(subject in json, `${subject} missing`);
				if (node.parameters.operation === 'getMany') assert.equal(json[subject], null);
				if (node.parameters.operation === 'executeResponseAction')
					assert.ok('actionType' in json, 'actionType missing');
				const e = json.error;
				assert.equal(typeof e?.message, 'string');
				assert.ok(e.message.length > 0, 'empty message');
				assert.equal(typeof e.code, 'string');
				assert.ok(
					e.statusCode === null || Number.isInteger(e.statusCode),
					`statusCode ${e.statusCode}`,
				);
				assert.ok(
					e.requestId === null || typeof e.requestId === 'string',
					`requestId ${e.requestId}`,
				);
				assert.equal(typeof e.retryable, 'boolean');
				assert.ok(['no', 'unknown', 'yes'].includes(e.executed), `executed ${e.executed}`);
			}
		}
	});
	const executeNodes = defenderNodes.filter(
		(/** @type {any} */ n) =>
			(n.parameters.operation ?? 'executeResponseAction') === 'executeResponseAction',
	);
	check('Defender executed exactly the tasks the outputs say were executed', () => {
		/** @type {Item[]} */
		const said = executeNodes.flatMap((/** @type {any} */ n) => [
			...itemsOf(run, n.name, 0).filter((i) => ['executed', 'completed'].includes(i.json.outcome)),
			...itemsOf(run, n.name, 1).filter((i) => i.json.error?.executed === 'yes'),
		]);
		const maybe = new Set(
			executeNodes.flatMap((/** @type {any} */ n) =>
				itemsOf(run, n.name, 1)
					.filter((i) => i.json.error?.executed === 'unknown')
					.map((i) => i.json.incidentTaskId),
			),
		);
		const executed = sim.executions.map((e) => e.taskId).filter((id) => !maybe.has(id));
		assert.deepEqual(executed.sort(), said.map((i) => i.json.incidentTaskId).sort());
	});
}

/** Whether a simulator request went to the token endpoint. @param {{ path: string }} request */
function isTokenRequest(request) {
	return /\/oauth2\/v2\.0\/token$/.test(request.path.split('?')[0]);
}

/**
 * The token requests n8n sent prove it filled the credential's hidden fields (token URL, scope,
 * client authentication in the body) from the type's `$self` expressions.
 * @param {Simulator} sim @param {Simulator['requests']} tokenRequests every one of the run @param {Check} check
 */
function checkTokenRequests(sim, tokenRequests, check) {
	check(
		'n8n computed the token URL and scope from the credential and sent the client secret in the body',
		() => {
			assert.ok(tokenRequests.length > 0, 'no token request');
			for (const r of tokenRequests) {
				assert.equal(r.method, 'POST');
				assert.equal(r.path, `/${sim.tenantId}/oauth2/v2.0/token`);
				assert.equal(r.grantType, 'client_credentials');
				// Graph's credential asks for the custom Graph root, Defender for Endpoint's for its own audience.
				assert.ok(
					[`${sim.url}/.default`, ENDPOINT_SCOPE].includes(String(r.scope)),
					`scope ${r.scope}`,
				);
				assert.equal(r.clientId, sim.clientId);
				assert.equal(
					r.headers.authorization,
					undefined,
					'client authenticated with a header, not the body',
				);
				assert.equal(r.status, 200);
			}
		},
	);
}

/**
 * The node, tool, trigger and credential types a started n8n serves its editor, and that every node
 * type the workflows use exists in the version they ask for.
 * @param {{ nodes: any[], credentials: any[] }} types @param {any[]} workflows @param {Check} check
 */
function checkLoadedTypes(types, workflows, check) {
	/** @param {string} name */
	const node = (name) => types.nodes.find((t) => t.name === name);
	// A versioned node type (n8n's own Code node, say) has one entry per version.
	/** @param {string} name @returns {number[]} */
	const versionsOf = (name) =>
		types.nodes.filter((t) => t.name === name).flatMap((t) => [t.version].flat());
	check('the node loads with one input and two outputs named Success and Error', () => {
		const type = node(DEFENDER_NODE);
		assert.ok(type, `${DEFENDER_NODE} not loaded`);
		assert.equal(type.displayName, 'Microsoft Defender XDR');
		assert.deepEqual(type.inputs, ['main']);
		assert.deepEqual(type.outputs, ['main', 'main']);
		assert.deepEqual(type.outputNames, ['Success', 'Error']);
		assert.deepEqual(
			type.credentials?.map((/** @type {any} */ c) => c.name),
			[CREDENTIAL_TYPE, ENDPOINT_CREDENTIAL_TYPE],
		);
	});
	check('its AI-tool variant exists (microsoftDefenderXdrTool, an ai_tool output)', () => {
		const tool = node(DEFENDER_TOOL);
		assert.ok(tool, `${DEFENDER_TOOL} not loaded`);
		assert.deepEqual(tool.outputs, ['ai_tool']);
	});
	check('the trigger loads as a polling trigger', () => {
		const trigger = node(DEFENDER_TRIGGER);
		assert.ok(trigger, `${DEFENDER_TRIGGER} not loaded`);
		assert.equal(trigger.polling, true);
		assert.deepEqual(trigger.outputs, ['main']);
	});
	check('the credential type loads, extends oAuth2Api and has its hidden OAuth fields', () => {
		const credential = types.credentials.find((c) => c.name === CREDENTIAL_TYPE);
		assert.ok(credential, `${CREDENTIAL_TYPE} not loaded`);
		assert.equal(credential.displayName, 'Microsoft Defender XDR OAuth2 API');
		assert.deepEqual(credential.extends, ['oAuth2Api']);
		const byName = Object.fromEntries(
			credential.properties.map((/** @type {any} */ p) => [p.name, p]),
		);
		for (const name of ['grantType', 'tenantId', 'cloud', 'customGraphUrl', 'customLoginUrl'])
			assert.ok(byName[name], `${name} missing`);
		for (const name of ['authUrl', 'accessTokenUrl', 'scope', 'authentication'])
			assert.equal(byName[name]?.type, 'hidden', `${name} not hidden`);
	});
	check(
		'every node the example and test workflows use exists in this n8n, in the version they use',
		() => {
			const missing = [];
			for (const workflow of workflows) {
				for (const n of workflow.nodes) {
					if (!versionsOf(n.type).includes(n.typeVersion))
						missing.push(`${workflow.name}: ${n.name} (${n.type} v${n.typeVersion})`);
				}
			}
			assert.deepEqual(missing, []);
		},
	);
}

module.exports = {
	scenarios,
	exampleScenarios,
	triggerScenarios,
	checkEveryRun,
	checkTokenRequests,
	isTokenRequest,
	checkLoadedTypes,
	itemsOf,
	taskIdOf,
	DEFENDER_NODE,
	CREDENTIAL_TYPE,
	ENDPOINT_CREDENTIAL_TYPE,
};
