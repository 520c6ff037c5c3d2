import { updateDisplayOptions, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { filterProperties, readFilters, type ListFilter } from '../../../shared/filters';
import { DEVICE } from '../../../shared/resources/device';
import { DefenderXdrError, settle } from '../../../shared/transport/errors';
import type { ApiSession } from '../../../shared/transport/session';
import { LISTING_PROPERTIES, optionsProperty, readLimit } from '../operation';
import { listEntities } from './common';

/** Values Defender documents for a device's health, risk score and exposure level. */
const HEALTH_STATUSES = [
	'Active',
	'Inactive',
	'ImpairedCommunication',
	'NoSensorData',
	'NoSensorDataImpairedCommunication',
	'Unknown',
];
const RISK_SCORES = ['None', 'Informational', 'Low', 'Medium', 'High'];
const EXPOSURE_LEVELS = ['None', 'Low', 'Medium', 'High'];

const choicesOf = (values: string[]) =>
	values.map((value) => ({ name: value.replace(/([a-z])([A-Z])/g, '$1 $2'), value }));

/** The device filters, in the order the editor lists them; each goes into Defender's `$filter` only checked. */
const DEVICE_FILTERS: ListFilter[] = [
	{
		name: 'computerDnsName',
		displayName: 'Computer DNS Name Starts With',
		apiProperty: 'computerDnsName',
		kind: 'textPrefix',
		pattern: /^[A-Za-z0-9._-]{1,253}$/,
		example: 'the start of a computer DNS name such as ws-fin-',
		placeholder: 'e.g. ws-fin-',
		description: 'Only devices whose computer DNS name starts with this text',
	},
	{
		name: 'exposureLevel',
		displayName: 'Exposure Level',
		apiProperty: 'exposureLevel',
		kind: 'choice',
		choices: choicesOf(EXPOSURE_LEVELS),
		default: 'High',
		description: 'Only devices with this exposure level',
	},
	{
		name: 'healthStatus',
		displayName: 'Health Status',
		apiProperty: 'healthStatus',
		kind: 'choice',
		choices: choicesOf(HEALTH_STATUSES),
		default: 'Active',
		description: 'Only devices in this state',
	},
	{
		name: 'lastSeenAfter',
		displayName: 'Last Seen After',
		apiProperty: 'lastSeen',
		kind: 'dateAfter',
		description: 'Only devices seen by Defender at or after this time',
	},
	{
		name: 'machineTag',
		displayName: 'Machine Tag',
		apiProperty: 'machineTags',
		kind: 'tag',
		placeholder: 'e.g. Finance',
		description: 'Only devices that carry this tag',
	},
	{
		name: 'osPlatform',
		displayName: 'OS Platform',
		apiProperty: 'osPlatform',
		kind: 'exactText',
		pattern: /^[A-Za-z0-9._ -]{1,64}$/,
		example: 'a platform name such as Windows11',
		placeholder: 'e.g. Windows11',
		description:
			'Only devices on this platform, as Defender names it (Windows11, WindowsServer2022, Linux, macOS, ...)',
	},
	{
		name: 'riskScore',
		displayName: 'Risk Score',
		apiProperty: 'riskScore',
		kind: 'choice',
		choices: choicesOf(RISK_SCORES),
		default: 'High',
		description: 'Only devices with this risk score',
	},
];

export const option = {
	name: 'Get Many',
	description:
		'List devices, optionally by name prefix, health, risk, exposure, platform, tag or last seen',
	action: 'Get many devices',
};

export const description = updateDisplayOptions(
	{ show: { resource: [DEVICE.value], operation: ['getMany'] } },
	[...LISTING_PROPERTIES, filterProperties(DEVICE_FILTERS), optionsProperty()],
);

export function subject(): IDataObject {
	return { deviceId: null };
}

export async function execute(this: IExecuteFunctions, session: ApiSession, itemIndex: number) {
	const limit = readLimit(this, itemIndex);
	const given = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const { $filter } = readFilters(DEVICE_FILTERS, given);
	const listed = await settle(
		listEntities(session, DEVICE.path, $filter, limit, DEVICE.pageSize, DEVICE.subject),
	);
	if (listed.ok) return { items: listed.value };
	// Defender answers 404 when no device has reported recently: that is an empty list, not a failure.
	const failure = listed.error;
	if (failure instanceof DefenderXdrError && failure.details.statusCode === 404)
		return { items: [] };
	throw failure;
}
