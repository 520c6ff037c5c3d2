import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { emptyFilterError, isBlank, parameterError, toChoice } from '../../../shared/parameters';
import { DEVICE_ACTION } from '../../../shared/resources/deviceAction';
import type { ApiSession } from '../../../shared/transport/session';
import { checkedDeviceReference, listEntities } from '../device/common';
import { filterCondition } from '../entity/entity';
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

const FILTERS: INodeProperties[] = [
	{
		displayName: 'Created After',
		name: 'createdAfter',
		type: 'dateTime',
		default: '',
		description: 'Only actions created at or after this time',
	},
	{
		displayName: 'Device ID',
		name: 'deviceId',
		type: 'string',
		default: '',
		placeholder: 'e.g. 898a8dd7048b63db9dfaad873c17f940f63de760',
		description: 'Only actions on this device (its Defender ID, 40 hexadecimal characters)',
	},
	{
		displayName: 'Status',
		name: 'status',
		type: 'options',
		options: choicesOf(ACTION_STATUSES),
		default: 'Pending',
		description: 'Only actions in this status',
	},
	{
		displayName: 'Type',
		name: 'type',
		type: 'options',
		options: choicesOf(ACTION_TYPES),
		default: 'Isolate',
		description: 'Only actions of this type',
	},
];

/** Each filter's `$filter` condition from a checked value. */
const CONDITIONS: Record<string, (value: unknown, label: string) => string> = {
	createdAfter: (value) =>
		filterCondition(
			{
				name: 'createdAfter',
				displayName: 'Created After',
				graphProperty: 'creationDateTimeUtc',
				kind: 'dateAfter',
				description: '',
			},
			value,
		),
	deviceId: (value, label) => {
		const checked = checkedDeviceReference(value);
		if (!('id' in checked))
			throw parameterError(
				'invalidFilter',
				`${label}: give the device's Defender ID (40 hexadecimal characters); read the device first to turn a name into its ID`,
			);
		return `machineId eq '${checked.id}'`;
	},
	status: (value, label) =>
		`status eq '${toChoice(value, label, ACTION_STATUSES, 'invalidFilter')}'`,
	type: (value, label) => `type eq '${toChoice(value, label, ACTION_TYPES, 'invalidFilter')}'`,
};

export const option = {
	name: 'Get Many',
	description: 'List device actions, newest first, optionally by device, type, status or date',
	action: 'Get many device actions',
};

export const description = updateDisplayOptions(
	{ show: { resource: [DEVICE_ACTION.value], operation: ['getMany'] } },
	[
		...LISTING_PROPERTIES,
		{
			displayName: 'Filters',
			name: 'filters',
			type: 'collection',
			placeholder: 'Add Filter',
			default: {},
			options: FILTERS,
		},
		optionsProperty(),
	],
);

export function subject(): IDataObject {
	return { deviceActionId: null };
}

export async function execute(this: IExecuteFunctions, session: ApiSession, itemIndex: number) {
	const limit = readLimit(this, itemIndex);
	const given = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const conditions = FILTERS.filter((filter) =>
		Object.prototype.hasOwnProperty.call(given, filter.name),
	).map((filter) => {
		const label = `${filter.displayName} filter`;
		const value = given[filter.name];
		if (isBlank(value)) throw emptyFilterError(label);
		return CONDITIONS[filter.name](value, label);
	});
	return {
		items: await listEntities(
			session,
			DEVICE_ACTION.path,
			conditions.join(' and ') || undefined,
			limit,
			DEVICE_ACTION.pageSize,
			DEVICE_ACTION.subject,
		),
	};
}
