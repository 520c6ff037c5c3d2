import type { IExecuteFunctions } from 'n8n-workflow';

import { toChoice } from '../../../shared/parameters';
import { machineActionOperation } from './machineAction';

/** The node's isolation types and the values Defender takes for them. */
const ISOLATION_TYPES = {
	full: 'Full',
	selective: 'Selective',
	unmanagedDevice: 'UnManagedDevice',
};

export const isolate = machineActionOperation({
	name: 'isolate',
	option: {
		name: 'Isolate',
		description: 'Cut a device off the network, keeping its connection to Defender',
		action: 'Isolate a device',
	},
	why: 'the device is isolated',
	properties: [
		{
			displayName: 'Isolation Type',
			name: 'isolationType',
			type: 'options',
			options: [
				{
					name: 'Full',
					value: 'full',
					description: 'Only the connection to Defender stays open',
				},
				{
					name: 'Selective',
					value: 'selective',
					description: 'Outlook, Teams and Skype for Business keep working too',
				},
				{
					name: 'Unmanaged Device',
					value: 'unmanagedDevice',
					description: 'Contain a device Defender discovered but does not manage',
				},
			],
			default: 'full',
		},
	],
	body(ctx: IExecuteFunctions, itemIndex: number) {
		const isolationType = toChoice(
			ctx.getNodeParameter('isolationType', itemIndex, 'full'),
			'Isolation Type',
			Object.keys(ISOLATION_TYPES) as Array<keyof typeof ISOLATION_TYPES>,
		);
		return { IsolationType: ISOLATION_TYPES[isolationType] };
	},
});
