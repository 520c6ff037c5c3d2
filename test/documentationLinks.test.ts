import { readFileSync } from 'node:fs';
import path from 'node:path';

import { MicrosoftDefenderEndpointOAuth2Api } from '../credentials/MicrosoftDefenderEndpointOAuth2Api.credentials';
import { MicrosoftDefenderXdrOAuth2Api } from '../credentials/MicrosoftDefenderXdrOAuth2Api.credentials';

const root = path.join(__dirname, '..');
const packageJson = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
	homepage: string;
};
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
/** The repository's page, where GitHub shows the README: every documentation link points into it. */
const repositoryPage = packageJson.homepage.replace(/#readme$/, '');

/** The anchors GitHub gives the README's headings (lower case, punctuation dropped, spaces to hyphens). */
function readmeAnchors(): Set<string> {
	const anchors = new Set(['readme']);
	let inCode = false;
	for (const line of readme.split('\n')) {
		if (line.startsWith('```')) inCode = !inCode;
		const heading = !inCode && /^#{1,6}\s+(.+?)\s*$/.exec(line);
		if (!heading) continue;
		const text = heading[1].replace(/`/g, '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
		anchors.add(
			text
				.toLowerCase()
				.replace(/[^\p{L}\p{N}\s_-]/gu, '')
				.replace(/\s/g, '-'),
		);
	}
	return anchors;
}

function codexUrls(file: string): string[] {
	const codex = JSON.parse(readFileSync(path.join(root, file), 'utf8')) as {
		resources: { primaryDocumentation: Array<{ url: string }> };
	};
	return codex.resources.primaryDocumentation.map((entry) => entry.url);
}

describe('documentation links shown in the n8n editor', () => {
	const links: Array<[string, string]> = [
		...codexUrls('nodes/MicrosoftDefenderXdr/MicrosoftDefenderXdr.node.json').map(
			(url): [string, string] => ['the node', url],
		),
		...codexUrls('nodes/MicrosoftDefenderXdrTrigger/MicrosoftDefenderXdrTrigger.node.json').map(
			(url): [string, string] => ['the trigger', url],
		),
		['the Graph credential', new MicrosoftDefenderXdrOAuth2Api().documentationUrl],
		[
			'the Defender for Endpoint credential',
			new MicrosoftDefenderEndpointOAuth2Api().documentationUrl,
		],
	];

	it.each(links)('%s links to a heading that exists in the README (%s)', (_owner, url) => {
		const [page, anchor] = url.split('#');
		expect(page).toBe(repositoryPage);
		expect([...readmeAnchors()]).toContain(anchor);
	});
});
