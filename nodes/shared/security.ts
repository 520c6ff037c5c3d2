import type { SecurityNamespace } from '@microsoft/microsoft-graph-types-beta';

import { RESOURCE_CLOUDS } from './cloud';
import type { GraphSubject } from './transport/graphError';

/**
 * Incidents, alerts (alerts_v2) and advanced hunting, named once: the values Graph accepts for each field
 * the node reads, writes or filters on, checked against Microsoft's own type definitions at compile time.
 * `unknownFutureValue` is Graph's marker for "a value newer than this client", never something to set.
 */

type Settable<Union> = Exclude<Union, 'unknownFutureValue'>;
type SameValues<Ours, Microsofts> = [Exclude<Ours, Microsofts>, Exclude<Microsofts, Ours>] extends [
	never,
	never,
]
	? true
	: never;

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

/** Graph's largest pages: incidents 50, alerts 2,000 (alerts_v2 `$top`). */
export const INCIDENT_PAGE_SIZE = 50;
export const ALERT_PAGE_SIZE = 2000;

export const INCIDENT_SUBJECT: GraphSubject = {
	name: 'incident',
	onBadRequest: 'the incident ID and the values sent',
	onNotFound: "the incident ID and that the credential's tenant is the one the incident belongs to",
	onForbidden:
		'Check that the app registration has the Graph application permission SecurityIncident.Read.All (to read incidents) or SecurityIncident.ReadWrite.All (to update them or add comments), with admin consent',
	unknownOutcome:
		'the change may or may not have been made. Check the incident in the Defender portal before sending it again.',
	offeredIn: RESOURCE_CLOUDS.incidents,
};

export const ALERT_SUBJECT: GraphSubject = {
	name: 'alert',
	onBadRequest: 'the alert ID and the values sent',
	onNotFound: "the alert ID and that the credential's tenant is the one the alert belongs to",
	onForbidden:
		'Check that the app registration has the Graph application permission SecurityAlert.Read.All (to read alerts) or SecurityAlert.ReadWrite.All (to update them or add comments), with admin consent',
	unknownOutcome:
		'the change may or may not have been made. Check the alert in the Defender portal before sending it again.',
	offeredIn: RESOURCE_CLOUDS.alerts,
};

/** Graph lets one advanced hunting request run for up to 3 minutes. */
export const HUNTING_TIME_LIMIT_SECONDS = 180;

export const HUNTING_SUBJECT: GraphSubject = {
	name: 'hunting query',
	// A query has no ID: what Graph refuses is its KQL or its time range.
	onBadRequest: "the query's KQL and the Timespan",
	onNotFound:
		"that the credential's Cloud (and, for Custom, its Graph URL) reaches Microsoft Graph",
	onForbidden:
		'Check that the app registration has the Graph application permission ThreatHunting.Read.All with admin consent',
	unknownOutcome: `the query may still be running in Defender and counting against the tenant's advanced hunting quota, so it was not sent again. Narrow the query (Graph stops one after ${HUNTING_TIME_LIMIT_SECONDS / 60} minutes), or give Request Timeout more than ${HUNTING_TIME_LIMIT_SECONDS} s, before running it again.`,
	offeredIn: RESOURCE_CLOUDS.advancedHunting,
};

/** A comment that was sent and whose answer was lost may be there already: it is reported, never sent twice. */
export function commentUnknownOutcome(subject: GraphSubject): GraphSubject {
	return {
		...subject,
		unknownOutcome: `the comment may or may not have been added. Check the ${subject.name}'s comments in the Defender portal before adding it again.`,
	};
}
