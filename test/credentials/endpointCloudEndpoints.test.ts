import {
	CUSTOM_ENDPOINT_SCOPE,
	resolveEndpointApiEndpoints,
} from '../../nodes/shared/apis/endpointCloud';

const commercialScope = 'https://api.securitycenter.microsoft.com/.default';

describe('Defender for Endpoint clouds', () => {
	it.each([
		[
			'usGovGcc',
			'https://api-gcc.securitycenter.microsoft.us',
			'https://login.microsoftonline.com',
			'https://securitycenter.onmicrosoft.com/windowsatpservice/.default',
		],
		[
			'usGovGccHigh',
			'https://api-gov.securitycenter.microsoft.us',
			'https://login.microsoftonline.us',
			'https://securitycenter.onmicrosoft.us/windowsatpservice/.default',
		],
		[
			'usGovDod',
			'https://api-gov.securitycenter.microsoft.us',
			'https://login.microsoftonline.us',
			'https://securitycenter.onmicrosoft.us/windowsatpservice/.default',
		],
	])('%s uses %s, %s and scope %s', (cloud, apiRoot, loginRoot, scope) => {
		expect(resolveEndpointApiEndpoints({ cloud })).toEqual({ cloud, apiRoot, loginRoot, scope });
	});

	it('defaults to the global cloud and lets Microsoft pick the region', () => {
		expect(resolveEndpointApiEndpoints({})).toEqual({
			cloud: 'global',
			apiRoot: 'https://api.security.microsoft.com',
			loginRoot: 'https://login.microsoftonline.com',
			scope: commercialScope,
		});
	});

	it.each(['us', 'eu', 'uk', 'au', 'swa', 'ina', 'aea'])(
		'global region %s uses its own host with the commercial sign-in and scope',
		(region) => {
			expect(resolveEndpointApiEndpoints({ cloud: 'global', region })).toEqual({
				cloud: 'global',
				apiRoot: `https://${region}.api.security.microsoft.com`,
				loginRoot: 'https://login.microsoftonline.com',
				scope: commercialScope,
			});
		},
	);

	it('ignores a region left over from the global cloud on another cloud', () => {
		expect(resolveEndpointApiEndpoints({ cloud: 'usGovGcc', region: 'eu' }).apiRoot).toBe(
			'https://api-gcc.securitycenter.microsoft.us',
		);
	});

	it.each([
		[{ cloud: 'china' }, /Unknown cloud "china" in the Microsoft Defender for Endpoint credential/],
		[{ cloud: 'toString' }, /Unknown cloud "toString"/],
		[{ cloud: 'global', region: 'mars' }, /Unknown region "mars"/],
	])('refuses %p', (credential, message) => {
		expect(() => resolveEndpointApiEndpoints(credential)).toThrow(message);
	});
});

describe('custom Defender for Endpoint URLs', () => {
	it('accepts https, trims a trailing slash and asks for the commercial audience', () => {
		expect(
			resolveEndpointApiEndpoints({
				cloud: 'custom',
				customApiUrl: ' https://mde.example.internal/ ',
				customLoginUrl: 'https://login.example.internal',
			}),
		).toEqual({
			cloud: 'custom',
			apiRoot: 'https://mde.example.internal',
			loginRoot: 'https://login.example.internal',
			scope: commercialScope,
		});
		expect(CUSTOM_ENDPOINT_SCOPE).toBe(commercialScope);
	});

	it.each([
		'http://127.0.0.1:8080',
		'http://127.9.9.9',
		'http://localhost:3000',
		'http://[::1]:4000',
	])('accepts loopback http %s', (url) => {
		expect(
			resolveEndpointApiEndpoints({ cloud: 'custom', customApiUrl: url, customLoginUrl: url }),
		).toMatchObject({ apiRoot: url, loginRoot: url });
	});

	it.each([
		'http://mde.example.internal',
		'http://10.0.0.5',
		'http://localhost.evil.com',
		'http://127.0.0.1.nip.io',
		'http://127.0.0.1@evil.example',
		'ftp://127.0.0.1',
		'https://mde.example.internal/?x=1',
		'not a url',
		'',
	])('refuses API URL %p', (url) => {
		expect(() =>
			resolveEndpointApiEndpoints({
				cloud: 'custom',
				customApiUrl: url,
				customLoginUrl: 'https://login.example',
			}),
		).toThrow(
			/Custom API URL in the Microsoft Defender for Endpoint credential must be an https:\/\//,
		);
	});

	it('checks the login URL too', () => {
		expect(() =>
			resolveEndpointApiEndpoints({
				cloud: 'custom',
				customApiUrl: 'https://mde.example',
				customLoginUrl: 'http://login.example',
			}),
		).toThrow(/Custom Login URL.*https/);
	});
});
