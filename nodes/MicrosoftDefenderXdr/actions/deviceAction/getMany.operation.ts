import { updateDisplayOptions, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { filterProperties, readFilters, type ListFilter } from '../../../shared/filters';
import { DEVICE_ACTION } from '../../../shared/resources/deviceAction';
import type { ApiSession } from '../../../shared/transport/session';
import { listEntities } from '../device/common';
import { LISTING_PROPERTIES, optionsProperty, readLimit } from '../operation';

/** The machine action types and statuses Defender documents. */
const ACTION_TYPES = [
	'Isolate',
	'Unisolate',
	'RunAntiVirusScan',
	'CollectInvestigationPackage',
	'RestrictCodeExecution',
	'UnrestrictCodeExecution',
	'StopAndQuarantineFile',
	'LiveResponse',
	'Offboard',
];
const ACTION_STATUSES = ['Pending', 'InProgress', 'Succeeded', 'Failed', 'TimeOut', 'Cancelled'];

const choicesOf = (values: string[]) =>
	values.map((value) => ({ name: value.replace(/([a-z])([A-Z])/g, '$1 $2'), value }));

const ACTION_FILTERS: ListFilter[] = [
	{
		name: 'createdAfter',
		displayName: 'Created After',
		apiProperty: 'creationDateTimeUtc',
		kind: 'dateAfter',
		description: 'Only actions created at or after this time',
	},
	{
		name: 'deviceId',
		displayName: 'Device ID',
		apiProperty: 'machineId',
		kind: 'exactText',
		pattern: /^[0-9a-fA-F]{40}$/,
		example:
			'a Defender device ID (40 hexadecimal characters); read the device first to turn a name into its ID',
		placeholder: 'e.g. 898a8dd7048b63db9dfaad873c17f940f63de760',
		description: 'Only actions on this device (its Defender ID, 40 hexadecimal characters)',
	},
	{
		name: 'status',
		displayName: 'Status',
		apiProperty: 'status',
		kind: 'choice',
		choices: choicesOf(ACTION_STATUSES),
		default: 'Pending',
		description: 'Only actions in this status',
	},
	{
		name: 'type',
		displayName: 'Type',
		apiProperty: 'type',
		kind: 'choice',
		choices: choicesOf(ACTION_TYPES),
		default: 'Isolate',
		description: 'Only actions of this type',
	},
];

export const option = {
	name: 'Get Many',
	description: 'List device actions, newest first, optionally by device, type, status or date',
	action: 'Get many device actions',
};

export const description = updateDisplayOptions(
	{ show: { resource: [DEVICE_ACTION.value], operation: ['getMany'] } },
	[...LISTING_PROPERTIES, filterProperties(ACTION_FILTERS), optionsProperty()],
);

export function subject(): IDataObject {
	return { deviceActionId: null };
}

export async function execute(this: IExecuteFunctions, session: ApiSession, itemIndex: number) {
	const limit = readLimit(this, itemIndex);
	const given = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const { $filter } = readFilters(ACTION_FILTERS, given);
	return {
		items: await listEntities(
			session,
			DEVICE_ACTION.path,
			$filter,
			limit,
			DEVICE_ACTION.pageSize,
			DEVICE_ACTION.subject,
		),
	};
}
