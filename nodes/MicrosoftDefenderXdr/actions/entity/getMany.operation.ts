import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import type { ApiSession } from '../../../shared/transport/session';
import {
	collect,
	LISTING_PROPERTIES,
	optionsProperty,
	readLimit,
	type Operation,
} from '../operation';
import { filterProperties, readFilters } from '../../../shared/filters';
import { entitySubject, type SecurityEntity } from './entity';

/** Get Many: incidents or alerts, newest first, filtered by Graph, paged on the Graph root only. */
export function getManyOperation(entity: SecurityEntity, description: string): Operation {
	const properties: INodeProperties[] = [
		...LISTING_PROPERTIES,
		filterProperties(entity.filters),
		optionsProperty(),
	];
	return {
		option: { name: 'Get Many', description, action: `Get many ${entity.noun}s` },
		description: updateDisplayOptions(
			{ show: { resource: [entity.resource.value], operation: ['getMany'] } },
			properties,
		),
		subject(this: IExecuteFunctions, itemIndex: number) {
			return entitySubject(this, entity, itemIndex, false);
		},
		async execute(this: IExecuteFunctions, session: ApiSession, itemIndex: number) {
			const limit = readLimit(this, itemIndex);
			const given = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
			const { $filter } = readFilters(entity.filters, given);
			const query: Record<string, string> = {
				$top: String(Math.min(limit, entity.resource.pageSize)),
			};
			if ($filter) query.$filter = $filter;
			return {
				items: await collect(
					session,
					session.pages(entity.resource.path, query, { subject: entity.resource.subject }),
					limit,
					`${entity.noun}s`,
				),
			};
		},
	};
}
