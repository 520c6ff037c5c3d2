#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * `npm run test:ui`: what a person sees in the n8n editor, checked in headless Chromium (Debian's package,
 * driven by playwright-core; no browser download) against n8n 2.x started the way `npm run dev` starts it,
 * in a fresh user folder. Each step saves a screenshot under test/ui/screenshots/; a failing step names its
 * screenshot. Ends with `N passed, M failed` and exits non-zero on a failure.
 */

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { freePort } = require('../../scripts/n8n-cli');
const { startDev } = require('../../scripts/dev');

const REPO = path.resolve(__dirname, '../..');
const SCREENSHOTS = path.join(__dirname, 'screenshots');
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];
const STEP_TIMEOUT_MS = 90_000;

/** The example the test runs, and the nodes behind its Execute node's Success and Error outputs. */
const RUN_EXAMPLE = {
	file: 'execute-pending-tasks.json',
	executeNode: 'Execute response action',
	success: 'Executed',
	error: 'Needs attention',
};

/** @param {string} text */
const say = (text) => console.log(`[ui] ${text}`);

/** Debian's Chromium, installed with apt-get when it is missing and this user may install packages. */
function ensureChromium() {
	if (fs.existsSync(CHROMIUM)) return;
	const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
	const sudo = asRoot ? [] : ['sudo', '-n'];
	say(`${CHROMIUM} is missing: installing Debian's chromium package`);
	for (const args of [
		['apt-get', 'update'],
		['apt-get', 'install', '-y', '--no-install-recommends', 'chromium'],
	]) {
		const command = [...sudo, ...args];
		const result = spawnSync(command[0], command.slice(1), {
			stdio: 'inherit',
			env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
		});
		if (result.status !== 0)
			throw new Error(
				`"${command.join(' ')}" failed; install Chromium with "apt-get install -y chromium" and run again`,
			);
	}
	if (!fs.existsSync(CHROMIUM)) throw new Error(`the chromium package did not install ${CHROMIUM}`);
}

/** The eight Action Type labels the package declares (built dist/, the one home of the labels). */
function declaredActionTypeLabels() {
	const { EXECUTABLE_ACTION_TYPES } = require(path.join(REPO, 'dist/nodes/shared/incidentTask.js'));
	return EXECUTABLE_ACTION_TYPES.map((/** @type {{ name: string }} */ type) => type.name);
}

/**
 * Edges of the open canvas that pass over a node other than their own ends, read from what Chromium drew:
 * each edge's SVG path sampled every 2 px against each node's box and its name below it.
 * @param {import('playwright-core').Page} page
 */
function edgesCrossingNodes(page) {
	return page.evaluate(() => {
		const nodes = [...document.querySelectorAll('[data-test-id="canvas-node"]')].map((element) => {
			const name = element.getAttribute('data-node-name') ?? '';
			const label = [...element.querySelectorAll('*')].find(
				(child) => child.children.length === 0 && child.textContent?.trim() === name,
			);
			const boxes = [element.getBoundingClientRect()];
			if (label?.parentElement) boxes.push(label.parentElement.getBoundingClientRect());
			return { name, boxes };
		});
		const crossings = new Set();
		for (const edge of document.querySelectorAll('[data-test-id="edge"]')) {
			const source = edge.getAttribute('data-source-node-name');
			const target = edge.getAttribute('data-target-node-name');
			for (const pathElement of edge.querySelectorAll('path.vue-flow__edge-path')) {
				const curve = /** @type {SVGPathElement} */ (pathElement);
				const toScreen = curve.getScreenCTM();
				if (!toScreen) continue;
				for (let at = 0; at <= curve.getTotalLength(); at += 2) {
					const point = curve.getPointAtLength(at);
					const x = toScreen.a * point.x + toScreen.c * point.y + toScreen.e;
					const y = toScreen.b * point.x + toScreen.d * point.y + toScreen.f;
					for (const node of nodes) {
						if (node.name === source || node.name === target) continue;
						if (
							node.boxes.some(
								(box) => x > box.left && x < box.right && y > box.top && y < box.bottom,
							)
						) {
							crossings.add(`"${source}" -> "${target}" runs over "${node.name}"`);
						}
					}
				}
			}
		}
		return {
			edges: document.querySelectorAll('[data-test-id="edge"]').length,
			crossings: [...crossings],
		};
	});
}

/** @param {boolean} condition @param {string} message @returns {asserts condition} */
function expect(condition, message) {
	if (!condition) throw new Error(message);
}

/**
 * @param {() => Promise<unknown>} probe
 * @param {string} what
 * @param {number} [timeoutMs]
 */
async function waitFor(probe, what, timeoutMs = 60_000) {
	const deadline = Date.now() + timeoutMs;
	let last;
	for (;;) {
		last = await probe().catch((error) => error);
		if (last && !(last instanceof Error)) return last;
		if (Date.now() > deadline)
			throw new Error(
				`timed out waiting for ${what}${last instanceof Error ? ` (${last.message})` : ''}`,
			);
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}

async function main() {
	ensureChromium();
	const { chromium } = require('playwright-core');
	fs.rmSync(SCREENSHOTS, { recursive: true, force: true });
	fs.mkdirSync(SCREENSHOTS, { recursive: true });

	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'defender-xdr-ui-n8n-'));
	const browserProfile = fs.mkdtempSync(path.join(os.tmpdir(), 'defender-xdr-ui-chromium-'));
	/** @type {Awaited<ReturnType<typeof startDev>> | undefined} */
	let dev;
	/** @type {import('playwright-core').BrowserContext | undefined} */
	let browser;
	let passed = 0;
	let failed = 0;
	try {
		dev = await startDev({ line: '2', n8nPort: await freePort(), userFolder, log: say });
		const { n8n, sim, ownerAccount, credential } = dev;
		expect(dev.owner === 'created', `the owner account was not set up: ${dev.owner}`);
		say(`n8n ${dev.install.version} on ${n8n.url}, simulator on ${sim.url}`);

		browser = await chromium.launchPersistentContext(browserProfile, {
			executablePath: CHROMIUM,
			headless: true,
			args: CHROMIUM_ARGS,
			viewport: { width: 1440, height: 900 },
		});
		const page = browser.pages()[0] ?? (await browser.newPage());
		page.setDefaultTimeout(30_000);
		// Leaving a workflow with unsaved edits asks first; the test's edits need not be kept.
		page.on('dialog', (dialog) => void dialog.accept());
		const idOf = (/** @type {string} */ file) =>
			dev?.examples.find((example) => example.file === file)?.workflow.id;

		let stepNumber = 0;
		/** @param {string} name @param {() => Promise<void>} body */
		const step = async (name, body) => {
			stepNumber++;
			const screenshot = path.join(
				SCREENSHOTS,
				`${String(stepNumber).padStart(2, '0')}-${name
					.toLowerCase()
					.replace(/[^a-z0-9]+/g, '-')
					.replace(/^-|-$/g, '')}.png`,
			);
			const relative = path.relative(REPO, screenshot);
			let timer;
			try {
				await Promise.race([
					body(),
					new Promise((_, reject) => {
						timer = setTimeout(
							() => reject(new Error(`step took longer than ${STEP_TIMEOUT_MS / 1000} s`)),
							STEP_TIMEOUT_MS,
						);
					}),
				]);
				await page.screenshot({ path: screenshot });
				passed++;
				console.log(`  ✓ ${name} (${relative})`);
			} catch (error) {
				await page.screenshot({ path: screenshot }).catch(() => {});
				failed++;
				console.log(
					`  ✗ ${name}: ${error instanceof Error ? error.message.split('\n')[0] : error}\n    screenshot: ${relative}`,
				);
			} finally {
				clearTimeout(timer);
			}
		};

		/** @param {string} file */
		const openWorkflow = async (file) => {
			await page.goto(`${n8n.url}/workflow/${idOf(file)}`);
			await page.locator('[data-test-id="canvas-node"]').first().waitFor();
			// The canvas fits the view once every node is measured; the edges are drawn after that.
			await waitFor(
				async () =>
					(await page.locator('[data-test-id="edge"] path.vue-flow__edge-path').count()) > 0,
				'the edges to be drawn',
			);
			await page.waitForTimeout(1000);
		};
		const example = RUN_EXAMPLE;
		const executeNode = page.locator(
			`[data-test-id="canvas-node"][data-node-name="${example.executeNode}"]`,
		);
		/** @param {string} target */
		const edgeLabel = (target) =>
			page.locator(
				`[data-test-id="edge-label"][data-source-node-name="${example.executeNode}"][data-target-node-name="${target}"]`,
			);
		const itemCount = async (/** @type {string} */ target) => {
			const text = (await edgeLabel(target).innerText()).trim();
			const match = /^(\d+) items?$/.exec(text);
			return match ? Number(match[1]) : 0;
		};
		/** Runs the example from the canvas and returns the items shown on the Success and Error edges. */
		const runExample = async () => {
			const executedBefore = sim.executions.length;
			await page.locator('[data-test-id="execute-workflow-button"]').click();
			await waitFor(
				async () =>
					(await page.locator('[data-test-id="stop-execution-button"]').count()) > 0 ||
					sim.executions.length > executedBefore,
				'the run to start',
			);
			await waitFor(
				async () => (await page.locator('[data-test-id="stop-execution-button"]').count()) === 0,
				'the run to finish',
				80_000,
			);
			// The canvas writes the item counts on the edges a moment after the run ends; an edge that
			// carried no items stays blank, which the caller's check then reports.
			await waitFor(
				async () => (await itemCount(example.success)) > 0 && (await itemCount(example.error)) > 0,
				'the item counts on both edges',
				15_000,
			).catch(() => {});
			return { success: await itemCount(example.success), error: await itemCount(example.error) };
		};

		await step('Sign in', async () => {
			await page.goto(`${n8n.url}/signin`);
			await page.getByLabel('Email').fill(ownerAccount.email);
			await page.getByLabel('Password').fill(ownerAccount.password);
			await page.getByRole('button', { name: 'Sign in' }).click();
			await page.waitForURL(/\/home\/workflows/);
			for (const { workflow } of dev?.examples ?? [])
				await page.getByRole('heading', { name: workflow.name }).first().waitFor();
		});

		await step('Node shows its icon and its Success and Error outputs', async () => {
			await openWorkflow(example.file);
			const icon = executeNode.locator('img').first();
			await icon.waitFor();
			const { src, width } = await icon.evaluate((image) => ({
				src: image.getAttribute('src') ?? '',
				width: /** @type {HTMLImageElement} */ (image).naturalWidth,
			}));
			expect(
				/\/microsoftDefenderXdr\.svg$/.test(src),
				`the node's icon is ${src || 'missing'}, not the package's microsoftDefenderXdr.svg`,
			);
			expect(width > 0, `the node's icon ${src} did not load`);
			const outputs = await executeNode
				.locator('[data-test-id="canvas-node-output-handle"]')
				.allInnerTexts();
			expect(
				JSON.stringify(outputs.map((text) => text.trim())) === JSON.stringify(['Success', 'Error']),
				`the node's outputs read ${JSON.stringify(outputs)}`,
			);
		});

		let firstRun = { success: 0, error: 0 };
		await step('Execute workflow puts items on Success and on Error', async () => {
			firstRun = await runExample();
			expect(firstRun.success > 0, `the Success edge shows ${firstRun.success} items`);
			expect(
				firstRun.error === 1,
				`the Error edge shows ${firstRun.error} items, expected the 1 refused task`,
			);
		});

		const outputPanel = page.locator('[data-test-id="output-panel"]');
		const closeNode = async () => {
			if (!(await outputPanel.isVisible())) return;
			// A focused input keeps Escape for itself: focus the node's Parameters tab first.
			await page.getByText('Parameters', { exact: true }).first().click();
			await page.keyboard.press('Escape');
			await outputPanel.waitFor({ state: 'hidden' });
		};

		await step('The node shows both branches and the refused task', async () => {
			await executeNode.dblclick();
			await outputPanel.getByText(`Success Branch (${firstRun.success} item`).waitFor();
			await outputPanel.getByText('Error Branch (1 item)').click();
			await outputPanel
				.getByText(dev?.refusedTaskId ?? '')
				.first()
				.waitFor();
			await outputPanel.getByText('403').first().waitFor();
		});

		await step('A second run finds new open tasks and the refused one again', async () => {
			await closeNode();
			const executedBefore = sim.executions.length;
			const secondRun = await runExample();
			expect(
				secondRun.success === firstRun.success,
				`the second run shows ${secondRun.success} items on Success, the first ${firstRun.success}`,
			);
			expect(secondRun.error === 1, `the second run shows ${secondRun.error} items on Error`);
			expect(
				sim.executions.length - executedBefore === secondRun.success,
				`the simulator executed ${sim.executions.length - executedBefore} tasks in the second run`,
			);
			// The tasks executed now are the ones that arrived after the first run.
			await executeNode.dblclick();
			await outputPanel.getByText(`Success Branch (${secondRun.success} item`).click();
			await outputPanel
				.getByText(/^task-added-\d+$/)
				.first()
				.waitFor();
		});

		// With the run's data in the node, n8n switches Action Type from the expression to Fixed (the saved
		// workflow keeps that change, so this comes after the runs).
		await step('Action Type lists exactly the eight action types', async () => {
			await outputPanel.waitFor();
			const label = page.locator('[data-test-id="input-label"]').filter({ hasText: 'Action Type' });
			const select = page.locator('[data-test-id="parameter-input-actionType"] .el-select');
			await waitFor(async () => {
				await label.hover();
				await label.getByText('Fixed', { exact: true }).click();
				return (await select.count()) > 0;
			}, 'Action Type to switch from Expression to Fixed');
			await select.click();
			const options = page.locator('.el-select-dropdown__item:visible');
			await options.first().waitFor();
			const labels = (await options.allInnerTexts()).map((text) => text.trim());
			const expected = declaredActionTypeLabels();
			expect(expected.length === 8, `the package declares ${expected.length} action types`);
			expect(
				JSON.stringify(labels) === JSON.stringify(expected),
				`the dropdown lists ${JSON.stringify(labels)}, expected ${JSON.stringify(expected)}`,
			);
		});
		await step('Credential test passes', async () => {
			await closeNode();
			await page.goto(`${n8n.url}/home/credentials`);
			await page.getByText(credential.name).first().click();
			const dialog = page.locator('[data-test-id="credential-edit-dialog"]');
			// Opening a saved credential runs its test; Retry runs it again.
			await dialog.getByText('Connection tested successfully').waitFor();
			const tested = () =>
				sim.requests.filter(
					(entry) => entry.path === '/beta/security/incidentTasks?%24top=1' && entry.status === 200,
				).length;
			const before = tested();
			await dialog.getByRole('button', { name: 'Retry' }).click();
			await waitFor(async () => tested() > before, 'the credential test to list one incident task');
			await dialog.getByText('Connection tested successfully').waitFor();
		});

		await step('Credential test says what to fix on a 403', async () => {
			const dialog = page.locator('[data-test-id="credential-edit-dialog"]');
			sim.injectFault({ method: 'GET', path: '/beta/security/incidentTasks', fault: '403' });
			await dialog.getByRole('button', { name: 'Retry' }).click();
			await dialog.getByText(/Couldn.t connect with these settings/).waitFor();
			await dialog.getByText('More details').click();
			await dialog.getByText(/SecurityIncident\.ReadWrite\.All.*admin consent/).waitFor();
		});

		await step('Credential test says what to fix on a 401', async () => {
			const dialog = page.locator('[data-test-id="credential-edit-dialog"]');
			// n8n fetches a new token after a 401 and asks once more: Graph refuses both.
			sim.injectFault({
				method: 'GET',
				path: '/beta/security/incidentTasks',
				fault: '401',
				times: 2,
			});
			await dialog.getByRole('button', { name: 'Retry' }).click();
			await dialog.getByText(/Couldn.t connect with these settings/).waitFor();
			const details = dialog.getByText('More details');
			if ((await details.count()) > 0) await details.click();
			await dialog
				.getByText(
					/did not accept the token \(401\): check the Tenant ID, the Client ID and the Client Secret/,
				)
				.waitFor();
		});

		await step(
			'Credential test fails with a wrong client secret, then passes with the right one',
			async () => {
				const dialog = page.locator('[data-test-id="credential-edit-dialog"]');
				const secret = dialog.locator('[data-test-id="parameter-input-clientSecret"] input');
				const save = page.locator('[data-test-id="credential-save-button"]');
				await secret.fill('not-the-client-secret');
				await save.click();
				await dialog.getByText(/Couldn.t connect with these settings/).waitFor();
				const details = dialog.getByText('More details');
				if ((await details.count()) > 0) await details.click();
				await dialog
					.getByText(/Failed to acquire OAuth2 access token: Client authentication failed/)
					.waitFor();
				expect(
					sim.requests.some(
						(entry) => entry.grantType === 'client_credentials' && entry.status === 401,
					),
					'the simulator saw no refused token request',
				);
				await page.screenshot({
					path: path.join(
						SCREENSHOTS,
						`${String(stepNumber).padStart(2, '0')}-wrong-client-secret.png`,
					),
				});
				await secret.fill(sim.clientSecret);
				await save.click();
				await dialog.getByText('Connection tested successfully').waitFor();
			},
		);

		for (const { file } of dev.examples) {
			await step(`No edge crosses a node in ${file}`, async () => {
				await page.keyboard.press('Escape');
				await openWorkflow(file);
				const { edges, crossings } = await edgesCrossingNodes(page);
				expect(edges > 0, 'no edges were drawn');
				expect(crossings.length === 0, crossings.join('; '));
			});
		}

		// The incident picker, on the example's "Resolve incident" node (its saved ID is an expression, a plain string).
		const incidentLocator = page.locator('[data-test-id="resource-locator-incidentId"]');
		/** @param {string} mode the mode's display name */
		const chooseMode = async (mode) => {
			await incidentLocator.locator('[data-test-id="rlc-mode-selector"]').click();
			await page
				.locator('.el-select-dropdown__item:visible')
				.filter({ hasText: mode })
				.first()
				.click();
		};
		const newestIncident = [...sim.state().incidents].sort(
			(a, b) => Date.parse(b.createdDateTime) - Date.parse(a.createdDateTime),
		)[0];

		await step('Incident ID: pick an incident from the list, newest first', async () => {
			await page.keyboard.press('Escape');
			await openWorkflow('incident-response-loop.json');
			await page
				.locator('[data-test-id="canvas-node"][data-node-name="Resolve incident"]')
				.dblclick();
			const label = page.locator('[data-test-id="input-label"]').filter({ hasText: 'Incident ID' });
			// A plain string saved before the picker has no mode: give it one, then leave the expression.
			await chooseMode('By ID');
			await waitFor(async () => {
				await label.hover();
				await label.getByText('Fixed', { exact: true }).click();
				// The text input replaces the expression editor once the field is Fixed.
				return (await incidentLocator.locator('[data-test-id="rlc-input"]').count()) > 0;
			}, 'Incident ID to switch from Expression to Fixed');
			await chooseMode('From list');
			const listed = () =>
				sim.requests.filter(
					(entry) => entry.path.startsWith('/v1.0/security/incidents?') && entry.status === 200,
				).length;
			const before = listed();
			await incidentLocator.locator('[data-test-id="rlc-input"]').click();
			const items = page.locator('[data-test-id="rlc-item"]:visible');
			await items.first().waitFor();
			expect(listed() > before, 'the list was not read from Graph');
			const first = (await items.first().innerText()).trim();
			expect(
				first.includes(`(${newestIncident.id})`),
				`the list starts with "${first}", not the newest incident ${newestIncident.id}`,
			);
			await page.screenshot({
				path: path.join(
					SCREENSHOTS,
					`${String(stepNumber).padStart(2, '0')}-incident-list-open.png`,
				),
			});
			// Typing narrows the list to the incidents whose name or ID has the text.
			const wanted = newestIncident.displayName.split(' ').slice(0, 2).join(' ');
			await page.getByPlaceholder('Search...').fill(wanted);
			await waitFor(async () => {
				const texts = (await items.allInnerTexts()).map((text) => text.trim());
				return (
					texts.length > 0 &&
					texts.every((text) => text.toLowerCase().includes(wanted.toLowerCase()))
				);
			}, `the list to narrow to "${wanted}"`);
			await page.screenshot({
				path: path.join(
					SCREENSHOTS,
					`${String(stepNumber).padStart(2, '0')}-incident-list-search.png`,
				),
			});
			await items.first().click();
			const shown = await incidentLocator
				.locator('[data-test-id="rlc-input-container"] input')
				.first()
				.inputValue();
			expect(
				shown.includes(newestIncident.displayName),
				`the field shows "${shown}" after picking ${newestIncident.id}`,
			);
		});

		await step('Incident ID: paste a Defender portal link', async () => {
			await chooseMode('By URL');
			const link = `https://security.microsoft.com/incidents/${newestIncident.id}/overview?tid=${sim.tenantId}`;
			const input = incidentLocator.locator('[data-test-id="rlc-input-container"] input').first();
			await input.fill(link);
			await input.press('Tab');
			const kept = await input.inputValue();
			expect(kept === link, `the field holds "${kept}"`);
			await incidentLocator.locator('[data-test-id="rlc-open-resource-link"]').first().waitFor();
		});
	} catch (error) {
		failed++;
		console.log(`  ✗ ${error instanceof Error ? error.message : error}`);
	} finally {
		await browser?.close().catch(() => {});
		await dev?.stop().catch(() => {});
		fs.rmSync(browserProfile, { recursive: true, force: true });
		fs.rmSync(userFolder, { recursive: true, force: true, maxRetries: 3 });
	}
	console.log(`${passed} passed, ${failed} failed`);
	process.exit(failed > 0 || passed === 0 ? 1 : 0);
}

void main();
