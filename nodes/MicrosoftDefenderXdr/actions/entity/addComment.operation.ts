import { updateDisplayOptions, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { commentUnknownOutcome } from '../../../shared/security';
import { describeValue, parameterError } from '../../../shared/parameters';
import type { GraphSession } from '../../../shared/transport/graphSession';
import {
	allowAsToolOption,
	optionsProperty,
	refuseChangeFromAgent,
	type Operation,
} from '../operation';
import { entityPath, entitySubject, idProperty, readEntityId, type SecurityEntity } from './entity';

const MAX_COMMENT = 10_000;

/**
 * Add Comment: POST `{id}/comments`. Not idempotent: a comment whose answer was lost is reported with
 * `executed: unknown`, never sent again, so an audit trail never shows it twice.
 */
export function addCommentOperation(entity: SecurityEntity): Operation {
	const properties: INodeProperties[] = [
		idProperty(entity),
		{
			displayName: 'Comment',
			name: 'comment',
			type: 'string',
			typeOptions: { rows: 4 },
			required: true,
			default: '',
			placeholder:
				'e.g. Isolated ws-fin-042 (request 5f1c…); classified as true positive, ransomware',
			description: `The text to add to the ${entity.noun}'s comments`,
		},
		optionsProperty([allowAsToolOption(`comment on ${entity.noun}s`)]),
	];
	const subject = commentUnknownOutcome(entity.subject);
	return {
		description: updateDisplayOptions(
			{ show: { resource: [entity.resource], operation: ['addComment'] } },
			properties,
		),
		subject(this: IExecuteFunctions, itemIndex: number) {
			return entitySubject(this, entity, itemIndex);
		},
		async execute(this: IExecuteFunctions, graph: GraphSession, itemIndex: number, run) {
			const id = readEntityId(this, entity, itemIndex);
			const comment = this.getNodeParameter('comment', itemIndex, '') as unknown;
			if (typeof comment !== 'string' || comment.trim() === '' || comment.length > MAX_COMMENT) {
				throw parameterError(
					'invalidParameter',
					`Comment: ${describeValue(comment)} is not text of 1 to ${MAX_COMMENT} characters`,
				);
			}
			refuseChangeFromAgent(this, itemIndex, run, `comment on ${entity.noun}s`);
			const answer = await graph.post<{ value?: unknown[] }>(
				'v1.0',
				entityPath(entity, id, '/comments'),
				{ '@odata.type': 'microsoft.graph.security.alertComment', comment },
				{ subject },
			);
			return {
				items: [
					{
						[entity.idParameter]: id,
						outcome: 'commented',
						comment,
						statusCode: answer.statusCode,
						requestId: answer.requestId,
						comments: answer.body?.value ?? [],
					},
				],
			};
		},
	};
}
