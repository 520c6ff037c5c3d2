#!/usr/bin/env node
// @ts-check
'use strict';

// node simulator/cli.js [--port 0] [--latency 50] [--rate-limit 150] ... : runs the simulator until SIGINT/SIGTERM.

const { parseArgs } = require('node:util');
const { startSimulator, ENDPOINT_RATE_LIMITS, ENDPOINT_SCOPE } = require('./index');

const HELP = `Microsoft Defender XDR Graph and Defender for Endpoint API simulator

Usage: node simulator/cli.js [options]

  --port <n>                        listen port on 127.0.0.1 (default 0 = a free port)
  --latency <ms>                    delay added to every answer (default 0)
  --rate-limit <n>                  requests per app per window before 429 (default off)
  --rate-window <s>                 rate-limit window in seconds (default 60)
  --fault-503 <p>                   probability of 503 on any Graph request (default 0)
  --fault-504-after-execute <p>     probability executeResponseAction executes, then answers 504
  --fault-drop-before-execute <p>   probability executeResponseAction's connection drops before executing
  --fault-drop-after-execute <p>    probability it executes, then the connection drops
  --random-seed <n>                 seed the fault draws (replayable runs)
  --token-lifetime <s>              access token lifetime (default 3600)
  --action-delay <ms>               execute -> terminal actionStatus delay (default 300)
  --hunting-query <ms>              how long runHuntingQuery takes to answer (default 0)
  --action-start-lag <ms>           execute -> the task shows the action started; until then a second execute runs it again (default 0)
  --page-size <n>                   server page size when $top is absent or larger
  --endpoint-limits                 apply Microsoft's Defender for Endpoint limits on /api/ (100/min, 1,500/h, ...)
  --indicator-capacity <n>          indicators a tenant may hold (default 15000)
  --tenant <id>                     tenant shown in the token URL (any tenant is accepted)
  --client-id <id>                  app registration client ID
  --client-secret <secret>          app registration client secret
  --json                            print the connection details as one JSON line
  --verbose                         print one line per request
  --help                            this text
`;

/**
 * @param {string | undefined} value
 * @param {string} flag
 */
function number(value, flag) {
	if (value === undefined) return undefined;
	const parsed = Number(value);
	if (!Number.isFinite(parsed)) throw new Error(`${flag} needs a number, got '${value}'`);
	return parsed;
}

async function main() {
	const { values } = parseArgs({
		options: {
			port: { type: 'string' },
			latency: { type: 'string' },
			'rate-limit': { type: 'string' },
			'rate-window': { type: 'string' },
			'fault-503': { type: 'string' },
			'fault-504-after-execute': { type: 'string' },
			'fault-drop-before-execute': { type: 'string' },
			'fault-drop-after-execute': { type: 'string' },
			'random-seed': { type: 'string' },
			'token-lifetime': { type: 'string' },
			'action-delay': { type: 'string' },
			'hunting-query': { type: 'string' },
			'action-start-lag': { type: 'string' },
			'page-size': { type: 'string' },
			'endpoint-limits': { type: 'boolean', default: false },
			'indicator-capacity': { type: 'string' },
			tenant: { type: 'string' },
			'client-id': { type: 'string' },
			'client-secret': { type: 'string' },
			json: { type: 'boolean', default: false },
			verbose: { type: 'boolean', default: false },
			help: { type: 'boolean', default: false },
		},
	});
	if (values.help) {
		process.stdout.write(HELP);
		return;
	}
	const rateLimit = number(values['rate-limit'], '--rate-limit');
	/** @type {Parameters<typeof startSimulator>[0]} */
	const options = {
		port: number(values.port, '--port') ?? 0,
		latencyMs: number(values.latency, '--latency'),
		rateLimit:
			rateLimit === undefined
				? undefined
				: {
						requests: rateLimit,
						windowSeconds: number(values['rate-window'], '--rate-window') ?? 60,
					},
		faultRates: {
			status503: number(values['fault-503'], '--fault-503'),
			status504AfterExecute: number(values['fault-504-after-execute'], '--fault-504-after-execute'),
			dropBeforeExecute: number(values['fault-drop-before-execute'], '--fault-drop-before-execute'),
			dropAfterExecute: number(values['fault-drop-after-execute'], '--fault-drop-after-execute'),
		},
		randomSeed: number(values['random-seed'], '--random-seed'),
		tokenLifetimeSeconds: number(values['token-lifetime'], '--token-lifetime'),
		actionDelayMs: number(values['action-delay'], '--action-delay'),
		huntingQueryMs: number(values['hunting-query'], '--hunting-query'),
		actionStartLagMs: number(values['action-start-lag'], '--action-start-lag'),
		pageSize: number(values['page-size'], '--page-size'),
		endpointRateLimits: values['endpoint-limits'] ? ENDPOINT_RATE_LIMITS : undefined,
		indicatorCapacity: number(values['indicator-capacity'], '--indicator-capacity'),
		tenantId: values.tenant,
		clientId: values['client-id'],
		clientSecret: values['client-secret'],
		onRequest: values.verbose
			? (entry) =>
					process.stdout.write(
						`${entry.at} ${entry.method} ${entry.path} -> ${entry.status || entry.fault}${entry.fault ? ` (${entry.fault})` : ''} ${entry.durationMs}ms\n`,
					)
			: undefined,
	};
	const simulator = await startSimulator(withoutUndefined(options));
	const details = {
		url: simulator.url,
		port: simulator.port,
		tokenUrl: simulator.tokenUrl,
		tenantId: simulator.tenantId,
		clientId: simulator.clientId,
		clientSecret: simulator.clientSecret,
	};
	if (values.json) {
		process.stdout.write(`${JSON.stringify(details)}\n`);
	} else {
		process.stdout.write(
			[
				'Microsoft Defender XDR Graph and Defender for Endpoint API simulator',
				`  url            ${details.url}`,
				`  token url      ${details.tokenUrl}`,
				`  tenant         ${details.tenantId}`,
				`  client id      ${details.clientId}`,
				`  client secret  ${details.clientSecret}`,
				'  n8n credential Microsoft Defender XDR OAuth2 API: cloud = custom,',
				`                 customGraphUrl = customLoginUrl = ${details.url}`,
				'  n8n credential Microsoft Defender for Endpoint OAuth2 API: cloud = custom,',
				`                 customApiUrl = customLoginUrl = ${details.url}`,
				`                 (token scope ${ENDPOINT_SCOPE})`,
				'Press Ctrl+C to stop.',
				'',
			].join('\n'),
		);
	}
	const shutdown = () => {
		simulator.stop().then(() => process.exit(0));
	};
	process.once('SIGINT', shutdown);
	process.once('SIGTERM', shutdown);
}

/**
 * Drops undefined options (and empty faultRates entries) so the simulator keeps its defaults.
 * @template {Record<string, any>} T
 * @param {T} options
 * @returns {T}
 */
function withoutUndefined(options) {
	/** @type {Record<string, any>} */
	const copy = {};
	for (const [key, value] of Object.entries(options)) {
		if (value === undefined) continue;
		copy[key] =
			value && typeof value === 'object' && !Array.isArray(value) && key === 'faultRates'
				? withoutUndefined(value)
				: value;
	}
	return /** @type {T} */ (copy);
}

main().catch((error) => {
	process.stderr.write(`simulator: ${error instanceof Error ? error.message : String(error)}\n`);
	process.exit(1);
});
