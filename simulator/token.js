// @ts-check
'use strict';

// The Entra ID side: app registrations, the v2.0 token and authorize endpoints, and access-token checks for Graph.

const { randomBytes, createHash } = require('node:crypto');
const { EntraError, GraphError } = require('./responses');

/**
 * @typedef {{ clientId: string, clientSecret: string, displayName: string }} App
 * @typedef {{
 *   clientId: string, tenantId: string, scope: string, grantType: string, principal: 'app' | 'user',
 *   displayName: string, expiresAt: number, revoked: boolean,
 * }} AccessToken
 * @typedef {{ clientId: string, tenantId: string, scope: string, revoked: boolean }} RefreshToken
 * @typedef {{ clientId: string, tenantId: string, scope: string, redirectUri: string, expiresAt: number,
 *   codeChallenge: string | null, codeChallengeMethod: string | null }} AuthorizationCode
 */

const DELEGATED_USER = 'Simulated Analyst';
const CODE_LIFETIME_MS = 10 * 60_000;

class TokenService {
	/** @param {{ tokenLifetimeSeconds: () => number }} settings */
	constructor(settings) {
		this.settings = settings;
		/** @type {Map<string, App>} */
		this.apps = new Map();
		/** @type {Map<string, AccessToken>} */
		this.accessTokens = new Map();
		/** @type {Map<string, RefreshToken>} */
		this.refreshTokens = new Map();
		/** @type {Map<string, AuthorizationCode>} */
		this.codes = new Map();
	}

	/** @param {{ clientId: string, clientSecret: string, displayName?: string }} app */
	registerApp(app) {
		this.apps.set(app.clientId, { displayName: `App ${app.clientId}`, ...app });
	}

	/**
	 * Issues an access token without HTTP, for tests that talk to Graph directly.
	 * @param {{ clientId: string, tenantId: string, scope?: string, lifetimeSeconds?: number }} request
	 */
	issueAccessToken(request) {
		const app = this.apps.get(request.clientId);
		if (!app) throw new Error(`No app registered with client ID ${request.clientId}`);
		return this.mintAccessToken(
			app,
			request.tenantId,
			request.scope ?? 'https://graph.microsoft.com/.default',
			'client_credentials',
			'app',
			request.lifetimeSeconds,
		);
	}

	/**
	 * POST /{tenant}/oauth2/v2.0/token
	 * @param {{ tenantId: string, form: URLSearchParams, authorization: string | undefined }} request
	 * @returns {{ body: Record<string, unknown>, clientId: string, grantType: string, scope: string }}
	 */
	token({ tenantId, form, authorization }) {
		const grantType = form.get('grant_type');
		if (!grantType) throw missingParameter('grant_type');
		const app = this.authenticateClient(tenantId, form, authorization);
		if (grantType === 'client_credentials') {
			const scope = form.get('scope');
			if (!scope) {
				throw new EntraError(
					400,
					'invalid_request',
					90014,
					"The required field 'scope' is missing from the credential. Ensure that you have all the necessary parameters for the login request.",
				);
			}
			const scopes = scope.trim().split(/\s+/);
			if (scopes.length !== 1 || !scopes[0].endsWith('/.default')) {
				throw new EntraError(
					400,
					'invalid_scope',
					1002012,
					`The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
				);
			}
			return {
				body: this.mintAccessToken(app, tenantId, scope, grantType, 'app'),
				clientId: app.clientId,
				grantType,
				scope,
			};
		}
		if (grantType === 'authorization_code') {
			const code = form.get('code');
			if (!code) throw missingParameter('code');
			const grant = this.codes.get(code);
			this.codes.delete(code);
			if (!grant || grant.expiresAt < Date.now() || grant.clientId !== app.clientId) {
				throw new EntraError(
					400,
					'invalid_grant',
					70000,
					'Provided grant is invalid or malformed.',
				);
			}
			if (form.get('redirect_uri') !== grant.redirectUri) {
				throw new EntraError(
					400,
					'invalid_grant',
					50148,
					'The redirect_uri does not match the one used in the authorization request.',
				);
			}
			if (grant.codeChallenge && !verifyPkce(grant, form.get('code_verifier'))) {
				throw new EntraError(
					400,
					'invalid_grant',
					501481,
					'The Code_Verifier does not match the code_challenge supplied in the authorization request.',
				);
			}
			return {
				body: this.mintUserTokens(app, tenantId, grant.scope, grantType),
				clientId: app.clientId,
				grantType,
				scope: grant.scope,
			};
		}
		if (grantType === 'refresh_token') {
			const refreshToken = form.get('refresh_token');
			if (!refreshToken) throw missingParameter('refresh_token');
			const grant = this.refreshTokens.get(refreshToken);
			if (!grant || grant.revoked || grant.clientId !== app.clientId) {
				throw new EntraError(
					400,
					'invalid_grant',
					9002313,
					'Invalid request. Request is malformed or invalid: the refresh token is unknown, revoked or belongs to another app.',
				);
			}
			const scope = form.get('scope') ?? grant.scope;
			return {
				body: this.mintUserTokens(app, tenantId, scope, grantType),
				clientId: app.clientId,
				grantType,
				scope,
			};
		}
		throw new EntraError(
			400,
			'unsupported_grant_type',
			70003,
			`The app requested an unsupported grant type '${grantType}'.`,
		);
	}

	/**
	 * GET /{tenant}/oauth2/v2.0/authorize: no sign-in page, the simulated analyst consents at once.
	 * @param {{ tenantId: string, query: URLSearchParams }} request
	 * @returns {string} the redirect location
	 */
	authorize({ tenantId, query }) {
		const clientId = query.get('client_id');
		if (!clientId) throw missingParameter('client_id');
		if (!this.apps.has(clientId)) throw unknownApp(clientId, tenantId);
		const redirectUri = query.get('redirect_uri');
		if (!redirectUri) throw missingParameter('redirect_uri');
		if (query.get('response_type') !== 'code') {
			throw new EntraError(
				400,
				'unsupported_response_type',
				700054,
				"response_type must be 'code' on this simulator.",
			);
		}
		const code = randomBytes(24).toString('base64url');
		this.codes.set(code, {
			clientId,
			tenantId,
			scope: query.get('scope') ?? '',
			redirectUri,
			expiresAt: Date.now() + CODE_LIFETIME_MS,
			codeChallenge: query.get('code_challenge'),
			codeChallengeMethod: query.get('code_challenge_method'),
		});
		const location = new URL(redirectUri);
		location.searchParams.set('code', code);
		const state = query.get('state');
		if (state !== null) location.searchParams.set('state', state);
		return location.toString();
	}

	/**
	 * Checks a Graph request's Authorization header.
	 * @param {string | undefined} header
	 * @param {string} origin used in the WWW-Authenticate challenge
	 * @returns {AccessToken}
	 */
	authenticate(header, origin) {
		/** @param {string} message */
		const reject = (message) =>
			new GraphError(401, 'InvalidAuthenticationToken', message, {
				'WWW-Authenticate': `Bearer realm="", authorization_uri="${origin}/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000", error="invalid_token"`,
			});
		if (!header) throw reject('Access token is empty.');
		const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
		if (!match) throw reject('Access token is empty or not a Bearer token.');
		const token = this.accessTokens.get(match[1]);
		if (!token) throw reject('IDX14100: JWT is not well formed or not issued by this simulator.');
		if (token.revoked) throw reject('Access token has been revoked.');
		if (token.expiresAt <= Date.now())
			throw reject('Lifetime validation failed, the token is expired.');
		return token;
	}

	/** Every issued access token expires now; refresh tokens stay valid so OAuth clients can recover. */
	expireAll() {
		const past = Date.now() - 1000;
		for (const token of this.accessTokens.values())
			token.expiresAt = Math.min(token.expiresAt, past);
	}

	/**
	 * Revokes one access or refresh token.
	 * @param {string} value
	 */
	revoke(value) {
		const token = this.accessTokens.get(value) ?? this.refreshTokens.get(value);
		if (!token) return false;
		token.revoked = true;
		return true;
	}

	/**
	 * @param {string} tenantId
	 * @param {URLSearchParams} form
	 * @param {string | undefined} authorization
	 */
	authenticateClient(tenantId, form, authorization) {
		let clientId = form.get('client_id');
		let clientSecret = form.get('client_secret');
		const basic = authorization && /^Basic\s+(\S+)$/i.exec(authorization.trim());
		if (basic) {
			const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
			const colon = decoded.indexOf(':');
			if (colon > 0) {
				// RFC 6749 form-encodes both parts, n8n's client sends them raw: accept whichever matches.
				const raw = [decoded.slice(0, colon), decoded.slice(colon + 1)];
				const formDecoded = raw.map(formDecode);
				const rawMatches = this.apps.get(raw[0])?.clientSecret === raw[1];
				[clientId, clientSecret] = rawMatches ? raw : formDecoded;
			}
		}
		if (!clientId) throw missingParameter('client_id');
		const app = this.apps.get(clientId);
		if (!app) throw unknownApp(clientId, tenantId);
		if (!clientSecret) {
			throw new EntraError(
				401,
				'invalid_client',
				7000218,
				"The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
			);
		}
		if (clientSecret !== app.clientSecret) {
			throw new EntraError(
				401,
				'invalid_client',
				7000215,
				`Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`,
			);
		}
		return app;
	}

	/**
	 * @param {App} app
	 * @param {string} tenantId
	 * @param {string} scope
	 * @param {string} grantType
	 * @param {'app' | 'user'} principal
	 * @param {number} [lifetimeSeconds]
	 */
	mintAccessToken(
		app,
		tenantId,
		scope,
		grantType,
		principal,
		lifetimeSeconds = this.settings.tokenLifetimeSeconds(),
	) {
		const now = Date.now();
		const claims = {
			aud: audienceOf(scope),
			tid: tenantId,
			appid: app.clientId,
			iat: Math.floor(now / 1000),
			exp: Math.floor(now / 1000) + lifetimeSeconds,
		};
		// Shaped like a JWT for realism; only this simulator's lookup table makes it valid.
		const accessToken = [
			Buffer.from(JSON.stringify({ typ: 'JWT', alg: 'none' })).toString('base64url'),
			Buffer.from(JSON.stringify(claims)).toString('base64url'),
			randomBytes(24).toString('base64url'),
		].join('.');
		this.accessTokens.set(accessToken, {
			clientId: app.clientId,
			tenantId,
			scope,
			grantType,
			principal,
			displayName: principal === 'app' ? app.displayName : DELEGATED_USER,
			expiresAt: now + lifetimeSeconds * 1000,
			revoked: false,
		});
		return {
			token_type: 'Bearer',
			expires_in: lifetimeSeconds,
			ext_expires_in: lifetimeSeconds,
			access_token: accessToken,
		};
	}

	/**
	 * @param {App} app
	 * @param {string} tenantId
	 * @param {string} scope
	 * @param {string} grantType
	 */
	mintUserTokens(app, tenantId, scope, grantType) {
		/** @type {Record<string, unknown>} */
		const body = { ...this.mintAccessToken(app, tenantId, scope, grantType, 'user'), scope };
		if (scope.split(/\s+/).includes('offline_access')) {
			const refreshToken = randomBytes(32).toString('base64url');
			this.refreshTokens.set(refreshToken, {
				clientId: app.clientId,
				tenantId,
				scope,
				revoked: false,
			});
			body.refresh_token = refreshToken;
		}
		return body;
	}
}

/** Scopes that ask for sign-in features rather than naming a resource. */
const OIDC_SCOPES = ['openid', 'profile', 'email', 'offline_access'];

/**
 * The resource a token is for: its first resource scope without `/.default` (as Entra sets `aud`).
 * @param {string} scope
 */
const audienceOf = (scope) => {
	const scopes = scope.trim().split(/\s+/);
	const resource = scopes.find((item) => !OIDC_SCOPES.includes(item.toLowerCase())) ?? scopes[0];
	return resource.replace(/\/\.default$/, '');
};

/** @param {string} name */
const missingParameter = (name) =>
	new EntraError(
		400,
		'invalid_request',
		900144,
		`The request body must contain the following parameter: '${name}'.`,
	);

/**
 * @param {string} clientId
 * @param {string} tenantId
 */
const unknownApp = (clientId, tenantId) =>
	new EntraError(
		400,
		'unauthorized_client',
		700016,
		`Application with identifier '${clientId}' was not found in the directory '${tenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
	);

/** @param {string} value */
function formDecode(value) {
	try {
		return decodeURIComponent(value.replace(/\+/g, ' '));
	} catch {
		return value;
	}
}

/**
 * @param {AuthorizationCode} grant
 * @param {string | null} verifier
 */
function verifyPkce(grant, verifier) {
	if (!verifier) return false;
	if (grant.codeChallengeMethod === 'S256')
		return createHash('sha256').update(verifier).digest('base64url') === grant.codeChallenge;
	return verifier === grant.codeChallenge;
}

module.exports = { TokenService, audienceOf };
