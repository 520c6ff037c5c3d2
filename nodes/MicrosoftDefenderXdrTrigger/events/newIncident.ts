import { INCIDENT } from '../../shared/resources/incident';
import { INCIDENT_STATUSES } from '../../shared/security';
import type { TriggerEvent } from './event';
import { securityFilters, securityListing } from './securityFilters';

export const newIncident: TriggerEvent = {
	value: 'newIncident',
	name: 'New Incident',
	description: 'Triggers when Microsoft Defender XDR creates an incident',
	resource: INCIDENT,
	entities: 'incidents',
	properties: securityFilters('newIncident', INCIDENT_STATUSES),
	listing: (ctx) => securityListing(ctx, INCIDENT, INCIDENT_STATUSES),
};
