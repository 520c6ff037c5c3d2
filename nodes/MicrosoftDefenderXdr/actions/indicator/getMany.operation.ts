import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { INDICATOR_ACTIONS, INDICATOR_TYPES } from '../../../shared/indicator';
import {
	emptyFilterError,
	hasControlCharacter,
	isBlank,
	parameterError,
	toChoice,
} from '../../../shared/parameters';
import { INDICATOR } from '../../../shared/resources/indicator';
import type { ApiSession } from '../../../shared/transport/session';
import {
	collect,
	LISTING_PROPERTIES,
	optionsProperty,
	readLimit,
	type OperationResult,
} from '../operation';
import {
	indicatorActionOptions,
	indicatorPages,
	indicatorTypeOptions,
	odataString,
} from './common';

const properties: INodeProperties[] = [
	...LISTING_PROPERTIES,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Action',
				name: 'action',
				type: 'options',
				options: indicatorActionOptions,
				default: 'Block',
				description: 'Only indicators with this action',
			},
			{
				displayName: 'Indicator Type',
				name: 'indicatorType',
				type: 'options',
				options: indicatorTypeOptions,
				default: 'FileSha256',
				description: 'Only indicators of this type',
			},
			{
				displayName: 'Indicator Value',
				name: 'indicatorValue',
				type: 'string',
				default: '',
				placeholder: 'e.g. 12.13.14.15',
				description: 'Only the indicator with exactly this value',
			},
		],
	},
	optionsProperty(),
];

export const option = {
	name: 'Get Many',
	description: 'List active indicators, optionally by type, value or action',
	action: 'Get many indicators',
};

export const description = updateDisplayOptions(
	{ show: { resource: ['indicator'], operation: ['getMany'] } },
	properties,
);

export function subject(): IDataObject {
	return { indicatorType: null, indicatorValue: null };
}

const FILTER_LABELS: Record<string, string> = {
	indicatorType: 'Indicator Type filter',
	indicatorValue: 'Indicator Value filter',
	action: 'Action filter',
};

/** The `$filter` of the item's filters: only known values and quoted text, so an expression cannot rewrite the query. */
function odataFilter(filters: IDataObject): string | undefined {
	for (const [name, label] of Object.entries(FILTER_LABELS)) {
		if (Object.prototype.hasOwnProperty.call(filters, name) && isBlank(filters[name]))
			throw emptyFilterError(label);
	}
	const unknown = Object.keys(filters).filter((name) => !(name in FILTER_LABELS));
	if (unknown.length)
		throw parameterError('invalidFilter', `Filters has unknown filters: ${unknown.join(', ')}`);
	const conditions: string[] = [];
	if (filters.indicatorType !== undefined)
		conditions.push(
			`indicatorType eq ${odataString(toChoice(filters.indicatorType, FILTER_LABELS.indicatorType, INDICATOR_TYPES, 'invalidFilter'))}`,
		);
	if (filters.indicatorValue !== undefined) {
		const value = filters.indicatorValue;
		if (typeof value !== 'string' || hasControlCharacter(value))
			throw parameterError(
				'invalidFilter',
				`${FILTER_LABELS.indicatorValue} must be text without control characters`,
			);
		conditions.push(`indicatorValue eq ${odataString(value.trim())}`);
	}
	if (filters.action !== undefined)
		conditions.push(
			`action eq ${odataString(toChoice(filters.action, FILTER_LABELS.action, INDICATOR_ACTIONS, 'invalidFilter'))}`,
		);
	return conditions.length ? conditions.join(' and ') : undefined;
}

export async function execute(
	this: IExecuteFunctions,
	session: ApiSession,
	itemIndex: number,
): Promise<OperationResult> {
	const limit = readLimit(this, itemIndex);
	const filter = odataFilter(this.getNodeParameter('filters', itemIndex, {}) as IDataObject);
	const pageSize = Math.min(limit, INDICATOR.pageSize);
	return {
		items: await collect(session, indicatorPages(session, filter, pageSize), limit, 'indicators'),
	};
}
