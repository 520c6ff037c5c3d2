import { updateDisplayOptions, type IExecuteFunctions } from 'n8n-workflow';

import { DEVICE_ACTION, PACKAGE_URI_SUBJECT } from '../../../shared/resources/deviceAction';
import { recordPath } from '../../../shared/resources/resource';
import type { ApiSession } from '../../../shared/transport/session';
import { optionsProperty } from '../operation';
import { deviceActionIdProperty, deviceActionSubject, readDeviceActionId } from './common';

export const option = {
	name: 'Get Investigation Package URI',
	description:
		'Get a short-lived download link for the package a succeeded Collect Investigation Package action gathered',
	action: 'Get the investigation package download link',
};

export const description = updateDisplayOptions(
	{ show: { resource: [DEVICE_ACTION.value], operation: ['getInvestigationPackageUri'] } },
	[
		{
			// Microsoft allows this call 2 times a minute and 120 times an hour per app.
			displayName:
				'Defender allows 2 of these requests a minute and 120 an hour; the link is valid for a short time only, so download it right away',
			name: 'packageUriNotice',
			type: 'notice',
			default: '',
		},
		deviceActionIdProperty,
		optionsProperty(),
	],
);

export function subject(this: IExecuteFunctions, itemIndex: number) {
	return deviceActionSubject(this, itemIndex);
}

export async function execute(this: IExecuteFunctions, session: ApiSession, itemIndex: number) {
	const id = readDeviceActionId(this, itemIndex);
	const { body } = await session.get<{ value?: unknown }>(
		recordPath(DEVICE_ACTION, id, '/GetPackageUri'),
		undefined,
		{ subject: PACKAGE_URI_SUBJECT },
	);
	// Microsoft's own example wraps the link in quotes inside the string; the link itself is what a download needs.
	const uri = typeof body.value === 'string' ? body.value.replace(/^"|"$/g, '') : null;
	return { items: [{ deviceActionId: id, packageUri: uri }] };
}
