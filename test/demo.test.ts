import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

describe('npm run demo', () => {
	it('runs the example workflow and prints items on both outputs, every item accounted for', async () => {
		const { stdout, stderr } = await run(process.execPath, [path.join(__dirname, '..', 'scripts', 'demo.js')], { timeout: 60_000 });

		const rows = stdout.split('\n').filter((line) => /^task-\S+\s+\w+\s+(Success|Error)\s/.test(line));
		const listed = Number(/listed (\d+) open executable tasks/.exec(stdout)?.[1]);
		expect(rows.length).toBe(listed);
		expect(rows.filter((row) => /\sSuccess\s+executed \(HTTP 204/.test(row)).length).toBe(listed - 1);
		expect(rows.filter((row) => /^task-ioc-open-001\s.*\sError\s+Forbidden \(executed: no\)/.test(row))).toHaveLength(1);
		expect(stdout).toContain(`${listed} items in, ${listed} items out; the simulator ran ${listed - 1} response actions`);
		expect(stderr).toBe('');
	});
});
