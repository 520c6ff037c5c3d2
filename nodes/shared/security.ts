import type { SecurityNamespace } from '@microsoft/microsoft-graph-types-beta';

import type { SameValues } from './incidentTask';
import type { RequestSubject } from './transport/errors';

/**
 * Incidents, alerts (alerts_v2) and advanced hunting, named once: the values Graph accepts for each field
 * the node reads, writes or filters on, checked against Microsoft's own type definitions at compile time.
 * `unknownFutureValue` is Graph's marker for "a value newer than this client", never something to set.
 */

type Settable<Union> = Exclude<Union, 'unknownFutureValue'>;

export const SEVERITIES = ['high', 'medium', 'low', 'informational', 'unknown'] as const;
export const INCIDENT_STATUSES = [
	'active',
	'inProgress',
	'awaitingAction',
	'resolved',
	'redirected',
] as const;
/** The statuses Graph's incident update page lists as values to set; Defender Experts alone set awaitingAction. */
export const INCIDENT_SETTABLE_STATUSES = [
	'active',
	'resolved',
	'redirected',
] as const satisfies ReadonlyArray<(typeof INCIDENT_STATUSES)[number]>;
export const ALERT_STATUSES = ['new', 'inProgress', 'resolved'] as const;
export const CLASSIFICATIONS = [
	'truePositive',
	'falsePositive',
	'informationalExpectedActivity',
	'unknown',
] as const;
export const DETERMINATIONS = [
	'apt',
	'compromisedAccount',
	'confirmedActivity',
	'lineOfBusinessApplication',
	'maliciousUserActivity',
	'malware',
	'multiStagedAttack',
	'notEnoughDataToValidate',
	'notMalicious',
	'other',
	'phishing',
	'securityPersonnel',
	'securityTesting',
	'unknown',
	'unwantedSoftware',
] as const;
export const SERVICE_SOURCES = [
	'microsoftDefenderForEndpoint',
	'microsoftDefenderForIdentity',
	'microsoftDefenderForOffice365',
	'microsoftDefenderForCloudApps',
	'microsoftDefenderForCloud',
	'microsoft365Defender',
	'azureAdIdentityProtection',
	'microsoftAppGovernance',
	'dataLossPrevention',
	'microsoftSentinel',
	'microsoftInsiderRiskManagement',
	'microsoftThreatIntelligence',
	'unknown',
] as const;

const checkedAgainstGraph: [
	SameValues<(typeof SEVERITIES)[number], Settable<SecurityNamespace.AlertSeverity>>,
	SameValues<(typeof INCIDENT_STATUSES)[number], Settable<SecurityNamespace.IncidentStatus>>,
	// An alert's `unknown` status is Graph's "not set", which nobody chooses.
	SameValues<
		(typeof ALERT_STATUSES)[number],
		Exclude<Settable<SecurityNamespace.AlertStatus>, 'unknown'>
	>,
	SameValues<(typeof CLASSIFICATIONS)[number], Settable<SecurityNamespace.AlertClassification>>,
	SameValues<(typeof DETERMINATIONS)[number], Settable<SecurityNamespace.AlertDetermination>>,
	SameValues<(typeof SERVICE_SOURCES)[number], Settable<SecurityNamespace.ServiceSource>>,
] = [true, true, true, true, true, true];
void checkedAgainstGraph;

/** n8n options from Graph values: "compromisedAccount" reads "Compromised Account", except where a label is given. */
export function choices(
	values: readonly string[],
	labels: Record<string, string> = {},
): Array<{ name: string; value: string }> {
	return values.map((value) => ({
		value,
		name:
			labels[value] ??
			value.replace(/([A-Z0-9]+)/g, ' $1').replace(/^./, (first) => first.toUpperCase()),
	}));
}

export const SERVICE_SOURCE_LABELS: Record<string, string> = {
	microsoftDefenderForEndpoint: 'Microsoft Defender for Endpoint',
	microsoftDefenderForIdentity: 'Microsoft Defender for Identity',
	microsoftDefenderForOffice365: 'Microsoft Defender for Office 365',
	microsoftDefenderForCloudApps: 'Microsoft Defender for Cloud Apps',
	microsoftDefenderForCloud: 'Microsoft Defender for Cloud',
	microsoft365Defender: 'Microsoft Defender XDR',
	azureAdIdentityProtection: 'Microsoft Entra ID Protection',
	microsoftAppGovernance: 'App Governance',
	dataLossPrevention: 'Data Loss Prevention',
	microsoftSentinel: 'Microsoft Sentinel',
	microsoftInsiderRiskManagement: 'Insider Risk Management',
	microsoftThreatIntelligence: 'Microsoft Threat Intelligence',
	unknown: 'Unknown',
};

/** A comment that was sent and whose answer was lost may be there already: it is reported, never sent twice. */
export function commentUnknownOutcome(subject: RequestSubject): RequestSubject {
	return {
		...subject,
		unknownOutcome: `the comment may or may not have been added. Check the ${subject.name}'s comments in the Defender portal before adding it again.`,
	};
}
