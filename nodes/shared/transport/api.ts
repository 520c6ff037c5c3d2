import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import type { RateLimit } from './budget';

/** Where one credential's requests go. */
export interface ApiEndpoints {
	/** The credential's cloud, as its `cloud` field names it. */
	cloud: string;
	/** The API root, without a trailing slash: `https://graph.microsoft.com`, `https://api.security.microsoft.com`. */
	root: string;
	/** The sign-in root, for messages about a failed sign-in. */
	loginRoot: string;
}

/** What an API's error body says, when it says anything. */
export interface ApiErrorBody {
	code?: string;
	message?: string;
	/** The API's own ID of the request, for Microsoft support. */
	requestId?: string;
}

/**
 * One Microsoft API as the transport needs to know it: everything that differs between Graph and the Defender for
 * Endpoint API is data here, so the transport itself has one code path for both.
 */
export interface Api {
	/** How messages name it: "Graph", "Defender for Endpoint". */
	name: string;
	/** The n8n credential whose tokens it takes. */
	credentialType: string;
	/** The credential's display name, for messages that say what to check. */
	credentialName: string;
	/** Resolves and checks the credential's roots; throws a message a user can act on. */
	endpoints(credential: ICredentialDataDecryptedObject): ApiEndpoints;
	/** Reads the API's error body; anything it does not recognise yields nothing. */
	errorOf(body: unknown): ApiErrorBody;
	/** The API's ID of one request, for Microsoft support: from a response header or from the error body. */
	requestIdOf(header: (name: string) => string | null, body: unknown): string | undefined;
	/** Headers every request carries. */
	headers: Record<string, string>;
	/** The limits it documents per app and tenant, which a run keeps to before the API has to refuse. */
	limits?: readonly RateLimit[];
}
