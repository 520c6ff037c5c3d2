import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { toBoolean, toInteger } from '../../../shared/parameters';
import { DefenderXdrError } from '../../../shared/transport/graphError';
import type { GraphSession } from '../../../shared/transport/graphSession';
import { optionsProperty, type Operation } from '../operation';
import { entitySubject, filterCondition, filterProperties, type SecurityEntity } from './entity';

/** Get Many: incidents or alerts, newest first, filtered by Graph, paged on the Graph root only. */
export function getManyOperation(entity: SecurityEntity): Operation {
	const properties: INodeProperties[] = [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { returnAll: [false] } },
		},
		filterProperties(entity),
		optionsProperty(),
	];
	return {
		description: updateDisplayOptions({ show: { resource: [entity.resource], operation: ['getMany'] } }, properties),
		subject(this: IExecuteFunctions, itemIndex: number) {
			return entitySubject(this, entity, itemIndex, false);
		},
		async execute(this: IExecuteFunctions, graph: GraphSession, itemIndex: number) {
			const returnAll = toBoolean(this.getNodeParameter('returnAll', itemIndex, false), 'Return All');
			const limit = returnAll ? Infinity : toInteger(this.getNodeParameter('limit', itemIndex, 50), 'Limit', 1);
			const given = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
			const conditions = entity.filters.filter((filter) => given[filter.name] !== undefined && given[filter.name] !== '').map((filter) => filterCondition(filter, given[filter.name]));
			const query: Record<string, string> = { $top: String(Math.min(limit, entity.pageSize)) };
			if (conditions.length) query.$filter = conditions.join(' and ');

			const entities: IDataObject[] = [];
			for await (const page of graph.pages('v1.0', entity.path, query, { subject: entity.subject })) {
				for (const item of page.items) {
					entities.push(item);
					if (entities.length >= limit) return { items: entities };
				}
				if (page.nextLinkRefused) {
					throw new DefenderXdrError({
						code: 'foreignNextLink',
						message: `Graph sent a next-page link to another origin than ${graph.endpoints.graphRoot}; it was not followed, so the token is not sent there. ${entities.length} ${entity.noun}s had been read; the list is incomplete, so none are returned.`,
					});
				}
			}
			return { items: entities };
		},
	};
}
