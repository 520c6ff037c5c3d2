import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { INDICATOR_LIMITS } from '../../../shared/resources/indicator';
import type { ApiSession } from '../../../shared/transport/session';
import type { OperationResult, OperationRun } from '../operation';
import { indicatorProperties, indicatorSubject, writeOptions } from './common';
import { IMPORT_LIMIT, indicatorImportFor } from './importRun';

const properties: INodeProperties[] = [
	{
		displayName: `All items of the run go to Defender together, ${INDICATOR_LIMITS.importBatchSize} indicators per request, within Defender's limit of ${IMPORT_LIMIT?.label ?? 'imports a minute'}; each item comes out on Success or Error with its own result. An item whose values fail a check is not sent, and the others still go.`,
		name: 'importNotice',
		type: 'notice',
		default: '',
	},
	...indicatorProperties,
	writeOptions(
		'import',
		'Whether to check every indicator and report what would be imported, without sending anything',
	),
];

export const option = {
	name: 'Import',
	description: `Create or update many indicators at once: all items in batches of up to ${INDICATOR_LIMITS.importBatchSize}`,
	action: 'Import indicators',
};

export const description = updateDisplayOptions(
	{ show: { resource: ['indicator'], operation: ['import'] } },
	properties,
);

export function subject(this: IExecuteFunctions, itemIndex: number): IDataObject {
	return indicatorSubject(this, itemIndex);
}

export async function execute(
	this: IExecuteFunctions,
	session: ApiSession,
	itemIndex: number,
	run: OperationRun,
): Promise<OperationResult> {
	return { items: [await indicatorImportFor(this, session, run).resultOf(itemIndex)] };
}
