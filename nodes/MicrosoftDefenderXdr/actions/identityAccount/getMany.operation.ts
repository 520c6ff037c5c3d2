import { updateDisplayOptions, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { filterProperties, readFilters, type ListFilter } from '../../../shared/filters';
import { identityAccountOf } from '../../../shared/identityAccount';
import { IDENTITY_ACCOUNT } from '../../../shared/resources/identityAccount';
import type { ApiSession } from '../../../shared/transport/session';
import {
	collect,
	LISTING_PROPERTIES,
	optionsProperty,
	readLimit,
	type OperationResult,
} from '../operation';

/** The account's properties Microsoft's list page offers for `$filter` (its example filters by on-premises SID). */
const FILTERS: ListFilter[] = [
	{
		name: 'onPremisesSecurityIdentifier',
		displayName: 'On-Premises SID',
		apiProperty: 'onPremisesSecurityIdentifier',
		kind: 'securityIdentifier',
		placeholder: 'e.g. S-1-5-21-989687458-3461180213-172365591-281652',
		description:
			"Only the identity with this Active Directory SID, e.g. an alert's user evidence {{ $json.userAccount.userSid }}",
	},
	{
		name: 'cloudSecurityIdentifier',
		displayName: 'Cloud SID',
		apiProperty: 'cloudSecurityIdentifier',
		kind: 'securityIdentifier',
		placeholder: 'e.g. S-1-12-1-1234567890-1234567890-1234567890-1234567890',
		description: 'Only the identity with this Microsoft Entra ID cloud SID',
	},
	{
		name: 'displayName',
		displayName: 'Display Name',
		apiProperty: 'displayName',
		kind: 'exactText',
		placeholder: 'e.g. Megan Bowen',
		description: 'Only identities with exactly this display name',
	},
	{
		name: 'domain',
		displayName: 'Domain',
		apiProperty: 'domain',
		kind: 'domainName',
		placeholder: 'e.g. contoso.com',
		description: 'Only identities of this Active Directory domain',
	},
	{
		name: 'isEnabled',
		displayName: 'Is Enabled',
		apiProperty: 'isEnabled',
		kind: 'boolean',
		default: true,
		description: 'Whether to return only enabled identities (on) or only disabled ones (off)',
	},
];

export const option = {
	name: 'Get Many',
	description:
		'List the identity accounts Defender for Identity observes, optionally by SID, display name, domain or state',
	action: 'Get many identity accounts',
};

export const description = updateDisplayOptions(
	{ show: { resource: ['identityAccount'], operation: ['getMany'] } },
	[...LISTING_PROPERTIES, filterProperties(FILTERS), optionsProperty()],
);

export function subject() {
	return { identityAccountId: null };
}

export async function execute(
	this: IExecuteFunctions,
	session: ApiSession,
	itemIndex: number,
): Promise<OperationResult> {
	const limit = readLimit(this, itemIndex);
	const { $filter } = readFilters(
		FILTERS,
		this.getNodeParameter('filters', itemIndex, {}) as IDataObject,
	);
	// Microsoft documents $filter and $select for this list, not $top: Graph's own pages are read up to the limit.
	const query: Record<string, string> = $filter ? { $filter } : {};
	const accounts = await collect(
		session,
		session.pages(IDENTITY_ACCOUNT.path, query, { subject: IDENTITY_ACCOUNT.subject }),
		limit,
		'identity accounts',
	);
	return { items: accounts.map(identityAccountOf) };
}
