// @ts-check
'use strict';

// The seeded identity accounts (Defender for Identity): the story's people as they exist in on-premises
// Active Directory, Entra ID and Okta, each provider entry with the actions it offers.

const { createHash } = require('node:crypto');
const { STORY } = require('./seed');

/**
 * @typedef {{ identifier: string, identityProvider: string, actions: string[] }} IdentityProviderAccount
 * @typedef {{
 *   id: string,
 *   displayName: string,
 *   domain: string | null,
 *   onPremisesSecurityIdentifier: string | null,
 *   cloudSecurityIdentifier: string | null,
 *   isEnabled: boolean,
 *   accounts: IdentityProviderAccount[],
 * }} IdentityAccount
 */

const AD_DOMAIN = 'contoso.com';

/** @param {string} text a stable GUID derived from `text`, in its own namespace so it never equals a story GUID */
const identityGuid = (text) => {
	const hex = createHash('sha256').update(`identity:${text}`).digest('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

/** @param {string} text an Okta user ID (`00u` and 17 characters), stable for `text` */
const oktaUserId = (text) =>
	`00u${createHash('sha256').update(`okta:${text}`).digest('base64url').replace(/[-_]/g, 'x').slice(0, 17)}`;

/**
 * Entra ID's cloud SID for an object ID: S-1-12-1 and the GUID's 16 bytes (Windows byte order) as four little-endian numbers.
 * @param {string} objectId
 */
function cloudSid(objectId) {
	const hex = objectId.replace(/-/g, '');
	const bytes = Buffer.from(hex, 'hex');
	const windowsOrder = Buffer.concat([
		Buffer.from(bytes.subarray(0, 4)).reverse(),
		Buffer.from(bytes.subarray(4, 6)).reverse(),
		Buffer.from(bytes.subarray(6, 8)).reverse(),
		bytes.subarray(8),
	]);
	const parts = [0, 4, 8, 12].map((offset) => windowsOrder.readUInt32LE(offset));
	return `S-1-12-1-${parts.join('-')}`;
}

/**
 * [story account name, its provider entries: provider -> actions offered]. Where Microsoft's pages disagree on which
 * provider allows what, the seed covers both readings: some Entra ID entries offer actions, some none.
 * @type {[string, Partial<Record<'activeDirectory' | 'entraID' | 'okta', string[]>>][]}
 */
const IDENTITY_ROWS = [
	[
		'megan.bowen',
		{
			activeDirectory: ['disable', 'forcePasswordReset'],
			entraID: [
				'disable',
				'revokeAllSessions',
				'requireUserToSignInAgain',
				'markUserAsCompromised',
			],
		},
	],
	['alex.wilber', { activeDirectory: ['disable', 'forcePasswordReset'], entraID: [] }],
	[
		'adele.vance',
		{
			activeDirectory: ['disable', 'forcePasswordReset'],
			entraID: ['revokeAllSessions', 'requireUserToSignInAgain', 'markUserAsCompromised'],
		},
	],
	[
		'lidia.holloway',
		{
			entraID: [
				'disable',
				'revokeAllSessions',
				'requireUserToSignInAgain',
				'markUserAsCompromised',
			],
		},
	],
	// Disabled on premises: Active Directory offers enable instead of disable (as Microsoft's get example shows).
	[
		'diego.siciliani',
		{ activeDirectory: ['enable', 'forcePasswordReset'], entraID: ['revokeAllSessions'] },
	],
	[
		'grady.archie',
		{ entraID: ['requireUserToSignInAgain'], okta: ['disable', 'revokeAllSessions'] },
	],
	['johanna.lorenz', { entraID: [] }],
	['svc-backup', { activeDirectory: ['disable', 'forcePasswordReset'] }],
];

/** An entry is disabled when it offers enable and not disable; the identity is enabled while none is. @param {IdentityProviderAccount[]} accounts */
const allEnabled = (accounts) =>
	!accounts.some((entry) => entry.actions.includes('enable') && !entry.actions.includes('disable'));

/** @type {IdentityAccount[]} */
const SEED_IDENTITY_ACCOUNTS = IDENTITY_ROWS.map(([accountName, providers]) => {
	const user = STORY.users[accountName];
	const onPremises = providers.activeDirectory !== undefined;
	const inCloud = providers.entraID !== undefined;
	/** @type {IdentityProviderAccount[]} */
	const accounts = [];
	if (providers.activeDirectory)
		accounts.push({
			identifier: identityGuid(`ad:${accountName}`),
			identityProvider: 'activeDirectory',
			actions: [...providers.activeDirectory],
		});
	// The Entra ID entry's identifier is the user's object ID, as alert evidence names it (azureAdUserId).
	if (providers.entraID)
		accounts.push({
			identifier: user.objectId,
			identityProvider: 'entraID',
			actions: [...providers.entraID],
		});
	if (providers.okta)
		accounts.push({
			identifier: oktaUserId(accountName),
			identityProvider: 'okta',
			actions: [...providers.okta],
		});
	return {
		id: identityGuid(`account:${accountName}`),
		displayName: user.displayName,
		domain: onPremises ? AD_DOMAIN : null,
		onPremisesSecurityIdentifier: onPremises ? user.sid : null,
		cloudSecurityIdentifier: inCloud ? cloudSid(user.objectId) : null,
		isEnabled: allEnabled(accounts),
		accounts,
	};
});

/** @param {string} accountName */
const idOf = (accountName) => identityGuid(`account:${accountName}`);

/** Seeded identity account IDs by what a test needs of them. */
const SEEDED_IDENTITY_ACCOUNT_IDS = Object.freeze({
	/** megan.bowen: Active Directory + Entra ID, compromised in incident 1004 (alerts 1001-01, 1004-01, 1004-02). */
	activeDirectoryAndEntra: idOf('megan.bowen'),
	/** alex.wilber: Active Directory + Entra ID without Entra actions; incident 1004 asks to disable him. */
	entraWithoutActions: idOf('alex.wilber'),
	/** lidia.holloway: Entra ID only, every Entra action; the business email compromise of incident 1008. */
	entraOnly: idOf('lidia.holloway'),
	/** diego.siciliani: disabled in Active Directory (isEnabled false); incident 1007 asks to re-enable him. */
	disabled: idOf('diego.siciliani'),
	/** grady.archie: Okta + Entra ID. */
	okta: idOf('grady.archie'),
	/** svc-backup: Active Directory only. */
	activeDirectoryOnly: idOf('svc-backup'),
});

module.exports = {
	SEED_IDENTITY_ACCOUNTS: Object.freeze(SEED_IDENTITY_ACCOUNTS),
	SEEDED_IDENTITY_ACCOUNT_IDS,
	identityGuid,
	allEnabled,
};
