import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The example workflows are drawn so that no connection runs over another node. The model follows how the
 * n8n canvas draws them: nodes are 100 × 100 with their name below, outputs spread evenly down the right
 * side, and a forward connection is a cubic Bézier that leaves and enters horizontally. The browser test
 * (npm run test:ui) checks the same on the real canvas.
 */

interface WorkflowNode {
	name: string;
	type: string;
	position: [number, number];
}
interface Workflow {
	nodes: WorkflowNode[];
	connections: Record<string, { main: Array<Array<{ node: string }>> }>;
}
type Box = { left: number; top: number; right: number; bottom: number };

const EXAMPLES_DIR = path.join(__dirname, '../../examples');
const NODE_SIZE = 100;
// Room for the name (and the operation's subtitle) under a node, and a margin around every box.
const LABEL_HEIGHT = 60;
const LABEL_WIDTH = 200;
const MARGIN = 10;

function outputCount(workflow: Workflow, node: WorkflowNode): number {
	const connected = workflow.connections[node.name]?.main.length ?? 1;
	const twoOutputs = /\.(microsoftDefenderXdr|if)$/.test(node.type);
	return Math.max(connected, twoOutputs ? 2 : 1);
}

function boxesOf(node: WorkflowNode): Box[] {
	const [x, y] = node.position;
	return [
		{
			left: x - MARGIN,
			top: y - MARGIN,
			right: x + NODE_SIZE + MARGIN,
			bottom: y + NODE_SIZE + MARGIN,
		},
		{
			left: x + NODE_SIZE / 2 - LABEL_WIDTH / 2,
			top: y + NODE_SIZE,
			right: x + NODE_SIZE / 2 + LABEL_WIDTH / 2,
			bottom: y + NODE_SIZE + LABEL_HEIGHT,
		},
	];
}

/** Each connection that runs over a node other than its own two, or runs backwards. */
function crossings(workflow: Workflow): string[] {
	const byName = new Map(workflow.nodes.map((node) => [node.name, node]));
	const found: string[] = [];
	for (const [sourceName, { main }] of Object.entries(workflow.connections)) {
		const source = byName.get(sourceName)!;
		main.forEach((targets, outputIndex) => {
			for (const { node: targetName } of targets) {
				const target = byName.get(targetName)!;
				const start = {
					x: source.position[0] + NODE_SIZE,
					y:
						source.position[1] +
						(NODE_SIZE * (outputIndex + 1)) / (outputCount(workflow, source) + 1),
				};
				const end = { x: target.position[0], y: target.position[1] + NODE_SIZE / 2 };
				if (end.x <= start.x) {
					found.push(`${sourceName} -> ${targetName} runs backwards`);
					continue;
				}
				const bend = (end.x - start.x) / 2;
				const others = workflow.nodes.filter((node) => node !== source && node !== target);
				for (let step = 0; step <= 200; step++) {
					const t = step / 200;
					const [a, b, c, d] = [(1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t ** 2, t ** 3];
					const x = a * start.x + b * (start.x + bend) + c * (end.x - bend) + d * end.x;
					const y = (a + b) * start.y + (c + d) * end.y;
					const hit = others.find((node) =>
						boxesOf(node).some(
							(box) => x > box.left && x < box.right && y > box.top && y < box.bottom,
						),
					);
					if (hit) {
						found.push(`${sourceName} -> ${targetName} runs over ${hit.name}`);
						break;
					}
				}
			}
		});
	}
	return found;
}

const examples = readdirSync(EXAMPLES_DIR).filter((file) => file.endsWith('.json'));

describe('example layouts', () => {
	it.each(examples)('%s: no connection runs over another node', (file) => {
		const workflow = JSON.parse(readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')) as Workflow;
		expect(crossings(workflow)).toEqual([]);
	});

	it('sees a connection that runs over a node (the approval example laid out in one row)', () => {
		const workflow = JSON.parse(
			readFileSync(path.join(EXAMPLES_DIR, 'approval-gated-isolation.json'), 'utf8'),
		) as Workflow;
		const row = [
			'New isolation task',
			'Dry run',
			'Wait for approval',
			'Approved?',
			'Isolate device',
			'Notify: isolation failed',
		];
		for (const node of workflow.nodes)
			if (row.includes(node.name)) node.position = [row.indexOf(node.name) * 240, 0];
		expect(crossings(workflow)).toContain(
			'Dry run -> Notify: isolation failed runs over Wait for approval',
		);
	});
});
