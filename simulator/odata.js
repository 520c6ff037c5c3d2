// @ts-check
'use strict';

// The slice of OData a Graph collection needs here: $filter, $orderby, $top, $skip, $skiptoken, $count, $select.
// Each collection declares what it accepts; anything else is a 400, as Graph answers.

const { GraphError } = require('./responses');

/**
 * @typedef {'string' | 'dateTime' | 'boolean'} PropertyKind
 * @typedef {{
 *   kind: PropertyKind,
 *   operators: readonly string[],
 *   source?: string,
 *   values?: readonly string[],
 *   hiddenValues?: readonly string[],
 * }} FilterableProperty
 *   `source`: the entity property behind the name, when Graph filters under another name; `values`: the enum
 *   members a literal must be one of; `hiddenValues`: members after the enum's unknownFutureValue sentinel.
 * @typedef {{ type: 'and', left: FilterNode, right: FilterNode }
 *   | { type: 'compare', property: string, operator: string, value: unknown }} FilterNode
 * @typedef {{
 *   name: string,
 *   filterable: Record<string, FilterableProperty>,
 *   filterHelp: string,
 *   orderable: Record<string, string>,
 *   selectable: string[],
 *   options: string[],
 *   defaultPageSize: number,
 *   maxTop: number,
 * }} CollectionRules
 * @typedef {{ includeUnknownEnumMembers: boolean }} Preferences
 */

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$/;

/** @param {string} message */
const badFilter = (message) =>
	new GraphError(400, 'BadRequest', `Invalid filter clause: ${message}`);

/**
 * @param {string} text
 * @returns {{ kind: string, value: string }[]}
 */
function tokenize(text) {
	/** @type {{ kind: string, value: string }[]} */
	const tokens = [];
	let i = 0;
	while (i < text.length) {
		const rest = text.slice(i);
		const space = /^\s+/.exec(rest);
		if (space) {
			i += space[0].length;
			continue;
		}
		if ('(),'.includes(rest[0])) {
			tokens.push({ kind: rest[0], value: rest[0] });
			i += 1;
			continue;
		}
		if (rest[0] === "'") {
			let value = '';
			let j = 1;
			for (;;) {
				if (j >= rest.length) throw badFilter('unterminated string literal');
				if (rest[j] === "'") {
					if (rest[j + 1] === "'") {
						value += "'";
						j += 2;
						continue;
					}
					break;
				}
				value += rest[j];
				j += 1;
			}
			tokens.push({ kind: 'string', value });
			i += j + 1;
			continue;
		}
		const word = /^[^\s(),']+/.exec(rest);
		if (!word) throw badFilter(`unexpected character '${rest[0]}'`);
		const value = word[0];
		if (DATE_TIME.test(value)) tokens.push({ kind: 'dateTime', value });
		else if (/^-?\d+(\.\d+)?$/.test(value)) tokens.push({ kind: 'number', value });
		else tokens.push({ kind: 'word', value });
		i += value.length;
	}
	return tokens;
}

/**
 * Parses and checks a $filter against a collection's rules: documented properties, operators and enum members only,
 * comparisons joined with `and` (optionally in parentheses).
 * @param {string} text
 * @param {CollectionRules} rules
 * @param {Preferences} preferences
 * @returns {FilterNode}
 */
function parseFilter(text, rules, preferences) {
	const tokens = tokenize(text);
	let position = 0;
	const peek = () => tokens[position];
	const next = () => tokens[position++];
	/** @param {string} word */
	const isWord = (word) => peek()?.kind === 'word' && peek().value.toLowerCase() === word;
	const refuseConnective = () => {
		if (isWord('or') || isWord('not'))
			throw badFilter(`'${peek().value}' is not supported on ${rules.name}. ${rules.filterHelp}`);
	};

	/** @returns {FilterNode} */
	const parseAnd = () => {
		let left = parseOperand();
		refuseConnective();
		while (isWord('and')) {
			next();
			left = { type: 'and', left, right: parseOperand() };
			refuseConnective();
		}
		return left;
	};
	/** @returns {FilterNode} */
	const parseOperand = () => {
		refuseConnective();
		if (peek()?.kind === '(') {
			next();
			const inner = parseAnd();
			if (next()?.kind !== ')') throw badFilter("missing ')'");
			return inner;
		}
		return parseComparison();
	};
	/** @returns {FilterNode} */
	const parseComparison = () => {
		const propertyToken = next();
		if (!propertyToken || propertyToken.kind !== 'word')
			throw badFilter(`expected a property name near '${propertyToken?.value ?? 'end of filter'}'`);
		const property = propertyToken.value;
		if (peek()?.kind === '(')
			throw badFilter(
				`function '${property}' is not supported on ${rules.name}. ${rules.filterHelp}`,
			);
		const rule = Object.prototype.hasOwnProperty.call(rules.filterable, property)
			? rules.filterable[property]
			: undefined;
		if (!rule)
			throw badFilter(
				`property '${property}' cannot be filtered on ${rules.name}. ${rules.filterHelp}`,
			);
		const operatorToken = next();
		const operator = operatorToken?.value.toLowerCase() ?? '';
		if (!rule.operators.includes(operator)) {
			throw badFilter(
				`operator '${operatorToken?.value ?? ''}' is not supported for '${property}' on ${rules.name}. ${rules.filterHelp}`,
			);
		}
		return { type: 'compare', property, operator, value: parseLiteral(rule, property) };
	};
	/**
	 * @param {FilterableProperty} rule
	 * @param {string} property
	 */
	const parseLiteral = (rule, property) => {
		const token = next();
		if (!token) throw badFilter(`missing value for '${property}'`);
		if (token.kind === 'word' && token.value === 'null' && rule.kind === 'string') return null;
		if (rule.kind === 'dateTime') {
			const value =
				token.kind === 'dateTime' || token.kind === 'string' ? Date.parse(token.value) : NaN;
			if (Number.isNaN(value))
				throw badFilter(`'${token.value}' is not a valid DateTimeOffset for '${property}'`);
			return value;
		}
		if (rule.kind === 'boolean') {
			if (token.kind === 'word' && ['true', 'false'].includes(token.value))
				return token.value === 'true';
			throw badFilter(`'${property}' needs true or false, got ${token.value}`);
		}
		if (token.kind !== 'string')
			throw badFilter(`'${property}' needs a quoted string value, got ${token.value}`);
		if (rule.values && !rule.values.includes(token.value)) {
			throw badFilter(
				`the string '${token.value}' is not a valid enumeration type constant for '${property}'. Valid values: ${rule.values.join(', ')}.`,
			);
		}
		if (rule.hiddenValues?.includes(token.value) && !preferences.includeUnknownEnumMembers) {
			throw badFilter(
				`'${token.value}' is a member of an evolvable enumeration: send the header 'Prefer: include-unknown-enum-members' to use it.`,
			);
		}
		return token.value;
	};

	if (tokens.length === 0) throw badFilter('the filter is empty');
	const tree = parseAnd();
	if (position < tokens.length) throw badFilter(`unexpected '${tokens[position].value}'`);
	return tree;
}

/**
 * @param {FilterNode} node
 * @param {Record<string, unknown>} entity
 * @param {Record<string, FilterableProperty>} filterable
 * @returns {boolean}
 */
function matches(node, entity, filterable) {
	if (node.type === 'and')
		return matches(node.left, entity, filterable) && matches(node.right, entity, filterable);
	return compare(
		entityValue(entity, filterable[node.property], node.property),
		node.operator,
		node.value,
	);
}

/**
 * @param {Record<string, unknown>} entity
 * @param {FilterableProperty} rule
 * @param {string} property
 */
function entityValue(entity, rule, property) {
	const raw = entity[rule.source ?? property];
	if (raw == null) return null;
	return rule.kind === 'dateTime' ? Date.parse(String(raw)) : raw;
}

/**
 * @param {unknown} left
 * @param {string} operator
 * @param {unknown} right
 */
function compare(left, operator, right) {
	if (operator === 'eq') return left === right;
	if (left == null || right == null) return false;
	const order =
		typeof left === 'number' && typeof right === 'number'
			? left - right
			: String(left).localeCompare(String(right));
	if (operator === 'gt') return order > 0;
	if (operator === 'ge') return order >= 0;
	if (operator === 'lt') return order < 0;
	return order <= 0;
}

/**
 * @param {string} text
 * @param {CollectionRules} rules
 * @returns {{ property: string, descending: boolean }[]}
 */
function parseOrderBy(text, rules) {
	const names = Object.keys(rules.orderable);
	return text.split(',').map((part) => {
		const [name, direction = 'asc', ...extra] = part.trim().split(/\s+/);
		if (
			!Object.prototype.hasOwnProperty.call(rules.orderable, name) ||
			extra.length > 0 ||
			!['asc', 'desc'].includes(direction.toLowerCase())
		) {
			const allowed =
				names.length > 0
					? `${rules.name} can be ordered by ${names.join(', ')} (asc or desc).`
					: `${rules.name} does not support $orderby.`;
			throw new GraphError(400, 'BadRequest', `Invalid $orderby '${text}'. ${allowed}`);
		}
		return { property: rules.orderable[name], descending: direction.toLowerCase() === 'desc' };
	});
}

/**
 * @param {string | null} text
 * @param {string} option
 * @param {number} min
 * @param {number} max
 */
function parseInteger(text, option, min, max) {
	if (text === null) return null;
	if (!/^\d+$/.test(text.trim()))
		throw new GraphError(
			400,
			'BadRequest',
			`Invalid value '${text}' for query option '${option}': an integer is required.`,
		);
	const value = Number(text);
	if (value < min || value > max)
		throw new GraphError(
			400,
			'BadRequest',
			`Invalid value '${text}' for query option '${option}': it must be between ${min} and ${max}.`,
		);
	return value;
}

/** @param {number} offset */
const encodeSkipToken = (offset) =>
	Buffer.from(JSON.stringify({ offset }), 'utf8').toString('base64url');

/** @param {string} token */
function decodeSkipToken(token) {
	try {
		const { offset } = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
		if (Number.isInteger(offset) && offset >= 0) return offset;
	} catch {
		// falls through to the 400 below
	}
	throw new GraphError(
		400,
		'BadRequest',
		'The $skiptoken is invalid or expired. Start again from the first page.',
	);
}

/**
 * Reads the query options of a collection request; `$`-less duplicates and unknown `$` options are refused.
 * @param {URLSearchParams} query
 * @param {CollectionRules} rules
 * @param {Preferences} preferences
 */
function readQueryOptions(query, rules, preferences) {
	for (const key of query.keys()) {
		if (key.startsWith('$') && !rules.options.includes(key)) {
			throw new GraphError(
				400,
				'BadRequest',
				`Query option '${key}' is not supported on ${rules.name}. Supported: ${rules.options.join(', ')}.`,
			);
		}
	}
	const filterText = query.get('$filter');
	const orderByText = query.get('$orderby');
	const skipToken = query.get('$skiptoken');
	const selectText = query.get('$select');
	const countText = query.get('$count');
	if (countText !== null && !['true', 'false'].includes(countText))
		throw new GraphError(
			400,
			'BadRequest',
			`Invalid value '${countText}' for $count: use true or false.`,
		);
	return {
		filter: filterText === null ? null : parseFilter(filterText, rules, preferences),
		orderBy: orderByText === null ? null : parseOrderBy(orderByText, rules),
		top: parseInteger(query.get('$top'), '$top', 1, rules.maxTop),
		skip: parseInteger(query.get('$skip'), '$skip', 0, Number.MAX_SAFE_INTEGER) ?? 0,
		offset: skipToken === null ? 0 : decodeSkipToken(skipToken),
		select:
			selectText === null
				? null
				: selectText
						.split(',')
						.map((name) => name.trim())
						.filter(Boolean),
		count: countText === 'true',
		expand: query.get('$expand'),
	};
}

/**
 * Filters, orders and pages a collection; the nextLink keeps every option but `$skip`, folded into `$skiptoken`.
 * The entities come as the client sees them (evolvable enums already replaced), so filters match what is served.
 * @param {Record<string, unknown>[]} entities
 * @param {URLSearchParams} query
 * @param {CollectionRules} rules
 * @param {{ pageSize: number | null, linkBase: string, defaultOrder: { property: string, descending: boolean }[] }} paging
 * @param {Preferences} preferences
 */
function pageCollection(entities, query, rules, paging, preferences) {
	const options = readQueryOptions(query, rules, preferences);
	const { filter } = options;
	const filtered = filter
		? entities.filter((entity) => matches(filter, entity, rules.filterable))
		: entities.slice();
	const order = options.orderBy ?? paging.defaultOrder;
	// No order at all keeps the stored order (a collection Graph promises no order for).
	if (order.length > 0) {
		filtered.sort((a, b) => {
			for (const { property, descending } of order) {
				const difference = compareForSort(a[property], b[property]);
				if (difference !== 0) return descending ? -difference : difference;
			}
			return String(a.id).localeCompare(String(b.id));
		});
	}
	const pageSize = Math.min(options.top ?? Infinity, paging.pageSize ?? rules.defaultPageSize);
	const start = options.skip + options.offset;
	const page = filtered.slice(start, start + pageSize);
	const end = start + page.length;
	/** @type {string | undefined} */
	let nextLink;
	if (end < filtered.length) {
		const kept = [...query.entries()].filter(([key]) => key !== '$skip' && key !== '$skiptoken');
		kept.push(['$skiptoken', encodeSkipToken(end)]);
		nextLink = `${paging.linkBase}?${kept.map(([key, value]) => `${encodeOptionName(key)}=${encodeURIComponent(value)}`).join('&')}`;
	}
	return {
		value: options.select
			? page.map((entity) => project(entity, /** @type {string[]} */ (options.select), rules))
			: page,
		nextLink,
		count: options.count ? filtered.length : undefined,
		expand: options.expand,
	};
}

/** @param {string} key */
const encodeOptionName = (key) =>
	key.startsWith('$') ? `$${encodeURIComponent(key.slice(1))}` : encodeURIComponent(key);

/**
 * @param {unknown} a
 * @param {unknown} b
 */
function compareForSort(a, b) {
	const left = typeof a === 'string' && DATE_TIME.test(a) ? Date.parse(a) : a;
	const right = typeof b === 'string' && DATE_TIME.test(b) ? Date.parse(b) : b;
	if (typeof left === 'number' && typeof right === 'number') return left - right;
	return String(left ?? '').localeCompare(String(right ?? ''));
}

/**
 * Applies `$select` to one entity; an unknown property is a 400 as in Graph, an absent one stays absent.
 * @param {Record<string, unknown>} entity
 * @param {string[]} select
 * @param {CollectionRules} rules
 */
function project(entity, select, rules) {
	/** @type {Record<string, unknown>} */
	const picked = {};
	for (const name of select) {
		if (!rules.selectable.includes(name)) {
			throw new GraphError(
				400,
				'BadRequest',
				`Could not find a property named '${name}' on type '${rules.name}'.`,
			);
		}
		if (name in entity) picked[name] = entity[name];
	}
	return picked;
}

module.exports = { parseFilter, matches, pageCollection, project, readQueryOptions };
