import { resolveCloudEndpoints } from '../cloud';
import { escapeInvisible } from '../parameters';
import type { Api } from '../transport/api';
import { redactSecrets } from '../transport/errors';

/** Microsoft Graph, with the Microsoft Defender XDR credential. Paths start with the version: `/v1.0/...`, `/beta/...`. */
export const GRAPH: Api = {
	name: 'Graph',
	credentialType: 'microsoftDefenderXdrOAuth2Api',
	credentialName: 'Microsoft Defender XDR',
	endpoints(credential) {
		const { cloud, graphRoot, loginRoot } = resolveCloudEndpoints(credential);
		return { cloud, root: graphRoot, loginRoot };
	},
	// `{ error: { code, message, innerError: { "request-id", date } } }`
	errorOf(body) {
		const error = (
			body as
				| { error?: { code?: unknown; message?: unknown; innerError?: Record<string, unknown> } }
				| undefined
		)?.error;
		if (!error || typeof error !== 'object') return {};
		const requestId = error.innerError?.['request-id'];
		return {
			code: typeof error.code === 'string' ? error.code : undefined,
			message:
				typeof error.message === 'string'
					? escapeInvisible(redactSecrets(error.message)).slice(0, 1000)
					: undefined,
			requestId: typeof requestId === 'string' ? requestId : undefined,
		};
	},
	requestIdOf(header, body) {
		return header('request-id') ?? this.errorOf(body).requestId;
	},
	// Graph reports newer enum members (an incident "awaitingAction") as `unknownFutureValue` unless asked for them.
	headers: { Accept: 'application/json', Prefer: 'include-unknown-enum-members' },
};
