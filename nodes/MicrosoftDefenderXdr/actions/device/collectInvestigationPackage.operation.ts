import { machineActionOperation } from './machineAction';

export const collectInvestigationPackage = machineActionOperation({
	name: 'collectInvestigationPackage',
	option: {
		name: 'Collect Investigation Package',
		description:
			'Collect forensic data from a device; download it with Device Action > Get Investigation Package URI',
		action: 'Collect an investigation package from a device',
	},
	why: 'the package is collected',
});
