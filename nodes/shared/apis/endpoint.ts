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
};
