import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
	SEEDED_IDENTITY_ACCOUNT_IDS as IDS,
	SEEDED_INCIDENT_IDS,
	SEED_IDENTITY_ACCOUNTS,
	SIMULATOR_APP_NAME,
	STORY,
	startSimulator,
	type IdentityAccount,
	type Simulator,
} from '../../simulator';
import { expectGraphError, filterQuery, graphRequests, type Json } from './graphRequests';

let sim: Simulator;
const { graph, graphJson, readAllPages, post } = graphRequests(() => sim);

beforeAll(async () => {
	sim = await startSimulator();
});
afterAll(() => sim.stop());
beforeEach(() => {
	sim.reset();
	sim.setIdentityAnswerForm('example');
	sim.configure({ pageSize: null });
});

const ACCOUNTS = '/v1.0/security/identities/identityAccounts';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const seeded = (id: string) => {
	const account = SEED_IDENTITY_ACCOUNTS.find((candidate) => candidate.id === id);
	if (!account) throw new Error(`no seeded identity account ${id}`);
	return account;
};
const identifierOf = (account: Readonly<IdentityAccount>, provider: string) => {
	const entry = account.accounts.find((candidate) => candidate.identityProvider === provider);
	if (!entry) throw new Error(`${account.displayName} has no ${provider} account`);
	return entry.identifier;
};
const invoke = (id: string, body: unknown) => post(`${ACCOUNTS}/${id}/invokeAction`, body);

const MEGAN = seeded(IDS.activeDirectoryAndEntra);
const MEGAN_AD = identifierOf(MEGAN, 'activeDirectory');
const MEGAN_ENTRA = identifierOf(MEGAN, 'entraID');

describe('the seed', () => {
	it('has Entra-only, Active Directory + Entra ID and Okta identities, each entry listing its actions', () => {
		const providerSets = SEED_IDENTITY_ACCOUNTS.map((account) =>
			account.accounts.map((entry) => entry.identityProvider).join('+'),
		);
		expect(providerSets).toEqual(
			expect.arrayContaining(['entraID', 'activeDirectory+entraID', 'entraID+okta']),
		);
		const forcePasswordResetProviders = SEED_IDENTITY_ACCOUNTS.flatMap((account) =>
			account.accounts.filter((entry) => entry.actions.includes('forcePasswordReset')),
		).map((entry) => entry.identityProvider);
		expect(new Set(forcePasswordResetProviders)).toEqual(new Set(['activeDirectory']));
		expect(seeded(IDS.disabled).isEnabled).toBe(false);
		expect(seeded(IDS.entraOnly).domain).toBeNull();
	});

	it('is documented: the README names every seeded identity account and provider identifier', () => {
		const readme = readFileSync(join(__dirname, '..', '..', 'simulator', 'README.md'), 'utf8');
		for (const account of SEED_IDENTITY_ACCOUNTS) {
			expect(readme).toContain(`\`${account.id}\``);
			for (const entry of account.accounts) expect(readme).toContain(`\`${entry.identifier}\``);
		}
	});

	it('ties an account to the user of a compromised-account alert, so incident -> account -> action runs', async () => {
		const incident = await graphJson(
			`/v1.0/security/incidents/${SEEDED_INCIDENT_IDS.awaitingAction}?$expand=alerts`,
		);
		expect(incident.status).toBe(200);
		const users = incident.body.alerts
			.flatMap((alert: Json) => alert.evidence)
			.filter(
				(evidence: Json) => evidence['@odata.type'] === '#microsoft.graph.security.userEvidence',
			);
		const megan = users.find(
			(evidence: Json) => evidence.userAccount.userPrincipalName === STORY.users['megan.bowen'].upn,
		);
		expect(megan.detailedRoles).toContain('Compromised account');

		const found = await graphJson(
			`${ACCOUNTS}?${filterQuery(`onPremisesSecurityIdentifier eq '${megan.userAccount.userSid}'`)}`,
		);
		expect(found.body.value).toHaveLength(1);
		const account = found.body.value[0];
		expect(account.id).toBe(IDS.activeDirectoryAndEntra);
		const entra = account.accounts.find((entry: Json) => entry.provider === 'EntraID');
		expect(entra.identifier).toBe(megan.userAccount.azureAdUserId);

		const result = await invoke(account.id, {
			accountId: entra.identifier,
			action: 'revokeAllSessions',
			identityProvider: 'entraID',
		});
		expect(result.status).toBe(200);
		expect(sim.identityActions).toEqual([
			expect.objectContaining({
				identityAccountId: IDS.activeDirectoryAndEntra,
				accountId: entra.identifier,
			}),
		]);
	});
});

describe('GET identityAccounts', () => {
	it('lists every seeded account, as stored, with provider entries as in Microsoft examples', async () => {
		const { status, body } = await graphJson(ACCOUNTS);
		expect(status).toBe(200);
		expect(body['@odata.context']).toBe(
			`${sim.url}/v1.0/$metadata#security/identities/identityAccounts`,
		);
		expect(body.value.map((account: Json) => account.id)).toEqual(
			SEED_IDENTITY_ACCOUNTS.map((account) => account.id),
		);
		expect(body['@odata.nextLink']).toBeUndefined();
		const megan = body.value[0];
		expect(megan).toEqual({
			id: MEGAN.id,
			displayName: 'Megan Bowen',
			domain: 'contoso.com',
			onPremisesSecurityIdentifier: STORY.users['megan.bowen'].sid,
			cloudSecurityIdentifier: expect.stringMatching(/^S-1-12-1-\d+-\d+-\d+-\d+$/),
			isEnabled: true,
			accounts: [
				{
					provider: 'ActiveDirectory',
					identifier: MEGAN_AD,
					actions: ['disable', 'forcePasswordReset'],
				},
				{
					provider: 'EntraID',
					identifier: MEGAN_ENTRA,
					actions: [
						'disable',
						'revokeAllSessions',
						'requireUserToSignInAgain',
						'markUserAsCompromised',
					],
				},
			],
		});
		const okta = body.value.find((account: Json) => account.id === IDS.okta);
		expect(okta.accounts.map((entry: Json) => entry.provider)).toEqual(['EntraID', 'Okta']);
	});

	it('serves the resource pages’ form (identityProvider, camelCase) when asked to', async () => {
		sim.setIdentityAnswerForm('schema');
		const { body } = await graphJson(ACCOUNTS);
		expect(body.value[0].accounts[0]).toEqual({
			identifier: MEGAN_AD,
			identityProvider: 'activeDirectory',
			actions: ['disable', 'forcePasswordReset'],
		});
	});

	it('filters on the security identifiers, displayName, domain and isEnabled', async () => {
		const cases: Array<[string, string[]]> = [
			[`onPremisesSecurityIdentifier eq '${MEGAN.onPremisesSecurityIdentifier}'`, [MEGAN.id]],
			[`cloudSecurityIdentifier eq '${MEGAN.cloudSecurityIdentifier}'`, [MEGAN.id]],
			["displayName eq 'Grady Archie'", [IDS.okta]],
			['isEnabled eq false', [IDS.disabled]],
			[
				"domain eq 'contoso.com' and isEnabled eq true",
				SEED_IDENTITY_ACCOUNTS.filter((account) => account.domain && account.isEnabled).map(
					(account) => account.id,
				),
			],
		];
		for (const [filter, expected] of cases) {
			const { status, body } = await graphJson(`${ACCOUNTS}?${filterQuery(filter)}`);
			expect({ filter, status, ids: body.value.map((account: Json) => account.id) }).toEqual({
				filter,
				status: 200,
				ids: expected,
			});
		}
		// The combined filter must select some but not all accounts to prove anything.
		expect(cases[4][1].length).toBeGreaterThan(1);
		expect(cases[4][1].length).toBeLessThan(SEED_IDENTITY_ACCOUNTS.length);
	});

	it('refuses filters on other properties, other operators and mistyped values', async () => {
		for (const filter of [
			"id eq 'x'",
			"displayName ne 'Megan Bowen'",
			"startswith(displayName, 'M')",
			"isEnabled eq 'false'",
			'displayName eq Megan',
		]) {
			expectGraphError(
				await graphJson(`${ACCOUNTS}?${filterQuery(filter)}`),
				400,
				'BadRequest',
				/^Invalid filter clause:/,
			);
		}
	});

	it('pages by @odata.nextLink with $top and with a server page size, keeping $filter and $select', async () => {
		const all = SEED_IDENTITY_ACCOUNTS.map((account) => account.id);
		const byTop = await readAllPages(`${ACCOUNTS}?$top=3`);
		expect(byTop.items.map((account) => account.id)).toEqual(all);
		expect(byTop.pages).toBe(Math.ceil(all.length / 3));

		sim.configure({ pageSize: 2 });
		const first = await graphJson(
			`${ACCOUNTS}?${filterQuery("domain eq 'contoso.com'")}&$select=id,domain`,
		);
		expect(first.body.value).toHaveLength(2);
		expect(first.body['@odata.nextLink']).toMatch(/\$skiptoken=/);
		expect(first.body['@odata.nextLink']).toMatch(/\$select=id%2Cdomain/);
		const paged = await readAllPages(
			`${ACCOUNTS}?${filterQuery("domain eq 'contoso.com'")}&$select=id,domain`,
		);
		expect(paged.items).toEqual(
			SEED_IDENTITY_ACCOUNTS.filter((account) => account.domain === 'contoso.com').map(
				(account) => ({ id: account.id, domain: 'contoso.com' }),
			),
		);
		expect(paged.pages).toBeGreaterThan(1);
	});

	it('refuses options Graph does not offer here and $top out of range', async () => {
		for (const query of [
			'$orderby=displayName',
			'$count=true',
			'$skip=1',
			'$expand=accounts',
			'$top=0',
			'$select=nope',
		]) {
			expectGraphError(await graphJson(`${ACCOUNTS}?${query}`), 400, 'BadRequest');
		}
		expectGraphError(await post(ACCOUNTS, {}), 405, 'MethodNotAllowed');
	});
});

describe('GET identityAccounts/{id}', () => {
	it('answers one account wrapped in value, as Microsoft’s get examples show', async () => {
		const { status, body } = await graphJson(`${ACCOUNTS}/${IDS.okta}`);
		expect(status).toBe(200);
		expect(body['@odata.context']).toBe(
			`${sim.url}/v1.0/$metadata#security/identities/identityAccounts/$entity`,
		);
		expect(body.value.id).toBe(IDS.okta);
		expect(body.value.accounts[1]).toEqual({
			provider: 'Okta',
			identifier: expect.stringMatching(/^00u[0-9A-Za-z]{17}$/),
			actions: ['disable', 'revokeAllSessions'],
		});
		const selected = await graphJson(`${ACCOUNTS}/${IDS.okta}?$select=accounts`);
		expect(Object.keys(selected.body.value)).toEqual(['accounts']);
	});

	it('answers the bare entity in the schema form', async () => {
		sim.setIdentityAnswerForm('schema');
		const { body } = await graphJson(`${ACCOUNTS}/${IDS.entraOnly}?$select=id,isEnabled`);
		expect(body).toEqual({
			'@odata.context': expect.stringContaining('identityAccounts/$entity'),
			id: IDS.entraOnly,
			isEnabled: true,
		});
	});

	it('answers 404 for an unknown ID and 405 for another method', async () => {
		expectGraphError(await graphJson(`${ACCOUNTS}/not-an-account`), 404, 'NotFound');
		const patched = await graphJson(`${ACCOUNTS}/${IDS.okta}`, { method: 'PATCH', body: '{}' });
		expectGraphError(patched, 405, 'MethodNotAllowed');
		expect(patched.response.headers.get('allow')).toBe('GET');
	});
});

describe('POST identityAccounts/{id}/invokeAction', () => {
	it('answers an invokeActionResult with a correlationId, as Microsoft’s example does, and records it', async () => {
		const { status, body } = await invoke(MEGAN.id, {
			accountId: MEGAN_AD,
			action: 'forcePasswordReset',
			identityProvider: 'activeDirectory',
		});
		expect(status).toBe(200);
		expect(body).toEqual({
			'@odata.context': `${sim.url}/v1.0/$metadata#microsoft.graph.security.invokeActionResult`,
			value: {
				accountId: MEGAN_AD,
				action: 'forcePasswordReset',
				provider: 'activeDirectory',
				correlationId: expect.stringMatching(GUID),
			},
		});
		expect(sim.identityActions).toEqual([
			{
				correlationId: body.value.correlationId,
				identityAccountId: MEGAN.id,
				accountId: MEGAN_AD,
				action: 'forcePasswordReset',
				identityProvider: 'activeDirectory',
				at: expect.any(String),
				invokedBy: SIMULATOR_APP_NAME,
			},
		]);
		expect(Date.now() - Date.parse(sim.identityActions[0].at)).toBeLessThan(60_000);
	});

	it('answers the resource page’s invokeActionResult in the schema form', async () => {
		sim.setIdentityAnswerForm('schema');
		const { body } = await invoke(IDS.entraOnly, {
			accountId: identifierOf(seeded(IDS.entraOnly), 'entraID'),
			action: 'markUserAsCompromised',
			identityProvider: 'entraID',
		});
		expect(body).toEqual({
			'@odata.context': expect.stringContaining('#microsoft.graph.security.invokeActionResult'),
			accountId: identifierOf(seeded(IDS.entraOnly), 'entraID'),
			action: 'markUserAsCompromised',
			identityProvider: 'entraID',
			correlationId: expect.stringMatching(GUID),
		});
	});

	it('accepts the casings Microsoft’s pages show for action and provider, and answers canonical values', async () => {
		const variants: Array<[string, string, string, string]> = [
			['ForcePasswordReset', 'ActiveDirectory', MEGAN_AD, 'forcePasswordReset'],
			['forcePasswordReset', 'activeDirectory', MEGAN_AD, 'forcePasswordReset'],
			['RevokeAllSessions', 'EntraID', MEGAN_ENTRA, 'revokeAllSessions'],
			['requireUserToSignInAgain', 'entraID', MEGAN_ENTRA, 'requireUserToSignInAgain'],
		];
		for (const [action, identityProvider, accountId, canonical] of variants) {
			const { status, body } = await invoke(MEGAN.id, { accountId, action, identityProvider });
			expect({ action, identityProvider, status, answered: body.value?.action }).toEqual({
				action,
				identityProvider,
				status: 200,
				answered: canonical,
			});
		}
		expect(sim.identityActions.map((record) => record.identityProvider)).toEqual([
			'activeDirectory',
			'activeDirectory',
			'entraID',
			'entraID',
		]);
	});

	it('disables and re-enables: the entry offers the opposite action and isEnabled follows', async () => {
		const disable = { accountId: MEGAN_AD, action: 'Disable', identityProvider: 'ActiveDirectory' };
		expect((await invoke(MEGAN.id, disable)).status).toBe(200);
		let shown = (await graphJson(`${ACCOUNTS}/${MEGAN.id}`)).body.value;
		expect(shown.isEnabled).toBe(false);
		expect(shown.accounts[0].actions).toEqual(['enable', 'forcePasswordReset']);
		expectGraphError(await invoke(MEGAN.id, disable), 400, 'BadRequest', /not available/);

		const enable = { ...disable, action: 'enable' };
		expect((await invoke(MEGAN.id, enable)).status).toBe(200);
		shown = (await graphJson(`${ACCOUNTS}/${MEGAN.id}`)).body.value;
		expect(shown.isEnabled).toBe(true);
		expect(shown.accounts[0].actions).toEqual(['disable', 'forcePasswordReset']);
		expect(sim.identityActions.map((record) => record.action)).toEqual(['disable', 'enable']);
	});

	it('re-enables the seeded disabled account', async () => {
		const diego = seeded(IDS.disabled);
		const { status } = await invoke(diego.id, {
			accountId: identifierOf(diego, 'activeDirectory'),
			action: 'enable',
			identityProvider: 'activeDirectory',
		});
		expect(status).toBe(200);
		expect(sim.getIdentityAccount(diego.id)?.isEnabled).toBe(true);
		const listed = await graphJson(`${ACCOUNTS}?${filterQuery('isEnabled eq false')}`);
		expect(listed.body.value).toEqual([]);
	});

	describe('refuses, changes nothing and records nothing', () => {
		const refusals: Array<[string, string, Record<string, unknown>, RegExp]> = [
			[
				'an unknown action',
				MEGAN.id,
				{ accountId: MEGAN_AD, action: 'delete', identityProvider: 'activeDirectory' },
				/parameter 'action'/,
			],
			[
				'unknownFutureValue as action',
				MEGAN.id,
				{ accountId: MEGAN_AD, action: 'unknownFutureValue', identityProvider: 'activeDirectory' },
				/parameter 'action'/,
			],
			[
				'an unknown provider',
				MEGAN.id,
				{ accountId: MEGAN_AD, action: 'disable', identityProvider: 'google' },
				/parameter 'identityProvider'/,
			],
			[
				'a provider the identity has no account in',
				MEGAN.id,
				{ accountId: MEGAN_AD, action: 'disable', identityProvider: 'okta' },
				/has no okta account/,
			],
			[
				'an accountId of another provider entry',
				MEGAN.id,
				{ accountId: MEGAN_ENTRA, action: 'disable', identityProvider: 'activeDirectory' },
				/is not the identifier/,
			],
			[
				'an accountId of another identity',
				MEGAN.id,
				{
					accountId: identifierOf(seeded(IDS.activeDirectoryOnly), 'activeDirectory'),
					action: 'disable',
					identityProvider: 'activeDirectory',
				},
				/is not the identifier/,
			],
			[
				'an action the entry does not list (forcePasswordReset in Entra ID)',
				MEGAN.id,
				{ accountId: MEGAN_ENTRA, action: 'forcePasswordReset', identityProvider: 'entraID' },
				/not available .* Available: disable, revokeAllSessions/,
			],
			[
				'any action on an entry that lists none',
				IDS.entraWithoutActions,
				{
					accountId: identifierOf(seeded(IDS.entraWithoutActions), 'entraID'),
					action: 'disable',
					identityProvider: 'entraID',
				},
				/Available: none/,
			],
			[
				'revokeAllSessions in Active Directory',
				MEGAN.id,
				{ accountId: MEGAN_AD, action: 'revokeAllSessions', identityProvider: 'activeDirectory' },
				/not available/,
			],
			[
				'the answer’s name provider instead of identityProvider',
				MEGAN.id,
				{ accountId: MEGAN_AD, action: 'disable', provider: 'activeDirectory' },
				/parameter 'provider'/,
			],
			[
				'a missing accountId',
				MEGAN.id,
				{ action: 'disable', identityProvider: 'activeDirectory' },
				/'accountId'/,
			],
		];
		it.each(refusals)('%s: 400', async (_name, id, body, message) => {
			const before = sim.getIdentityAccount(id);
			expectGraphError(await invoke(id, body), 400, 'BadRequest', message);
			expect(sim.getIdentityAccount(id)).toEqual(before);
			expect(sim.identityActions).toEqual([]);
		});

		it('a body that is not a JSON object: 400; an unknown account: 404; GET: 405', async () => {
			expectGraphError(
				await graphJson(`${ACCOUNTS}/${MEGAN.id}/invokeAction`, { method: 'POST', body: '[1]' }),
				400,
				'BadRequest',
			);
			expectGraphError(
				await invoke('not-an-account', {
					accountId: MEGAN_AD,
					action: 'disable',
					identityProvider: 'activeDirectory',
				}),
				404,
				'NotFound',
			);
			expectGraphError(
				await graphJson(`${ACCOUNTS}/${MEGAN.id}/invokeAction`),
				405,
				'MethodNotAllowed',
			);
			expect(sim.identityActions).toEqual([]);
		});
	});

	it('runs the action and then answers 504 or drops the connection when a path fault says so', async () => {
		const path = /\/invokeAction$/;
		const body = { accountId: MEGAN_AD, action: 'disable', identityProvider: 'activeDirectory' };
		sim.injectFault({ path, fault: '504AfterExecute' });
		expectGraphError(await invoke(MEGAN.id, body), 504, 'GatewayTimeout');
		expect(sim.identityActions.map((record) => record.action)).toEqual(['disable']);
		expect(sim.getIdentityAccount(MEGAN.id)?.isEnabled).toBe(false);

		sim.injectFault({ path, fault: 'dropAfterExecute' });
		await expect(invoke(MEGAN.id, { ...body, action: 'enable' })).rejects.toThrow();
		expect(sim.identityActions.map((record) => record.action)).toEqual(['disable', 'enable']);

		sim.injectFault({ path, fault: 'dropBeforeExecute' });
		await expect(invoke(MEGAN.id, body)).rejects.toThrow();
		expect(sim.identityActions).toHaveLength(2);
	});

	it('needs a token like every Graph route, and reset brings the seed back', async () => {
		const anonymous = await fetch(`${sim.url}${ACCOUNTS}`);
		expect(anonymous.status).toBe(401);
		await invoke(MEGAN.id, {
			accountId: MEGAN_AD,
			action: 'disable',
			identityProvider: 'activeDirectory',
		});
		expect(sim.getIdentityAccount(MEGAN.id)?.isEnabled).toBe(false);
		sim.reset();
		expect(sim.getIdentityAccount(MEGAN.id)).toEqual(MEGAN);
		expect(sim.identityActions).toEqual([]);
		expect((await graph(ACCOUNTS)).status).toBe(200);
	});
});
