import { GRAPH } from '../apis/graph';
import { RESOURCE_CLOUDS } from '../cloud';
import type { Resource } from './resource';

/** Identity accounts that Defender for Identity observes (Graph v1.0 `/security/identities/identityAccounts`). */
export const IDENTITY_ACCOUNT: Resource = {
	value: 'identityAccount',
	displayName: 'Identity Account',
	api: GRAPH,
	path: '/v1.0/security/identities/identityAccounts',
	// Never sent: Microsoft documents neither a page size nor `$top` for this list, so Graph's own pages are read.
	pageSize: 100,
	subject: {
		name: 'identity account',
		onBadRequest:
			"the identity account ID, that the account has an entry for the identity provider, and that this entry's actions list the action (Get shows them)",
		onNotFound:
			"the identity account ID (Defender for Identity's ID of the identity, not its Entra ID object ID or SID) and that the credential's tenant is the one the account belongs to",
		onForbidden:
			'Check that the app registration has the Graph application permission SecurityIdentitiesAccount.Read.All (to read identity accounts) or SecurityIdentitiesActions.ReadWrite.All (to act on them), with admin consent',
		unknownOutcome:
			'the action may or may not have been taken, and Graph offers nothing to read that would tell. It was not sent again: check the identity in the Defender portal (its timeline and the Action center) before sending it again.',
		offeredIn: RESOURCE_CLOUDS.identityAccounts,
	},
	writes: {
		invokeAction: { what: 'act on identity accounts', optIn: 'allowAsTool', dryRun: true },
	},
};
