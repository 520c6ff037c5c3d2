// @ts-check
'use strict';

// Graph's identity accounts (Defender for Identity): the accounts, the invokeAction rules and the state an action
// changes. graph.js routes /{v1.0|beta}/security/identities/identityAccounts here.

const { randomUUID } = require('node:crypto');
const { GraphError } = require('./responses');
const { IDENTITY_ACTIONS, IDENTITY_PROVIDERS } = require('./model');
const { SEED_IDENTITY_ACCOUNTS, identityGuid, allEnabled } = require('./identitySeed');

/**
 * @typedef {import('./identitySeed').IdentityAccount} IdentityAccount
 * @typedef {import('./identitySeed').IdentityProviderAccount} IdentityProviderAccount
 * @typedef {import('./odata').CollectionRules} CollectionRules
 * @typedef {'example' | 'schema'} IdentityAnswerForm
 * @typedef {{ accountId: string, action: string, identityProvider: string }} InvokeActionParameters
 * @typedef {InvokeActionParameters & { correlationId: string, identityAccountId: string, at: string, invokedBy: string }} IdentityActionRecord
 */

/**
 * Microsoft's pages show two forms. `example`: what the pages' examples answer (get and invokeAction wrapped in
 * `value`, provider entries as `provider: 'ActiveDirectory'`, the result's provider as `provider`). `schema`: what
 * the resource pages define (no wrapper, `identityProvider: 'activeDirectory'` in entries and result).
 */
const IDENTITY_ANSWER_FORMS = Object.freeze(['example', 'schema']);

/** How the examples spell each provider. */
const PROVIDER_AS_IN_EXAMPLES = /** @type {Record<string, string>} */ ({
	entraID: 'EntraID',
	activeDirectory: 'ActiveDirectory',
	okta: 'Okta',
});

const EQ = Object.freeze(['eq']);

/** @type {CollectionRules} */
const IDENTITY_ACCOUNT_RULES = {
	name: 'identityAccounts',
	filterable: {
		displayName: { kind: 'string', operators: EQ },
		domain: { kind: 'string', operators: EQ },
		onPremisesSecurityIdentifier: { kind: 'string', operators: EQ },
		cloudSecurityIdentifier: { kind: 'string', operators: EQ },
		isEnabled: { kind: 'boolean', operators: EQ },
	},
	filterHelp:
		"identityAccounts supports eq on displayName, domain, onPremisesSecurityIdentifier, cloudSecurityIdentifier (quoted strings) and isEnabled (true or false), joined with 'and', e.g. onPremisesSecurityIdentifier eq 'S-1-5-21-…'.",
	orderable: {},
	selectable: [
		'id',
		'displayName',
		'domain',
		'onPremisesSecurityIdentifier',
		'cloudSecurityIdentifier',
		'isEnabled',
		'accounts',
	],
	// Microsoft documents $filter and $select; $top and server-side pages are the simulator's, like other collections.
	options: ['$filter', '$select', '$top', '$skiptoken'],
	defaultPageSize: 100,
	maxTop: 1000,
};

const INVOKE_ACTION_NAMES = ['invokeaction', 'microsoft.graph.security.invokeaction'];

/**
 * The identity accounts route, or null when the path is not under …/security/identities/identityAccounts.
 * @param {URL} url
 * @returns {{ version: string, id?: string, action?: string } | null}
 */
function parseIdentityAccountsPath(url) {
	const [version, area, container, collection, id, navigation, ...rest] = url.pathname
		.split('/')
		.slice(1);
	if (
		!['v1.0', 'beta'].includes(version?.toLowerCase() ?? '') ||
		area?.toLowerCase() !== 'security' ||
		container?.toLowerCase() !== 'identities' ||
		collection?.toLowerCase() !== 'identityaccounts'
	)
		return null;
	/** @param {string} segment */
	const notFound = (segment) =>
		new GraphError(404, 'NotFound', `Resource not found for the segment '${segment}'.`);
	if (rest.length > 0) throw notFound(rest[0]);
	if (id === '') throw notFound('');
	let decodedId;
	try {
		decodedId = id === undefined ? undefined : decodeURIComponent(id);
	} catch {
		throw new GraphError(400, 'BadRequest', 'The request URL is not correctly percent-encoded.');
	}
	if (navigation !== undefined && !INVOKE_ACTION_NAMES.includes(navigation.toLowerCase()))
		throw notFound(navigation);
	return {
		version: version.toLowerCase() === 'beta' ? 'beta' : 'v1.0',
		id: decodedId,
		action: navigation === undefined ? undefined : 'invokeAction',
	};
}

/**
 * The enum member a value names, in any casing (Microsoft's pages write `disable` and `Disable`, `entraID` and
 * `EntraID`); `unknownFutureValue` names no action or provider.
 * @param {unknown} value
 * @param {readonly string[]} members
 * @param {string} parameter
 */
function enumMember(value, members, parameter) {
	const usable = members.filter((member) => member !== 'unknownFutureValue');
	const member =
		typeof value === 'string'
			? usable.find((candidate) => candidate.toLowerCase() === value.toLowerCase())
			: undefined;
	if (!member)
		throw new GraphError(
			400,
			'BadRequest',
			`Invalid value ${JSON.stringify(value)} for parameter '${parameter}'. Allowed values: ${usable.join(', ')}.`,
		);
	return member;
}

/**
 * invokeAction's body `{ accountId, action, identityProvider }` (parameter names in any case), values canonical.
 * @param {Record<string, unknown>} fields
 * @returns {InvokeActionParameters}
 */
function readInvokeActionParameters(fields) {
	const names = ['accountId', 'action', 'identityProvider'];
	/** @type {Record<string, unknown>} */
	const parameters = {};
	for (const [name, value] of Object.entries(fields)) {
		const canonical = names.find((parameter) => parameter.toLowerCase() === name.toLowerCase());
		if (!canonical)
			throw new GraphError(
				400,
				'BadRequest',
				`The parameter '${name}' in the request payload is not a valid parameter for the operation 'invokeAction'.`,
			);
		parameters[canonical] = value;
	}
	const missing = names.filter(
		(name) => parameters[name] === undefined || parameters[name] === null,
	);
	if (missing.length > 0)
		throw new GraphError(
			400,
			'BadRequest',
			`The request body must contain ${missing.map((name) => `'${name}'`).join(', ')}: { "accountId": "…", "action": "disable", "identityProvider": "activeDirectory" }.`,
		);
	const { accountId } = parameters;
	if (typeof accountId !== 'string' || accountId.trim() === '')
		throw new GraphError(400, 'BadRequest', "'accountId' must be a non-empty string.");
	return {
		accountId,
		action: enumMember(parameters.action, IDENTITY_ACTIONS, 'action'),
		identityProvider: enumMember(
			parameters.identityProvider,
			IDENTITY_PROVIDERS,
			'identityProvider',
		),
	};
}

/** @param {string} text */
const lower = (text) => text.toLowerCase();

class IdentityAccountStore {
	constructor() {
		/** @type {IdentityAnswerForm} survives reset, like the simulator's settings */
		this.answerForm = 'example';
		/** @type {Map<string, IdentityAccount>} */
		this.accounts = new Map();
		/** @type {IdentityActionRecord[]} every accepted invokeAction, oldest first */
		this.actions = [];
		this.added = 0;
		this.reset();
	}

	reset() {
		this.accounts = new Map(
			SEED_IDENTITY_ACCOUNTS.map((account) => [account.id, structuredClone(account)]),
		);
		this.actions = [];
		this.added = 0;
	}

	/** @param {IdentityAnswerForm} form */
	setAnswerForm(form) {
		if (!IDENTITY_ANSWER_FORMS.includes(form))
			throw new Error(
				`The identity answer form must be one of ${IDENTITY_ANSWER_FORMS.join(', ')}`,
			);
		this.answerForm = form;
	}

	/** @returns {IdentityAccount[]} as stored (seed order, then added ones): Graph promises no order */
	list() {
		return [...this.accounts.values()];
	}

	/** @param {string} id */
	require(id) {
		const account = this.accounts.get(id);
		if (!account)
			throw new GraphError(
				404,
				'NotFound',
				`Identity account '${id}' was not found. Check the ID and that it belongs to this tenant.`,
			);
		return account;
	}

	/** @param {Partial<IdentityAccount>} [partial] */
	add(partial = {}) {
		this.added += 1;
		const accounts = structuredClone(partial.accounts ?? []);
		/** @type {IdentityAccount} */
		const account = {
			id: identityGuid(`added:${this.added}:${Date.now()}`),
			displayName: `Added identity ${this.added}`,
			domain: null,
			onPremisesSecurityIdentifier: null,
			cloudSecurityIdentifier: null,
			isEnabled: allEnabled(accounts),
			...structuredClone(partial),
			accounts,
		};
		if (this.accounts.has(account.id))
			throw new Error(`Identity account '${account.id}' already exists`);
		this.accounts.set(account.id, account);
		return structuredClone(account);
	}

	/**
	 * Runs an action as Graph would: the account must have an entry for the provider, `accountId` must be that entry's
	 * identifier and the entry must offer the action. disable and enable change the entry and `isEnabled`.
	 * @param {string} id
	 * @param {InvokeActionParameters} parameters
	 * @param {string} invokedBy
	 * @returns {IdentityActionRecord}
	 */
	invoke(id, parameters, invokedBy) {
		const account = this.require(id);
		const { accountId, action, identityProvider } = parameters;
		const entry = account.accounts.find(
			(candidate) => lower(candidate.identityProvider) === lower(identityProvider),
		);
		if (!entry)
			throw new GraphError(
				400,
				'BadRequest',
				`Identity account '${id}' has no ${identityProvider} account. Its providers: ${account.accounts.map((candidate) => candidate.identityProvider).join(', ') || 'none'}.`,
			);
		if (lower(entry.identifier) !== lower(accountId))
			throw new GraphError(
				400,
				'BadRequest',
				`'accountId' ${JSON.stringify(accountId)} is not the identifier of the ${identityProvider} account of identity account '${id}'.`,
			);
		if (!entry.actions.some((offered) => lower(offered) === lower(action)))
			throw new GraphError(
				400,
				'BadRequest',
				`The action '${action}' is not available for the ${identityProvider} account of identity account '${id}'. Available: ${entry.actions.join(', ') || 'none'}.`,
			);
		if (action === 'disable' || action === 'enable') {
			const opposite = action === 'disable' ? 'enable' : 'disable';
			entry.actions = entry.actions.map((offered) =>
				lower(offered) === lower(action) ? opposite : offered,
			);
			account.isEnabled = allEnabled(account.accounts);
		}
		/** @type {IdentityActionRecord} */
		const record = {
			correlationId: randomUUID(),
			identityAccountId: id,
			accountId: entry.identifier,
			action,
			identityProvider,
			at: new Date().toISOString(),
			invokedBy,
		};
		this.actions.push(record);
		return record;
	}

	/**
	 * The account as this simulator's answer form shows it.
	 * @param {IdentityAccount} account
	 * @returns {Record<string, unknown>}
	 */
	present(account) {
		if (this.answerForm === 'schema') return structuredClone(account);
		return {
			...structuredClone(account),
			accounts: account.accounts.map((entry) => ({
				provider: PROVIDER_AS_IN_EXAMPLES[entry.identityProvider] ?? entry.identityProvider,
				identifier: entry.identifier,
				actions: [...entry.actions],
			})),
		};
	}

	/**
	 * invokeAction's microsoft.graph.security.invokeActionResult, in the answer form.
	 * @param {IdentityActionRecord} record
	 */
	presentResult(record) {
		const { accountId, action, identityProvider, correlationId } = record;
		if (this.answerForm === 'schema') return { accountId, action, identityProvider, correlationId };
		return { value: { accountId, action, provider: identityProvider, correlationId } };
	}

	/**
	 * A single account's body: wrapped in `value` in the example form, as Microsoft's get examples show.
	 * @param {Record<string, unknown>} shaped
	 */
	wrapEntity(shaped) {
		return this.answerForm === 'schema' ? shaped : { value: shaped };
	}
}

module.exports = {
	IdentityAccountStore,
	IDENTITY_ACCOUNT_RULES,
	IDENTITY_ANSWER_FORMS,
	parseIdentityAccountsPath,
	readInvokeActionParameters,
};
