import type { Icon, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { listed } from '../nodes/shared/cloud';
import {
	computedEndpointApiRoot,
	computedEndpointLoginRoot,
	computedEndpointScope,
	ENDPOINT_CLOUDS,
	ENDPOINT_REGIONS,
	UNDOCUMENTED_SCOPE_CLOUDS,
	type EndpointNamedCloud,
	type EndpointRegion,
} from '../nodes/shared/apis/endpointCloud';

/** The scopes Microsoft leaves undocumented, each with the clouds that ask for it, in words from the table. */
const undocumentedScopes = listed(
	[...new Set(UNDOCUMENTED_SCOPE_CLOUDS.map((cloud) => ENDPOINT_CLOUDS[cloud].scope))].map(
		(scope) =>
			`${scope} in ${listed(
				UNDOCUMENTED_SCOPE_CLOUDS.filter((cloud) => ENDPOINT_CLOUDS[cloud].scope === scope).map(
					(cloud) => ENDPOINT_CLOUDS[cloud].shortName,
				),
			)}`,
	),
);

// n8n's credential tester resolves its request against the credential's values as `$credentials`, not `$self`.
const testedApiRoot = computedEndpointApiRoot.replace(/\$self\./g, '$credentials.');

export class MicrosoftDefenderEndpointOAuth2Api implements ICredentialType {
	name = 'microsoftDefenderEndpointOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Microsoft Defender for Endpoint OAuth2 API';

	icon: Icon = {
		light: 'file:../icons/microsoftDefenderXdr.svg',
		dark: 'file:../icons/microsoftDefenderXdr.dark.svg',
	};

	documentationUrl =
		'https://github.com/n8n-nodes-microsoft-defender-xdr/n8n-nodes-microsoft-defender-xdr#defender-for-endpoint-credential';

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
				...(Object.keys(ENDPOINT_CLOUDS) as EndpointNamedCloud[]).map((value) => ({
					name: ENDPOINT_CLOUDS[value].name,
					value,
				})),
				{
					name: 'Custom (Simulator or Proxy)',
					value: 'custom',
					description:
						'Any Defender for Endpoint API root you run; the node sends it every request',
				},
			],
			default: 'global',
			description: 'The Microsoft cloud of the tenant',
			hint: `Microsoft documents the API and sign-in hosts of these clouds, but no token scope for the US Government ones: this credential asks for ${undocumentedScopes}, the scopes Cortex XSOAR's Microsoft API module uses. If sign-in works there but the API refuses the token (401 or 403), the scope is the likely cause: please open an issue.`,
		},
		{
			displayName: 'Region',
			name: 'region',
			type: 'options',
			options: (Object.keys(ENDPOINT_REGIONS) as EndpointRegion[]).map((value) => ({
				name: ENDPOINT_REGIONS[value],
				value,
			})),
			default: 'auto',
			description:
				'The regional API host closest to the tenant; Automatic lets Microsoft route every request',
			displayOptions: { show: { cloud: ['global'] } },
		},
		{
			displayName: 'Custom API URL',
			name: 'customApiUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://mde.example.internal',
			description:
				'Defender for Endpoint API root, without /api. Must be https:// except for localhost, 127.0.0.0/8 and ::1.',
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
			default: `={{ ${computedEndpointLoginRoot} }}/{{ $self.tenantId }}/oauth2/v2.0/authorize`,
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: `={{ ${computedEndpointLoginRoot} }}/{{ $self.tenantId }}/oauth2/v2.0/token`,
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: `={{ ${computedEndpointScope} + ($self.grantType === 'authorizationCode' ? ' offline_access' : '') }}`,
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

	// One cheap read that needs both a token for this API's audience and the permission to read devices.
	test: ICredentialTestRequest = {
		request: {
			method: 'GET',
			baseURL: `={{ ${testedApiRoot} }}`,
			url: '/api/machines',
			qs: { $top: 1 },
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Defender for Endpoint did not accept the token (401): check the Tenant ID, the Client ID and the Client Secret (a new or expired secret, or an app from another tenant), and that the Cloud matches the tenant',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'Signed in, but the app may not read devices (403): add the WindowsDefenderATP permission Machine.Read.All (application; Machine.Read for a signed-in user) and grant admin consent. A token for another cloud is refused the same way, so check the Cloud too',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'Signed in and allowed, but Defender for Endpoint lists no devices (404): it answers so when no device has been seen recently, so the credential itself works. For Custom, check the Custom API URL',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 429,
					message:
						'Signed in and allowed, but Defender for Endpoint is throttling this app right now (429): test again in a minute',
				},
			},
		],
	};
}
