/** The national clouds: one table, read by the credential's computed URLs and by the node. */
export const NATIONAL_CLOUDS = {
	global: {
		shortName: 'Global',
		name: 'Global (graph.microsoft.com)',
		graphRoot: 'https://graph.microsoft.com',
		loginRoot: 'https://login.microsoftonline.com',
	},
	usGovL4: {
		shortName: 'US Government L4',
		name: 'US Government L4 (graph.microsoft.us)',
		graphRoot: 'https://graph.microsoft.us',
		loginRoot: 'https://login.microsoftonline.us',
	},
	usGovL5: {
		shortName: 'US Government L5 (DoD)',
		name: 'US Government L5 / DoD (dod-graph.microsoft.us)',
		graphRoot: 'https://dod-graph.microsoft.us',
		loginRoot: 'https://login.microsoftonline.us',
	},
	china: {
		shortName: 'China (21Vianet)',
		name: 'China, operated by 21Vianet (microsoftgraph.chinacloudapi.cn)',
		graphRoot: 'https://microsoftgraph.chinacloudapi.cn',
		loginRoot: 'https://login.chinacloudapi.cn',
	},
} as const;

export type NationalCloud = keyof typeof NATIONAL_CLOUDS;
export type CloudName = keyof typeof NATIONAL_CLOUDS | 'custom';

/**
 * Which national clouds Microsoft offers each Graph resource of the node in, as the national-cloud table at the foot
 * of each resource's Graph API pages says. A custom root (the simulator, a proxy) is taken to serve them all.
 */
export const RESOURCE_CLOUDS = {
	incidentTasks: { resource: 'incident tasks', clouds: ['global'] },
	incidents: { resource: 'incidents', clouds: ['global', 'usGovL4', 'usGovL5'] },
	alerts: { resource: 'alerts', clouds: ['global', 'usGovL4', 'usGovL5'] },
	advancedHunting: { resource: 'advanced hunting', clouds: ['global', 'usGovL4', 'usGovL5'] },
	identityAccounts: { resource: 'identity accounts', clouds: ['global'] },
} as const satisfies Record<string, { resource: string; clouds: readonly NationalCloud[] }>;

export type ResourceClouds = (typeof RESOURCE_CLOUDS)[keyof typeof RESOURCE_CLOUDS];

/** "a", "a and b", "a, b and c" (or "a, b or c"). */
export function listed(words: readonly string[], conjunction: 'and' | 'or' = 'and'): string {
	return words.length < 2
		? words.join('')
		: `${words.slice(0, -1).join(', ')} ${conjunction} ${words[words.length - 1]}`;
}

/** Whether Microsoft offers a resource in a cloud; custom roots are trusted to serve everything. */
export function isOfferedIn(offered: ResourceClouds, cloud: CloudName): boolean {
	return cloud === 'custom' || (offered.clouds as readonly string[]).includes(cloud);
}

/** What a cloud offers, in words, for the credential's hint: "incidents, alerts and advanced hunting". */
export function resourcesOfferedIn(cloud: NationalCloud): string {
	const offered = Object.values(RESOURCE_CLOUDS).filter((entry) => isOfferedIn(entry, cloud));
	return offered.length
		? listed(offered.map((entry) => entry.resource))
		: 'none of the resources of this node';
}

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
		if (!known)
			throw new Error(`Unknown cloud "${String(cloud)}" in the Microsoft Defender XDR credential`);
		return { cloud, graphRoot: known.graphRoot, loginRoot: known.loginRoot };
	}
	return {
		cloud,
		graphRoot: checkedCustomRoot(credential.customGraphUrl, 'Custom Graph URL'),
		loginRoot: checkedCustomRoot(credential.customLoginUrl, 'Custom Login URL'),
	};
}

/**
 * The one rule for custom roots: https anywhere, plain http only on a loopback host written out as
 * `localhost`, a dotted 127.x.x.x address or `[::1]`. The node checks the credential's text with it, and the
 * credential's computed URLs embed the same expression, so both always agree.
 */
export const SAFE_CUSTOM_ROOT =
	/^(https:\/\/[^\s/?#]+|http:\/\/(localhost|127(\.\d{1,3}){3}|\[::1\])(:\d+)?)(\/[^\s?#]*)?$/i;

function checkedCustomRoot(value: unknown, field: string): string {
	const root = String(value ?? '')
		.trim()
		.replace(/\/+$/, '');
	if (!SAFE_CUSTOM_ROOT.test(root)) {
		throw new Error(
			`${field} in the Microsoft Defender XDR credential must be an https:// URL (http:// is allowed only for localhost, 127.x.x.x and [::1]), without a query`,
		);
	}
	return root;
}

// The computed fields are n8n expressions over the credential itself ($self), built from the table above.
// A custom root that breaks the rule becomes an unroutable `.invalid` host, so n8n's own OAuth flows
// (Connect, token refresh) never send the client secret over plain http to another host.
const rootOf = (cloudField: 'graphRoot' | 'loginRoot', customField: string) => {
	const roots = Object.fromEntries(
		Object.entries(NATIONAL_CLOUDS).map(([key, cloud]) => [key, cloud[cloudField]]),
	);
	const custom = `String($self.${customField} || '').trim().replace(/\\/+$/, '')`;
	return `(( ${JSON.stringify(roots)} )[$self.cloud] || (/${SAFE_CUSTOM_ROOT.source}/i.test(${custom}) ? ${custom} : 'https://${customField}-must-use-https.invalid'))`;
};
export const computedLoginRoot = rootOf('loginRoot', 'customLoginUrl');
export const computedGraphRoot = rootOf('graphRoot', 'customGraphUrl');
