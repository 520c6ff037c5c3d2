import { machineActionOperation } from './machineAction';

export const removeAppRestriction = machineActionOperation({
	name: 'removeAppRestriction',
	option: {
		name: 'Remove App Restriction',
		description: 'Let a restricted device run any application again',
		action: 'Remove the app restriction from a device',
	},
	why: 'the app restriction is removed',
});
