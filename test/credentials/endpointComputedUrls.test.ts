import {
	ENDPOINT_CLOUDS,
	ENDPOINT_REGIONS,
	resolveEndpointApiEndpoints,
} from '../../nodes/shared/apis/endpointCloud';
import { createEngine } from '../harness/n8n-engine';

const CREDENTIAL_TYPE = 'microsoftDefenderEndpointOAuth2Api';
const tenantId = 'contoso.onmicrosoft.com';

/** Resolves the credential as n8n does (type defaults, then `$self` expressions) and returns what n8n's OAuth2 client uses. */
async function resolve(fields: Record<string, unknown>) {
	const engine = createEngine();
	engine.credentialsHelper.stored[CREDENTIAL_TYPE] = {
		clientId: 'app',
		clientSecret: 'not-a-secret',
		tenantId,
		...fields,
	};
	try {
		const data = await engine.credentialsHelper.getDecrypted(
			{} as any,
			{ id: '1', name: 'c' },
			CREDENTIAL_TYPE,
			'internal',
		);
		return {
			grantType: data.grantType,
			authUrl: data.authUrl,
			accessTokenUrl: data.accessTokenUrl,
			scope: data.scope,
			authentication: data.authentication,
			authQueryParameters: data.authQueryParameters,
		};
	} finally {
		engine.shutdown();
	}
}

/** Every cloud the credential offers, the global one once per region. */
const everyCloudAndRegion: Array<Record<string, string>> = [
	...Object.keys(ENDPOINT_REGIONS).map((region) => ({ cloud: 'global', region })),
	...Object.keys(ENDPOINT_CLOUDS)
		.filter((cloud) => cloud !== 'global')
		.map((cloud) => ({ cloud })),
	{
		cloud: 'custom',
		customApiUrl: 'https://mde.example.internal/',
		customLoginUrl: 'https://login.example.internal',
	},
	{ cloud: 'custom', customApiUrl: 'http://127.0.0.1:8787', customLoginUrl: 'http://[::1]:4000/' },
];

describe('the Defender for Endpoint credential as n8n resolves it', () => {
	it('defaults to app-only client credentials on the global cloud, for the API audience', async () => {
		expect(await resolve({})).toEqual({
			grantType: 'clientCredentials',
			authUrl: `https://login.microsoftonline.com/${tenantId}/oauth2/v2.0/authorize`,
			accessTokenUrl: `https://login.microsoftonline.com/${tenantId}/oauth2/v2.0/token`,
			scope: 'https://api.securitycenter.microsoft.com/.default',
			authentication: 'body',
			authQueryParameters: 'response_mode=query',
		});
	});

	it.each(everyCloudAndRegion)('signs in where the node resolver says, for %p', async (fields) => {
		const { loginRoot, scope } = resolveEndpointApiEndpoints(fields);
		expect(await resolve(fields)).toMatchObject({
			authUrl: `${loginRoot}/${tenantId}/oauth2/v2.0/authorize`,
			accessTokenUrl: `${loginRoot}/${tenantId}/oauth2/v2.0/token`,
			scope,
		});
	});

	it.each([
		['usGovGcc', 'https://login.microsoftonline.com', 'https://securitycenter.onmicrosoft.com'],
		['usGovGccHigh', 'https://login.microsoftonline.us', 'https://securitycenter.onmicrosoft.us'],
		['usGovDod', 'https://login.microsoftonline.us', 'https://securitycenter.onmicrosoft.us'],
	])('computes the %s sign-in and scope', async (cloud, login, audience) => {
		expect(await resolve({ cloud })).toMatchObject({
			accessTokenUrl: `${login}/${tenantId}/oauth2/v2.0/token`,
			scope: `${audience}/windowsatpservice/.default`,
		});
	});

	it('adds offline_access for the delegated grant', async () => {
		expect((await resolve({ grantType: 'authorizationCode', cloud: 'usGovDod' })).scope).toBe(
			'https://securitycenter.onmicrosoft.us/windowsatpservice/.default offline_access',
		);
	});

	it('uses custom login roots, trimmed, with the commercial audience', async () => {
		expect(
			await resolve({
				cloud: 'custom',
				customLoginUrl: 'http://localhost:3000/',
				customApiUrl: 'https://mde.example.internal',
			}),
		).toMatchObject({
			accessTokenUrl: `http://localhost:3000/${tenantId}/oauth2/v2.0/token`,
			scope: 'https://api.securitycenter.microsoft.com/.default',
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
				customApiUrl: 'https://mde.example.internal',
			});
			expect(resolved.accessTokenUrl).toBe(
				`https://customLoginUrl-must-use-https.invalid/${tenantId}/oauth2/v2.0/token`,
			);
			expect(resolved.authUrl).toMatch(/^https:\/\/customLoginUrl-must-use-https\.invalid\//);
			expect(() =>
				resolveEndpointApiEndpoints({
					cloud: 'custom',
					customLoginUrl,
					customApiUrl: 'https://mde.example.internal',
				}),
			).toThrow(/Custom Login URL/);
		},
	);
});
