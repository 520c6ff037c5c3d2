// @ts-check
/**
 * `npm run bench`: speed and memory of Execute Response Action in the n8n engine against the simulator.
 * Prints figures and checks them against the targets in the README; exits non-zero when one is missed.
 * Scenarios are bounded in count and time and talk only to the loopback simulator.
 */
const { startSimulator } = require('../simulator');
const { createEngine, defenderWorkflow, simulatorCredential } = require('../test/harness/n8n-engine');

const EXECUTABLE = ['collectInvestigationPackage', 'isolateDevice', 'unRestrictAppExecution', 'unIsolateDevice', 'restrictAppExecution', 'runAntiVirusScan', 'stopAndQuarantineFile', 'submitIocRule'];

const TARGETS = {
	throughputItemsPerSecond: 150, // 2 Graph requests per item (verify + execute), no network latency
	heapGrowthMbPer1000Items: 60,
	waitCpuPercent: 10, // of one core, while 100 items wait for completion: 30 polls/s served by the in-process simulator included
	latencyScenarioSeconds: 6, // 200 items, 100 ms per request, concurrency 16 (sequential would be 40 s)
};

/** Adds `count` fresh open tasks to the simulator and returns them as workflow input items. */
function freshTasks(sim, count, prefix) {
	return Array.from({ length: count }, (_, i) => {
		const actionType = EXECUTABLE[i % EXECUTABLE.length];
		const task = sim.addTask({ id: `${prefix}-${i}`, actionType });
		return { json: { id: task.id, actionType } };
	});
}

async function runScenario(engine, items, options) {
	const started = process.hrtime.bigint();
	const cpuBefore = process.cpuUsage();
	const parameters = { resource: 'incidentTask', operation: 'executeResponseAction', incidentTaskId: '={{ $json.id }}', actionType: '={{ $json.actionType }}', options };
	const result = await engine.runWorkflow(defenderWorkflow(parameters), { startItems: items });
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	const cpu = process.cpuUsage(cpuBefore);
	const [success = [], error = []] = result.outputs.Defender ?? [];
	return { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, success: success.length, error: error.length };
}

async function main() {
	const sim = await startSimulator({ actionDelayMs: 50 });
	const engine = createEngine({ credential: simulatorCredential(sim) });
	const results = [];
	const check = (name, value, target, better, unit) => {
		const ok = better === 'higher' ? value >= target : value <= target;
		results.push(ok);
		console.log(`${ok ? 'ok  ' : 'MISS'} ${name}: ${value.toFixed(2)} ${unit} (target ${better === 'higher' ? '>=' : '<='} ${target})`);
	};
	try {
		// Warm-up: token, JIT.
		await runScenario(engine, freshTasks(sim, 50, 'warm'), { concurrency: 16 });

		global.gc?.();
		const heapBefore = process.memoryUsage().heapUsed;
		const throughput = await runScenario(engine, freshTasks(sim, 2000, 'throughput'), { concurrency: 16 });
		global.gc?.();
		const heapAfter = process.memoryUsage().heapUsed;
		console.log(`2000 items, concurrency 16: ${throughput.seconds.toFixed(2)} s, ${throughput.success} Success / ${throughput.error} Error, peak RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`);
		if (throughput.success !== 2000) results.push(false);
		check('throughput', 2000 / throughput.seconds, TARGETS.throughputItemsPerSecond, 'higher', 'items/s');
		check('heap growth', ((heapAfter - heapBefore) / 2 ** 20) / 2, TARGETS.heapGrowthMbPer1000Items, 'lower', 'MB per 1000 items (run data included)');

		sim.configure({ latencyMs: 100 });
		const latency = await runScenario(engine, freshTasks(sim, 200, 'latency'), { concurrency: 16 });
		console.log(`200 items at 100 ms per request, concurrency 16: ${latency.seconds.toFixed(2)} s (${latency.success} Success)`);
		if (latency.success !== 200) results.push(false);
		check('latency scenario', latency.seconds, TARGETS.latencyScenarioSeconds, 'lower', 's');

		// The same 100 items once without and once with waiting: the difference is what waiting costs.
		sim.configure({ latencyMs: 0, actionDelayMs: 10_000 });
		const noWait = await runScenario(engine, freshTasks(sim, 100, 'nowait'), { concurrency: 16 });
		const waiting = await runScenario(engine, freshTasks(sim, 100, 'wait'), { concurrency: 16, waitForCompletion: true, pollInterval: 5, waitTimeout: 60 });
		const waitSeconds = waiting.seconds - noWait.seconds;
		const waitCpuSeconds = Math.max(0, waiting.cpuSeconds - noWait.cpuSeconds);
		console.log(`100 items waiting ~10 s for completion (poll every 5 s): ${waiting.seconds.toFixed(2)} s wall, of which ${waitSeconds.toFixed(2)} s waiting at ${waitCpuSeconds.toFixed(2)} s CPU, simulator included (${waiting.success} completed)`);
		if (waiting.success !== 100) results.push(false);
		check('CPU while waiting', (100 * waitCpuSeconds) / waitSeconds, TARGETS.waitCpuPercent, 'lower', '% of one core');

		sim.configure({ actionDelayMs: 50, rateLimit: { requests: 100, windowSeconds: 5 } });
		sim.clearLog();
		const throttled = await runScenario(engine, freshTasks(sim, 150, 'throttled'), { concurrency: 16, maxRetries: 8, maxRetryWait: 10 });
		const rejected = sim.requests.filter((r) => r.status === 429).length;
		console.log(`150 items against 100 requests / 5 s: ${throttled.seconds.toFixed(2)} s, ${throttled.success} Success / ${throttled.error} Error, ${rejected} answers were 429, ${sim.executions.length} executed`);
		results.push(throttled.success + throttled.error === 150 && sim.executions.length === throttled.success);
	} finally {
		engine.shutdown();
		await sim.stop();
	}
	const failed = results.filter((ok) => !ok).length;
	console.log(`${results.length - failed} passed, ${failed} failed`);
	process.exitCode = failed ? 1 : 0;
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
