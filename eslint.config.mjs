// The n8n community rule sets, as n8n's verification runs them, on the package's own code.
import { configs as communityNodes } from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import jsoncParser from 'jsonc-eslint-parser';
import tseslint from 'typescript-eslint';

const legacyPlugin = { 'n8n-nodes-base': n8nNodesBase };

export default [
	{ ignores: ['dist/**', 'node_modules/**', 'test/**', 'simulator/**', 'scripts/**', 'examples/**', '*.js', '*.mjs'] },
	{
		files: ['**/*.ts'],
		languageOptions: { parser: tseslint.parser, parserOptions: { project: './tsconfig.json' } },
	},
	{
		files: ['package.json'],
		languageOptions: { parser: jsoncParser },
		plugins: legacyPlugin,
		rules: n8nNodesBase.configs.community.rules,
	},
	{
		files: ['credentials/**/*.ts'],
		plugins: legacyPlugin,
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			// "Only applicable to nodes in the main repository" (its own docs): community credentials link full URLs.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		plugins: legacyPlugin,
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			// These two legacy rules predate NodeConnectionTypes and two-output nodes (Success / Error);
			// the community rule node-connection-type-literal checks inputs and outputs instead.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
		},
	},
	{ ...communityNodes.recommended, files: ['**/*.ts', 'package.json'] },
	{
		files: ['**/*.ts', 'package.json'],
		rules: {
			// The single documented exception: @microsoft/microsoft-graph-client is the package's one runtime
			// dependency (SPEC section 4); it builds Graph requests and errors, and sends through n8n's helpers.
			'@n8n/community-nodes/no-runtime-dependencies': 'off',
		},
	},
];
