import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const CLI = join(__dirname, '..', '..', 'simulator', 'cli.js');

describe('simulator CLI', () => {
	it('prints its connection details, serves tokens with its switches applied, and exits cleanly on SIGTERM', async () => {
		const child = spawn(
			process.execPath,
			[
				CLI,
				'--port',
				'0',
				'--json',
				'--latency',
				'60',
				'--tenant',
				'fabrikam.onmicrosoft.com',
				'--client-id',
				'cli-app',
				'--client-secret',
				'cli-secret',
			],
			{
				stdio: ['ignore', 'pipe', 'inherit'],
			},
		);
		try {
			const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
			const details = JSON.parse(line);
			expect(details).toMatchObject({
				tenantId: 'fabrikam.onmicrosoft.com',
				clientId: 'cli-app',
				clientSecret: 'cli-secret',
			});
			expect(details.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
			expect(details.tokenUrl).toBe(`${details.url}/fabrikam.onmicrosoft.com/oauth2/v2.0/token`);

			const started = Date.now();
			const response = await fetch(details.tokenUrl, {
				method: 'POST',
				body: new URLSearchParams({
					grant_type: 'client_credentials',
					client_id: 'cli-app',
					client_secret: 'cli-secret',
					scope: `${details.url}/.default`,
				}),
			});
			expect(response.status).toBe(200);
			expect(Date.now() - started).toBeGreaterThanOrEqual(55);
		} finally {
			child.kill('SIGTERM');
		}
		const [code] = await once(child, 'exit');
		expect(code).toBe(0);
	});
});
