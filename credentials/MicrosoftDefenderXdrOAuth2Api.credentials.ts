import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/** The national clouds: one table, read by the credential's computed URLs and by the node. */
export const NATIONAL_CLOUDS = {
	global: {
		name: 'Global (graph.microsoft.com)',
		graphRoot: 'https://graph.microsoft.com',
		loginRoot: 'https://login.microsoftonline.com',
	},
	usGovL4: {
		name: 'US Government L4 (graph.microsoft.us)',
		graphRoot: 'https://graph.microsoft.us',
		loginRoot: 'https://login.microsoftonline.us',
	},
	usGovL5: {
		name: 'US Government L5 / DoD (dod-graph.microsoft.us)',
		graphRoot: 'https://dod-graph.microsoft.us',
		loginRoot: 'https://login.microsoftonline.us',
	},
	china: {
		name: 'China, operated by 21Vianet (microsoftgraph.chinacloudapi.cn)',
		graphRoot: 'https://microsoftgraph.chinacloudapi.cn',
		loginRoot: 'https://login.chinacloudapi.cn',
	},
} as const;

export type CloudName = keyof typeof NATIONAL_CLOUDS | 'custom';

export interface CloudEndpoints {
	cloud: CloudName;
	graphRoot: string;
	loginRoot: string;
}

/** Resolves and checks the Graph and login roots of a credential; throws a message a user can act on. */
export function resolveCloudEndpoints(credential: {
	cloud?: unknown;
	customGraphUrl?: unknown;
	customLoginUrl?: unknown;
}): CloudEndpoints {
	const cloud = (credential.cloud ?? 'global') as CloudName;
	if (cloud !== 'custom') {
		const known = NATIONAL_CLOUDS[cloud];
		if (!known) throw new Error(`Unknown cloud "${String(cloud)}" in the Microsoft Defender XDR credential`);
		return { cloud, graphRoot: known.graphRoot, loginRoot: known.loginRoot };
	}
	return {
		cloud,
		graphRoot: checkedCustomRoot(credential.customGraphUrl, 'Custom Graph URL'),
		loginRoot: checkedCustomRoot(credential.customLoginUrl, 'Custom Login URL'),
	};
}

function checkedCustomRoot(value: unknown, field: string): string {
	let url: URL;
	try {
		url = new URL(String(value ?? ''));
	} catch {
		throw new Error(`${field} in the Microsoft Defender XDR credential is not a URL`);
	}
	if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
		throw new Error(
			`${field} in the Microsoft Defender XDR credential must use https:// (http:// is allowed only for localhost, 127.0.0.0/8 and ::1)`,
		);
	}
	return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

export function isLoopbackHost(hostname: string): boolean {
	const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
	return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

// The computed fields are n8n expressions over the credential itself ($self), built from the table above.
// A custom root that breaks the https/loopback rule becomes an unroutable `.invalid` host, so n8n's own
// OAuth flows (Connect, token refresh) never send the client secret over plain http to another host.
const loginRoots = Object.fromEntries(Object.entries(NATIONAL_CLOUDS).map(([key, c]) => [key, c.loginRoot]));
const graphRoots = Object.fromEntries(Object.entries(NATIONAL_CLOUDS).map(([key, c]) => [key, c.graphRoot]));
const SAFE_CUSTOM_ROOT = String.raw`/^(https:\/\/[^\s]+|http:\/\/(localhost|127(\.\d{1,3}){3}|\[::1\])(:\d+)?(\/[^\s]*)?)$/`;
const rootOf = (roots: Record<string, string>, customField: string) => {
	const custom = String.raw`String($self.${customField} || '').replace(/\/+$/, '')`;
	return `(( ${JSON.stringify(roots)} )[$self.cloud] || (${SAFE_CUSTOM_ROOT}.test(${custom}) ? ${custom} : 'https://${customField}-must-use-https.invalid'))`;
};
const loginRoot = rootOf(loginRoots, 'customLoginUrl');
const graphRoot = rootOf(graphRoots, 'customGraphUrl');

export class MicrosoftDefenderXdrOAuth2Api implements ICredentialType {
	name = 'microsoftDefenderXdrOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Microsoft Defender XDR OAuth2 API';

	icon: Icon = 'file:../nodes/MicrosoftDefenderXdr/microsoftDefenderXdr.svg';

	documentationUrl = 'https://learn.microsoft.com/en-us/graph/auth-v2-service';

	properties: INodeProperties[] = [
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'options',
			options: [
				{
					name: 'Client Credentials (App-Only, for Automation)',
					value: 'clientCredentials',
				},
				{
					name: 'Authorization Code (Delegated, Signed-In User)',
					value: 'authorizationCode',
				},
			],
			default: 'clientCredentials',
		},
		{
			displayName: 'Tenant ID',
			name: 'tenantId',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'contoso.onmicrosoft.com or 00000000-0000-0000-0000-000000000000',
			description: 'The Microsoft Entra tenant ID (GUID) or one of its domains',
		},
		{
			displayName: 'Cloud',
			name: 'cloud',
			type: 'options',
			options: [
				...Object.entries(NATIONAL_CLOUDS).map(([value, cloud]) => ({ name: cloud.name, value })),
				{ name: 'Custom (Simulator or Proxy)', value: 'custom' },
			],
			default: 'global',
			description:
				'The Microsoft cloud of the tenant. Incident tasks are documented for the Global cloud only.',
		},
		{
			displayName: 'Custom Graph URL',
			name: 'customGraphUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://graph.example.internal',
			description:
				'Graph root, without a version. Must be https:// except for localhost, 127.0.0.0/8 and ::1.',
			displayOptions: { show: { cloud: ['custom'] } },
		},
		{
			displayName: 'Custom Login URL',
			name: 'customLoginUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://login.example.internal',
			description:
				'Login root; the token URL is {customLoginUrl}/{tenantId}/oauth2/v2.0/token. Must be https:// except for loopback hosts.',
			displayOptions: { show: { cloud: ['custom'] } },
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: `={{ ${loginRoot} }}/{{ $self.tenantId }}/oauth2/v2.0/authorize`,
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: `={{ ${loginRoot} }}/{{ $self.tenantId }}/oauth2/v2.0/token`,
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: `={{ ${graphRoot} + '/.default' + ($self.grantType === 'authorizationCode' ? ' offline_access' : '') }}`,
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: 'response_mode=query',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			default: 'body',
		},
	];
}
