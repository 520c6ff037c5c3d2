// The n8n node starter's ESLint config, as `n8n-node lint` applies it (n8n Cloud's rules included).
// `npm run lint` runs it on what the package ships: nodes/, credentials/ and package.json. Tests, scripts,
// the simulator and the bench are not published and are ignored here, so `npx eslint .` agrees with it.
import { globalIgnores } from 'eslint/config';
import { config } from '@n8n/node-cli/eslint';

export default [
	globalIgnores([
		'bench/',
		'docs/',
		'examples/',
		'scripts/',
		'simulator/',
		'test/',
		'*.js',
		'*.mjs',
	]),
	...config,
];
