import { SAFE_CUSTOM_ROOT } from '../cloud';

/**
 * The Defender for Endpoint API in each Microsoft cloud: one table, read by the credential's computed fields
 * and by the node. The API takes tokens for its own audience (`scope`), never Graph's.
 */
export const ENDPOINT_CLOUDS = {
	global: {
		shortName: 'Global',
		name: 'Global (api.security.microsoft.com)',
		apiRoot: 'https://api.security.microsoft.com',
		loginRoot: 'https://login.microsoftonline.com',
		scope: 'https://api.securitycenter.microsoft.com/.default',
	},
	usGovGcc: {
		shortName: 'US Government GCC',
		name: 'US Government GCC (api-gcc.securitycenter.microsoft.us)',
		apiRoot: 'https://api-gcc.securitycenter.microsoft.us',
		loginRoot: 'https://login.microsoftonline.com',
		scope: 'https://securitycenter.onmicrosoft.com/windowsatpservice/.default',
	},
	usGovGccHigh: {
		shortName: 'US Government GCC High',
		name: 'US Government GCC High (api-gov.securitycenter.microsoft.us)',
		apiRoot: 'https://api-gov.securitycenter.microsoft.us',
		loginRoot: 'https://login.microsoftonline.us',
		scope: 'https://securitycenter.onmicrosoft.us/windowsatpservice/.default',
	},
	usGovDod: {
		shortName: 'US Government DoD',
		name: 'US Government DoD (api-gov.securitycenter.microsoft.us)',
		apiRoot: 'https://api-gov.securitycenter.microsoft.us',
		loginRoot: 'https://login.microsoftonline.us',
		scope: 'https://securitycenter.onmicrosoft.us/windowsatpservice/.default',
	},
} as const;

/** The US Government clouds, whose token scope Microsoft does not document (the credential's hint says so). */
export const UNDOCUMENTED_SCOPE_CLOUDS = ['usGovGcc', 'usGovGccHigh', 'usGovDod'] as const;

/** A simulator or proxy stands in for the commercial API, so it takes the commercial audience. */
export const CUSTOM_ENDPOINT_SCOPE = ENDPOINT_CLOUDS.global.scope;

/** The global cloud's regional hosts; `auto` lets Microsoft route to the nearest one. */
export const ENDPOINT_REGIONS = {
	auto: 'Automatic (api.security.microsoft.com)',
	us: 'United States (us.api.security.microsoft.com)',
	eu: 'Europe (eu.api.security.microsoft.com)',
	uk: 'United Kingdom (uk.api.security.microsoft.com)',
	au: 'Australia (au.api.security.microsoft.com)',
	swa: 'swa.api.security.microsoft.com',
	ina: 'ina.api.security.microsoft.com',
	aea: 'aea.api.security.microsoft.com',
} as const;

export type EndpointNamedCloud = keyof typeof ENDPOINT_CLOUDS;
export type EndpointCloud = EndpointNamedCloud | 'custom';
export type EndpointRegion = keyof typeof ENDPOINT_REGIONS;

/** `https://{region}.api.security.microsoft.com`, or the global root itself for `auto`. */
export function regionalApiRoot(region: EndpointRegion): string {
	const { apiRoot } = ENDPOINT_CLOUDS.global;
	return region === 'auto' ? apiRoot : apiRoot.replace('://', `://${region}.`);
}

const CREDENTIAL_NAME = 'the Microsoft Defender for Endpoint credential';

export interface EndpointApiEndpoints {
	cloud: EndpointCloud;
	apiRoot: string;
	loginRoot: string;
	scope: string;
}

/** Resolves and checks the API root, login root and token scope of a credential; throws a message a user can act on. */
export function resolveEndpointApiEndpoints(credential: {
	cloud?: unknown;
	region?: unknown;
	customApiUrl?: unknown;
	customLoginUrl?: unknown;
}): EndpointApiEndpoints {
	const cloud = (credential.cloud ?? 'global') as EndpointCloud;
	if (cloud === 'custom') {
		return {
			cloud,
			apiRoot: checkedCustomRoot(credential.customApiUrl, 'Custom API URL'),
			loginRoot: checkedCustomRoot(credential.customLoginUrl, 'Custom Login URL'),
			scope: CUSTOM_ENDPOINT_SCOPE,
		};
	}
	if (!isKeyOf(ENDPOINT_CLOUDS, cloud))
		throw new Error(`Unknown cloud "${String(cloud)}" in ${CREDENTIAL_NAME}`);
	const { apiRoot, loginRoot, scope } = ENDPOINT_CLOUDS[cloud];
	if (cloud !== 'global') return { cloud, apiRoot, loginRoot, scope };
	const region = credential.region ?? 'auto';
	if (!isKeyOf(ENDPOINT_REGIONS, region))
		throw new Error(`Unknown region "${String(region)}" in ${CREDENTIAL_NAME}`);
	return { cloud, apiRoot: regionalApiRoot(region), loginRoot, scope };
}

function isKeyOf<T extends object>(table: T, key: unknown): key is keyof T {
	return typeof key === 'string' && Object.prototype.hasOwnProperty.call(table, key);
}

function checkedCustomRoot(value: unknown, field: string): string {
	const root = String(value ?? '')
		.trim()
		.replace(/\/+$/, '');
	if (!SAFE_CUSTOM_ROOT.test(root)) {
		throw new Error(
			`${field} in ${CREDENTIAL_NAME} must be an https:// URL (http:// is allowed only for localhost, 127.x.x.x and [::1]), without a query`,
		);
	}
	return root;
}

// The credential's computed fields: n8n expressions over the credential itself ($self), built from the tables
// above. A custom root that breaks the https rule becomes an unroutable `.invalid` host, so n8n's own OAuth
// flows never send the client secret over plain http to another host.
const selfCloud = `($self.cloud || 'global')`;
const checkedCustom = (customField: string) => {
	const custom = `String($self.${customField} || '').trim().replace(/\\/+$/, '')`;
	return `(/${SAFE_CUSTOM_ROOT.source}/i.test(${custom}) ? ${custom} : 'https://${customField}-must-use-https.invalid')`;
};
const perCloud = (field: 'apiRoot' | 'loginRoot' | 'scope') =>
	JSON.stringify(
		Object.fromEntries(Object.entries(ENDPOINT_CLOUDS).map(([key, cloud]) => [key, cloud[field]])),
	);
const perRegion = JSON.stringify(
	Object.fromEntries(
		(Object.keys(ENDPOINT_REGIONS) as EndpointRegion[]).map((region) => [
			region,
			regionalApiRoot(region),
		]),
	),
);

export const computedEndpointApiRoot = `((${selfCloud} === 'global' ? ( ${perRegion} )[$self.region || 'auto'] : ( ${perCloud('apiRoot')} )[${selfCloud}]) || ${checkedCustom('customApiUrl')})`;
export const computedEndpointLoginRoot = `(( ${perCloud('loginRoot')} )[${selfCloud}] || ${checkedCustom('customLoginUrl')})`;
export const computedEndpointScope = `(( ${perCloud('scope')} )[${selfCloud}] || ${JSON.stringify(CUSTOM_ENDPOINT_SCOPE)})`;
