import {
	correlationIdOf,
	entryFor,
	identityAccountOf,
	identityActionOf,
	identityProviderOf,
} from '../../../nodes/shared/identityAccount';

describe('reading identity accounts in every form Microsoft shows', () => {
	it('unwraps a `value` wrapper and writes each entry as { identifier, identityProvider, actions } in camelCase', () => {
		const account = identityAccountOf({
			'@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#…/$entity',
			value: {
				id: '00104216-0539-4838-88b1-55baafdc296b',
				displayName: 'accoundJon',
				accounts: [
					{
						provider: 'ActiveDirectory',
						identifier: 'ad-1',
						actions: ['Disable', 'forcePasswordReset'],
					},
					{ identityProvider: 'entraID', identifier: 'entra-1', actions: [] },
				],
			},
		});

		expect(account).toEqual({
			id: '00104216-0539-4838-88b1-55baafdc296b',
			displayName: 'accoundJon',
			accounts: [
				{
					identifier: 'ad-1',
					identityProvider: 'activeDirectory',
					actions: ['disable', 'forcePasswordReset'],
				},
				{ identifier: 'entra-1', identityProvider: 'entraID', actions: [] },
			],
		});
		expect(entryFor(account, 'activeDirectory')?.identifier).toBe('ad-1');
		expect(entryFor(account, 'okta')).toBeUndefined();
	});

	it('keeps a provider or an action Graph adds later as Graph sent it, so it never matches a known one', () => {
		const account = identityAccountOf({
			accounts: [
				{ provider: 'PingOne', identifier: 'p-1', actions: ['unknownFutureValue', 'lockOut'] },
			],
		});

		expect(account.accounts).toEqual([
			{
				identifier: 'p-1',
				identityProvider: 'PingOne',
				actions: ['unknownFutureValue', 'lockOut'],
			},
		]);
		expect(identityProviderOf('PingOne')).toBeUndefined();
		expect(identityActionOf('unknownFutureValue')).toBeUndefined();
	});

	it('reads an account without accounts as one with no entries', () => {
		expect(identityAccountOf({ id: 'x' }).accounts).toEqual([]);
		expect(identityAccountOf(undefined).accounts).toEqual([]);
	});

	it('takes the correlation ID from an invokeActionResult with or without `value`, and null when there is none', () => {
		expect(correlationIdOf({ value: { correlationId: 'c-1', provider: 'activeDirectory' } })).toBe(
			'c-1',
		);
		expect(correlationIdOf({ correlationId: 'c-2', identityProvider: 'activeDirectory' })).toBe(
			'c-2',
		);
		expect(correlationIdOf({ value: {} })).toBeNull();
		expect(correlationIdOf(undefined)).toBeNull();
	});

	it('names actions and providers in any casing Microsoft writes them', () => {
		expect(identityActionOf('RequireUserToSignInAgain')).toBe('requireUserToSignInAgain');
		expect(identityActionOf(' revokeAllSessions ')).toBe('revokeAllSessions');
		expect(identityProviderOf('EntraID')).toBe('entraID');
		expect(identityProviderOf('OKTA')).toBe('okta');
		expect(identityActionOf(3)).toBeUndefined();
	});
});
