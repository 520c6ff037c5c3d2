import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { identityAccountOf, type IdentityAccount } from '../../../shared/identityAccount';
import { IDENTITY_ACCOUNT } from '../../../shared/resources/identityAccount';
import { recordPath } from '../../../shared/resources/resource';
import type { ApiSession } from '../../../shared/transport/session';
import { idLocatorProperty, locatedIdOf, readLocatedId, type IdLocator } from '../idLocator';

/**
 * How an identity account is picked in the editor: from Graph's list, or by its ID. Graph gives an identity account
 * no portal link, so there is no URL mode.
 */
const identityAccountLocator: IdLocator = {
	name: 'identityAccountId',
	displayName: 'Identity Account ID',
	noun: 'identity account',
	searchListMethod: 'searchIdentityAccounts',
	idPlaceholder: 'e.g. 00104216-0539-4838-88b1-55baafdc296b',
	description:
		"The identity Defender for Identity observes: pick it or give its ID (Defender's ID of the identity, not its Entra ID object ID or SID)",
	hint: 'Map it from Get Many, e.g. {{ $json.id }}; Get Many finds it by its SID',
};

/** The `identityAccountId` field, shown by each operation that addresses one account. */
export const identityAccountIdProperty: INodeProperties = idLocatorProperty(identityAccountLocator);

/** Reads and checks the account ID of an item; a malformed ID fails the item before any request. */
export function readIdentityAccountId(ctx: IExecuteFunctions, itemIndex: number): string {
	return readLocatedId(ctx, identityAccountLocator, itemIndex, 'invalidIdentityAccountId');
}

/** The account ID an output item is about, as given or as read from the picker. */
export function identityAccountIdOf(
	ctx: IExecuteFunctions,
	itemIndex: number,
): IDataObject[string] {
	return locatedIdOf(ctx, identityAccountLocator, itemIndex);
}

/** The Graph path of one account, or of its action; the ID is percent-encoded. */
export function identityAccountPath(identityAccountId: string, tail = ''): string {
	return recordPath(IDENTITY_ACCOUNT, identityAccountId, tail);
}

/** Reads one account, in the node's one form whichever form Graph answers in. */
export async function readIdentityAccount(
	session: ApiSession,
	identityAccountId: string,
): Promise<IdentityAccount> {
	const { body } = await session.get(identityAccountPath(identityAccountId), undefined, {
		subject: IDENTITY_ACCOUNT.subject,
	});
	return identityAccountOf(body);
}
