import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { filterProperties, readFilters, type ListFilter } from '../../../shared/filters';
import { INDICATOR } from '../../../shared/resources/indicator';
import type { ApiSession } from '../../../shared/transport/session';
import {
	collect,
	LISTING_PROPERTIES,
	optionsProperty,
	readLimit,
	type OperationResult,
} from '../operation';
import { indicatorActionOptions, indicatorPages, indicatorTypeOptions } from './common';

/** The filters Defender's list takes that a playbook needs; each value is checked before it joins `$filter`. */
const INDICATOR_FILTERS: ListFilter[] = [
	{
		name: 'indicatorType',
		displayName: 'Indicator Type',
		apiProperty: 'indicatorType',
		kind: 'choice',
		choices: indicatorTypeOptions,
		default: 'FileSha256',
		description: 'Only indicators of this type',
	},
	{
		name: 'indicatorValue',
		displayName: 'Indicator Value',
		apiProperty: 'indicatorValue',
		kind: 'exactText',
		placeholder: 'e.g. 12.13.14.15',
		description: 'Only the indicator with exactly this value',
	},
	{
		name: 'action',
		displayName: 'Action',
		apiProperty: 'action',
		kind: 'choice',
		choices: indicatorActionOptions,
		default: 'Block',
		description: 'Only indicators with this action',
	},
];

const properties: INodeProperties[] = [
	...LISTING_PROPERTIES,
	filterProperties(INDICATOR_FILTERS),
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

export async function execute(
	this: IExecuteFunctions,
	session: ApiSession,
	itemIndex: number,
): Promise<OperationResult> {
	const limit = readLimit(this, itemIndex);
	const { $filter } = readFilters(
		INDICATOR_FILTERS,
		this.getNodeParameter('filters', itemIndex, {}) as IDataObject,
	);
	const pageSize = Math.min(limit, INDICATOR.pageSize);
	return {
		items: await collect(session, indicatorPages(session, $filter, pageSize), limit, 'indicators'),
	};
}
