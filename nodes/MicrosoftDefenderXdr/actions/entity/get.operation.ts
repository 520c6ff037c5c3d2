import { updateDisplayOptions, type IExecuteFunctions } from 'n8n-workflow';

import type { GraphSession } from '../../../shared/transport/graphSession';
import { optionsProperty, type Operation } from '../operation';
import { entityPath, entitySubject, idProperty, readEntityId, type SecurityEntity } from './entity';

/** Get: one incident or alert by its ID. */
export function getOperation(entity: SecurityEntity): Operation {
	return {
		description: updateDisplayOptions(
			{ show: { resource: [entity.resource], operation: ['get'] } },
			[idProperty(entity), optionsProperty()],
		),
		subject(this: IExecuteFunctions, itemIndex: number) {
			return entitySubject(this, entity, itemIndex);
		},
		async execute(this: IExecuteFunctions, graph: GraphSession, itemIndex: number) {
			const id = readEntityId(this, entity, itemIndex);
			const { body } = await graph.get('v1.0', entityPath(entity, id), undefined, {
				subject: entity.subject,
			});
			return { items: [body] };
		},
	};
}
