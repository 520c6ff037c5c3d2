import type { SecurityNamespace } from '@microsoft/microsoft-graph-types-beta';
import type { IDataObject } from 'n8n-workflow';

import type { SameValues } from './incidentTask';

/**
 * The identity-account domain (Defender for Identity, Graph v1.0 `security/identities/identityAccounts`), named once:
 * the actions, the identity providers, and how an account or an action's result is read whatever form Graph answers
 * in. Microsoft's pages spell the same things several ways (`identityProvider` and `provider`, `entraID` and
 * `EntraID`, `disable` and `Disable`, with and without a `value` wrapper); everything is read in any of them and
 * written out in the camelCase form of Graph's type definitions, which the tables are checked against at compile time.
 */

/** What `invokeAction` can do to an identity's account in one provider, with the labels users see. */
export const IDENTITY_ACTIONS = [
	{ value: 'disable', name: 'Disable Account' },
	{ value: 'enable', name: 'Enable Account' },
	{ value: 'forcePasswordReset', name: 'Force Password Reset' },
	{ value: 'markUserAsCompromised', name: 'Mark User as Compromised' },
	{ value: 'requireUserToSignInAgain', name: 'Require User to Sign In Again' },
	{ value: 'revokeAllSessions', name: 'Revoke All Sessions' },
] as const;
export type IdentityAction = (typeof IDENTITY_ACTIONS)[number]['value'];
// Graph's `unknownFutureValue` is a marker, not an action anyone can ask for.
const actionsMatchGraph: SameValues<
	IdentityAction,
	Exclude<SecurityNamespace.Action, 'unknownFutureValue'>
> = true;

/** Where an identity's account lives, with the names users know them by. */
export const IDENTITY_PROVIDERS = [
	{ value: 'activeDirectory', name: 'Active Directory (On-Premises)' },
	{ value: 'entraID', name: 'Microsoft Entra ID' },
	{ value: 'okta', name: 'Okta' },
] as const;
export type IdentityProvider = (typeof IDENTITY_PROVIDERS)[number]['value'];
const providersMatchGraph: SameValues<
	IdentityProvider,
	Exclude<SecurityNamespace.IdentityProvider, 'unknownFutureValue'>
> = true;

/** Short provider names for messages: "Active Directory", "Entra ID", "Okta". */
export const PROVIDER_NAMES: Record<IdentityProvider, string> = {
	activeDirectory: 'Active Directory',
	entraID: 'Entra ID',
	okta: 'Okta',
};

// The compile-time checks above are their own proof; nothing reads them at run time.
void [actionsMatchGraph, providersMatchGraph];

/** The member of a fixed set a text names, in any casing (`Disable`, `EntraID`), or undefined. */
function memberOf<T extends string>(
	value: unknown,
	members: ReadonlyArray<{ value: T }>,
): T | undefined {
	if (typeof value !== 'string') return undefined;
	const wanted = value.trim().toLowerCase();
	return members.find((member) => member.value.toLowerCase() === wanted)?.value;
}

export const identityActionOf = (value: unknown) => memberOf(value, IDENTITY_ACTIONS);
export const identityProviderOf = (value: unknown) => memberOf(value, IDENTITY_PROVIDERS);

/** One provider entry of an identity account, as the node writes it out. */
export interface ProviderAccount extends IDataObject {
	identifier: string | null;
	/** camelCase when Graph named a known provider; what Graph sent otherwise. */
	identityProvider: string | null;
	/** Known actions in camelCase; an action the node does not know is kept as Graph sent it. */
	actions: string[];
}

export interface IdentityAccount extends IDataObject {
	id?: string;
	displayName?: string | null;
	accounts: ProviderAccount[];
}

/** An answer's entity: Microsoft's examples wrap a single entity (and an action's result) in `value`, its types do not. */
export function unwrapped(body: unknown): IDataObject {
	const object = (body ?? {}) as IDataObject;
	const inner = object.value;
	const entity =
		inner && typeof inner === 'object' && !Array.isArray(inner) ? (inner as IDataObject) : object;
	// The OData context describes the answer, not the account: it is not passed on.
	const rest = { ...entity };
	delete rest['@odata.context'];
	return rest;
}

/** One provider entry in the node's one form, from either of Graph's (`identityProvider` or `provider`, any casing). */
function providerAccountOf(entry: unknown): ProviderAccount {
	const { provider, identityProvider, identifier, actions, ...rest } = (entry ?? {}) as IDataObject;
	const given = identityProvider ?? provider;
	return {
		...rest,
		identifier: typeof identifier === 'string' ? identifier : null,
		identityProvider: identityProviderOf(given) ?? (typeof given === 'string' ? given : null),
		actions: Array.isArray(actions)
			? actions.map((action) => identityActionOf(action) ?? String(action))
			: [],
	};
}

/** An identity account as the node writes it out: unwrapped, each provider entry in one form. */
export function identityAccountOf(body: unknown): IdentityAccount {
	const account = unwrapped(body);
	return {
		...account,
		accounts: Array.isArray(account.accounts) ? account.accounts.map(providerAccountOf) : [],
	};
}

/** The account's entry for a provider, if it has one. */
export function entryFor(
	account: IdentityAccount,
	provider: IdentityProvider,
): ProviderAccount | undefined {
	return account.accounts.find((entry) => entry.identityProvider === provider);
}

/** An `invokeActionResult`'s correlation ID, wrapped in `value` or not; null when Graph sent none. */
export function correlationIdOf(body: unknown): string | null {
	const id = unwrapped(body).correlationId;
	return typeof id === 'string' && id !== '' ? id : null;
}
