import { updateDisplayOptions, type IExecuteFunctions } from 'n8n-workflow';

import { DEVICE } from '../../../shared/resources/device';
import type { ApiSession } from '../../../shared/transport/session';
import { optionsProperty } from '../operation';
import { deviceIdProperty, deviceSubject, readDevice, readDeviceReference } from './common';

export const option = {
	name: 'Get',
	description: 'Read one device by its Defender ID or computer DNS name',
	action: 'Get a device',
};

export const description = updateDisplayOptions(
	{ show: { resource: [DEVICE.value], operation: ['get'] } },
	[deviceIdProperty, optionsProperty()],
);

export function subject(this: IExecuteFunctions, itemIndex: number) {
	return deviceSubject(this, itemIndex);
}

export async function execute(this: IExecuteFunctions, session: ApiSession, itemIndex: number) {
	return { items: [await readDevice(session, readDeviceReference(this, itemIndex))] };
}
