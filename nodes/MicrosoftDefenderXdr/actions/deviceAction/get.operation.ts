import { updateDisplayOptions, type IExecuteFunctions } from 'n8n-workflow';

import { DEVICE_ACTION } from '../../../shared/resources/deviceAction';
import { recordPath } from '../../../shared/resources/resource';
import type { ApiSession } from '../../../shared/transport/session';
import { optionsProperty } from '../operation';
import { deviceActionIdProperty, deviceActionSubject, readDeviceActionId } from './common';

export const option = {
	name: 'Get',
	description: 'Read one device action: its type, status, device, requestor and comment',
	action: 'Get a device action',
};

export const description = updateDisplayOptions(
	{ show: { resource: [DEVICE_ACTION.value], operation: ['get'] } },
	[deviceActionIdProperty, optionsProperty()],
);

export function subject(this: IExecuteFunctions, itemIndex: number) {
	return deviceActionSubject(this, itemIndex);
}

export async function execute(this: IExecuteFunctions, session: ApiSession, itemIndex: number) {
	const id = readDeviceActionId(this, itemIndex);
	const { body } = await session.get(recordPath(DEVICE_ACTION, id), undefined, {
		subject: DEVICE_ACTION.subject,
	});
	return { items: [body] };
}
