// @ts-check
/**
 * `npm run demo`: runs examples/execute-pending-tasks.json in the real n8n engine (in-process) against the
 * local Defender XDR simulator, and prints what left each output of "Execute response action"; then
 * examples/alert-device-isolation.json isolates the device of a new alert through Defender for Endpoint.
 * No tenant, no n8n server, nothing outside loopback.
 */
const { readFileSync } = require('node:fs');
const path = require('node:path');

const { SEED_ALERTS, startSimulator } = require('../simulator');
const {
	createEngine,
	simulatorCredential,
	simulatorEndpointCredential,
} = require('../test/harness/n8n-engine');

/** @typedef {import('n8n-workflow').IDataObject} IDataObject @typedef {import('n8n-workflow').INodeExecutionData} INodeExecutionData */

const EXAMPLE = path.join(__dirname, '..', 'examples', 'execute-pending-tasks.json');
const DEVICE_EXAMPLE = path.join(__dirname, '..', 'examples', 'alert-device-isolation.json');
const EXECUTE_NODE = 'Execute response action';
// One task the app may not touch, so the demo shows the Error branch as a tenant would (403 on the POST).
const FORBIDDEN_TASK = 'task-ioc-open-001';

async function main() {
	const started = Date.now();
	const sim = await startSimulator({ actionDelayMs: 200 });
	sim.injectFault({
		method: 'POST',
		path: `/beta/security/incidentTasks/${FORBIDDEN_TASK}/executeResponseAction`,
		fault: '403',
	});
	log(
		`Defender XDR simulator on ${sim.url} (tenant ${sim.tenantId}); ${FORBIDDEN_TASK} will answer 403 to show the Error output`,
	);

	const engine = createEngine({
		credential: simulatorCredential(sim),
		endpointCredential: simulatorEndpointCredential(sim),
	});
	try {
		const workflow = JSON.parse(readFileSync(EXAMPLE, 'utf8'));
		log(`running "${workflow.name}" in the n8n engine`);
		const result = await engine.runWorkflow(workflow);
		if (result.error) throw new Error(`the workflow failed: ${result.error.message}`);

		const listed = result.outputs['List open executable tasks']?.[0] ?? [];
		const [success = [], error = []] = result.outputs[EXECUTE_NODE] ?? [];
		log(
			`listed ${listed.length} open executable tasks; ${success.length} on Success, ${error.length} on Error\n`,
		);

		const rows = [
			...success.map((item) => ({ index: inputIndex(item), output: 'Success', json: item.json })),
			...error.map((item) => ({ index: inputIndex(item), output: 'Error', json: item.json })),
		].sort((a, b) => a.index - b.index);
		printTable(
			['task', 'action type', 'output', 'outcome'],
			rows.map(({ output, json }) => [
				String(json.incidentTaskId),
				String(json.actionType),
				output,
				output === 'Success' ? describeSuccess(json) : describeError(json),
			]),
		);
		const executed = sim.executions.length;
		console.log(
			`\n${rows.length} items in, ${rows.length} items out; the simulator ran ${executed} response actions. Done in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
		);
		if (success.length === 0 || error.length === 0 || rows.length !== listed.length)
			process.exitCode = 1;
		if (!(await isolateFromAlert(sim, engine))) process.exitCode = 1;
	} finally {
		engine.shutdown();
		await sim.stop();
	}
}

/**
 * A new high-severity alert names the finance workstation; the example isolates it through Defender for Endpoint,
 * waits for the outcome and comments on the alert. Returns whether the alert got its comment.
 * @param {import('../simulator').Simulator} sim @param {ReturnType<typeof createEngine>} engine
 */
async function isolateFromAlert(sim, engine) {
	const story = SEED_ALERTS.find((alert) => alert.id === 'alert-1001-01');
	const alert = sim.addAlert({
		severity: 'high',
		title: 'Ransomware behavior detected',
		evidence: (story?.evidence ?? []).filter(
			(evidence) => evidence['@odata.type'] === '#microsoft.graph.security.deviceEvidence',
		),
	});
	const workflow = JSON.parse(readFileSync(DEVICE_EXAMPLE, 'utf8'));
	// The example polls every 15 s while Defender works; the simulator finishes in 200 ms.
	for (const node of workflow.nodes)
		if (node.parameters?.options?.pollInterval) node.parameters.options.pollInterval = 0.2;
	console.log('');
	log(`new high-severity alert ${alert.id}; running "${workflow.name}"`);
	const result = await engine.runWorkflow(workflow);
	if (result.error) throw new Error(`the workflow failed: ${result.error.message}`);
	for (const { json } of result.outputs['Isolate device']?.[0] ?? []) {
		const device = isDataObject(json.deviceAction) ? json.deviceAction.computerDnsName : undefined;
		log(
			`device ${String(device ?? json.deviceId)} isolated: device action ${String(json.deviceActionId)} ${String(json.status)} (${String(json.outcome)})`,
		);
	}
	const comments = sim.getAlert(alert.id)?.comments ?? [];
	for (const { comment } of comments) log(`comment on alert ${alert.id}: "${comment}"`);
	return comments.length > 0;
}

/**
 * The input item an output item answers (the node pairs each with exactly one).
 * @param {INodeExecutionData} item
 */
function inputIndex(item) {
	const { pairedItem } = item;
	if (pairedItem === undefined || typeof pairedItem === 'number' || Array.isArray(pairedItem))
		throw new Error('an output item is not paired with one input item');
	return pairedItem.item;
}

/** @param {IDataObject} json */
function describeSuccess(json) {
	if (json.outcome === 'skipped') return `skipped: ${json.reason}`;
	return `${json.outcome} (HTTP ${json.statusCode}, request ${String(json.requestId).slice(0, 8)}…)`;
}

/** @param {IDataObject} json */
function describeError(json) {
	const { error } = json;
	if (!isDataObject(error)) throw new Error('an Error item has no error details');
	return `${error.code} (executed: ${error.executed}): ${error.message}`;
}

/**
 * @param {unknown} value
 * @returns {value is IDataObject}
 */
function isDataObject(value) {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Width of the last column; longer text wraps onto the next lines, so the part that says what to fix stays. */
const LAST_COLUMN_WIDTH = 72;

/** Splits text into lines of at most `width` characters, at spaces (a longer word gets a line of its own). @param {string} text @param {number} width */
function wrap(text, width) {
	/** @type {string[]} */
	const lines = [];
	let current = '';
	for (const word of text.split(/\s+/).filter(Boolean)) {
		if (current && current.length + 1 + word.length > width) {
			lines.push(current);
			current = word;
		} else {
			current = current ? `${current} ${word}` : word;
		}
	}
	if (current || lines.length === 0) lines.push(current);
	return lines;
}

/** Prints the rows as columns; the last column wraps, its continuation lines indented under it. @param {string[]} header @param {string[][]} rows */
function printTable(header, rows) {
	const last = header.length - 1;
	const widths = header.map((title, column) =>
		column === last
			? title.length
			: Math.max(title.length, ...rows.map((row) => String(row[column]).length)),
	);
	const indent = widths.slice(0, last).reduce((sum, width) => sum + width + 2, 0);
	/** @param {string[]} cells */
	const line = (cells) =>
		cells
			.map((cell, column) => (column === last ? cell : String(cell).padEnd(widths[column])))
			.join('  ')
			.trimEnd();
	console.log(line(header));
	console.log(
		line(widths.map((width, column) => '-'.repeat(column === last ? LAST_COLUMN_WIDTH : width))),
	);
	for (const row of rows) {
		const [first, ...more] = wrap(String(row[last]), LAST_COLUMN_WIDTH);
		console.log(line([...row.slice(0, last), first]));
		for (const continuation of more) console.log(' '.repeat(indent) + continuation);
	}
}

/** @param {string} message */
function log(message) {
	console.log(`demo: ${message}`);
}

main().catch((error) => {
	console.error(`demo failed: ${error instanceof Error ? error.message : error}`);
	process.exit(1);
});
