import type { IExecuteFunctions } from 'n8n-workflow';

import { toChoice } from '../../../shared/parameters';
import { machineActionOperation } from './machineAction';

/** The node's scan types and the values Defender takes for them. */
const SCAN_TYPES = { quick: 'Quick', full: 'Full' };

export const runAntivirusScan = machineActionOperation({
	name: 'runAntivirusScan',
	option: {
		name: 'Run Antivirus Scan',
		description: 'Start a Microsoft Defender Antivirus scan on a device',
		action: 'Run an antivirus scan on a device',
	},
	why: 'the device is scanned',
	properties: [
		{
			displayName: 'Scan Type',
			name: 'scanType',
			type: 'options',
			options: [
				{ name: 'Quick', value: 'quick' },
				{ name: 'Full', value: 'full' },
			],
			default: 'quick',
		},
	],
	body(ctx: IExecuteFunctions, itemIndex: number) {
		const scanType = toChoice(
			ctx.getNodeParameter('scanType', itemIndex, 'quick'),
			'Scan Type',
			Object.keys(SCAN_TYPES) as Array<keyof typeof SCAN_TYPES>,
		);
		return { ScanType: SCAN_TYPES[scanType] };
	},
});
