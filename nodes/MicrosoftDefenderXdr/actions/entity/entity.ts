import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	describeValue,
	emptyFilterError,
	impossibleDateReason,
	isBlank,
	parameterError,
	toChoice,
} from '../../../shared/parameters';
import type { Resource } from '../../../shared/resources/resource';
import { idLocatorProperty, locatedIdOf, readLocatedId, type IdLocator } from '../idLocator';

/** One filter of Get Many: a field of the entity, compared with `eq`, or with `ge` for "after" dates. */
export interface EntityFilter {
	/** The n8n parameter inside `filters`. */
	name: string;
	displayName: string;
	/** The entity's property in Graph's `$filter`. */
	graphProperty: string;
	kind: 'choice' | 'userPrincipalName' | 'dateAfter';
	choices?: Array<{ name: string; value: string }>;
	description: string;
}

/** Incidents and alerts are read, listed, updated and commented on the same way; this is what differs. */
export interface SecurityEntity {
	resource: Resource;
	/** "incident" or "alert", for messages and output. */
	noun: string;
	/** The ID parameter, also the key of the ID in output items: `incidentId`, `alertId`. */
	idParameter: string;
	idLabel: string;
	idPlaceholder: string;
	/** The node's `listSearch` method that lists them, newest first. */
	searchListMethod: string;
	/** The Defender portal's path segment for one of them: `https://security.microsoft.com/<segment>/<id>`. */
	portalSegment: string;
	filters: EntityFilter[];
	/** The fields Update may write, as n8n shows them; only those set go into the PATCH body. */
	updateFields: INodeProperties[];
}

/** How the ID is picked in the editor: from the newest first, by ID, or by the Defender portal's link. */
export function idLocator(entity: SecurityEntity): IdLocator {
	return {
		name: entity.idParameter,
		displayName: entity.idLabel,
		noun: entity.noun,
		searchListMethod: entity.searchListMethod,
		idPlaceholder: entity.idPlaceholder,
		description: `The ${entity.noun} in Microsoft Defender XDR: pick it, give its ID, or paste its link from the Defender portal`,
		hint: `Map it from a previous node, e.g. {{ $json.${entity.idParameter === 'incidentId' ? 'incidentId' : 'id'} }}`,
		portalSegment: entity.portalSegment,
		acceptNumbers: true,
	};
}

export function idProperty(entity: SecurityEntity): INodeProperties {
	return idLocatorProperty(idLocator(entity));
}

/** The item's incident or alert ID; a whole number from upstream JSON (5001) is read as its digits. */
export function readEntityId(
	ctx: IExecuteFunctions,
	entity: SecurityEntity,
	itemIndex: number,
): string {
	return readLocatedId(
		ctx,
		idLocator(entity),
		itemIndex,
		`invalid${entity.idParameter[0].toUpperCase()}${entity.idParameter.slice(1)}`,
	);
}

/** Which entity an output item is about; Get Many has no single ID. */
export function entitySubject(
	ctx: IExecuteFunctions,
	entity: SecurityEntity,
	itemIndex: number,
	withId = true,
): IDataObject {
	return { [entity.idParameter]: withId ? locatedIdOf(ctx, idLocator(entity), itemIndex) : null };
}

// A user principal name or e-mail address; nothing that could close the OData string it goes into.
const USER_PRINCIPAL_NAME = /^[A-Za-z0-9._%+-]{1,128}@[A-Za-z0-9.-]{1,253}$/;
// ISO 8601 date or date-time, with a zone when a time is given.
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/**
 * One `$filter` condition from a user's value, or a refusal that names the filter; nothing unchecked goes in.
 * A filter that was added but is empty is refused too: dropping it would list everything.
 */
export function filterCondition(filter: EntityFilter, value: unknown): string {
	const label = `${filter.displayName} filter`;
	if (isBlank(value)) throw emptyFilterError(label);
	switch (filter.kind) {
		case 'choice':
			return `${filter.graphProperty} eq '${toChoice(
				value,
				label,
				(filter.choices ?? []).map((choice) => choice.value),
				'invalidFilter',
			)}'`;
		case 'userPrincipalName':
			if (typeof value === 'string' && USER_PRINCIPAL_NAME.test(value))
				return `${filter.graphProperty} eq '${value}'`;
			throw parameterError(
				'invalidFilter',
				`${label}: ${describeValue(value)} is not a user principal name such as analyst@contoso.com`,
			);
		case 'dateAfter': {
			const text =
				value instanceof Date
					? Number.isNaN(value.getTime())
						? 'Invalid Date'
						: value.toISOString()
					: typeof value === 'string'
						? value.trim()
						: value;
			if (typeof text !== 'string' || !ISO_DATE.test(text)) {
				throw parameterError(
					'invalidFilter',
					`${label}: ${describeValue(value)} is not an ISO 8601 date such as 2026-01-05T12:00:00Z`,
				);
			}
			// Date.parse would roll an impossible date over (2026-02-30 to March 2) and filter on another day.
			const impossible = impossibleDateReason(text);
			if (impossible)
				throw parameterError(
					'invalidFilter',
					`${label}: ${describeValue(value)} is not a real date (${impossible})`,
				);
			const time = Date.parse(text);
			return `${filter.graphProperty} ge ${new Date(time).toISOString()}`;
		}
	}
}

/** The Get Many filters as n8n shows them. */
export function filterProperties(entity: SecurityEntity): INodeProperties {
	return {
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: entity.filters.map((filter) => ({
			displayName: filter.displayName,
			name: filter.name,
			...(filter.kind === 'choice'
				? {
						type: 'options' as const,
						options: filter.choices,
						default: filter.choices?.[0]?.value ?? '',
					}
				: filter.kind === 'dateAfter'
					? { type: 'dateTime' as const, default: '' }
					: { type: 'string' as const, default: '', placeholder: 'e.g. analyst@contoso.com' }),
			description: filter.description,
		})),
	};
}
