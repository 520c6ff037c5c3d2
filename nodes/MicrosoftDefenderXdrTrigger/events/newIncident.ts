import type { TriggerEvent } from './event';
import { securityFilters, securityListing } from './securityFilters';

/** `microsoft.graph.security.incidentStatus`. */
const INCIDENT_STATUSES = [
	{ name: 'Active', value: 'active' },
	{ name: 'Awaiting Action', value: 'awaitingAction' },
	{ name: 'In Progress', value: 'inProgress' },
	{ name: 'Redirected', value: 'redirected' },
	{ name: 'Resolved', value: 'resolved' },
];

export const newIncident: TriggerEvent = {
	value: 'newIncident',
	name: 'New Incident',
	description: 'Triggers when Microsoft Defender XDR creates an incident',
	entities: 'incidents',
	properties: securityFilters('newIncident', INCIDENT_STATUSES),
	listing: (ctx) => securityListing(ctx, '/security/incidents'),
};
