import { updateDisplayOptions, type IExecuteFunctions } from 'n8n-workflow';

import { recordPath } from '../../../shared/resources/resource';
import type { ApiSession } from '../../../shared/transport/session';
import { optionsProperty, type Operation } from '../operation';
import { entitySubject, idProperty, readEntityId, type SecurityEntity } from './entity';

/** Get: one incident or alert by its ID. */
export function getOperation(entity: SecurityEntity, description: string): Operation {
	return {
		option: { name: 'Get', description, action: `Get an ${entity.noun}` },
		description: updateDisplayOptions(
			{ show: { resource: [entity.resource.value], operation: ['get'] } },
			[idProperty(entity), optionsProperty()],
		),
		subject(this: IExecuteFunctions, itemIndex: number) {
			return entitySubject(this, entity, itemIndex);
		},
		async execute(this: IExecuteFunctions, session: ApiSession, itemIndex: number) {
			const id = readEntityId(this, entity, itemIndex);
			const { body } = await session.get(recordPath(entity.resource, id), undefined, {
				subject: entity.resource.subject,
			});
			return { items: [body] };
		},
	};
}
