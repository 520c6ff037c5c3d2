import { machineActionOperation } from './machineAction';

export const releaseFromIsolation = machineActionOperation({
	name: 'releaseFromIsolation',
	option: {
		name: 'Release From Isolation',
		description: 'Reconnect an isolated device to the network',
		action: 'Release a device from isolation',
	},
	why: 'the device is released from isolation',
});
