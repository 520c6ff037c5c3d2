import type { Icon, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import {
	computedGraphRoot,
	computedLoginRoot,
	NATIONAL_CLOUDS,
	resourcesOfferedIn,
	type NationalCloud,
} from '../nodes/shared/cloud';

/** What Microsoft offers in each cloud, in words from the node's own table, so the hint and the node never disagree. */
const offeredPerCloud = (Object.keys(NATIONAL_CLOUDS) as NationalCloud[])
	.map((cloud) => `${NATIONAL_CLOUDS[cloud].shortName}: ${resourcesOfferedIn(cloud)}`)
	.join('. ');

// n8n's credential tester resolves its request against the credential's values as `$credentials`, not `$self`.
const testedGraphRoot = computedGraphRoot.replace(/\$self\./g, '$credentials.');

export class MicrosoftDefenderXdrOAuth2Api implements ICredentialType {
	name = 'microsoftDefenderXdrOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Microsoft Defender XDR OAuth2 API';

	icon: Icon = {
		light: 'file:../icons/microsoftDefenderXdr.svg',
		dark: 'file:../icons/microsoftDefenderXdr.dark.svg',
	};

	documentationUrl =
		'https://github.com/n8n-nodes-microsoft-defender-xdr/n8n-nodes-microsoft-defender-xdr#set-up-in-microsoft-entra';

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
				...(Object.keys(NATIONAL_CLOUDS) as NationalCloud[]).map((value) => ({
					name: NATIONAL_CLOUDS[value].name,
					value,
					description: `Microsoft offers here: ${resourcesOfferedIn(value)}`,
				})),
				{
					name: 'Custom (Simulator or Proxy)',
					value: 'custom',
					description: 'Any Graph root you run; the node sends it every request',
				},
			],
			default: 'global',
			description: 'The Microsoft cloud of the tenant',
			hint: `What Microsoft offers in each cloud. ${offeredPerCloud}. The node refuses the rest before sending anything.`,
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
			default: `={{ ${computedLoginRoot} }}/{{ $self.tenantId }}/oauth2/v2.0/authorize`,
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: `={{ ${computedLoginRoot} }}/{{ $self.tenantId }}/oauth2/v2.0/token`,
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: `={{ ${computedGraphRoot} + '/.default' + ($self.grantType === 'authorizationCode' ? ' offline_access' : '') }}`,
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

	// One cheap read that needs both a token and the permission the node needs: list at most one incident task.
	test: ICredentialTestRequest = {
		request: {
			method: 'GET',
			baseURL: `={{ ${testedGraphRoot} }}`,
			url: '/beta/security/incidentTasks',
			qs: { $top: 1 },
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Microsoft Graph did not accept the token (401): check the Tenant ID, the Client ID and the Client Secret (a new or expired secret, or an app from another tenant), and that the Cloud matches the tenant',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'Signed in, but the app may not read incident tasks (403). Microsoft publishes no Graph permission for incident tasks yet; what to try: the application permission SecurityIncident.ReadWrite.All with admin consent, and check that the tenant has Defender Experts for XDR',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'Signed in, but Graph has no incident tasks at this address (404): incident tasks are documented for the Global cloud only; check the Cloud and, for Custom, the Custom Graph URL',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 429,
					message:
						'Signed in and allowed, but Graph is throttling this app right now (429): test again in a minute',
				},
			},
		],
	};
}
