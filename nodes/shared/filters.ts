import type { IDataObject, INodeProperties } from 'n8n-workflow';

import {
	checkedIdentifier,
	describeValue,
	emptyFilterError,
	hasControlCharacter,
	impossibleDateReason,
	isBlank,
	parameterError,
	toBoolean,
	toChoice,
} from './parameters';

/**
 * One filter of a Get Many: a field compared with `eq` (`ge` for "after" dates), or a flag the node applies to
 * what the API returns. Every value that goes into `$filter` is checked here first, so no expression can rewrite it.
 */
export interface ListFilter {
	/** The n8n parameter inside `filters`. */
	name: string;
	displayName: string;
	/** The entity's property in the API's `$filter`; unused for a flag. */
	apiProperty: string;
	/**
	 * Text kinds: `exactText` is compared with `eq`, `textPrefix` with `startswith()`, `tag` as one entry of a list
	 * property (`prop/any(tag: tag eq '…')`); each takes what its `pattern` allows, or else short printable text.
	 */
	kind:
		| 'choice'
		| 'userPrincipalName'
		| 'dateAfter'
		| 'identifier'
		| 'securityIdentifier'
		| 'domainName'
		| 'exactText'
		| 'boolean'
		| 'flag'
		| 'textPrefix'
		| 'tag';
	choices?: Array<{ name: string; value: string }>;
	/** What a text value may be; with `example`, how a refusal describes it ("a platform name such as Windows11"). */
	pattern?: RegExp;
	example?: string;
	/** The value the editor starts with when the filter is added. */
	default?: string | boolean;
	placeholder?: string;
	description: string;
}

// A user principal name or e-mail address; nothing that could close the OData string it goes into.
const USER_PRINCIPAL_NAME = /^[A-Za-z0-9._%+-]{1,128}@[A-Za-z0-9.-]{1,253}$/;
// A Windows security identifier: S-1, the authority, then sub-authorities (on-premises S-1-5-21-…, cloud S-1-12-1-…).
const SECURITY_IDENTIFIER = /^S-1-\d{1,14}(-\d{1,10}){1,15}$/i;
// A DNS domain name as Active Directory writes it (contoso.com, CONTOSO).
const DOMAIN_NAME = /^(?=.{1,255}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.?){1,16}$/;
// ISO 8601 date or date-time, with a zone when a time is given.
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** What a text filter's value may be, and how a refusal describes it: the filter's own pattern, or its kind's rule. */
function textRule(filter: ListFilter): { fits: (text: string) => boolean; expected: string } {
	if (filter.pattern) {
		const { pattern } = filter;
		return { fits: (text) => pattern.test(text), expected: filter.example ?? 'an allowed value' };
	}
	if (filter.kind === 'securityIdentifier')
		return {
			fits: (text) => SECURITY_IDENTIFIER.test(text),
			expected: 'a security identifier such as S-1-5-21-989687458-3461180213-172365591-281652',
		};
	if (filter.kind === 'domainName')
		return {
			fits: (text) => DOMAIN_NAME.test(text),
			expected: 'a domain name such as contoso.com',
		};
	return {
		fits: (text) => text.length <= 256 && !hasControlCharacter(text),
		expected: 'text of at most 256 characters without control characters',
	};
}

/** An OData string literal: OData writes a quote inside as two, so a value cannot close the string it goes into. */
export function odataString(value: string): string {
	return `'${value.replace(/'/g, "''")}'`;
}

/** One `$filter` condition from a user's value, or a refusal that names the filter; undefined for a flag. */
export function filterCondition(filter: ListFilter, value: unknown): string | undefined {
	const label = `${filter.displayName} filter`;
	if (isBlank(value)) throw emptyFilterError(label);
	switch (filter.kind) {
		case 'flag':
			return undefined;
		case 'choice':
			return `${filter.apiProperty} eq '${toChoice(
				value,
				label,
				(filter.choices ?? []).map((choice) => choice.value),
				'invalidFilter',
			)}'`;
		case 'identifier': {
			// IDs such as an incident's are digits; one given as a number (5001) is read as its digits.
			const checked = checkedIdentifier(value, label, true);
			if ('problem' in checked) throw parameterError('invalidFilter', checked.problem);
			return `${filter.apiProperty} eq '${checked.id}'`;
		}
		case 'boolean':
			return `${filter.apiProperty} eq ${String(toBoolean(value, label))}`;
		case 'securityIdentifier':
		case 'domainName':
		case 'exactText':
		case 'textPrefix':
		case 'tag': {
			const text = typeof value === 'string' ? value.trim() : value;
			const rule = textRule(filter);
			if (typeof text !== 'string' || !rule.fits(text))
				throw parameterError(
					'invalidFilter',
					`${label}: ${describeValue(value)} is not ${rule.expected}`,
				);
			const literal = odataString(text);
			if (filter.kind === 'textPrefix') return `startswith(${filter.apiProperty},${literal})`;
			if (filter.kind === 'tag') return `${filter.apiProperty}/any(tag: tag eq ${literal})`;
			return `${filter.apiProperty} eq ${literal}`;
		}
		case 'userPrincipalName':
			if (typeof value === 'string' && USER_PRINCIPAL_NAME.test(value))
				return `${filter.apiProperty} eq '${value}'`;
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
			return `${filter.apiProperty} ge ${new Date(Date.parse(text)).toISOString()}`;
		}
	}
}

/**
 * The `$filter` of the filters a user added, joined with `and` (undefined when none), and the flags that were set.
 * A filter that was added but is empty is refused: dropping it would list everything.
 */
export function readFilters(
	filters: readonly ListFilter[],
	given: IDataObject,
): { $filter: string | undefined; flags: Record<string, boolean> } {
	const conditions: string[] = [];
	const flags: Record<string, boolean> = {};
	for (const filter of filters) {
		if (!Object.prototype.hasOwnProperty.call(given, filter.name)) continue;
		const condition = filterCondition(filter, given[filter.name]);
		if (condition !== undefined) conditions.push(condition);
		else flags[filter.name] = toBoolean(given[filter.name], `${filter.displayName} filter`);
	}
	return { $filter: conditions.length ? conditions.join(' and ') : undefined, flags };
}

/** The filters as n8n shows them, in a Filters collection. */
export function filterProperties(filters: readonly ListFilter[]): INodeProperties {
	return {
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: filters.map((filter) => ({
			displayName: filter.displayName,
			name: filter.name,
			...(filter.kind === 'choice'
				? {
						type: 'options' as const,
						options: filter.choices,
						default: filter.default ?? filter.choices?.[0]?.value ?? '',
					}
				: filter.kind === 'dateAfter'
					? { type: 'dateTime' as const, default: '' }
					: filter.kind === 'flag' || filter.kind === 'boolean'
						? { type: 'boolean' as const, default: filter.default ?? false }
						: {
								type: 'string' as const,
								default: '',
								placeholder:
									filter.placeholder ??
									(filter.kind === 'userPrincipalName' ? 'e.g. analyst@contoso.com' : undefined),
							}),
			description: filter.description,
		})),
	};
}
