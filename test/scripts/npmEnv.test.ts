import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const { npmEnv } = require('../../scripts/n8n-install') as {
	npmEnv: (nodeBinDir?: string) => Record<string, string>;
};

/** What an npm started with `env` in an empty folder reads for a setting. */
function npmSetting(env: Record<string, string>, name: string): string {
	const folder = mkdtempSync(path.join(os.tmpdir(), 'npm-env-'));
	try {
		return execFileSync('npm', ['config', 'get', name], {
			cwd: folder,
			env,
			encoding: 'utf8',
		}).trim();
	} finally {
		rmSync(folder, { recursive: true, force: true });
	}
}

describe('the npm that installs n8n (scripts/n8n-install.js)', () => {
	const saved = { ...process.env };
	afterEach(() => {
		process.env = { ...saved };
	});

	it("does not inherit this project's settings from an outer `npm run`, but keeps the person's cache and config files", () => {
		// What `npm run test:e2e` exports from this project's .npmrc and package.json.
		process.env.npm_config_strict_allow_scripts = 'true';
		process.env.npm_config_ignore_scripts = 'true';
		process.env.npm_package_name = 'n8n-nodes-microsoft-defender-xdr';
		process.env.npm_config_cache = path.join(os.tmpdir(), 'a-cache-of-my-own');

		const env = npmEnv(undefined);

		expect(
			Object.keys(env)
				.filter((key) => /^npm_/i.test(key))
				.sort(),
		).toEqual(
			[
				'npm_config_audit',
				'npm_config_cache',
				'npm_config_fund',
				'npm_config_update_notifier',
				...Object.keys(env).filter((key) =>
					/^npm_config_(userconfig|globalconfig|registry|cafile|ca|strict_ssl|proxy|https_proxy|noproxy)$/i.test(
						key,
					),
				),
			].sort(),
		);
		// npm 11 answers its default, false; npm 10 does not know the setting and answers undefined.
		expect(['false', 'undefined']).toContain(npmSetting(env, 'strict-allow-scripts'));
		expect(npmSetting(env, 'ignore-scripts')).toBe('false');
		expect(npmSetting(env, 'cache')).toBe(path.join(os.tmpdir(), 'a-cache-of-my-own'));
	});

	it('puts the Node that will run n8n first on PATH', () => {
		expect(npmEnv('/opt/node-24/bin').PATH.split(path.delimiter)[0]).toBe('/opt/node-24/bin');
	});
});
