import { escapeInvisible } from '../parameters';
import type { Api } from '../transport/api';
import { redactSecrets } from '../transport/errors';
import { resolveEndpointApiEndpoints } from './endpointCloud';

/** Microsoft Defender for Endpoint's API, with its own credential. Paths start with `/api/`. */
export const DEFENDER_ENDPOINT: Api = {
	name: 'Defender for Endpoint',
	credentialType: 'microsoftDefenderEndpointOAuth2Api',
	credentialName: 'Microsoft Defender for Endpoint',
	endpoints(credential) {
		const { cloud, apiRoot, loginRoot } = resolveEndpointApiEndpoints(credential);
		return { cloud, root: apiRoot, loginRoot };
	},
	// `{ error: { code, message, target } }`, where `target` is the correlation ID Microsoft support asks for.
	errorOf(body) {
		const error = (
			body as { error?: { code?: unknown; message?: unknown; target?: unknown } } | undefined
		)?.error;
		if (!error || typeof error !== 'object') return {};
		return {
			code: typeof error.code === 'string' ? error.code : undefined,
			message:
				typeof error.message === 'string'
					? escapeInvisible(redactSecrets(error.message)).slice(0, 1000)
					: undefined,
			requestId: typeof error.target === 'string' ? error.target : undefined,
		};
	},
	requestIdOf(header, body) {
		return this.errorOf(body).requestId ?? header('request-id') ?? undefined;
	},
	headers: { Accept: 'application/json' },
	// Documented per app and tenant: most endpoints 100 calls a minute and 1,500 an hour; indicator imports 30 a
	// minute; an investigation package's link 2 a minute and 120 an hour.
	limits: [
		{ max: 100, windowSeconds: 60, label: '100 calls a minute' },
		{ max: 1500, windowSeconds: 3600, label: '1,500 calls an hour' },
		{
			max: 30,
			windowSeconds: 60,
			path: /\/indicators\/import$/i,
			label: '30 indicator imports a minute',
		},
		{ max: 2, windowSeconds: 60, path: /\/GetPackageUri$/i, label: '2 package links a minute' },
		{
			max: 120,
			windowSeconds: 3600,
			path: /\/GetPackageUri$/i,
			label: '120 package links an hour',
		},
	],
};
