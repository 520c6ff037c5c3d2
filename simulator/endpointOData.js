// @ts-check
'use strict';

// The OData slice the Defender for Endpoint API takes: comparisons joined with `and`, startswith(), and any()
// over a tag list; $top (at most 10,000) and $skip, all in one page. Each collection declares its properties.

const { EndpointError } = require('./responses');

/**
 * @typedef {{ kind: 'string' | 'dateTime' | 'number' | 'tags', operators: string[], values?: string[] }} MdeProperty
 * @typedef {{ name: string, properties: Record<string, MdeProperty> }} MdeRules
 * @typedef {{ type: 'and', left: MdeFilter, right: MdeFilter }
 *   | { type: 'compare', property: string, operator: string, value: unknown }
 *   | { type: 'any', property: string, operator: string, value: string }} MdeFilter
 */

const MAX_TOP = 10_000;

/** @param {string} message */
const badQuery = (message) => new EndpointError(400, 'ODataError', message);

/**
 * $filter, $skip and $top over a collection; MDE answers everything in one page up to $top (at most 10,000).
 * @param {Record<string, any>[]} entities
 * @param {URLSearchParams} query
 * @param {MdeRules} rules
 * @param {string} odataContext
 */
function queryCollection(entities, query, rules, odataContext) {
	for (const key of query.keys())
		if (!['$filter', '$top', '$skip'].includes(key))
			throw badQuery(`The query option '${key}' is not supported on ${rules.name}.`);
	const filterText = query.get('$filter');
	const filter = filterText === null ? null : parseMdeFilter(filterText, rules);
	const top = integerOption(query.get('$top'), '$top', 0, MAX_TOP) ?? MAX_TOP;
	const skip = integerOption(query.get('$skip'), '$skip', 0, Number.MAX_SAFE_INTEGER) ?? 0;
	const value = entities
		.filter((entity) => filter === null || evaluate(filter, entity, rules))
		.slice(skip, skip + top);
	return { status: 200, body: structuredClone({ '@odata.context': odataContext, value }) };
}

/**
 * @param {string | null} text
 * @param {string} option
 * @param {number} min
 * @param {number} max
 */
function integerOption(text, option, min, max) {
	if (text === null) return null;
	const value = Number(text);
	if (!/^\d+$/.test(text.trim()) || value < min || value > max)
		throw badQuery(`${option} must be an integer from ${min} to ${max}; got '${text}'.`);
	return value;
}

/**
 * @param {string} text
 * @param {MdeRules} rules
 * @returns {MdeFilter}
 */
function parseMdeFilter(text, rules) {
	const tokens =
		text.match(
			/'(?:[^']|'')*'|\s+|\d{4}-\d{2}-\d{2}(?:T[\d:.]+)?(?:Z|[+-]\d{2}:\d{2})?|[(),:/]|[^\s(),:/']+/g,
		) ?? [];
	const list = tokens.filter((token) => !/^\s+$/.test(token));
	if (tokens.join('') !== text) throw badQuery(`Invalid $filter '${text}'.`);
	let position = 0;
	const peek = () => list[position];
	/** @param {string} [expected] */
	const next = (expected) => {
		const token = list[position++];
		if (expected !== undefined && token?.toLowerCase() !== expected)
			throw badQuery(`Invalid $filter: expected '${expected}' near '${token ?? 'end'}'.`);
		return token;
	};
	/** @param {string} name */
	const propertyRule = (name) => {
		const rule = Object.prototype.hasOwnProperty.call(rules.properties, name)
			? rules.properties[name]
			: undefined;
		if (!rule)
			throw badQuery(
				`The property '${name}' cannot be filtered on ${rules.name}. Filterable: ${Object.keys(rules.properties).join(', ')}.`,
			);
		return rule;
	};
	/**
	 * @param {MdeProperty} rule
	 * @param {string} property
	 * @param {string} operator
	 */
	const checkOperator = (rule, property, operator) => {
		if (!rule.operators.includes(operator))
			throw badQuery(
				`The operator '${operator}' is not supported for '${property}' on ${rules.name}.`,
			);
	};
	/**
	 * @param {MdeProperty} rule
	 * @param {string} property
	 */
	const literal = (rule, property) => {
		const token = next();
		if (token === undefined) throw badQuery(`Missing value for '${property}'.`);
		if (rule.kind === 'dateTime') {
			// MDE's samples also write a bare date with a zone, e.g. 2018-08-01Z.
			const text = token.replace(/^'|'$/g, '').replace(/^(\d{4}-\d{2}-\d{2})Z$/, '$1T00:00:00Z');
			const value = Date.parse(text);
			if (Number.isNaN(value))
				throw badQuery(`'${token}' is not a valid date and time for '${property}'.`);
			return value;
		}
		if (rule.kind === 'number') {
			if (!/^-?\d+$/.test(token)) throw badQuery(`'${property}' needs a number, got ${token}.`);
			return Number(token);
		}
		if (!/^'.*'$/.test(token)) throw badQuery(`'${property}' needs a quoted string, got ${token}.`);
		const value = token.slice(1, -1).replace(/''/g, "'");
		if (rule.values && !rule.values.includes(value))
			throw badQuery(
				`'${value}' is not a valid value for '${property}'. Use one of: ${rule.values.join(', ')}.`,
			);
		return value;
	};
	/** @returns {MdeFilter} */
	const parseTerm = () => {
		const token = next();
		if (token === undefined) throw badQuery('The $filter is incomplete.');
		if (token === '(') {
			const inner = parseAnd();
			next(')');
			return inner;
		}
		if (token.toLowerCase() === 'startswith') {
			next('(');
			const property = next() ?? '';
			const rule = propertyRule(property);
			checkOperator(rule, property, 'startswith');
			next(',');
			const value = literal(rule, property);
			next(')');
			return rule.kind === 'tags'
				? { type: 'any', property, operator: 'startswith', value: String(value) }
				: { type: 'compare', property, operator: 'startswith', value };
		}
		const rule = propertyRule(token);
		if (rule.kind === 'tags') {
			// machineTags/any(tag: tag eq 'x') or machineTags/any(tag: startswith(tag, 'x'))
			next('/');
			next('any');
			next('(');
			const variable = next() ?? '';
			next(':');
			let operator;
			if (peek()?.toLowerCase() === 'startswith') {
				next();
				next('(');
				next(variable.toLowerCase());
				next(',');
				operator = 'startswith';
			} else {
				next(variable.toLowerCase());
				operator = (next() ?? '').toLowerCase();
				checkOperator(rule, token, operator);
			}
			const value = String(literal({ kind: 'string', operators: [] }, token));
			if (operator === 'startswith') next(')');
			next(')');
			return { type: 'any', property: token, operator, value };
		}
		const operator = (next() ?? '').toLowerCase();
		checkOperator(rule, token, operator);
		return { type: 'compare', property: token, operator, value: literal(rule, token) };
	};
	/** @returns {MdeFilter} */
	const parseAnd = () => {
		let left = parseTerm();
		while (peek()?.toLowerCase() === 'and') {
			next();
			left = { type: 'and', left, right: parseTerm() };
		}
		if (peek()?.toLowerCase() === 'or' || peek()?.toLowerCase() === 'not')
			throw badQuery(`'${peek()}' is not supported in this simulator's $filter; use 'and'.`);
		return left;
	};
	if (list.length === 0) throw badQuery('The $filter is empty.');
	const tree = parseAnd();
	if (position < list.length) throw badQuery(`Unexpected '${list[position]}' in $filter.`);
	return tree;
}

/**
 * @param {MdeFilter} node
 * @param {Record<string, any>} entity
 * @param {MdeRules} rules
 * @returns {boolean}
 */
function evaluate(node, entity, rules) {
	if (node.type === 'and')
		return evaluate(node.left, entity, rules) && evaluate(node.right, entity, rules);
	if (node.type === 'any') {
		const wanted = node.value.toLowerCase();
		return (entity[node.property] ?? []).some((/** @type {string} */ tag) =>
			node.operator === 'startswith'
				? tag.toLowerCase().startsWith(wanted)
				: tag.toLowerCase() === wanted,
		);
	}
	const rule = rules.properties[node.property];
	const raw = entity[node.property];
	if (rule.kind === 'dateTime') {
		const left = raw == null ? NaN : Date.parse(raw);
		return compareValues(left, node.operator, /** @type {number} */ (node.value));
	}
	if (rule.kind === 'number')
		return compareValues(Number(raw), node.operator, /** @type {number} */ (node.value));
	// Text compares without regard to case, as the service's store does.
	const left = raw == null ? '' : String(raw).toLowerCase();
	const right = String(node.value).toLowerCase();
	if (node.operator === 'startswith') return left.startsWith(right);
	return compareValues(left, node.operator, right);
}

/**
 * @param {number | string} left
 * @param {string} operator
 * @param {number | string} right
 */
function compareValues(left, operator, right) {
	if (operator === 'eq') return left === right;
	if (operator === 'ne') return left !== right;
	if (typeof left === 'number' && Number.isNaN(left)) return false;
	if (operator === 'gt') return left > right;
	if (operator === 'ge') return left >= right;
	if (operator === 'lt') return left < right;
	return left <= right;
}

module.exports = { queryCollection };
