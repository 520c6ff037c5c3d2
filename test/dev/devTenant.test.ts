import { readFileSync } from 'node:fs';
import path from 'node:path';

import { startSimulator, type RequestLogEntry, type Simulator } from '../../simulator';
import { simulatorCredential } from '../../simulator/credential';
import { createEngine } from '../harness/n8n-engine';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { keepTenantAlive, REFUSED_TASK_ID } = require('../../scripts/dev-tenant');

const example = JSON.parse(
	readFileSync(path.join(__dirname, '../../examples/execute-pending-tasks.json'), 'utf8'),
);

describe('the dev tenant (npm run dev)', () => {
	let sim: Simulator;
	let tenant: { onRequest: (entry: RequestLogEntry) => void };
	const arrivals: string[] = [];

	beforeAll(async () => {
		sim = await startSimulator({
			actionDelayMs: 20,
			onRequest: (entry) => tenant?.onRequest(entry),
		});
		tenant = keepTenantAlive(sim, { log: (text: string) => arrivals.push(text) });
	});
	afterAll(async () => {
		await sim.stop();
	});

	it('gives every run of the example open tasks on Success and the refused task on Error', async () => {
		const engine = createEngine({ credential: simulatorCredential(sim) });
		try {
			const executedPerRun: number[] = [];
			for (let run = 1; run <= 3; run++) {
				const result = await engine.runWorkflow(example);
				const [success, error] = result.outputs['Execute response action'];

				expect(success.length).toBeGreaterThan(0);
				expect(success.every((item: any) => item.json.outcome === 'executed')).toBe(true);
				expect(
					error.map((item: any) => [
						item.json.incidentTaskId,
						item.json.error.statusCode,
						item.json.error.executed,
					]),
				).toEqual([[REFUSED_TASK_ID, 403, 'no']]);
				expect(result.outputs.Executed[0]).toHaveLength(success.length);
				expect(result.outputs['Needs attention'][0]).toHaveLength(1);
				executedPerRun.push(success.length);
			}
			// One new task per executed one: the tenant neither runs dry nor grows.
			expect(new Set(executedPerRun).size).toBe(1);
			expect(arrivals).toHaveLength(executedPerRun[0] * 3);
			expect(sim.getTask(REFUSED_TASK_ID)).toMatchObject({
				status: 'open',
				actionStatus: 'notStarted',
			});
		} finally {
			engine.shutdown();
		}
	});
});
