import { DefenderXdrError } from './transport/errors';

/**
 * Reading what a user (or an expression, or an AI agent) put in a parameter. Every value is checked before it
 * goes into a URL or an OData query, and every refusal names the field, shows at most a short excerpt of the
 * value, and sends nothing.
 */

/**
 * Characters a reader cannot see or that reorder what they see: controls, zero-width and joiner characters,
 * bidirectional marks, embeddings, overrides and isolates, separators, the byte-order mark, invisible tag
 * characters and lone surrogates. A message shows each as its escape (`\u202E`), so a value cannot hide or
 * reverse text in a refusal. Listed as code point ranges (first, last) and tested by number, so no control or
 * combining character has to be written into a pattern.
 */
const INVISIBLE_RANGES: ReadonlyArray<readonly [number, number]> = [
	[0x0000, 0x001f], // C0 controls
	[0x007f, 0x009f], // delete and C1 controls
	[0x00ad, 0x00ad], // soft hyphen
	[0x034f, 0x034f], // combining grapheme joiner
	[0x061c, 0x061c], // Arabic letter mark
	[0x115f, 0x1160], // Hangul choseong and jungseong fillers
	[0x17b4, 0x17b5], // Khmer inherent vowels
	[0x180b, 0x180f], // Mongolian variation selectors and vowel separator
	[0x200b, 0x200f], // zero-width space, non-joiner, joiner, left-to-right and right-to-left marks
	[0x2028, 0x202e], // line and paragraph separators, embeddings and overrides
	[0x2060, 0x206f], // word joiner, invisible operators, isolates, deprecated format characters
	[0x3164, 0x3164], // Hangul filler
	[0xd800, 0xdfff], // a surrogate standing alone (a paired one is read as the code point it encodes)
	[0xfe00, 0xfe0f], // variation selectors
	[0xfeff, 0xfeff], // byte-order mark
	[0xffa0, 0xffa0], // halfwidth Hangul filler
	[0xfff0, 0xfffb], // unassigned specials and interlinear annotation characters
	[0xe0000, 0xe00ff], // tag characters
];

function isInvisible(codePoint: number): boolean {
	return INVISIBLE_RANGES.some(([first, last]) => codePoint >= first && codePoint <= last);
}

/** The escape of one invisible character: `\u200B`, or `\u{E0041}` beyond the basic plane. */
function escapeOf(character: string): string {
	const codePoint = character.codePointAt(0) ?? 0;
	const hex = codePoint.toString(16).toUpperCase();
	return codePoint > 0xffff ? `\\u{${hex}}` : `\\u${hex.padStart(4, '0')}`;
}

/** One character as a message shows it: its escape if it is invisible, else itself. */
function shownAs(character: string): string {
	return isInvisible(character.codePointAt(0) ?? 0) ? escapeOf(character) : character;
}

/** Text with every invisible or reordering character written as its escape; everything else unchanged. */
export function escapeInvisible(text: string): string {
	let shown = '';
	// A string's iterator yields code points: a surrogate pair as one character, a lone surrogate by itself.
	for (const character of text) shown += shownAs(character);
	return shown;
}

/** Whether text holds a C0 control character (U+0000 to U+001F) other than the ones allowed. */
export function hasControlCharacter(text: string, allowed = ''): boolean {
	for (let index = 0; index < text.length; index++) {
		if (text.charCodeAt(index) < 0x20 && !allowed.includes(text[index])) return true;
	}
	return false;
}

/** Shortens a user-supplied value and escapes what cannot be seen before it is echoed in a message. */
export function printable(value: string, max = 64): string {
	let shown = '';
	let taken = 0;
	// Character by character, and only as far as the excerpt goes: a huge value is not split up as a whole.
	for (const character of value) {
		const visible = shownAs(character);
		if (shown.length + visible.length > max) break;
		shown += visible;
		taken += character.length;
	}
	return taken < value.length ? `${shown}… (${value.length} characters)` : shown;
}

/** How a value reads in a message: text as an excerpt, anything else by its kind. */
export function describeValue(value: unknown): string {
	if (typeof value === 'string') return `"${printable(value)}"`;
	if (value === null || value === undefined) return 'nothing';
	if (Array.isArray(value)) return 'a list';
	return `a ${typeof value}`;
}

const IDENTIFIER = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Why a Graph ID is refused, or undefined when it may be sent: 1..128 letters, digits, "-", "_", "." and ":",
 * and not "." or "..", so no ID can step out of its path segment.
 */
export function identifierProblem(value: unknown, label: string): string | undefined {
	if (value === undefined || value === null || value === '') return `${label} is empty`;
	if (typeof value !== 'string') return `${label} is not text (got ${describeValue(value)})`;
	if (value.length > 128)
		return `${label} is ${value.length} characters long; at most 128 are allowed`;
	if (!IDENTIFIER.test(value) || value === '.' || value === '..') {
		return `${label} ${describeValue(value)} is malformed: use only letters, digits, "-", "_", "." and ":"`;
	}
	return undefined;
}

/**
 * An ID as it may be sent, or why it may not. With `acceptNumbers` (incident and alert IDs, which Graph writes as
 * digits and upstream JSON often carries as numbers, e.g. 5001) a whole number is read as its digits; a number JSON
 * could not carry exactly (a fraction, a negative, or beyond 2^53, where digits were already lost) is refused
 * rather than sent as another entity's ID.
 */
export function checkedIdentifier(
	value: unknown,
	label: string,
	acceptNumbers = false,
): { id: string } | { problem: string } {
	if (acceptNumbers && typeof value === 'number') {
		if (Number.isSafeInteger(value) && value >= 0) return { id: String(value) };
		return {
			problem: `${label} is the number ${String(value)}, which cannot be an ID exactly: give the ID as text, as Defender shows it`,
		};
	}
	const problem = identifierProblem(value, label);
	return problem === undefined ? { id: value as string } : { problem };
}

/** A refused parameter value: nothing was sent, so nothing was executed. */
export function parameterError(code: string, message: string): DefenderXdrError {
	return new DefenderXdrError({ code, message: `${message}. No request was sent.` });
}

const MONTHS = [
	'January',
	'February',
	'March',
	'April',
	'May',
	'June',
	'July',
	'August',
	'September',
	'October',
	'November',
	'December',
];

/**
 * Why a text with ISO 8601's date shape (`YYYY-MM-DD`, optionally `THH:mm[:ss[.f]]` and a zone) names no real
 * moment, or undefined when it does. JavaScript's own parsing rolls an impossible date over (February 30 becomes
 * March 2), so a filter or a time range would quietly mean another day.
 */
export function impossibleDateReason(text: string): string | undefined {
	const [year, month, day] = [text.slice(0, 4), text.slice(5, 7), text.slice(8, 10)].map(Number);
	if (month < 1 || month > 12) return `there is no month ${month}`;
	const isLeapYear = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
	const days = [31, isLeapYear ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
	if (day < 1 || day > days) return `${MONTHS[month - 1]} ${year} has ${days} days`;
	const time = /^T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(text.slice(10));
	if (time) {
		const [, hour, minute, second = '0'] = time;
		if (Number(hour) > 23) return `there is no hour ${hour}`;
		if (Number(minute) > 59 || Number(second) > 59)
			return `${time[0].slice(1)} is not a time of day`;
	}
	const zone = /([+-])(\d{2}):(\d{2})$/.exec(text.slice(10));
	if (zone && (Number(zone[2]) > 14 || Number(zone[3]) > 59))
		return `${zone[0]} is not a time zone offset`;
	return undefined;
}

/** Whether a value says nothing: empty or blank text, or an expression that yielded nothing. */
export function isBlank(value: unknown): boolean {
	return (
		value === undefined || value === null || (typeof value === 'string' && value.trim() === '')
	);
}

/**
 * A filter that was added but says nothing. Leaving it out would read the whole unfiltered list as if it were the
 * filtered one, so it is refused instead.
 */
export function emptyFilterError(label: string): DefenderXdrError {
	return parameterError(
		'invalidFilter',
		`${label} is empty (its value or expression gave nothing), and an empty filter is not left out, since that would return everything unfiltered. Give it a value, or remove the filter`,
	);
}

/** A list of values from a fixed set (a multi-select, or one value given by an expression); an empty expression is refused. */
export function toChoices<T extends string>(
	value: unknown,
	label: string,
	allowed: readonly T[],
	code = 'invalidFilter',
): T[] {
	if (Array.isArray(value)) return value.map((entry) => toChoice(entry, label, allowed, code));
	if (isBlank(value)) throw emptyFilterError(label);
	return [toChoice(value, label, allowed, code)];
}

/** One of a fixed set of values; an expression that yields anything else is refused by name. */
export function toChoice<T extends string>(
	value: unknown,
	label: string,
	allowed: readonly T[],
	code = 'invalidParameter',
): T {
	if (typeof value === 'string' && (allowed as readonly string[]).includes(value))
		return value as T;
	throw parameterError(
		code,
		`${label}: ${describeValue(value)} is not one of ${allowed.join(', ')}`,
	);
}

/** true/false, also as the text an expression may yield ("false" is false). */
export function toBoolean(value: unknown, label: string): boolean {
	if (value === true || value === 'true') return true;
	if (value === false || value === 'false' || value === undefined || value === null || value === '')
		return false;
	throw parameterError(
		'invalidParameter',
		`${label}: ${describeValue(value)} is not true or false`,
	);
}

/** A number in [min, max], also given as text; `wholeOnly` refuses fractions. */
export function toNumber(
	value: unknown,
	label: string,
	min: number,
	max = Number.MAX_SAFE_INTEGER,
	wholeOnly = false,
): number {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	const fits =
		typeof number === 'number' &&
		Number.isFinite(number) &&
		number >= min &&
		number <= max &&
		(!wholeOnly || Number.isInteger(number));
	if (!fits) {
		const range = max === Number.MAX_SAFE_INTEGER ? `${min} or more` : `from ${min} to ${max}`;
		throw parameterError(
			'invalidParameter',
			`${label}: ${describeValue(value)} is not ${wholeOnly ? 'a whole number' : 'a number'} ${range}`,
		);
	}
	return number;
}

export function toInteger(
	value: unknown,
	label: string,
	min: number,
	max = Number.MAX_SAFE_INTEGER,
): number {
	return toNumber(value, label, min, max, true);
}
