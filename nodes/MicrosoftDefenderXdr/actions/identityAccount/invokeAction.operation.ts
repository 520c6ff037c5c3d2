import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { listed } from '../../../shared/cloud';
import {
	correlationIdOf,
	entryFor,
	IDENTITY_ACTIONS,
	IDENTITY_PROVIDERS,
	identityActionOf,
	identityProviderOf,
	PROVIDER_NAMES,
	type IdentityAccount,
	type IdentityAction,
	type IdentityProvider,
} from '../../../shared/identityAccount';
import {
	describeValue,
	hasControlCharacter,
	isBlank,
	parameterError,
	toBoolean,
} from '../../../shared/parameters';
import { IDENTITY_ACCOUNT } from '../../../shared/resources/identityAccount';
import { DefenderXdrError } from '../../../shared/transport/errors';
import type { ApiSession } from '../../../shared/transport/session';
import {
	agentOptInOption,
	defaultsOf,
	optionsProperty,
	rawParameter,
	type OperationResult,
	type OperationRun,
} from '../operation';
import {
	identityAccountIdOf,
	identityAccountIdProperty,
	identityAccountPath,
	readIdentityAccount,
	readIdentityAccountId,
} from './common';

const invokeOptions = optionsProperty([
	agentOptInOption(IDENTITY_ACCOUNT, 'invokeAction'),
	{
		displayName: 'Account ID in the Provider',
		name: 'accountId',
		type: 'string',
		default: '',
		placeholder: 'e.g. 256db173-930a-4991-9061-0d51a9a93ba5',
		description:
			"The identifier of the account's entry for the identity provider, as Get shows it under accounts. Empty: the node reads the account and takes it from there. Needed only to send without reading the account (Verify Account off).",
	},
	{
		displayName: 'Dry Run',
		name: 'dryRun',
		type: 'boolean',
		default: false,
		description:
			'Whether to check the account and report the request that would be sent, without sending it',
	},
	{
		displayName: 'Verify Account',
		name: 'verifyAccount',
		type: 'boolean',
		default: true,
		description:
			"Whether to read the account first and send the action only if the account's entry for the identity provider lists it. Off: Graph alone decides.",
	},
]);

const properties: INodeProperties[] = [
	identityAccountIdProperty,
	{
		displayName: 'Action',
		name: 'action',
		type: 'options',
		required: true,
		options: IDENTITY_ACTIONS.map(({ name, value }) => ({ name, value })),
		default: 'disable',
		description:
			"What to do to the identity's account in the chosen provider. Which actions an account accepts is listed per provider on the account (Get shows them).",
	},
	{
		displayName: 'Identity Provider',
		name: 'identityProvider',
		type: 'options',
		required: true,
		options: IDENTITY_PROVIDERS.map(({ name, value }) => ({ name, value })),
		default: 'activeDirectory',
		description: "Which of the identity's accounts to act on: where that account lives",
	},
	{
		// The options collection starts empty in the editor, so the safe default is said here.
		displayName:
			"The account is read first, and the action is sent only if the account's entry for this provider lists it (Verify Account, on by default). A lost answer is reported as executed: unknown, never sent again.",
		name: 'safeDefaultsNotice',
		type: 'notice',
		default: '',
	},
	invokeOptions,
];

export const option = {
	name: 'Invoke Action',
	description:
		'Contain a compromised identity: disable or enable its account, revoke its sessions, make it sign in again, force a password reset or mark it compromised, in Active Directory, Entra ID or Okta',
	action: 'Invoke an action on an identity account',
};

export const description = updateDisplayOptions(
	{ show: { resource: ['identityAccount'], operation: ['invokeAction'] } },
	properties,
);

interface InvokeOptions {
	verifyAccount: boolean;
	dryRun: boolean;
	/** The provider's identifier of the account, when the user gave one. */
	accountId?: string;
}

/** The options' defaults, read from the description above: one home for each default. */
const DEFAULT_OPTIONS = defaultsOf(invokeOptions);

function readOptions(ctx: IExecuteFunctions, itemIndex: number): InvokeOptions {
	const options = {
		...DEFAULT_OPTIONS,
		...(ctx.getNodeParameter('options', itemIndex, {}) as IDataObject),
	};
	const accountId = options.accountId;
	if (
		!isBlank(accountId) &&
		(typeof accountId !== 'string' || accountId.length > 256 || hasControlCharacter(accountId))
	) {
		throw parameterError(
			'invalidAccountId',
			`Account ID in the Provider: ${describeValue(accountId)} is not an account identifier (text of at most 256 characters, without control characters)`,
		);
	}
	return {
		verifyAccount: toBoolean(options.verifyAccount, 'Verify Account'),
		dryRun: toBoolean(options.dryRun, 'Dry Run'),
		accountId: isBlank(accountId) ? undefined : (accountId as string).trim(),
	};
}

/** The action of an item, in any casing Microsoft's pages write it (`Disable`), sent in Graph's camelCase. */
function readAction(ctx: IExecuteFunctions, itemIndex: number): IdentityAction {
	const given = ctx.getNodeParameter('action', itemIndex) as unknown;
	const action = identityActionOf(given);
	if (action) return action;
	throw parameterError(
		'unsupportedAction',
		`Action: ${describeValue(given)} is not one of ${IDENTITY_ACTIONS.map((known) => known.value).join(', ')}`,
	);
}

function readProvider(ctx: IExecuteFunctions, itemIndex: number): IdentityProvider {
	const given = ctx.getNodeParameter('identityProvider', itemIndex) as unknown;
	const provider = identityProviderOf(given);
	if (provider) return provider;
	throw parameterError(
		'unsupportedIdentityProvider',
		`Identity Provider: ${describeValue(given)} is not one of ${IDENTITY_PROVIDERS.map((known) => known.value).join(', ')}`,
	);
}

export function subject(this: IExecuteFunctions, itemIndex: number): IDataObject {
	return {
		identityAccountId: identityAccountIdOf(this, itemIndex),
		action: rawParameter(this, 'action', itemIndex) as string,
		identityProvider: rawParameter(this, 'identityProvider', itemIndex) as string,
	};
}

/** "Megan Bowen (4f1c…)": how a message names an account. */
function named(account: IdentityAccount, identityAccountId: string): string {
	const name = typeof account.displayName === 'string' ? account.displayName : '';
	return name ? `${describeValue(name)} (${identityAccountId})` : identityAccountId;
}

/** How a message names a provider entry Graph listed, known or not. */
function providerName(provider: string | null): string {
	const known = identityProviderOf(provider);
	return known ? PROVIDER_NAMES[known] : describeValue(provider);
}

/**
 * The body's `accountId`: the identifier of the account's entry for the provider. With Verify Account on, the entry
 * must also list the action: the account's own list decides, since Microsoft's pages disagree on which provider
 * allows what. Every refusal here is made before anything is sent.
 */
function checkedAccountId(
	account: IdentityAccount,
	identityAccountId: string,
	action: IdentityAction,
	provider: IdentityProvider,
	options: InvokeOptions,
	isToolCall: boolean,
): string {
	const who = named(account, identityAccountId);
	const entry = entryFor(account, provider);
	if (!entry || !entry.identifier) {
		const entries = account.accounts.map((candidate) => providerName(candidate.identityProvider));
		throw new DefenderXdrError({
			code: 'providerNotFound',
			message: `Identity account ${who} has no ${PROVIDER_NAMES[provider]} account${entry ? ' identifier' : ''}; its entries are ${entries.length ? listed(entries) : 'none'}. Nothing was sent. ${isToolCall ? 'Call again with one of those as identityProvider.' : 'Choose one of those as Identity Provider.'}`,
		});
	}
	if (
		options.accountId !== undefined &&
		options.accountId.toLowerCase() !== entry.identifier.toLowerCase()
	) {
		throw new DefenderXdrError({
			code: 'accountIdMismatch',
			message: `Account ID in the Provider is ${describeValue(options.accountId)}, but the ${PROVIDER_NAMES[provider]} entry of identity account ${who} has the identifier ${describeValue(entry.identifier)}. Nothing was sent. Leave the option empty to let the node take the identifier from the account.`,
		});
	}
	if (options.verifyAccount && !entry.actions.includes(action)) {
		const offered = entry.actions.length ? `lists ${listed(entry.actions)}` : 'lists no actions';
		const remedy = entry.actions.length
			? isToolCall
				? 'Call again with one of those as action.'
				: 'Choose one of those as Action, or turn off Verify Account to let Graph decide.'
			: 'Turn off Verify Account to let Graph decide, or act on the account in the Defender portal.';
		throw new DefenderXdrError({
			code: 'actionNotSupported',
			message: `The ${PROVIDER_NAMES[provider]} entry of identity account ${who} ${offered}, not ${action}. Nothing was sent: the account's own list says which actions Graph takes for it. ${remedy}`,
		});
	}
	return entry.identifier;
}

export async function execute(
	this: IExecuteFunctions,
	session: ApiSession,
	itemIndex: number,
	{ isToolCall }: OperationRun,
): Promise<OperationResult> {
	const identityAccountId = readIdentityAccountId(this, itemIndex);
	const action = readAction(this, itemIndex);
	const identityProvider = readProvider(this, itemIndex);
	const options = readOptions(this, itemIndex);
	const path = identityAccountPath(identityAccountId, '/invokeAction');

	let account: IdentityAccount | undefined;
	let accountId = options.accountId;
	// Without Verify Account the account is still read when only it can say which identifier to send.
	if (options.verifyAccount || accountId === undefined) {
		account = await readIdentityAccount(session, identityAccountId);
		accountId = checkedAccountId(
			account,
			identityAccountId,
			action,
			identityProvider,
			options,
			isToolCall,
		);
	}
	const body = { accountId: accountId as string, action, identityProvider };
	const outcome = { identityAccountId, action, identityProvider };

	if (options.dryRun) {
		return {
			items: [
				{
					...outcome,
					outcome: 'dryRun',
					correlationId: null,
					requestId: null,
					accountId: body.accountId,
					// The request exactly as the real run sends it, Graph version included.
					request: { method: 'POST', path, body },
					...(account ? { account } : {}),
				},
			],
		};
	}

	// Never repeated on a lost answer: nothing Graph lets us read says whether the action was taken.
	const sent = await session.post<IDataObject>(path, body, { subject: IDENTITY_ACCOUNT.subject });
	return {
		items: [
			{
				...outcome,
				outcome: 'executed',
				correlationId: correlationIdOf(sent.body),
				requestId: sent.requestId,
				accountId: body.accountId,
				statusCode: sent.statusCode,
			},
		],
	};
}
