/**
 * What the docs and the credential tell a user about Graph is what Microsoft documents: the one per-minute figure
 * under /security is stated only with the resources it covers, and each cloud's resources come from the node's
 * own table, so the credential's hint and the node's refusals cannot drift apart.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { MicrosoftDefenderXdrOAuth2Api } from '../../credentials/MicrosoftDefenderXdrOAuth2Api.credentials';

const ROOT = path.resolve(__dirname, '../..');
const DOCS = [
	'README.md',
	'docs/performance.md',
	'docs/reference.md',
	'docs/running-at-scale.md',
	'docs/when-things-go-wrong.md',
	'simulator/README.md',
];

/** Paragraphs (and table rows) of a Markdown file, with line breaks folded. */
function paragraphs(file: string): string[] {
	return readFileSync(path.join(ROOT, file), 'utf8')
		.split(/\n\s*\n|\n(?=\|)/)
		.map((paragraph) => paragraph.replace(/\s+/g, ' '));
}

describe("Graph's request limits in the docs", () => {
	it.each(DOCS)(
		'%s states 150 requests a minute only with the resources Microsoft documents it for',
		(file) => {
			const stated = paragraphs(file).filter(
				(paragraph) =>
					/150 requests a minute|150 a minute/.test(paragraph) && !/assum/i.test(paragraph),
			);
			for (const paragraph of stated) {
				expect(paragraph).toMatch(/`alert`.*`securityActions`.*`secureScore`/);
			}
		},
	);

	it("no document presents 150 a minute as Graph's limit for /security as a whole", () => {
		for (const file of DOCS) {
			const text = readFileSync(path.join(ROOT, file), 'utf8').replace(/\s+/g, ' ');
			expect(text).not.toMatch(
				/Graph (allows|limits) (about )?(\*\*)?150|budget of about 150|`\/security` to about 150/,
			);
		}
	});

	it('says that a $batch counts each request inside it', () => {
		for (const file of ['docs/performance.md', 'docs/reference.md', 'docs/running-at-scale.md']) {
			expect(readFileSync(path.join(ROOT, file), 'utf8').replace(/\s+/g, ' ')).toMatch(
				/`\$batch` counts (every|each) request inside it/,
			);
		}
	});
});

describe("the credential's Cloud field", () => {
	const cloud = new MicrosoftDefenderXdrOAuth2Api().properties.find(
		(property) => property.name === 'cloud',
	);

	it('says which resources Microsoft offers in each cloud', () => {
		expect(cloud?.hint).toBe(
			'What Microsoft offers in each cloud. Global: incident tasks, incidents, alerts, advanced hunting and identity accounts. US Government L4: incidents, alerts and advanced hunting. US Government L5 (DoD): incidents, alerts and advanced hunting. China (21Vianet): none of the resources of this node. The node refuses the rest before sending anything.',
		);
		const china = (cloud?.options as Array<{ value: string; description?: string }>).find(
			(option) => option.value === 'china',
		);
		expect(china?.description).toBe('Microsoft offers here: none of the resources of this node');
	});
});
