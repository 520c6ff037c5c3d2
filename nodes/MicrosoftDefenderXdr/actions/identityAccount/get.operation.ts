import { updateDisplayOptions, type IExecuteFunctions } from 'n8n-workflow';

import type { ApiSession } from '../../../shared/transport/session';
import { optionsProperty, type OperationResult } from '../operation';
import {
	identityAccountIdOf,
	identityAccountIdProperty,
	readIdentityAccount,
	readIdentityAccountId,
} from './common';

export const option = {
	name: 'Get',
	description:
		'Read one identity account with its entry per identity provider and the actions each entry offers',
	action: 'Get an identity account',
};

export const description = updateDisplayOptions(
	{ show: { resource: ['identityAccount'], operation: ['get'] } },
	[identityAccountIdProperty, optionsProperty()],
);

export function subject(this: IExecuteFunctions, itemIndex: number) {
	return { identityAccountId: identityAccountIdOf(this, itemIndex) };
}

export async function execute(
	this: IExecuteFunctions,
	session: ApiSession,
	itemIndex: number,
): Promise<OperationResult> {
	return { items: [await readIdentityAccount(session, readIdentityAccountId(this, itemIndex))] };
}
