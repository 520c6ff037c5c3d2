import { ALERT } from '../../shared/resources/alert';
import { ALERT_STATUSES } from '../../shared/security';
import type { TriggerEvent } from './event';
import { securityFilters, securityListing } from './securityFilters';

export const newAlert: TriggerEvent = {
	value: 'newAlert',
	name: 'New Alert',
	description: 'Triggers when Microsoft Defender XDR raises an alert (alerts_v2)',
	resource: ALERT,
	entities: 'alerts',
	properties: securityFilters('newAlert', ALERT_STATUSES),
	listing: (ctx) => securityListing(ctx, ALERT, ALERT_STATUSES),
};
