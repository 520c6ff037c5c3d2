import type { IExecuteFunctions } from 'n8n-workflow';

import { describeValue, parameterError } from '../../../shared/parameters';
import { machineActionOperation } from './machineAction';

const SHA1 = /^[0-9a-fA-F]{40}$/;

export const stopAndQuarantineFile = machineActionOperation({
	name: 'stopAndQuarantineFile',
	option: {
		name: 'Stop and Quarantine File',
		description: 'Stop the processes of a file on a device and quarantine the file, by its SHA-1',
		action: 'Stop and quarantine a file on a device',
	},
	why: 'the file is quarantined',
	properties: [
		{
			displayName: 'SHA-1',
			name: 'sha1',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. 87662bc3d60e4200ceaf7aae249d1c343f4b83c9',
			description: "The file's SHA-1 hash: 40 hexadecimal characters",
		},
	],
	body(ctx: IExecuteFunctions, itemIndex: number) {
		const value = ctx.getNodeParameter('sha1', itemIndex, '') as unknown;
		const sha1 = typeof value === 'string' ? value.trim() : value;
		if (typeof sha1 !== 'string' || !SHA1.test(sha1))
			throw parameterError(
				'invalidSha1',
				`SHA-1: ${describeValue(value)} is not a SHA-1 hash (40 hexadecimal characters)`,
			);
		return { Sha1: sha1.toLowerCase() };
	},
});
