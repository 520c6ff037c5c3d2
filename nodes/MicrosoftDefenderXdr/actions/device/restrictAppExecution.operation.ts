import { machineActionOperation } from './machineAction';

export const restrictAppExecution = machineActionOperation({
	name: 'restrictAppExecution',
	option: {
		name: 'Restrict App Execution',
		description: 'Let a device run only applications signed by Microsoft',
		action: 'Restrict app execution on a device',
	},
	why: 'app execution is restricted',
});
