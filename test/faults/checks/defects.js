// @ts-check
'use strict';

// The ten defects found by probing the node as an attacker and a bad network would, each replayed with the
// scenario it was found with. A check passes when the defect is gone.

const { itemAccounting, sleep, EXECUTABLE_ACTION_TYPES } = require('../world');
const { executeParameters, tally, verdicts, tasksHitBy } = require('./common');

/**
 * Adds `count` open, notStarted tasks with executable action types; returns the input items that address them.
 * @param {import('../world').FaultWorld['sim']} sim
 * @param {number} count
 * @param {string} prefix
 */
function addTasks(sim, count, prefix) {
	const items = [];
	for (let n = 0; n < count; n++) {
		const id = `${prefix}-${String(n).padStart(4, '0')}`;
		const actionType = EXECUTABLE_ACTION_TYPES[n % EXECUTABLE_ACTION_TYPES.length];
		sim.addTask({ id, actionType });
		items.push({ id, actionType });
	}
	return items;
}

/**
 * The output item of each input item, by task ID.
 * @param {{ success: any[], error: any[], successPairs: number[], errorPairs: number[] }} run
 * @param {Array<{ id: string }>} items
 */
function outputsByTask(run, items) {
	/** @type {Map<string, { output: 'success' | 'error', json: any }>} */
	const byTask = new Map();
	run.success.forEach((json, index) =>
		byTask.set(items[run.successPairs[index]]?.id, { output: 'success', json }),
	);
	run.error.forEach((json, index) =>
		byTask.set(items[run.errorPairs[index]]?.id, { output: 'error', json }),
	);
	return byTask;
}

/** @param {{ output: 'success' | 'error', json: any } | undefined} out */
const describeOutput = (out) =>
	out === undefined
		? 'no output'
		: out.output === 'success'
			? `Success/${out.json.outcome}${out.json.note ? '+note' : ''}`
			: `Error/${out.json.error?.code}/executed:${out.json.error?.executed}`;

const TOKEN_FAILED = (/** @type {any} */ item) =>
	item.error?.code === 'tokenRequestFailed' && item.error?.executed === 'no';

/**
 * @param {{ check: (name: string, body: (check: any) => Promise<void>, options?: { timeoutMs?: number }) => void }} suite
 * @param {import('../world').FaultWorld} world
 */
module.exports = (suite, world) => {
	const { sim, proxy } = world;

	suite.check(
		'defect 1: a POST answered 503 after the action ran is not sent again, and the item says it ran (200 tasks, 30% of POSTs)',
		async (check) => {
			const items = addTasks(sim, 200, 'd1');
			proxy.configure({ rates: [{ route: 'execute', fault: '503AfterForward', rate: 0.3 }] });
			const run = await world.runNode(executeParameters({ concurrency: 16 }), items, {
				timeoutMs: 150_000,
			});
			proxy.configure({ rates: [] });
			await proxy.idle();
			for (const problem of itemAccounting(run, items.length)) check.expect(false, problem);
			const truth = verdicts(world, run, items);
			for (const problem of truth.problems) check.expect(false, problem);
			const hit = tasksHitBy(world, ['503AfterForward']);
			const outputs = outputsByTask(run, items);
			const hitOutcomes = tally([...hit], (taskId) => describeOutput(outputs.get(taskId)));
			const notOnSuccess = [...hit].filter((taskId) => outputs.get(taskId)?.output !== 'success');
			check.expect(hit.size > 0, 'no POST got a 503 after forwarding: the scenario did not happen');
			check.expect(
				notOnSuccess.length === 0,
				`${notOnSuccess.length} of ${hit.size} tasks whose POST ran but was answered 503 are not on Success (Verify Task re-reads the task and sees it ran)`,
			);
			check.figure('POSTs answered 503 after running', hit.size);
			check.figure('their items', hitOutcomes);
			check.figure('simulator', truth.figures);
		},
		{ timeoutMs: 180_000 },
	);

	// Graph's refusal of a POST for an action that an earlier run executed: this item's request ran nothing, so it is
	// an Error with executed: no, and Graph's message says why. (A refusal of this run's own re-send is Success.)
	suite.check(
		`defect 1: a POST Graph refuses because an earlier run executed the action is not counted as this item's execution (Verify Task off)`,
		async (check) => {
			const items = addTasks(sim, 4, 'd1b');
			const first = await world.runNode(executeParameters({ verifyTask: false }), items, {
				timeoutMs: 30_000,
			});
			check.expect(
				first.success.length === 4,
				`the first run executed ${first.success.length} of 4`,
			);
			const again = await world.runNode(executeParameters({ verifyTask: false }), items, {
				timeoutMs: 30_000,
			});
			const explained = again.error.filter(
				(item) =>
					item.error?.executed === 'no' && /already been executed/.test(item.error?.message ?? ''),
			);
			check.expect(
				explained.length === 4,
				`${explained.length} of 4 items of the second run are on Error with executed: no and Graph's "already executed" message: ${JSON.stringify(again.error[0]?.error ?? again.success[0] ?? {})}`,
			);
			check.expect(
				world.executionsPerTask().size === 4 &&
					[...world.executionsPerTask().values()].every((n) => n === 1),
				'each action ran once',
			);
			check.figure('second run', {
				success: tally(again.success, (item) => `${item.outcome}${item.note ? '+note' : ''}`),
				error: tally(again.error, (item) => `${item.error?.code}/${item.error?.executed}`),
			});
		},
	);

	suite.check(
		'defect 1: On Unknown Outcome "fail" fails the item with executed: unknown and sends nothing again (20 tasks, every POST 503 after running)',
		async (check) => {
			const items = addTasks(sim, 20, 'd1c');
			proxy.configure({ rates: [{ route: 'execute', fault: '503AfterForward', rate: 1 }] });
			const run = await world.runNode(
				executeParameters({ concurrency: 10, onUnknownOutcome: 'fail' }),
				items,
				{ timeoutMs: 60_000 },
			);
			proxy.configure({ rates: [] });
			for (const problem of verdicts(world, run, items).problems) check.expect(false, problem);
			const unknown = run.error.filter((item) => item.error?.executed === 'unknown');
			check.expect(
				unknown.length === 20,
				`${unknown.length} of 20 items on Error with executed: unknown (outputs: ${JSON.stringify(tally([...outputsByTask(run, items).values()], describeOutput))})`,
			);
			check.expect(world.postsReachingSimulator().size === 20, 'every task got exactly one POST');
		},
	);

	suite.check(
		'defect 1: without Verify Task an open outcome fails the item with executed: unknown and nothing is sent again (20 tasks)',
		async (check) => {
			const items = addTasks(sim, 20, 'd1d');
			proxy.configure({ rates: [{ route: 'execute', fault: '503AfterForward', rate: 1 }] });
			const run = await world.runNode(
				executeParameters({ concurrency: 10, verifyTask: false }),
				items,
				{ timeoutMs: 60_000 },
			);
			proxy.configure({ rates: [] });
			for (const problem of verdicts(world, run, items).problems) check.expect(false, problem);
			const unknown = run.error.filter((item) => item.error?.executed === 'unknown');
			check.expect(
				unknown.length === 20,
				`${unknown.length} of 20 items on Error with executed: unknown (outputs: ${JSON.stringify(tally([...outputsByTask(run, items).values()], describeOutput))})`,
			);
		},
	);

	suite.check(
		'defect 2: a POST that is only slow is sent once (request timeout 2 s, POST takes 6 s to reach Graph, 20 tasks)',
		async (check) => {
			const items = addTasks(sim, 20, 'd2');
			proxy.configure({
				rates: [{ route: 'execute', fault: 'delayBeforeForward', delayMs: 6000, rate: 1 }],
			});
			const run = await world.runNode(
				executeParameters({ concurrency: 10, requestTimeout: 2 }),
				items,
				{ timeoutMs: 120_000 },
			);
			proxy.configure({ rates: [] });
			check.expect(
				await proxy.idle(20_000),
				'delayed POSTs were still on their way 20 s after the run',
			);
			for (const problem of itemAccounting(run, items.length)) check.expect(false, problem);
			const truth = verdicts(world, run, items);
			for (const problem of truth.problems) check.expect(false, problem);
			const posts = world.postsReachingSimulator();
			const once = items.filter((item) => posts.get(item.id) === 1).length;
			check.expect(once === 20, `${once} of 20 tasks got exactly one POST to Graph`);
			check.figure('items', tally([...outputsByTask(run, items).values()], describeOutput));
			check.figure('simulator', truth.figures);
			check.figure('run', `${(run.durationMs / 1000).toFixed(1)} s`);
		},
		{ timeoutMs: 180_000 },
	);

	suite.check(
		'defect 3: a token endpoint that never answers fails the items as tokenRequestFailed within the request timeout (5 s)',
		async (check) => {
			const items = addTasks(sim, 3, 'd3');
			proxy.inject({ route: 'token', fault: 'hang', times: 50 });
			const run = await world.runNode(executeParameters({ requestTimeout: 5 }), items, {
				timeoutMs: 40_000,
			});
			world.unstick();
			check.expect(
				!run.timedOut && run.durationMs <= 8000,
				`the run ended after ${(run.durationMs / 1000).toFixed(1)} s${run.timedOut ? ' (it had to be abandoned)' : ''}; expected within the 5 s request timeout (plus 3 s)`,
			);
			check.expect(run.status !== 'canceled', 'the run only ended because it was stopped');
			check.expect(
				run.error.length === 3 && run.error.every(TOKEN_FAILED),
				`items: ${JSON.stringify(tally(run.error, (item) => `${item.error?.code}/${item.error?.executed}`))}, success ${run.success.length}; expected 3 tokenRequestFailed/no`,
			);
			check.expect(
				world.tokenRequestsAtProxy().length <= 1,
				`${world.tokenRequestsAtProxy().length} token requests for one execution`,
			);
			check.figure('run', `${(run.durationMs / 1000).toFixed(1)} s, status ${run.status}`);
		},
	);

	suite.check(
		'defect 3: stopping the execution ends a hanging token request at once',
		async (check) => {
			const items = addTasks(sim, 3, 'd3b');
			proxy.inject({ route: 'token', fault: 'hang', times: 50 });
			const run = await world.runNode(executeParameters({ requestTimeout: 60 }), items, {
				cancelAfterMs: 1500,
				timeoutMs: 20_000,
			});
			world.unstick();
			check.expect(
				!run.timedOut && run.durationMs <= 5000,
				`stopped after 1.5 s, the run ended after ${(run.durationMs / 1000).toFixed(1)} s${run.timedOut ? ' (it never ended and was abandoned)' : ''}`,
			);
			check.figure('run', `${(run.durationMs / 1000).toFixed(1)} s, status ${run.status}`);
		},
	);

	suite.check(
		'defect 4: trigger: one task dated an hour ahead does not hide the tasks created after it (1 + 523 tasks over 10 polls)',
		async (check) => {
			const trigger = world.trigger({ event: 'newIncidentTask' });
			const activation = await trigger.poll();
			check.expect(
				!activation.failed && activation.ids.length === 0,
				`activation: ${activation.failed ?? activation.ids.length}`,
			);
			const added = ['d4-an-hour-ahead'];
			sim.addTask({
				id: 'd4-an-hour-ahead',
				actionType: 'isolateDevice',
				createdDateTime: new Date(Date.now() + 3_600_000).toISOString(),
			});
			/** @type {string[]} */
			const emitted = [];
			for (let poll = 0; poll < 10; poll++) {
				const count = poll < 9 ? 52 : 55;
				for (let n = 0; n < count; n++) {
					const id = `d4-p${poll}-${n}`;
					sim.addTask({
						id,
						actionType: EXECUTABLE_ACTION_TYPES[n % EXECUTABLE_ACTION_TYPES.length],
					});
					added.push(id);
				}
				const result = await trigger.poll();
				check.expect(!result.failed, `poll ${poll + 1} failed: ${result.failed}`);
				emitted.push(...result.ids);
			}
			emitted.push(...(await trigger.poll()).ids);
			const emittedSet = new Set(emitted);
			const lost = added.filter((id) => !emittedSet.has(id));
			check.expect(lost.length === 0, `${lost.length} of ${added.length} tasks never emitted`);
			check.expect(
				emitted.length === emittedSet.size,
				`${emitted.length - emittedSet.size} tasks emitted twice`,
			);
			check.figure('tasks', { added: added.length, emitted: emitted.length, lost: lost.length });
		},
		{ timeoutMs: 120_000 },
	);

	suite.check(
		'defect 5: token endpoint 500, garbage or HTML is a token failure (tokenRequestFailed, executed: no), with Verify Task off too',
		async (check) => {
			for (const fault of /** @type {const} */ (['500', 'garbage', 'html'])) {
				for (const verifyTask of [true, false]) {
					await world.reset();
					world.useCredential();
					const items = addTasks(sim, 2, `d5-${fault}`);
					proxy.inject({ route: 'token', fault, times: 20 });
					const run = await world.runNode(
						executeParameters({ verifyTask, requestTimeout: 5 }),
						items,
						{ timeoutMs: 40_000 },
					);
					const seen = JSON.stringify(
						tally(run.error, (item) => `${item.error?.code}/${item.error?.executed}`),
					);
					check.expect(
						run.error.length === 2 && run.error.every(TOKEN_FAILED),
						`token ${fault}, Verify Task ${verifyTask ? 'on' : 'off'}: ${seen}, success ${run.success.length}; expected 2 tokenRequestFailed/no`,
					);
					check.expect(
						world.graphRequestsAtProxy().length === 0 || world.postsReachingSimulator().size === 0,
						`token ${fault}: a POST reached Graph`,
					);
					check.figure(`token ${fault}, Verify Task ${verifyTask ? 'on' : 'off'}`, seen);
				}
			}
		},
	);

	suite.check(
		'defect 6: a wrong client secret costs one token request, not one per item (50 items)',
		async (check) => {
			world.useCredential({ clientSecret: 'not-the-secret-of-this-app' });
			const items = addTasks(sim, 50, 'd6');
			const run = await world.runNode(executeParameters({ requestTimeout: 5 }), items, {
				timeoutMs: 60_000,
			});
			const tokenRequests = world.tokenRequestsAtProxy().length;
			check.expect(tokenRequests === 1, `${tokenRequests} token requests for 50 items`);
			check.expect(
				run.error.length === 50 && run.error.every(TOKEN_FAILED),
				`items: ${JSON.stringify(tally(run.error, (item) => `${item.error?.code}/${item.error?.executed}`))}, success ${run.success.length}`,
			);
			check.expect(
				/secret/i.test(String(run.error[0]?.error?.message)),
				`the message does not point at the secret: ${run.error[0]?.error?.message}`,
			);
			check.figure('token requests', tokenRequests);
		},
	);

	suite.check(
		'defect 7: a token answer without access_token does not poison the credential: the next execution gets a token and runs',
		async (check) => {
			const items = addTasks(sim, 2, 'd7');
			proxy.inject({ route: 'token', fault: 'noAccessToken', times: 1 });
			const broken = await world.runNode(
				executeParameters({ requestTimeout: 5 }),
				items.slice(0, 1),
				{ timeoutMs: 40_000 },
			);
			check.expect(
				broken.error.length === 1 && broken.error.every(TOKEN_FAILED),
				`first run: ${JSON.stringify(broken.error[0]?.error ?? broken.success[0] ?? broken.nodeError)}; expected tokenRequestFailed/no`,
			);
			const tokensBefore = world.tokenRequestsAtProxy().length;
			const healthy = await world.runNode(
				executeParameters({ requestTimeout: 5 }),
				items.slice(1),
				{ timeoutMs: 40_000 },
			);
			check.expect(
				healthy.success.length === 1 && healthy.success[0].outcome === 'executed',
				`the next execution: ${JSON.stringify(healthy.error[0]?.error ?? healthy.nodeError ?? {})}`,
			);
			check.expect(
				world.tokenRequestsAtProxy().length > tokensBefore,
				'the next execution did not ask for a token',
			);
		},
	);

	suite.check(
		'defect 8: a second 429 while requests wake from a first pause holds them all (Retry-After 1 s, then 3 s)',
		async (check) => {
			const items = addTasks(sim, 200, 'd8');
			const graphArrivals = () => world.graphRequestsAtProxy().length;
			/** When the node read a 429 answer: the log line it writes for it (the same step that starts the pause). */
			const readAt = (
				/** @type {import('../../../simulator/faultProxy').ProxyLogEntry} */ entry,
			) => {
				const answeredAt = entry.at + (entry.durationMs ?? 0);
				const lines = world.timedLogs.filter(
					(line) => line.at >= answeredAt && /\b429\b/.test(line.message),
				);
				return (
					lines.find((line) => entry.taskId !== undefined && line.message.includes(entry.taskId)) ??
					lines[0]
				)?.at;
			};
			const firstPause = () => proxy.requests.find((entry) => entry.fault === '429');
			proxy.inject({
				route: ['getTask', 'execute'],
				fault: '429',
				retryAfterSeconds: 1,
				when: () => graphArrivals() >= 40,
			});
			// The second one hits the first request that arrives once the first pause is over, while the others are waking.
			proxy.inject({
				route: ['getTask', 'execute'],
				fault: '429',
				retryAfterSeconds: 3,
				when: () => {
					const first = firstPause();
					const read = first && readAt(first);
					return read !== undefined && Date.now() >= read + 1000;
				},
			});
			const run = await world.runNode(executeParameters({ concurrency: 16 }), items, {
				timeoutMs: 90_000,
			});
			for (const problem of itemAccounting(run, items.length)) check.expect(false, problem);
			const throttled = proxy.requests.filter((entry) => entry.fault === '429');
			check.expect(throttled.length === 2, `${throttled.length} of 2 scripted 429s were answered`);
			// A request counts from when the node started it (n8n reads the credential first), and only once the node
			// had read the 429: one already on its way through n8n cannot know of it.
			const graphRequests = world.graphRequestsAtProxy().length;
			check.expect(
				world.credentialReads.length >= graphRequests * 0.9,
				`only ${world.credentialReads.length} credential reads for ${graphRequests} requests: request starts cannot be told`,
			);
			for (const entry of throttled) {
				const answeredAt = entry.at + (entry.durationMs ?? 0);
				const read = readAt(entry);
				const from = read ?? answeredAt + 300;
				const until = answeredAt + Number(entry.retryAfter) * 1000;
				const started = world.credentialReads.filter((at) => at > from && at < until);
				const arrived = world
					.graphRequestsAtProxy()
					.filter((request) => request.at > answeredAt && request.at < until);
				check.expect(
					started.length === 0,
					`${started.length} requests started inside the ${entry.retryAfter} s Retry-After of a 429, after the node had read it; ${arrived.length} reached the proxy in that time`,
				);
				check.figure(`${entry.retryAfter} s Retry-After`, {
					startedAfterTheNodeReadIt: started.length,
					arrivedAfterItWasAnswered: arrived.length,
					nodeReadItAfterMs: read === undefined ? 'no log line; 300 ms grace' : read - answeredAt,
				});
			}
			check.figure('items', { success: run.success.length, error: run.error.length });
		},
	);

	suite.check(
		'defect 9: messages name their field, are bounded, and Executable Only "false" means false',
		async (check) => {
			// a. A task ID that is not a string.
			const notStrings = [
				{ id: 12345 },
				{ id: { id: 'task-isolate-open-001' } },
				{ id: true },
				{ id: ['task-isolate-open-001'] },
			];
			for (const operation of ['executeResponseAction', 'get']) {
				const parameters =
					operation === 'get'
						? { resource: 'incidentTask', operation, incidentTaskId: '={{ $json.id }}' }
						: executeParameters();
				const run = await world.runNode(
					parameters,
					notStrings.map((item) => ({ ...item, actionType: 'isolateDevice' })),
					{ timeoutMs: 30_000 },
				);
				const messages = run.error.map((item) => String(item.error?.message));
				const wrong = messages.filter(
					(message) =>
						!/not (a string|text)/i.test(message) ||
						/empty/i.test(message) ||
						!/incident task ID/i.test(message),
				);
				check.expect(
					run.error.length === 4 && wrong.length === 0,
					`${operation}, a task ID that is not a string: ${JSON.stringify(wrong[0] ?? `${run.error.length} of 4 on Error`)}`,
				);
			}
			check.expect(
				world.graphRequestsAtProxy().length === 0,
				`${world.graphRequestsAtProxy().length} requests sent for task IDs that are not strings`,
			);

			// b. A bad Get Many limit names the limit, not the task ID.
			const limits = [{ limit: 0 }, { limit: -5 }, { limit: 'ten' }];
			const limitRun = await world.runNode(
				{
					resource: 'incidentTask',
					operation: 'getMany',
					returnAll: false,
					limit: '={{ $json.limit }}',
				},
				limits,
				{ timeoutMs: 30_000 },
			);
			const limitMessages = limitRun.error.map((item) => String(item.error?.message ?? ''));
			const limitWrong = limitMessages.filter(
				(message) => !/limit/i.test(message) || /task ID/i.test(message),
			);
			check.expect(
				limitRun.error.length === 3 && limitWrong.length === 0,
				`Get Many with limits 0, -5, "ten": ${limitRun.error.length} of 3 on Error; ${JSON.stringify(limitWrong[0] ?? limitRun.nodeError ?? '')}`,
			);

			// c. A 100 KB status is not echoed in full, and the message names the field.
			const huge = 'x'.repeat(100_000);
			const update = await world.runNode(
				{
					resource: 'incidentTask',
					operation: 'update',
					incidentTaskId: 'task-isolate-open-001',
					status: '={{ $json.status }}',
				},
				[{ status: huge }],
				{ timeoutMs: 30_000 },
			);
			const filter = await world.runNode(
				{
					resource: 'incidentTask',
					operation: 'getMany',
					returnAll: true,
					filters: { status: '={{ $json.status }}' },
				},
				[{ status: huge }],
				{ timeoutMs: 30_000 },
			);
			for (const [name, run] of /** @type {const} */ ([
				['Update status', update],
				['Get Many status filter', filter],
			])) {
				const message = String(run.error[0]?.error?.message ?? '');
				check.expect(
					run.error.length === 1 && message.length <= 1000 && /status/i.test(message),
					`${name} of 100 KB: message of ${message.length} characters${/status/i.test(message) ? '' : ' that does not name the status'}`,
				);
				check.figure(`${name} of 100 KB, message length`, message.length);
			}

			// d. Executable Only given as the string "false".
			const listed = async (/** @type {unknown} */ executableOnly) => {
				const run = await world.runNode(
					{
						resource: 'incidentTask',
						operation: 'getMany',
						returnAll: true,
						filters: { executableOnly: '={{ $json.flag }}' },
					},
					[{ flag: executableOnly }],
					{ timeoutMs: 30_000 },
				);
				return run.success.length;
			};
			const asFalse = await listed(false);
			const asString = await listed('false');
			const asTrue = await listed(true);
			check.expect(
				asString === asFalse && asFalse > asTrue,
				`Get Many, Executable Only: false lists ${asFalse} tasks, "false" lists ${asString}, true lists ${asTrue}`,
			);
			check.figure('Get Many, Executable Only false / "false" / true', [asFalse, asString, asTrue]);
			// The trigger's Executable Only, given by an expression as "false", triggers on a task it cannot execute.
			const trigger = world.trigger({ event: 'newIncidentTask', executableOnly: '={{ "false" }}' });
			await trigger.poll();
			sim.addTask({ id: 'd9-text-task', actionType: 'text' });
			const emitted = await trigger.poll();
			check.expect(
				emitted.ids.includes('d9-text-task'),
				`trigger, Executable Only "false": a new text task was not emitted (${emitted.failed ?? JSON.stringify(emitted.ids)})`,
			);
		},
	);

	suite.check(
		'defect 10: one loopback rule: http://LOCALHOST:port and http://127.1:port either both work or are refused at once, never a blocked login',
		async (check) => {
			for (const host of ['LOCALHOST', '127.1']) {
				await world.reset();
				const root = `http://${host}:${proxy.port}`;
				world.useCredential({ customGraphUrl: root, customLoginUrl: root });
				const items = addTasks(sim, 1, `d10-${host.replace('.', '-')}`);
				const run = await world.runNode(executeParameters({ requestTimeout: 10 }), items, {
					timeoutMs: 40_000,
				});
				const text = `${JSON.stringify(run.error)} ${run.nodeError ?? ''} ${run.runError ?? ''}`;
				const worked = run.success.length === 1 && run.success[0].outcome === 'executed';
				const refused = /Custom (Graph|Login) URL/i.test(text);
				check.expect(
					worked || refused,
					`${root}: neither executed nor refused with a message about the custom URL: ${text.slice(0, 300)}`,
				);
				check.expect(!/dropped the connection/i.test(text), `${root}: "dropped the connection"`);
				check.expect(
					run.durationMs < 5000,
					`${root}: took ${(run.durationMs / 1000).toFixed(1)} s`,
				);
				check.figure(
					root,
					`${worked ? 'executed' : refused ? 'refused' : 'other'} in ${(run.durationMs / 1000).toFixed(1)} s`,
				);
			}
			await sleep(0);
		},
	);
};

module.exports.addTasks = addTasks;
