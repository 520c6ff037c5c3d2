/**
 * examples/compromised-account.json in the n8n engine: a new high-severity alert that names a user leads to the
 * identity behind the user's SID, its Entra ID sessions revoked, and a comment on the alert's incident that records
 * Graph's correlation ID; an identity without an Entra ID account goes to "Needs attention" with nothing sent.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { SEEDED_IDENTITY_ACCOUNT_IDS as IDENTITIES, SEEDED_INCIDENT_IDS } from '../../simulator';
import { useWorld, type Json } from './defenderWorkflow';

const example = () =>
	JSON.parse(readFileSync(path.join(__dirname, '../../examples/compromised-account.json'), 'utf8'));
const world = useWorld();

const INCIDENT = SEEDED_INCIDENT_IDS.awaitingAction;

/** A new alert of the incident whose only evidence is the user of a seeded identity. */
function newAlertNaming(identityAccountId: string) {
	const identity = world.sim.getIdentityAccount(identityAccountId);
	if (!identity?.onPremisesSecurityIdentifier)
		throw new Error('the identity needs an on-premises SID');
	return world.sim.addAlert({
		incidentId: INCIDENT,
		severity: 'high',
		title: 'Suspicious sign-in after a phishing click',
		serviceSource: 'microsoftDefenderForIdentity',
		evidence: [
			{
				'@odata.type': '#microsoft.graph.security.userEvidence',
				roles: ['compromised'],
				detailedRoles: ['Compromised account'],
				userAccount: {
					accountName: identity.displayName,
					domainName: 'CONTOSO',
					userSid: identity.onPremisesSecurityIdentifier,
					azureAdUserId: null,
					userPrincipalName: null,
					displayName: identity.displayName,
				},
			},
		],
	} as Json);
}

const items = (run: any, node: string, output = 0): Json[] =>
	(run.outputs[node]?.[output] ?? []).map((item: { json: Json }) => item.json);

const commentsOf = (incidentId: string) =>
	(world.sim.getIncident(incidentId)?.comments ?? []).map((comment) => comment.comment);

it("revokes the named user's Entra ID sessions and records the correlation ID on the incident", async () => {
	const alert = newAlertNaming(IDENTITIES.activeDirectoryAndEntra);
	const before = commentsOf(INCIDENT).length;

	const run = await world.engine.runWorkflow(example());

	expect(run.status).toBe('success');
	expect(world.sim.identityActions).toEqual([
		expect.objectContaining({
			identityAccountId: IDENTITIES.activeDirectoryAndEntra,
			action: 'revokeAllSessions',
			identityProvider: 'entraID',
		}),
	]);
	const [revoked] = items(run, 'Revoke sessions');
	expect(revoked).toMatchObject({
		outcome: 'executed',
		correlationId: world.sim.identityActions[0].correlationId,
	});
	const comments = commentsOf(INCIDENT);
	expect(comments).toHaveLength(before + 1);
	expect(comments[comments.length - 1]).toBe(
		`n8n revoked all sessions of Megan Bowen in Microsoft Entra ID after alert ${alert.id} (Suspicious sign-in after a phishing click). Correlation ID ${revoked.correlationId}, request ${revoked.requestId}.`,
	);
	expect(run.outputs['Needs attention']).toBeUndefined();
}, 60_000);

it('sends an identity without an Entra ID account to "Needs attention", with no action and no comment', async () => {
	newAlertNaming(IDENTITIES.activeDirectoryOnly);
	const before = commentsOf(INCIDENT).length;

	const run = await world.engine.runWorkflow(example());

	expect(items(run, 'Needs attention')).toEqual([
		expect.objectContaining({
			identityAccountId: IDENTITIES.activeDirectoryOnly,
			outcome: 'failed',
			error: expect.objectContaining({ code: 'providerNotFound', executed: 'no' }),
		}),
	]);
	expect(world.sim.identityActions).toEqual([]);
	expect(world.sim.requests.filter((request) => request.path.endsWith('/invokeAction'))).toEqual(
		[],
	);
	expect(commentsOf(INCIDENT)).toHaveLength(before);
}, 60_000);
