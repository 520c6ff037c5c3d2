import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { identityAccountOf } from '../../../shared/identityAccount';
import {
	describeValue,
	emptyFilterError,
	hasControlCharacter,
	isBlank,
	parameterError,
	toBoolean,
} from '../../../shared/parameters';
import { IDENTITY_ACCOUNT } from '../../../shared/resources/identityAccount';
import type { ApiSession } from '../../../shared/transport/session';
import {
	collect,
	LISTING_PROPERTIES,
	optionsProperty,
	readLimit,
	type OperationResult,
} from '../operation';

// A Windows security identifier: S-1, the authority, then sub-authorities (on-premises S-1-5-21-…, cloud S-1-12-1-…).
const SECURITY_IDENTIFIER = /^S-1-\d{1,14}(-\d{1,10}){1,15}$/i;
// A DNS domain name as Active Directory writes it (contoso.com, CONTOSO).
const DOMAIN_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.?){1,16}$/;

/** One filter: the n8n field inside `filters`, the account's property in Graph's `$filter`, and how its value is checked. */
interface AccountFilter {
	name: string;
	displayName: string;
	graphProperty: string;
	kind: 'securityIdentifier' | 'domain' | 'text' | 'boolean';
	placeholder?: string;
	description: string;
}

const FILTERS: AccountFilter[] = [
	{
		name: 'onPremisesSecurityIdentifier',
		displayName: 'On-Premises SID',
		graphProperty: 'onPremisesSecurityIdentifier',
		kind: 'securityIdentifier',
		placeholder: 'e.g. S-1-5-21-989687458-3461180213-172365591-281652',
		description:
			"Only the identity with this Active Directory SID, e.g. an alert's user evidence {{ $json.userAccount.userSid }}",
	},
	{
		name: 'cloudSecurityIdentifier',
		displayName: 'Cloud SID',
		graphProperty: 'cloudSecurityIdentifier',
		kind: 'securityIdentifier',
		placeholder: 'e.g. S-1-12-1-1234567890-1234567890-1234567890-1234567890',
		description: 'Only the identity with this Microsoft Entra ID cloud SID',
	},
	{
		name: 'displayName',
		displayName: 'Display Name',
		graphProperty: 'displayName',
		kind: 'text',
		placeholder: 'e.g. Megan Bowen',
		description: 'Only identities with exactly this display name',
	},
	{
		name: 'domain',
		displayName: 'Domain',
		graphProperty: 'domain',
		kind: 'domain',
		placeholder: 'e.g. contoso.com',
		description: 'Only identities of this Active Directory domain',
	},
	{
		name: 'isEnabled',
		displayName: 'Is Enabled',
		graphProperty: 'isEnabled',
		kind: 'boolean',
		description: 'Whether to return only enabled identities (on) or only disabled ones (off)',
	},
];

const properties: INodeProperties[] = [
	...LISTING_PROPERTIES,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: FILTERS.map((filter) =>
			filter.kind === 'boolean'
				? {
						displayName: filter.displayName,
						name: filter.name,
						type: 'boolean' as const,
						default: true,
						description: filter.description,
					}
				: {
						displayName: filter.displayName,
						name: filter.name,
						type: 'string' as const,
						default: '',
						placeholder: filter.placeholder,
						description: filter.description,
					},
		),
	},
	optionsProperty(),
];

export const option = {
	name: 'Get Many',
	description:
		'List the identity accounts Defender for Identity observes, optionally by SID, display name, domain or state',
	action: 'Get many identity accounts',
};

export const description = updateDisplayOptions(
	{ show: { resource: ['identityAccount'], operation: ['getMany'] } },
	properties,
);

export function subject() {
	return { identityAccountId: null };
}

/** One `$filter` condition from a user's value, or a refusal that names the filter; nothing unchecked goes in. */
function condition(filter: AccountFilter, value: unknown): string {
	const label = `${filter.displayName} filter`;
	if (isBlank(value)) throw emptyFilterError(label);
	if (filter.kind === 'boolean')
		return `${filter.graphProperty} eq ${String(toBoolean(value, label))}`;
	const text = typeof value === 'string' ? value.trim() : value;
	const fits =
		typeof text === 'string' &&
		(filter.kind === 'securityIdentifier'
			? SECURITY_IDENTIFIER.test(text)
			: filter.kind === 'domain'
				? text.length <= 255 && DOMAIN_NAME.test(text)
				: text.length <= 256 && !hasControlCharacter(text));
	if (!fits) {
		const expected =
			filter.kind === 'securityIdentifier'
				? 'a security identifier such as S-1-5-21-989687458-3461180213-172365591-281652'
				: filter.kind === 'domain'
					? 'a domain name such as contoso.com'
					: 'a display name of at most 256 characters without control characters';
		throw parameterError('invalidFilter', `${label}: ${describeValue(value)} is not ${expected}`);
	}
	// OData writes a quote inside a string as two quotes, so a name cannot close the string it goes into.
	return `${filter.graphProperty} eq '${(text as string).replace(/'/g, "''")}'`;
}

export async function execute(
	this: IExecuteFunctions,
	session: ApiSession,
	itemIndex: number,
): Promise<OperationResult> {
	const limit = readLimit(this, itemIndex);
	const given = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	// Every filter that was added counts, even one whose expression gave nothing: that one is refused.
	const conditions = FILTERS.filter((filter) =>
		Object.prototype.hasOwnProperty.call(given, filter.name),
	).map((filter) => condition(filter, given[filter.name]));
	// Microsoft documents $filter and $select for this list, not $top: Graph's own pages are read up to the limit.
	const query: Record<string, string> = {};
	if (conditions.length) query.$filter = conditions.join(' and ');
	const accounts = await collect(
		session,
		session.pages(IDENTITY_ACCOUNT.path, query, { subject: IDENTITY_ACCOUNT.subject }),
		limit,
		'identity accounts',
	);
	return { items: accounts.map(identityAccountOf) };
}
