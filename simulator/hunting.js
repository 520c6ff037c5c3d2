// @ts-check
'use strict';

// POST /security/runHuntingQuery: a small subset of KQL over the seeded hunting tables.
// `Table | where … | project … | order by … | take N`, plus `limit`, `top N by`, `sort by` and `count`.

const { GraphError } = require('./responses');

/**
 * @typedef {{ kind: 'word' | 'string' | 'number' | 'timespan' | 'datetime' | 'symbol', value: string, column: number }} Token
 * @typedef {{ type: 'and', left: Condition, right: Condition }
 *   | { type: 'or', left: Condition, right: Condition }
 *   | { type: 'compare', column: string, operator: string, value: unknown }
 *   | { type: 'in', column: string, negated: boolean, values: unknown[] }} Condition
 * @typedef {{ schema: { name: string, type: string }[], rows: Record<string, unknown>[] }} Table
 */

const SUPPORTED =
	'The simulator runs a subset of KQL: a table, then where, project, take, limit, top, order by, sort by and count.';
const STRING_OPERATORS = [
	'==',
	'!=',
	'=~',
	'!~',
	'contains',
	'!contains',
	'contains_cs',
	'has',
	'!has',
	'startswith',
	'!startswith',
	'endswith',
	'!endswith',
];
const ORDER_OPERATORS = ['<', '<=', '>', '>='];
/** Graph's window when the request has no Timespan. */
const DEFAULT_TIMESPAN = 'P30D';
/** Graph returns at most this many rows of a query's result. */
const MAX_RESULT_ROWS = 100_000;
const TIMESPAN_UNITS = /** @type {Record<string, number>} */ ({
	d: 86_400_000,
	h: 3_600_000,
	m: 60_000,
	s: 1000,
	ms: 1,
});

/** @param {string} message */
const badQuery = (message) => new GraphError(400, 'BadRequest', message);

/** @param {Token | undefined} token */
const parseError = (token) =>
	badQuery(
		`Query could not be parsed at '${token ? token.value : '<end of query>'}' on line [1,${token ? token.column : 0}]`,
	);

/**
 * @param {string} query
 * @returns {Token[]}
 */
function tokenize(query) {
	/** @type {Token[]} */
	const tokens = [];
	const text = query.replace(/\r?\n/g, ' ');
	let i = 0;
	while (i < text.length) {
		const rest = text.slice(i);
		const column = i + 1;
		const space = /^\s+/.exec(rest);
		if (space) {
			i += space[0].length;
			continue;
		}
		const quote = rest[0];
		if (quote === '"' || quote === "'") {
			let value = '';
			let j = 1;
			for (;;) {
				if (j >= rest.length) throw parseError({ kind: 'symbol', value: rest, column });
				if (rest[j] === '\\' && j + 1 < rest.length) {
					value += rest[j + 1];
					j += 2;
					continue;
				}
				if (rest[j] === quote) break;
				value += rest[j];
				j += 1;
			}
			tokens.push({ kind: 'string', value, column });
			i += j + 1;
			continue;
		}
		const datetime = /^datetime\(\s*([^)]*?)\s*\)/.exec(rest);
		if (datetime) {
			tokens.push({ kind: 'datetime', value: datetime[1], column });
			i += datetime[0].length;
			continue;
		}
		const timespan = /^(\d+(?:\.\d+)?)(ms|d|h|m|s)\b/.exec(rest);
		if (timespan) {
			tokens.push({ kind: 'timespan', value: timespan[0], column });
			i += timespan[0].length;
			continue;
		}
		const number = /^\d+(?:\.\d+)?/.exec(rest);
		if (number) {
			tokens.push({ kind: 'number', value: number[0], column });
			i += number[0].length;
			continue;
		}
		const word = /^!?[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
		if (
			word &&
			(!word[0].startsWith('!') || STRING_OPERATORS.includes(word[0]) || word[0] === '!in')
		) {
			tokens.push({ kind: 'word', value: word[0], column });
			i += word[0].length;
			continue;
		}
		const symbol = /^(==|!=|=~|!~|<=|>=|[|(),<>=])/.exec(rest);
		if (!symbol) throw parseError({ kind: 'symbol', value: rest[0], column });
		tokens.push({ kind: 'symbol', value: symbol[0], column });
		i += symbol[0].length;
	}
	return tokens;
}

/**
 * Runs a query against the tables; `timespan` (ISO 8601, as Graph takes it) bounds each table's Timestamp.
 * @param {string} query
 * @param {string | undefined} timespan
 * @param {Record<string, Table>} tables
 * @param {number} [now]
 */
function runHuntingQuery(query, timespan, tables, now = Date.now()) {
	const tokens = tokenize(query);
	let position = 0;
	const peek = () => tokens[position];
	const next = () => tokens[position++];
	/** @param {string} value */
	const isWord = (value) => peek()?.kind === 'word' && peek().value.toLowerCase() === value;
	/** @param {string} value */
	const isSymbol = (value) => peek()?.kind === 'symbol' && peek().value === value;
	/** @param {string} value */
	const expectSymbol = (value) => {
		if (!isSymbol(value)) throw parseError(peek());
		next();
	};

	const tableToken = next();
	if (!tableToken) throw badQuery("The request body must contain a non-empty 'Query'.");
	if (tableToken.kind !== 'word') throw parseError(tableToken);
	const table = Object.prototype.hasOwnProperty.call(tables, tableToken.value)
		? tables[tableToken.value]
		: undefined;
	if (!table)
		throw badQuery(`Failed to resolve table or column expression named '${tableToken.value}'`);

	let schema = table.schema.slice();
	let rows = table.rows.slice();
	// Without a Timespan Graph looks back 30 days, so older rows need a Timespan that reaches them.
	const window = parseTimespan(timespan ?? DEFAULT_TIMESPAN, now);
	if (schema.some((column) => column.name === 'Timestamp')) {
		rows = rows.filter((row) => {
			const time = Date.parse(String(row.Timestamp));
			return time >= window.start && time <= window.end;
		});
	}

	/**
	 * @param {string} operator the KQL operator naming the column, for the error message
	 * @returns {{ name: string, type: string }}
	 */
	const column = (operator) => {
		const token = next();
		if (!token || token.kind !== 'word') throw parseError(token);
		const found = schema.find((candidate) => candidate.name === token.value);
		if (!found)
			throw badQuery(
				`'${operator}' operator: Failed to resolve scalar expression named '${token.value}'`,
			);
		return found;
	};
	/** @returns {number} */
	const count = () => {
		const token = next();
		if (!token || token.kind !== 'number' || !/^\d+$/.test(token.value)) throw parseError(token);
		return Number(token.value);
	};
	/**
	 * A literal, converted for comparison with a column of `type`.
	 * @param {string} type
	 */
	const literal = (type) => {
		const token = next();
		if (!token) throw parseError(token);
		if (token.kind === 'string') return type === 'DateTime' ? dateValue(token) : token.value;
		if (token.kind === 'number') return Number(token.value);
		if (token.kind === 'datetime') return dateValue(token);
		if (token.kind === 'word' && ['true', 'false'].includes(token.value))
			return token.value === 'true';
		if (token.kind === 'word' && (token.value === 'ago' || token.value === 'now')) {
			expectSymbol('(');
			let value = now;
			if (token.value === 'ago') {
				const argument = next();
				if (!argument || argument.kind !== 'timespan') throw parseError(argument);
				value = now - timespanMilliseconds(argument.value);
			}
			expectSymbol(')');
			return value;
		}
		throw parseError(token);
	};
	/** @returns {Condition} */
	const condition = () => {
		if (isSymbol('(')) {
			next();
			const inner = disjunction();
			expectSymbol(')');
			return inner;
		}
		const { name, type } = column('where');
		const operatorToken = next();
		if (!operatorToken) throw parseError(operatorToken);
		const operator = operatorToken.value.toLowerCase();
		if (operator === 'in' || operator === '!in') {
			expectSymbol('(');
			const values = [literal(type)];
			while (isSymbol(',')) {
				next();
				values.push(literal(type));
			}
			expectSymbol(')');
			return { type: 'in', column: name, negated: operator === '!in', values };
		}
		if (!STRING_OPERATORS.includes(operator) && !ORDER_OPERATORS.includes(operator))
			throw parseError(operatorToken);
		return { type: 'compare', column: name, operator, value: literal(type) };
	};
	/** @returns {Condition} */
	const conjunction = () => {
		let left = condition();
		while (isWord('and')) {
			next();
			left = { type: 'and', left, right: condition() };
		}
		return left;
	};
	/** @returns {Condition} */
	const disjunction = () => {
		let left = conjunction();
		while (isWord('or')) {
			next();
			left = { type: 'or', left, right: conjunction() };
		}
		return left;
	};
	/** @returns {{ name: string, descending: boolean }[]} */
	const sortKeys = (/** @type {string} */ operator) => {
		const keys = [];
		do {
			if (isSymbol(',')) next();
			const { name } = column(operator);
			let descending = true;
			if (isWord('asc') || isWord('desc')) descending = next().value.toLowerCase() === 'desc';
			keys.push({ name, descending });
		} while (isSymbol(','));
		return keys;
	};

	while (position < tokens.length) {
		expectSymbol('|');
		const operatorToken = next();
		if (!operatorToken || operatorToken.kind !== 'word') throw parseError(operatorToken);
		const operator = operatorToken.value.toLowerCase();
		if (operator === 'where') {
			const filter = disjunction();
			rows = rows.filter((row) => holds(filter, row));
		} else if (operator === 'take' || operator === 'limit') {
			rows = rows.slice(0, count());
		} else if (operator === 'project') {
			const projected = [column('project')];
			while (isSymbol(',')) {
				next();
				projected.push(column('project'));
			}
			schema = projected;
			rows = rows.map((row) => Object.fromEntries(projected.map(({ name }) => [name, row[name]])));
		} else if (operator === 'order' || operator === 'sort') {
			if (!isWord('by')) throw parseError(peek());
			next();
			rows = sortRows(rows, sortKeys(`${operator} by`));
		} else if (operator === 'top') {
			const limit = count();
			if (!isWord('by')) throw parseError(peek());
			next();
			rows = sortRows(rows, sortKeys('top')).slice(0, limit);
		} else if (operator === 'count') {
			schema = [{ name: 'Count', type: 'Int64' }];
			rows = [{ Count: rows.length }];
		} else {
			throw badQuery(
				`Query could not be parsed at '${operatorToken.value}' on line [1,${operatorToken.column}]. ${SUPPORTED}`,
			);
		}
		if (position < tokens.length && !isSymbol('|')) throw parseError(peek());
	}
	return {
		schema: schema.map(({ name, type }) => ({ name, type })),
		results: rows.slice(0, MAX_RESULT_ROWS).map((row) => ({ ...row })),
	};
}

/**
 * @param {Condition} condition
 * @param {Record<string, unknown>} row
 * @returns {boolean}
 */
function holds(condition, row) {
	if (condition.type === 'and') return holds(condition.left, row) && holds(condition.right, row);
	if (condition.type === 'or') return holds(condition.left, row) || holds(condition.right, row);
	const cell = comparable(row[condition.column]);
	if (condition.type === 'in')
		return condition.values.some((value) => cell === value) !== condition.negated;
	return compare(cell, condition.operator, condition.value);
}

/** @param {unknown} cell */
function comparable(cell) {
	if (typeof cell === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(cell)) return Date.parse(cell);
	return cell;
}

/**
 * @param {unknown} left
 * @param {string} operator
 * @param {unknown} right
 */
function compare(left, operator, right) {
	const negated = operator.startsWith('!') && operator !== '!=' && operator !== '!~';
	const positive = negated ? operator.slice(1) : operator;
	const text = String(left ?? '');
	const value = String(right ?? '');
	/** @type {boolean} */
	let result;
	switch (positive) {
		case '==':
			result = left === right;
			break;
		case '!=':
			result = left !== right;
			break;
		case '=~':
			result = text.toLowerCase() === value.toLowerCase();
			break;
		case '!~':
			result = text.toLowerCase() !== value.toLowerCase();
			break;
		case 'contains':
			result = text.toLowerCase().includes(value.toLowerCase());
			break;
		case 'contains_cs':
			result = text.includes(value);
			break;
		case 'has':
			result = new RegExp(
				`(^|[^A-Za-z0-9_])${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z0-9_])`,
				'i',
			).test(text);
			break;
		case 'startswith':
			result = text.toLowerCase().startsWith(value.toLowerCase());
			break;
		case 'endswith':
			result = text.toLowerCase().endsWith(value.toLowerCase());
			break;
		default: {
			if (left == null || right == null) return false;
			const order =
				typeof left === 'number' && typeof right === 'number'
					? left - right
					: text.localeCompare(value);
			result =
				operator === '<'
					? order < 0
					: operator === '<='
						? order <= 0
						: operator === '>'
							? order > 0
							: order >= 0;
		}
	}
	return negated ? !result : result;
}

/**
 * @param {Record<string, unknown>[]} rows
 * @param {{ name: string, descending: boolean }[]} keys
 */
function sortRows(rows, keys) {
	return rows.slice().sort((a, b) => {
		for (const { name, descending } of keys) {
			const left = comparable(a[name]);
			const right = comparable(b[name]);
			const order =
				typeof left === 'number' && typeof right === 'number'
					? left - right
					: String(left ?? '').localeCompare(String(right ?? ''));
			if (order !== 0) return descending ? -order : order;
		}
		return 0;
	});
}

/** @param {Token} token */
function dateValue(token) {
	const value = Date.parse(token.value);
	if (Number.isNaN(value)) throw parseError(token);
	return value;
}

/** @param {string} literal e.g. 7d, 12h, 30m */
function timespanMilliseconds(literal) {
	const [, amount, unit] = /^(\d+(?:\.\d+)?)(ms|d|h|m|s)$/.exec(literal) ?? [];
	return Number(amount) * TIMESPAN_UNITS[unit];
}

/** @param {string} text an ISO 8601 duration such as P30D or PT12H */
function isoDuration(text) {
	const match = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(
		text,
	);
	if (!match || text === 'P' || text.endsWith('T')) return null;
	const [, weeks = 0, days = 0, hours = 0, minutes = 0, seconds = 0] = match;
	return (
		(Number(weeks) * 7 + Number(days)) * 86_400_000 +
		Number(hours) * 3_600_000 +
		Number(minutes) * 60_000 +
		Number(seconds) * 1000
	);
}

/**
 * Graph's `Timespan`: start/end, duration/end, start/duration, a duration back from now, or a start up to now.
 * @param {string} timespan
 * @param {number} now
 * @returns {{ start: number, end: number }}
 */
function parseTimespan(timespan, now) {
	const invalid = () =>
		badQuery(
			`Invalid Timespan '${timespan}'. Use ISO 8601: a duration (P30D), a start time, start/end, duration/end or start/duration.`,
		);
	const parts = timespan.split('/');
	if (parts.length > 2 || parts.some((part) => part.length === 0)) throw invalid();
	const asDate = (/** @type {string} */ part) =>
		/^\d{4}-\d{2}-\d{2}/.test(part) ? Date.parse(part) : NaN;
	if (parts.length === 1) {
		const duration = isoDuration(parts[0]);
		if (duration !== null) return { start: now - duration, end: now };
		const start = asDate(parts[0]);
		if (Number.isNaN(start)) throw invalid();
		return { start, end: now };
	}
	const [first, second] = parts;
	const firstDate = asDate(first);
	const secondDate = asDate(second);
	if (!Number.isNaN(firstDate) && !Number.isNaN(secondDate))
		return { start: firstDate, end: secondDate };
	const firstDuration = isoDuration(first);
	if (firstDuration !== null && !Number.isNaN(secondDate))
		return { start: secondDate - firstDuration, end: secondDate };
	const secondDuration = isoDuration(second);
	if (!Number.isNaN(firstDate) && secondDuration !== null)
		return { start: firstDate, end: firstDate + secondDuration };
	throw invalid();
}

module.exports = { runHuntingQuery, DEFAULT_TIMESPAN, MAX_RESULT_ROWS };
