// @ts-check
'use strict';

// Everything that can go wrong at the token endpoint: each fails the execution's items at once, honestly
// (nothing ran), after one token request, within the request timeout, and leaves nothing behind for the next run.

const { addTasks } = require('./defects');
const { executeParameters, tally } = require('./common');

const REQUEST_TIMEOUT_SECONDS = 3;

/** @type {Array<{ fault: 'hang' | '500' | 'garbage' | 'html' | 'noAccessToken' | 'wrongSecret', what: string }>} */
const TOKEN_FAULTS = [
	{ fault: '500', what: 'answers 500' },
	{ fault: 'garbage', what: 'answers garbage' },
	{ fault: 'html', what: 'answers an HTML page' },
	{ fault: 'hang', what: 'never answers' },
	{ fault: 'noAccessToken', what: 'answers 200 without access_token' },
	{ fault: 'wrongSecret', what: 'refuses the secret (401 invalid_client)' },
];

/**
 * @param {{ check: (name: string, body: (check: any) => Promise<void>, options?: { timeoutMs?: number }) => void }} suite
 * @param {import('../world').FaultWorld} world
 */
module.exports = (suite, world) => {
	const { sim, proxy } = world;
	for (const { fault, what } of TOKEN_FAULTS) {
		suite.check(
			`token endpoint ${what}: 20 items fail at once as tokenRequestFailed (executed: no) after one token request, and the next execution runs`,
			async (check) => {
				const items = addTasks(sim, 21, `token-${fault}`);
				proxy.inject({ route: 'token', fault, times: 100 });
				const run = await world.runNode(
					executeParameters({ requestTimeout: REQUEST_TIMEOUT_SECONDS, concurrency: 4 }),
					items.slice(0, 20),
					{ timeoutMs: 30_000 },
				);
				const tokenRequests = world.tokenRequestsAtProxy().length;
				world.unstick();
				const byCode = tally(run.error, (item) => `${item.error?.code}/${item.error?.executed}`);
				check.expect(
					!run.timedOut && run.durationMs <= REQUEST_TIMEOUT_SECONDS * 1000 + 3000,
					`the run ended after ${(run.durationMs / 1000).toFixed(1)} s${run.timedOut ? ' (abandoned)' : ''}; the request timeout is ${REQUEST_TIMEOUT_SECONDS} s (allowed: 3 s more)`,
				);
				check.expect(run.status !== 'canceled', 'the run only ended because it was stopped');
				check.expect(
					run.error.length === 20 && byCode['tokenRequestFailed/no'] === 20,
					`items: ${JSON.stringify(byCode)}, success ${run.success.length}; expected 20 tokenRequestFailed/no`,
				);
				check.expect(tokenRequests === 1, `${tokenRequests} token requests for 20 items`);
				check.expect(
					world.postsReachingSimulator().size === 0,
					'a POST reached Graph without a token',
				);
				const message = String(run.error[0]?.error?.message ?? '');
				check.expect(
					/token/i.test(message) && /credential/i.test(message),
					`the message does not say the token request failed and what to check: ${message.slice(0, 300)}`,
				);

				const next = await world.runNode(
					executeParameters({ requestTimeout: REQUEST_TIMEOUT_SECONDS }),
					items.slice(20),
					{ timeoutMs: 30_000 },
				);
				check.expect(
					next.success.length === 1 && next.success[0].outcome === 'executed',
					`the next execution, endpoint healthy again: ${JSON.stringify(next.error[0]?.error ?? next.nodeError ?? next.runError ?? {})}`,
				);
				check.figure(
					'run',
					`${(run.durationMs / 1000).toFixed(1)} s, ${tokenRequests} token request(s), items ${JSON.stringify(byCode)}`,
				);
				check.figure('message', message.slice(0, 200));
			},
			{ timeoutMs: 90_000 },
		);
	}
};
