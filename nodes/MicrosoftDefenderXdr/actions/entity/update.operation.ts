import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import {
	describeValue,
	hasControlCharacter,
	parameterError,
	printable,
	toChoice,
} from '../../../shared/parameters';
import { recordPath } from '../../../shared/resources/resource';
import type { ApiSession } from '../../../shared/transport/session';
import { agentOptInOption, optionsProperty, type Operation } from '../operation';
import { entitySubject, idProperty, readEntityId, type SecurityEntity } from './entity';

const MAX_TEXT = 10_000;

/** Update: a PATCH that carries only the fields the user set, each checked against what Graph accepts. */
export function updateOperation(entity: SecurityEntity, description: string): Operation {
	const properties: INodeProperties[] = [
		idProperty(entity),
		{
			displayName: 'Update Fields',
			name: 'updateFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			options: entity.updateFields,
		},
		optionsProperty([agentOptInOption(entity.resource, 'update')]),
	];
	return {
		option: { name: 'Update', description, action: `Update an ${entity.noun}` },
		description: updateDisplayOptions(
			{ show: { resource: [entity.resource.value], operation: ['update'] } },
			properties,
		),
		subject(this: IExecuteFunctions, itemIndex: number) {
			return entitySubject(this, entity, itemIndex);
		},
		async execute(this: IExecuteFunctions, session: ApiSession, itemIndex: number) {
			const id = readEntityId(this, entity, itemIndex);
			const given = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
			const patch: IDataObject = {};
			for (const field of entity.updateFields) {
				if (given[field.name] === undefined) continue;
				patch[field.name] = checkedField(field, given[field.name]);
			}
			if (Object.keys(patch).length === 0) {
				throw parameterError(
					'nothingToUpdate',
					`Update Fields is empty: choose at least one field to change on the ${entity.noun}`,
				);
			}
			const { body } = await session.patch(recordPath(entity.resource, id), patch, {
				subject: entity.resource.subject,
			});
			return { items: [body] };
		},
	};
}

/** A field's value as Graph takes it: a known choice, a tag list, or bounded text; an empty assignee unassigns. */
function checkedField(field: INodeProperties, value: unknown): IDataObject[string] {
	if (field.type === 'options')
		return toChoice(
			value,
			field.displayName,
			(field.options as Array<{ value: string }>).map((option) => option.value),
		);
	if (field.name === 'customTags') return tagsOf(value, field.displayName);
	if (field.name === 'assignedTo' && value === '') return null;
	if (
		typeof value !== 'string' ||
		value.length > MAX_TEXT ||
		hasControlCharacter(value, '\t\n\r')
	) {
		throw parameterError(
			'invalidParameter',
			`${field.displayName}: ${describeValue(value)} is not text of at most ${MAX_TEXT} characters`,
		);
	}
	return value;
}

/** Tags from "a, b" or a list; each a short, printable label. */
function tagsOf(value: unknown, label: string): string[] {
	const tags = Array.isArray(value)
		? value
		: typeof value === 'string'
			? value.split(',')
			: undefined;
	if (!tags)
		throw parameterError(
			'invalidParameter',
			`${label}: ${describeValue(value)} is not a list of tags`,
		);
	return tags.map((tag) => {
		const text = typeof tag === 'string' ? tag.trim() : '';
		if (!text || text.length > 128 || hasControlCharacter(text)) {
			throw parameterError(
				'invalidParameter',
				`${label}: the tag ${typeof tag === 'string' ? `"${printable(tag)}"` : describeValue(tag)} is not 1 to 128 printable characters`,
			);
		}
		return text;
	});
}
