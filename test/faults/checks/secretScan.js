// @ts-check
'use strict';

// Last check: the client secret and every token the simulator issued must appear nowhere in what the node
// returned or said during the whole suite (output items, node errors, log lines, anything printed).

/**
 * @param {{ check: (name: string, body: (check: any) => Promise<void>, options?: { timeoutMs?: number }) => void }} suite
 * @param {import('../world').FaultWorld} world
 */
module.exports = (suite, world) => {
	suite.check(
		'secret scan: no client secret and no issued token in any output item, message or log line of the suite',
		async (check) => {
			const { clientSecret, tokens } = world.secrets();
			const logLines = world.engine.logs.map((entry) => entry.message);
			const everything = [...world.transcript, ...logLines].join('\n');
			check.expect(
				tokens.length > 0,
				'no token was issued during the suite: the scan would prove nothing',
			);
			check.expect(everything.length > 0, 'nothing was collected to scan');
			check.expect(
				!everything.includes(clientSecret),
				'the client secret appears in an output item, message or log line',
			);
			const leaked = tokens.filter((token) => everything.includes(token));
			check.expect(
				leaked.length === 0,
				`${leaked.length} of ${tokens.length} issued tokens appear in an output item, message or log line`,
			);
			check.expect(
				!/Bearer\s+[A-Za-z0-9\-._~+/]{20,}/.test(everything),
				'an Authorization value ("Bearer ...") appears',
			);
			check.figure('scanned', {
				outputsAndMessages: world.transcript.length,
				logLines: logLines.length,
				characters: everything.length,
				tokensIssued: tokens.length,
			});
		},
	);
};
