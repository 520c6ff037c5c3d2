import { NATIONAL_CLOUDS, resolveCloudEndpoints } from '../../nodes/shared/cloud';

describe('national clouds', () => {
	it.each([
		['global', 'https://graph.microsoft.com', 'https://login.microsoftonline.com'],
		['usGovL4', 'https://graph.microsoft.us', 'https://login.microsoftonline.us'],
		['usGovL5', 'https://dod-graph.microsoft.us', 'https://login.microsoftonline.us'],
		['china', 'https://microsoftgraph.chinacloudapi.cn', 'https://login.chinacloudapi.cn'],
	])('%s uses %s and %s', (cloud, graphRoot, loginRoot) => {
		expect(resolveCloudEndpoints({ cloud })).toEqual({ cloud, graphRoot, loginRoot });
	});

	it('defaults to the global cloud', () => {
		expect(resolveCloudEndpoints({}).graphRoot).toBe(NATIONAL_CLOUDS.global.graphRoot);
	});
});

describe('custom cloud URLs', () => {
	it('accepts https and trims a trailing slash', () => {
		expect(
			resolveCloudEndpoints({
				cloud: 'custom',
				customGraphUrl: 'https://graph.example.internal/',
				customLoginUrl: 'https://login.example.internal',
			}),
		).toEqual({
			cloud: 'custom',
			graphRoot: 'https://graph.example.internal',
			loginRoot: 'https://login.example.internal',
		});
	});

	it.each([
		'http://127.0.0.1:8080',
		'http://127.9.9.9',
		'http://localhost:3000',
		'http://[::1]:4000',
	])('accepts loopback http %s', (url) => {
		expect(
			resolveCloudEndpoints({ cloud: 'custom', customGraphUrl: url, customLoginUrl: url })
				.graphRoot,
		).toBe(url);
	});

	it.each([
		'http://graph.example.internal',
		'http://10.0.0.5',
		'http://localhost.evil.com',
		'ftp://127.0.0.1',
		'not a url',
		'',
	])('refuses %p', (url) => {
		expect(() =>
			resolveCloudEndpoints({
				cloud: 'custom',
				customGraphUrl: url,
				customLoginUrl: 'https://login.example',
			}),
		).toThrow(/Custom Graph URL/);
	});

	it('checks the login URL too', () => {
		expect(() =>
			resolveCloudEndpoints({
				cloud: 'custom',
				customGraphUrl: 'https://g.example',
				customLoginUrl: 'http://login.example',
			}),
		).toThrow(/Custom Login URL.*https/);
	});

	it.each([
		['localhost', true],
		['127.0.0.1', true],
		['[::1]', true],
		['128.0.0.1', false],
		['localhost.example', false],
		['127.0.0.1.nip.io', false],
	])('plain http on host %s is accepted: %s', (host, accepted) => {
		const resolve = () =>
			resolveCloudEndpoints({
				cloud: 'custom',
				customGraphUrl: `http://${host}`,
				customLoginUrl: 'https://login.example',
			});
		if (accepted) expect(resolve().graphRoot).toBe(`http://${host}`);
		else expect(resolve).toThrow(/Custom Graph URL/);
	});
});
