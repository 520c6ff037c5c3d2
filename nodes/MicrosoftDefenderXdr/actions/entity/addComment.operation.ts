import { updateDisplayOptions, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { commentUnknownOutcome } from '../../../shared/security';
import { describeValue, parameterError } from '../../../shared/parameters';
import { recordPath } from '../../../shared/resources/resource';
import type { ApiSession } from '../../../shared/transport/session';
import { agentOptInOption, optionsProperty, type Operation } from '../operation';
import { entitySubject, idProperty, readEntityId, type SecurityEntity } from './entity';

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
		optionsProperty([agentOptInOption(entity.resource, 'addComment')]),
	];
	const subject = commentUnknownOutcome(entity.resource.subject);
	return {
		option: {
			name: 'Add Comment',
			description: `Add a comment to an ${entity.noun}'s audit trail`,
			action: `Add a comment to an ${entity.noun}`,
		},
		description: updateDisplayOptions(
			{ show: { resource: [entity.resource.value], operation: ['addComment'] } },
			properties,
		),
		subject(this: IExecuteFunctions, itemIndex: number) {
			return entitySubject(this, entity, itemIndex);
		},
		async execute(this: IExecuteFunctions, session: ApiSession, itemIndex: number) {
			const id = readEntityId(this, entity, itemIndex);
			const comment = this.getNodeParameter('comment', itemIndex, '') as unknown;
			if (typeof comment !== 'string' || comment.trim() === '' || comment.length > MAX_COMMENT) {
				throw parameterError(
					'invalidParameter',
					`Comment: ${describeValue(comment)} is not text of 1 to ${MAX_COMMENT} characters`,
				);
			}
			const answer = await session.post<{ value?: unknown[] }>(
				recordPath(entity.resource, id, '/comments'),
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
