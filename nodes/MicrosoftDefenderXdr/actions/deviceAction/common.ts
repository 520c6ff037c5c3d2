import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { describeValue, parameterError } from '../../../shared/parameters';
import { rawParameter } from '../operation';

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export const deviceActionIdProperty: INodeProperties = {
	displayName: 'Device Action ID',
	name: 'deviceActionId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 0d1a2f5c-7a4e-4f0b-9f2a-3c6e8b1d2e4f',
	description: 'The ID (a GUID) of a device action, as a device operation returns it',
	hint: 'Map it from a device operation, e.g. {{ $json.deviceActionId }}',
};

/** Reads and checks the device action ID of an item: a GUID, or nothing is sent. */
export function readDeviceActionId(ctx: IExecuteFunctions, itemIndex: number): string {
	const value = ctx.getNodeParameter('deviceActionId', itemIndex, '') as unknown;
	const id = typeof value === 'string' ? value.trim() : value;
	if (typeof id === 'string' && GUID.test(id)) return id.toLowerCase();
	throw parameterError(
		'invalidDeviceActionId',
		`The device action ID ${describeValue(value)} is not a GUID such as 0d1a2f5c-7a4e-4f0b-9f2a-3c6e8b1d2e4f`,
	);
}

/** The device action an output item is about, as given. */
export function deviceActionSubject(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	return { deviceActionId: rawParameter(ctx, 'deviceActionId', itemIndex) as IDataObject[string] };
}
