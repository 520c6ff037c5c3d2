import type { TriggerEvent } from './event';
import { newAlert } from './newAlert';
import { newIncident } from './newIncident';
import { newIncidentTask } from './newIncidentTask';

export type { EntityListing, GraphEntity, TriggerEvent } from './event';

/** The trigger's events, in the order the `event` parameter lists them. */
export const TRIGGER_EVENTS: readonly TriggerEvent[] = [newIncidentTask, newIncident, newAlert];
