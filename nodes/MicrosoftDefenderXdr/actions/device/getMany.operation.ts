import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import {
	describeValue,
	emptyFilterError,
	hasControlCharacter,
	isBlank,
	parameterError,
	toChoice,
} from '../../../shared/parameters';
import { DEVICE } from '../../../shared/resources/device';
import { DefenderXdrError, settle } from '../../../shared/transport/errors';
import type { ApiSession } from '../../../shared/transport/session';
import { filterCondition } from '../entity/entity';
import { LISTING_PROPERTIES, optionsProperty, readLimit } from '../operation';
import { listEntities, odataString } from './common';

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

// Text that may go into an OData literal as it is: what names of hosts and platforms are made of.
const NAME_PREFIX = /^[A-Za-z0-9._-]{1,253}$/;
const PLATFORM = /^[A-Za-z0-9._ -]{1,64}$/;
const TAG_MAX = 200;

/** One filter of Get Many: its parameter and the `$filter` condition a checked value makes. */
interface DeviceFilter {
	property: INodeProperties;
	condition(value: unknown, label: string): string;
}

/** A filter whose value is one of the list Defender documents (the property's options), compared with `eq`. */
function choiceFilter(property: INodeProperties): DeviceFilter {
	const values = (property.options as Array<{ value: string }>).map((option) => option.value);
	return {
		property,
		condition: (value, label) =>
			`${property.name} eq '${toChoice(value, label, values, 'invalidFilter')}'`,
	};
}

function text(value: unknown, label: string, pattern: RegExp, example: string): string {
	const given = typeof value === 'string' ? value.trim() : value;
	if (typeof given === 'string' && pattern.test(given)) return given;
	throw parameterError('invalidFilter', `${label}: ${describeValue(value)} is not ${example}`);
}

const DEVICE_FILTERS: DeviceFilter[] = [
	{
		property: {
			displayName: 'Computer DNS Name Starts With',
			name: 'computerDnsName',
			type: 'string',
			default: '',
			placeholder: 'e.g. ws-fin-',
			description: 'Only devices whose computer DNS name starts with this text',
		},
		condition: (value, label) =>
			`startswith(computerDnsName,${odataString(text(value, label, NAME_PREFIX, 'the start of a computer DNS name such as ws-fin-'))})`,
	},
	choiceFilter({
		displayName: 'Exposure Level',
		name: 'exposureLevel',
		type: 'options',
		options: choicesOf(EXPOSURE_LEVELS),
		default: 'High',
		description: 'Only devices with this exposure level',
	}),
	choiceFilter({
		displayName: 'Health Status',
		name: 'healthStatus',
		type: 'options',
		options: choicesOf(HEALTH_STATUSES),
		default: 'Active',
		description: 'Only devices in this state',
	}),
	{
		property: {
			displayName: 'Last Seen After',
			name: 'lastSeenAfter',
			type: 'dateTime',
			default: '',
			description: 'Only devices seen by Defender at or after this time',
		},
		condition: (value) =>
			filterCondition(
				{
					name: 'lastSeenAfter',
					displayName: 'Last Seen After',
					graphProperty: 'lastSeen',
					kind: 'dateAfter',
					description: '',
				},
				value,
			),
	},
	{
		property: {
			displayName: 'Machine Tag',
			name: 'machineTag',
			type: 'string',
			default: '',
			placeholder: 'e.g. Finance',
			description: 'Only devices that carry this tag',
		},
		condition: (value, label) => {
			const tag = typeof value === 'string' ? value.trim() : value;
			if (typeof tag !== 'string' || tag.length > TAG_MAX || hasControlCharacter(tag))
				throw parameterError(
					'invalidFilter',
					`${label}: ${describeValue(value)} is not a device tag (text of at most ${TAG_MAX} characters)`,
				);
			return `machineTags/any(tag: tag eq ${odataString(tag)})`;
		},
	},
	{
		property: {
			displayName: 'OS Platform',
			name: 'osPlatform',
			type: 'string',
			default: '',
			placeholder: 'e.g. Windows11',
			description:
				'Only devices on this platform, as Defender names it (Windows11, WindowsServer2022, Linux, macOS, ...)',
		},
		condition: (value, label) =>
			`osPlatform eq ${odataString(text(value, label, PLATFORM, 'a platform name such as Windows11'))}`,
	},
	choiceFilter({
		displayName: 'Risk Score',
		name: 'riskScore',
		type: 'options',
		options: choicesOf(RISK_SCORES),
		default: 'High',
		description: 'Only devices with this risk score',
	}),
];

export const option = {
	name: 'Get Many',
	description:
		'List devices, optionally by name prefix, health, risk, exposure, platform, tag or last seen',
	action: 'Get many devices',
};

export const description = updateDisplayOptions(
	{ show: { resource: [DEVICE.value], operation: ['getMany'] } },
	[
		...LISTING_PROPERTIES,
		{
			displayName: 'Filters',
			name: 'filters',
			type: 'collection',
			placeholder: 'Add Filter',
			default: {},
			options: DEVICE_FILTERS.map((filter) => filter.property),
		},
		optionsProperty(),
	],
);

export function subject(): IDataObject {
	return { deviceId: null };
}

export async function execute(this: IExecuteFunctions, session: ApiSession, itemIndex: number) {
	const limit = readLimit(this, itemIndex);
	const given = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	// Every filter that was added counts; one whose value or expression gave nothing is refused, not dropped.
	const conditions = DEVICE_FILTERS.filter(({ property }) =>
		Object.prototype.hasOwnProperty.call(given, property.name),
	).map(({ property, condition }) => {
		const label = `${property.displayName} filter`;
		const value = given[property.name];
		if (isBlank(value)) throw emptyFilterError(label);
		return condition(value, label);
	});
	const listed = await settle(
		listEntities(
			session,
			DEVICE.path,
			conditions.join(' and ') || undefined,
			limit,
			DEVICE.pageSize,
			DEVICE.subject,
		),
	);
	if (listed.ok) return { items: listed.value };
	// Defender answers 404 when no device has reported recently: that is an empty list, not a failure.
	const failure = listed.error;
	if (failure instanceof DefenderXdrError && failure.details.statusCode === 404)
		return { items: [] };
	throw failure;
}
