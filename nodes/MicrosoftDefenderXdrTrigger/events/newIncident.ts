import { INCIDENT_STATUSES, INCIDENT_SUBJECT } from '../../shared/security';
import type { TriggerEvent } from './event';
import { securityFilters, securityListing } from './securityFilters';

export const newIncident: TriggerEvent = {
	value: 'newIncident',
	name: 'New Incident',
	description: 'Triggers when Microsoft Defender XDR creates an incident',
	entities: 'incidents',
	properties: securityFilters('newIncident', INCIDENT_STATUSES),
	listing: (ctx) =>
		securityListing(ctx, '/security/incidents', INCIDENT_SUBJECT, INCIDENT_STATUSES),
};
