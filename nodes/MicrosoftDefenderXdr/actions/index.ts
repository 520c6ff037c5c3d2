import * as advancedHunting from './advancedHunting';
import * as alert from './alert';
import * as device from './device';
import * as deviceAction from './deviceAction';
import * as identityAccount from './identityAccount';
import * as incident from './incident';
import * as incidentTask from './incidentTask';
import * as indicator from './indicator';
import type { ResourceActions } from './router';

/** Every resource of the node, in the order the Resource list shows them: adding one is one line here. */
export const RESOURCES: readonly ResourceActions[] = [
	advancedHunting,
	alert,
	device,
	deviceAction,
	identityAccount,
	incident,
	incidentTask,
	indicator,
];
