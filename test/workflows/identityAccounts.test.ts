/**
 * Identity accounts (Defender for Identity) through the n8n engine against the simulator: reading them in either
 * form Microsoft's pages show, the exact invokeAction request, the account's own list of actions deciding before
 * anything is sent, the dry run, the AI-agent gate, the Global-only cloud, and a lost answer that is never re-sent.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';

import {
	SEED_IDENTITY_ACCOUNTS,
	SEEDED_IDENTITY_ACCOUNT_IDS as IDS,
	type IdentityAccount,
} from '../../simulator';
import type { INode, INodeParameters } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../harness/n8n-engine';
import {
	agentTool,
	graphRequests,
	runDefender,
	simulatorCredential,
	tokenRequests,
	useWorld,
	type Json,
} from './defenderWorkflow';

const world = useWorld();

const ACCOUNTS = '/v1.0/security/identities/identityAccounts';

const seeded = (id: string): Readonly<IdentityAccount> => {
	const account = SEED_IDENTITY_ACCOUNTS.find((candidate) => candidate.id === id);
	if (!account) throw new Error(`no seeded identity account ${id}`);
	return account;
};
const identifierOf = (id: string, provider: string) => {
	const entry = seeded(id).accounts.find((candidate) => candidate.identityProvider === provider);
	if (!entry) throw new Error(`${id} has no ${provider} account`);
	return entry.identifier;
};

const MEGAN = IDS.activeDirectoryAndEntra;

const get = (identityAccountId: unknown): Json => ({
	resource: 'identityAccount',
	operation: 'get',
	identityAccountId,
});
const getMany = (extra: Json = {}): Json => ({
	resource: 'identityAccount',
	operation: 'getMany',
	...extra,
});
const invoke = (options: Json = {}, extra: Json = {}): Json => ({
	resource: 'identityAccount',
	operation: 'invokeAction',
	identityAccountId: '={{ $json.id }}',
	action: '={{ $json.action }}',
	identityProvider: '={{ $json.provider }}',
	options,
	...extra,
});
const posts = () => graphRequests(world.sim, 'POST');

function useCredential(credential: Json) {
	world.engine.credentialsHelper.stored[CREDENTIAL_TYPE] = credential;
}
afterEach(() => {
	useCredential(simulatorCredential(world.sim));
	world.sim.setIdentityAnswerForm('example');
});

/**
 * A loopback proxy in front of the simulator that keeps every request body as it arrived, so a test sees the exact
 * bytes the node sent (the simulator itself reads names and values in any casing).
 */
async function recordingProxy() {
	const bodies: Array<{ method: string; path: string; body: string }> = [];
	const target = new URL(world.sim.url);
	const server = http.createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			const body = Buffer.concat(chunks);
			bodies.push({ method: request.method ?? '', path: request.url ?? '', body: body.toString() });
			const forwarded = http.request(
				{
					host: target.hostname,
					port: target.port,
					method: request.method,
					path: request.url,
					headers: request.headers,
				},
				(answer) => {
					response.writeHead(answer.statusCode ?? 502, answer.headers);
					answer.pipe(response);
				},
			);
			forwarded.on('error', () => response.destroy());
			forwarded.end(body);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	useCredential(simulatorCredential({ ...world.sim, url }));
	return {
		bodies,
		stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

describe('Get and Get Many', () => {
	it.each(['example', 'schema'] as const)(
		'reads an account answered in the %s form as one unwrapped account, each entry as { identifier, identityProvider, actions }',
		async (form) => {
			world.sim.setIdentityAnswerForm(form);
			const run = await runDefender(world.engine, get(MEGAN));

			expect(run.error).toEqual([]);
			expect(run.success).toEqual([
				{
					id: MEGAN,
					displayName: 'Megan Bowen',
					domain: 'contoso.com',
					onPremisesSecurityIdentifier: seeded(MEGAN).onPremisesSecurityIdentifier,
					cloudSecurityIdentifier: seeded(MEGAN).cloudSecurityIdentifier,
					isEnabled: true,
					accounts: [
						{
							identifier: identifierOf(MEGAN, 'activeDirectory'),
							identityProvider: 'activeDirectory',
							actions: ['disable', 'forcePasswordReset'],
						},
						{
							identifier: identifierOf(MEGAN, 'entraID'),
							identityProvider: 'entraID',
							actions: [
								'disable',
								'revokeAllSessions',
								'requireUserToSignInAgain',
								'markUserAsCompromised',
							],
						},
					],
				},
			]);
			expect(graphRequests(world.sim).map((r) => `${r.method} ${r.path}`)).toEqual([
				`GET ${ACCOUNTS}/${MEGAN}`,
			]);
		},
	);

	it('refuses a malformed ID or an unknown one, the first without a request', async () => {
		const run = await runDefender(world.engine, get('={{ $json.id }}'), [
			{ id: '../incidents' },
			{ id: '00000000-0000-4000-8000-000000000000' },
		]);

		expect(run.error).toEqual([
			{
				identityAccountId: '../incidents',
				outcome: 'failed',
				error: expect.objectContaining({ code: 'invalidIdentityAccountId', executed: 'no' }),
			},
			{
				identityAccountId: '00000000-0000-4000-8000-000000000000',
				outcome: 'failed',
				error: expect.objectContaining({ code: 'NotFound', statusCode: 404, executed: 'no' }),
			},
		]);
		expect(graphRequests(world.sim)).toHaveLength(1);
	});

	it('lists accounts up to the limit, or all of them, in either answer form', async () => {
		world.sim.configure({ pageSize: 3 });
		const limited = await runDefender(world.engine, getMany({ limit: 2 }));
		world.sim.setIdentityAnswerForm('schema');
		const all = await runDefender(world.engine, getMany({ returnAll: true }));

		expect(limited.success.map((account) => account.id)).toEqual(
			SEED_IDENTITY_ACCOUNTS.slice(0, 2).map((account) => account.id),
		);
		expect(all.success.map((account) => account.id)).toEqual(
			SEED_IDENTITY_ACCOUNTS.map((account) => account.id),
		);
		for (const account of all.success)
			for (const entry of account.accounts)
				expect(Object.keys(entry).sort()).toEqual(['actions', 'identifier', 'identityProvider']);
	});

	it('finds the identity behind an SID with the filter Microsoft documents', async () => {
		const sid = seeded(MEGAN).onPremisesSecurityIdentifier;
		const run = await runDefender(
			world.engine,
			getMany({ filters: { onPremisesSecurityIdentifier: sid, isEnabled: true } }),
		);

		expect(run.success.map((account) => account.id)).toEqual([MEGAN]);
		expect(decodeURIComponent(graphRequests(world.sim)[0].path)).toBe(
			`${ACCOUNTS}?$filter=onPremisesSecurityIdentifier eq '${sid}' and isEnabled eq true`,
		);
	});

	it('refuses a filter value that is not an SID, or a blank one, before any request', async () => {
		const run = await runDefender(
			world.engine,
			getMany({ filters: { onPremisesSecurityIdentifier: '={{ $json.sid }}' } }),
			[{ sid: "S-1-5' or 1 eq 1" }, { sid: '' }],
		);

		expect(run.error.map((item) => item.error.code)).toEqual(['invalidFilter', 'invalidFilter']);
		expect(run.error[0].error.message).toContain('is not a security identifier');
		expect(graphRequests(world.sim)).toHaveLength(0);
	});

	it("fills the editor's pick list with each identity's name, domain and providers", async () => {
		const list = await world.engine.listSearch('searchIdentityAccounts');

		expect(list.results).toHaveLength(SEED_IDENTITY_ACCOUNTS.length);
		expect(list.results[0]).toEqual({
			name: 'Megan Bowen (contoso.com) · Active Directory, Entra ID',
			value: MEGAN,
		});
	});
});

describe('Invoke Action', () => {
	it('sends { accountId, action, identityProvider } with the identifier of the entry for that provider, and reports the correlation ID', async () => {
		const proxy = await recordingProxy();
		try {
			const run = await runDefender(world.engine, invoke(), [
				{ id: MEGAN, action: 'revokeAllSessions', provider: 'entraID' },
			]);

			const [recorded] = world.sim.identityActions;
			expect(run.error).toEqual([]);
			expect(run.success).toEqual([
				{
					identityAccountId: MEGAN,
					action: 'revokeAllSessions',
					identityProvider: 'entraID',
					outcome: 'executed',
					correlationId: recorded.correlationId,
					requestId: expect.any(String),
					accountId: identifierOf(MEGAN, 'entraID'),
					statusCode: 200,
				},
			]);
			const sent = proxy.bodies.filter(
				(request) => request.method === 'POST' && request.path.startsWith(ACCOUNTS),
			);
			expect(sent).toEqual([
				{
					method: 'POST',
					path: `${ACCOUNTS}/${MEGAN}/invokeAction`,
					body: JSON.stringify({
						accountId: identifierOf(MEGAN, 'entraID'),
						action: 'revokeAllSessions',
						identityProvider: 'entraID',
					}),
				},
			]);
		} finally {
			await proxy.stop();
		}
	});

	it('reads an action and a provider written as Microsoft\'s pages write them ("Disable", "ActiveDirectory") and sends camelCase', async () => {
		const proxy = await recordingProxy();
		try {
			const run = await runDefender(world.engine, invoke(), [
				{ id: IDS.activeDirectoryOnly, action: 'Disable', provider: 'ActiveDirectory' },
			]);

			expect(run.success[0]).toMatchObject({
				action: 'disable',
				identityProvider: 'activeDirectory',
			});
			const [sent] = proxy.bodies.filter((request) => request.path.endsWith('/invokeAction'));
			expect(JSON.parse(sent.body)).toEqual({
				accountId: identifierOf(IDS.activeDirectoryOnly, 'activeDirectory'),
				action: 'disable',
				identityProvider: 'activeDirectory',
			});
			// Disabling shows on the account: its Active Directory entry now offers enable.
			expect(world.sim.getIdentityAccount(IDS.activeDirectoryOnly)?.isEnabled).toBe(false);
		} finally {
			await proxy.stop();
		}
	});

	it.each(['example', 'schema'] as const)(
		'takes the correlation ID from an answer in the %s form',
		async (form) => {
			world.sim.setIdentityAnswerForm(form);
			const run = await runDefender(world.engine, invoke(), [
				{ id: IDS.okta, action: 'revokeAllSessions', provider: 'okta' },
			]);

			expect(run.success).toEqual([
				expect.objectContaining({
					outcome: 'executed',
					correlationId: world.sim.identityActions[0].correlationId,
					accountId: identifierOf(IDS.okta, 'okta'),
				}),
			]);
		},
	);

	it("refuses, with no POST, an action the account's entry for that provider does not list, and says what it lists", async () => {
		const run = await runDefender(world.engine, invoke(), [
			{ id: MEGAN, action: 'forcePasswordReset', provider: 'entraID' },
			{ id: IDS.entraWithoutActions, action: 'revokeAllSessions', provider: 'entraID' },
			{ id: MEGAN, action: 'revokeAllSessions', provider: 'okta' },
		]);

		expect(run.success).toEqual([]);
		expect(
			run.error.map((item) => [item.identityAccountId, item.error.code, item.error.executed]),
		).toEqual([
			[MEGAN, 'actionNotSupported', 'no'],
			[IDS.entraWithoutActions, 'actionNotSupported', 'no'],
			[MEGAN, 'providerNotFound', 'no'],
		]);
		expect(run.error[0]).toMatchObject({
			action: 'forcePasswordReset',
			identityProvider: 'entraID',
		});
		expect(run.error[0].error.message).toBe(
			`The Entra ID entry of identity account "Megan Bowen" (${MEGAN}) lists disable, revokeAllSessions, requireUserToSignInAgain and markUserAsCompromised, not forcePasswordReset. Nothing was sent: the account's own list says which actions Graph takes for it. Choose one of those as Action, or turn off Verify Account to let Graph decide.`,
		);
		expect(run.error[1].error.message).toContain('lists no actions, not revokeAllSessions');
		expect(run.error[2].error.message).toContain(
			'has no Okta account; its entries are Active Directory and Entra ID. Nothing was sent.',
		);
		expect(posts()).toEqual([]);
		expect(world.sim.identityActions).toEqual([]);
	});

	it('refuses an action or provider outside the documented six and three before any request', async () => {
		const run = await runDefender(world.engine, invoke(), [
			{ id: MEGAN, action: 'deleteUser', provider: 'entraID' },
			{ id: MEGAN, action: 'disable', provider: 'google' },
		]);

		expect(run.error.map((item) => item.error.code)).toEqual([
			'unsupportedAction',
			'unsupportedIdentityProvider',
		]);
		expect(graphRequests(world.sim)).toEqual([]);
	});

	it('with Verify Account off, takes the identifier from the account and lets Graph decide', async () => {
		const run = await runDefender(world.engine, invoke({ verifyAccount: false }), [
			{ id: MEGAN, action: 'forcePasswordReset', provider: 'entraID' },
		]);

		// Graph refuses it (400): nothing ran, and the item says what to check.
		expect(run.error[0].error).toMatchObject({ statusCode: 400, executed: 'no' });
		expect(run.error[0].error.message).toContain("this entry's actions list the action");
		expect(graphRequests(world.sim).map((r) => r.method)).toEqual(['GET', 'POST']);
	});

	it('with Verify Account off and the account ID given, sends without reading the account', async () => {
		const run = await runDefender(
			world.engine,
			invoke({ verifyAccount: false, accountId: identifierOf(MEGAN, 'activeDirectory') }),
			[{ id: MEGAN, action: 'forcePasswordReset', provider: 'activeDirectory' }],
		);

		expect(run.success[0].outcome).toBe('executed');
		expect(graphRequests(world.sim).map((r) => r.method)).toEqual(['POST']);
	});

	it("refuses a given account ID that is not the identifier of the account's entry", async () => {
		const run = await runDefender(
			world.engine,
			invoke({ accountId: identifierOf(MEGAN, 'entraID') }),
			[{ id: MEGAN, action: 'disable', provider: 'activeDirectory' }],
		);

		expect(run.error[0].error).toMatchObject({ code: 'accountIdMismatch', executed: 'no' });
		expect(posts()).toEqual([]);
	});

	it('dry run: checks the account and shows the request it would send, sending nothing', async () => {
		const run = await runDefender(world.engine, invoke({ dryRun: true }), [
			{ id: MEGAN, action: 'disable', provider: 'activeDirectory' },
			{ id: MEGAN, action: 'revokeAllSessions', provider: 'activeDirectory' },
		]);

		expect(run.success).toEqual([
			expect.objectContaining({
				identityAccountId: MEGAN,
				action: 'disable',
				identityProvider: 'activeDirectory',
				outcome: 'dryRun',
				correlationId: null,
				requestId: null,
				request: {
					method: 'POST',
					path: `${ACCOUNTS}/${MEGAN}/invokeAction`,
					body: {
						accountId: identifierOf(MEGAN, 'activeDirectory'),
						action: 'disable',
						identityProvider: 'activeDirectory',
					},
				},
			}),
		]);
		expect(run.error[0].error.code).toBe('actionNotSupported');
		expect(posts()).toEqual([]);
		expect(world.sim.getIdentityAccount(MEGAN)?.isEnabled).toBe(true);
	});

	it.each([
		['504AfterExecute', 1],
		['dropAfterExecute', 1],
		['dropBeforeExecute', 0],
	] as const)(
		'a lost answer (%s) fails the item with executed: unknown, sent exactly once',
		async (fault, actionsRun) => {
			world.sim.injectFault({ path: /\/invokeAction$/, fault });
			const run = await runDefender(world.engine, invoke(), [
				{ id: MEGAN, action: 'revokeAllSessions', provider: 'entraID' },
			]);

			expect(run.success).toEqual([]);
			expect(run.error).toEqual([
				{
					identityAccountId: MEGAN,
					action: 'revokeAllSessions',
					identityProvider: 'entraID',
					outcome: 'failed',
					error: expect.objectContaining({ executed: 'unknown', retryable: false }),
				},
			]);
			expect(run.error[0].error.message).toContain('It was not sent again');
			expect(posts()).toHaveLength(1);
			expect(world.sim.identityActions).toHaveLength(actionsRun);
		},
	);

	it('retries a throttled (429) invokeAction, which Graph did not process', async () => {
		world.sim.injectFault({ path: /\/invokeAction$/, fault: '429', retryAfterSeconds: 0 });
		const run = await runDefender(world.engine, invoke(), [
			{ id: MEGAN, action: 'revokeAllSessions', provider: 'entraID' },
		]);

		expect(run.success[0].outcome).toBe('executed');
		expect(posts().map((r) => r.status)).toEqual([429, 200]);
		expect(world.sim.identityActions).toHaveLength(1);
	});
});

describe('the README', () => {
	const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

	it('shows exactly the Success item a real Invoke Action produces (IDs that change per run by their shape)', async () => {
		const readme = readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
		const [, shown] =
			/<!-- identity-example: revoked -->\s*```json\n([\s\S]*?)\n```/.exec(readme) ?? [];
		const item = JSON.parse(shown) as Json;

		const run = await runDefender(world.engine, invoke(), [
			{ id: item.identityAccountId, action: item.action, provider: item.identityProvider },
		]);

		const [produced] = run.success;
		for (const volatile of ['correlationId', 'requestId']) {
			expect(item[volatile]).toMatch(UUID);
			expect(produced[volatile]).toMatch(UUID);
		}
		expect({ ...produced, correlationId: item.correlationId, requestId: item.requestId }).toEqual(
			item,
		);
	});
});

describe('as an AI-agent tool', () => {
	const toolNode = (parameters: INodeParameters): INode =>
		agentTool({
			resource: 'identityAccount',
			operation: 'invokeAction',
			identityAccountId: "={{ $fromAI('identityAccountId') }}",
			action: "={{ $fromAI('action') }}",
			identityProvider: "={{ $fromAI('identityProvider') }}",
			...parameters,
		});
	const revoke = {
		identityAccountId: MEGAN,
		action: 'revokeAllSessions',
		identityProvider: 'entraID',
	};

	it('refuses to act unless Allow as AI Tool is ticked, and sends nothing', async () => {
		await expect(world.engine.callTool(toolNode({}), revoke)).rejects.toThrow(
			/may not act on identity accounts.*Allow as AI Tool.*code: changeNotAllowedAsTool, executed: no/,
		);
		expect(world.sim.requests).toEqual([]);
	});

	it('lets the agent make a dry run without it, and act with it', async () => {
		const dry = JSON.parse(
			(await world.engine.callTool(toolNode({ options: { dryRun: true } }), revoke)) as string,
		);
		expect(dry[0].outcome).toBe('dryRun');
		expect(posts()).toEqual([]);

		const acted = JSON.parse(
			(await world.engine.callTool(toolNode({ options: { allowAsTool: true } }), revoke)) as string,
		);
		expect(acted).toEqual([
			expect.objectContaining({
				outcome: 'executed',
				correlationId: world.sim.identityActions[0].correlationId,
			}),
		]);
	});

	it('tells the agent which actions the account offers when it asks for another', async () => {
		await expect(
			world.engine.callTool(toolNode({ options: { allowAsTool: true } }), {
				...revoke,
				action: 'forcePasswordReset',
			}),
		).rejects.toThrow(/lists disable, revokeAllSessions.*Call again with one of those as action/);
		expect(posts()).toEqual([]);
	});
});

describe('outside the Global cloud', () => {
	it.each([
		['reads an account', get(MEGAN)],
		['lists accounts', getMany()],
		[
			'acts on an account',
			invoke(
				{},
				{ identityAccountId: MEGAN, action: 'disable', identityProvider: 'activeDirectory' },
			),
		],
	])(
		'%s: refused before any request, saying Microsoft offers identity accounts in Global only',
		async (_what, parameters) => {
			useCredential({ ...simulatorCredential(world.sim), cloud: 'usGovL4' });
			const run = await runDefender(world.engine, parameters);

			expect(run.success).toEqual([]);
			expect(run.error[0].error).toMatchObject({ code: 'notOfferedInCloud', executed: 'no' });
			expect(run.error[0].error.message).toBe(
				'Microsoft does not offer identity accounts in the US Government L4 cloud that this credential uses; its Graph documentation names the Global cloud only. Nothing was sent. Use a credential for a tenant in the Global cloud.',
			);
			expect(graphRequests(world.sim)).toEqual([]);
			expect(tokenRequests(world.sim)).toEqual([]);
		},
	);
});
