#!/usr/bin/env node
// @ts-check
// Lints the package the way n8n's community-package scan does before it verifies a package: with
// `buildScanConfig()` from @n8n/scan-community-package, inline `eslint-disable` comments ignored, on the
// source (package.json, nodes/, credentials/) and on the freshly packed tarball. Any error or warning fails.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const scannerEntry = createRequire(import.meta.url).resolve(
	'@n8n/scan-community-package/scanner/scanner.mjs',
);
const { buildScanConfig, SOURCE_FILE_PATTERNS } = await import(pathToFileURL(scannerEntry).href);
// The scanner's own ESLint, so its rules run on the version it was released with.
const { ESLint } = await import(pathToFileURL(createRequire(scannerEntry).resolve('eslint')).href);
const glob = (await import(pathToFileURL(createRequire(scannerEntry).resolve('fast-glob')).href))
	.default;

/** The counts the scan reads from each of ESLint's file results. @typedef {{ errorCount: number; warningCount: number }} LintCounts */

/**
 * @param {string} label @param {string} cwd @param {string[]} patterns
 * @returns {Promise<number>} errors plus warnings
 */
async function lint(label, cwd, patterns) {
	const eslint = new ESLint({
		cwd,
		allowInlineConfig: false,
		overrideConfigFile: true,
		overrideConfig: await buildScanConfig(),
	});
	/** @type {string[]} */
	const files = glob.sync(patterns, {
		cwd,
		absolute: true,
		ignore: ['node_modules/**', '**/package-lock.json'],
	});
	/** @type {LintCounts[]} */
	const results = await eslint.lintFiles(files);
	const errors = results.reduce((sum, result) => sum + result.errorCount, 0);
	const warnings = results.reduce((sum, result) => sum + result.warningCount, 0);
	const report = await (await eslint.loadFormatter('stylish')).format(results);
	if (report.trim()) console.log(report);
	console.log(`scan ${label}: ${files.length} files, ${errors} errors, ${warnings} warnings`);
	return errors + warnings;
}

function packTarball() {
	const folder = mkdtempSync(path.join(tmpdir(), 'defender-xdr-scan-'));
	// `npm pack` runs the prepack build, so the tarball is what a fresh clone would publish.
	const pack = spawnSync('npm', ['pack', '--silent', '--pack-destination', folder], {
		cwd: root,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	if (pack.status !== 0) throw new Error(`npm pack failed (exit ${pack.status})`);
	const tarballName = pack.stdout.trim().split('\n').pop();
	if (!tarballName) throw new Error('npm pack printed no tarball name');
	const tarball = path.join(folder, tarballName);
	const untar = spawnSync('tar', ['-xzf', tarball, '-C', folder]);
	if (untar.status !== 0) throw new Error(`could not extract ${tarball}`);
	return { folder, packageDir: path.join(folder, 'package') };
}

let problems = await lint('source', root, SOURCE_FILE_PATTERNS);
const { folder, packageDir } = packTarball();
try {
	problems += await lint('packed tarball', packageDir, ['**/*.js', '**/*.ts', '**/*.json']);
	const packed = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
	const runtimeDependencies = Object.keys(packed.dependencies ?? {});
	if (runtimeDependencies.length > 0) {
		console.log(
			`scan packed tarball: runtime dependencies are not allowed: ${runtimeDependencies.join(', ')}`,
		);
		problems++;
	}
	for (const file of [...packed.n8n.nodes, ...packed.n8n.credentials]) {
		const loaded = spawnSync(
			process.execPath,
			['-e', `require(${JSON.stringify(path.join(packageDir, file))})`],
			{
				encoding: 'utf8',
				// The tarball has no node_modules: n8n-workflow, its peer dependency, comes from ours as n8n would provide it.
				env: { ...process.env, NODE_PATH: path.join(root, 'node_modules') },
			},
		);
		if (loaded.status !== 0) {
			console.log(`scan packed tarball: ${file} does not load:\n${loaded.stderr}`);
			problems++;
		}
	}
} finally {
	rmSync(folder, { recursive: true, force: true });
}
console.log(
	problems === 0 ? 'scan: passed (0 errors, 0 warnings)' : `scan: failed (${problems} problems)`,
);
process.exit(problems === 0 ? 0 : 1);
