import { createEngine } from '../harness/n8n-engine';

/** Resolves the credential as n8n does (type defaults, then `$self` expressions) and returns what n8n's OAuth2 client uses. */
async function resolve(fields: Record<string, unknown>) {
	const engine = createEngine({
		credential: {
			clientId: 'app',
			clientSecret: 'not-a-secret',
			tenantId: 'contoso.onmicrosoft.com',
			...fields,
		},
	});
	try {
		const data = await engine.credentialsHelper.getDecrypted(
			{} as any,
			{ id: '1', name: 'c' },
			'microsoftDefenderXdrOAuth2Api',
			'internal',
		);
		return {
			grantType: data.grantType,
			authUrl: data.authUrl,
			accessTokenUrl: data.accessTokenUrl,
			scope: data.scope,
			authentication: data.authentication,
		};
	} finally {
		engine.shutdown();
	}
}

describe('the credential as n8n resolves it', () => {
	it('defaults to app-only client credentials on the global cloud', async () => {
		expect(await resolve({})).toEqual({
			grantType: 'clientCredentials',
			authUrl: 'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize',
			accessTokenUrl: 'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token',
			scope: 'https://graph.microsoft.com/.default',
			authentication: 'body',
		});
	});

	it.each([
		['usGovL4', 'https://login.microsoftonline.us', 'https://graph.microsoft.us'],
		['usGovL5', 'https://login.microsoftonline.us', 'https://dod-graph.microsoft.us'],
		['china', 'https://login.chinacloudapi.cn', 'https://microsoftgraph.chinacloudapi.cn'],
	])('computes the %s URLs and scope', async (cloud, login, graph) => {
		expect(await resolve({ cloud })).toMatchObject({
			accessTokenUrl: `${login}/contoso.onmicrosoft.com/oauth2/v2.0/token`,
			authUrl: `${login}/contoso.onmicrosoft.com/oauth2/v2.0/authorize`,
			scope: `${graph}/.default`,
		});
	});

	it('adds offline_access for the delegated grant', async () => {
		expect((await resolve({ grantType: 'authorizationCode' })).scope).toBe(
			'https://graph.microsoft.com/.default offline_access',
		);
	});

	it.each([
		[
			'https://login.example.internal/',
			'https://graph.example.internal',
			'https://login.example.internal',
			'https://graph.example.internal',
		],
		[
			'http://127.0.0.1:8787',
			'http://127.0.0.1:8787',
			'http://127.0.0.1:8787',
			'http://127.0.0.1:8787',
		],
		['http://localhost:3000', 'http://[::1]:4000', 'http://localhost:3000', 'http://[::1]:4000'],
	])('uses custom roots %s and %s', async (customLoginUrl, customGraphUrl, login, graph) => {
		expect(await resolve({ cloud: 'custom', customLoginUrl, customGraphUrl })).toMatchObject({
			accessTokenUrl: `${login}/contoso.onmicrosoft.com/oauth2/v2.0/token`,
			scope: `${graph}/.default`,
		});
	});

	it.each([
		'http://login.example.internal',
		'http://localhost.evil.example',
		'http://127.0.0.1@evil.example',
		'ftp://127.0.0.1',
	])(
		'never points n8n at plain-http custom login URL %s (the secret would travel in clear)',
		async (customLoginUrl) => {
			const resolved = await resolve({
				cloud: 'custom',
				customLoginUrl,
				customGraphUrl: 'https://graph.example.internal',
			});
			expect(resolved.accessTokenUrl).toBe(
				'https://customLoginUrl-must-use-https.invalid/contoso.onmicrosoft.com/oauth2/v2.0/token',
			);
			expect(resolved.authUrl).toMatch(/^https:\/\/customLoginUrl-must-use-https\.invalid\//);
		},
	);
});
