import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

describe('npm run demo', () => {
	it('runs the example workflow and prints items on both outputs, every item accounted for', async () => {
		const { stdout, stderr } = await run(
			process.execPath,
			[path.join(__dirname, '..', 'scripts', 'demo.js')],
			{ timeout: 60_000 },
		);

		const rows = stdout
			.split('\n')
			.filter((line) => /^task-\S+\s+\w+\s+(Success|Error)\s/.test(line));
		const listed = Number(/listed (\d+) open executable tasks/.exec(stdout)?.[1]);
		expect(rows.length).toBe(listed);
		expect(rows.filter((row) => /\sSuccess\s+executed \(HTTP 204/.test(row)).length).toBe(
			listed - 1,
		);
		expect(
			rows.filter((row) => /^task-ioc-open-001\s.*\sError\s+Forbidden \(executed: no\)/.test(row)),
		).toHaveLength(1);
		expect(stdout).toContain(
			`${listed} items in, ${listed} items out; the simulator ran ${listed - 1} response actions`,
		);
		// The Error row wraps instead of cutting the message: its last sentence, which says what to check, is printed whole.
		const lines = stdout.split('\n');
		const errorRow = lines.findIndex((line) => line.startsWith('task-ioc-open-001 '));
		const continuation = lines
			.slice(errorRow + 1)
			.filter((line, i, all) => all.slice(0, i + 1).every((l) => /^\s{20,}\S/.test(l)));
		const printedMessage = [
			lines[errorRow].replace(/^.*?\(executed: no\): /, ''),
			...continuation.map((line) => line.trim()),
		].join(' ');
		expect(continuation.length).toBeGreaterThan(0);
		expect(printedMessage).not.toContain('…');
		expect(printedMessage).toMatch(/^Permission denied \(403\): .*\bcheck\b.*\.$/i);
		// Then a new alert's device is isolated through Defender for Endpoint, and the alert says so.
		expect(stdout).toMatch(
			/demo: device ws-fin-042\.contoso\.com isolated: device action [0-9a-f-]{36} Succeeded \(completed\)/,
		);
		expect(stdout).toMatch(
			/demo: comment on alert alert-added-\d+: "n8n isolated device ws-fin-042\.contoso\.com \(898a8dd7048b63db9dfaad873c17f940f63de760\)\. Device action [0-9a-f-]{36}: Succeeded\."/,
		);
		expect(stderr).toBe('');
	});
});
