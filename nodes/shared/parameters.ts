import type { IExecuteFunctions } from 'n8n-workflow';

import { DefenderXdrError } from './transport/graphError';

/**
 * Reading what a user (or an expression, or an AI agent) put in a parameter. Every value is checked before it
 * goes into a URL or an OData query, and every refusal names the field, shows at most a short excerpt of the
 * value, and sends nothing.
 */

/** Shortens and de-controls a user-supplied value before it is echoed in a message. */
export function printable(value: string, max = 64): string {
	const visible = value.replace(/[\u0000-\u001f\u007f]/g, '?');
	return visible.length > max ? `${visible.slice(0, max)}… (${value.length} characters)` : visible;
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
	if (value.length > 128) return `${label} is ${value.length} characters long; at most 128 are allowed`;
	if (!IDENTIFIER.test(value) || value === '.' || value === '..') {
		return `${label} ${describeValue(value)} is malformed: use only letters, digits, "-", "_", "." and ":"`;
	}
	return undefined;
}

/** A refused parameter value: nothing was sent, so nothing was executed. */
export function parameterError(code: string, message: string): DefenderXdrError {
	return new DefenderXdrError({ code, message: `${message}. No request was sent.` });
}

export function readIdentifier(ctx: IExecuteFunctions, name: string, label: string, itemIndex: number, code: string): string {
	const value = ctx.getNodeParameter(name, itemIndex, '') as unknown;
	const problem = identifierProblem(value, label);
	if (problem) throw parameterError(code, problem);
	return value as string;
}

/** One of a fixed set of values; an expression that yields anything else is refused by name. */
export function toChoice<T extends string>(value: unknown, label: string, allowed: readonly T[], code = 'invalidParameter'): T {
	if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
	throw parameterError(code, `${label}: ${describeValue(value)} is not one of ${allowed.join(', ')}`);
}

/** true/false, also as the text an expression may yield ("false" is false). */
export function toBoolean(value: unknown, label: string): boolean {
	if (value === true || value === 'true') return true;
	if (value === false || value === 'false' || value === undefined || value === null || value === '') return false;
	throw parameterError('invalidParameter', `${label}: ${describeValue(value)} is not true or false`);
}

/** A number in [min, max], also given as text; `wholeOnly` refuses fractions. */
export function toNumber(value: unknown, label: string, min: number, max = Number.MAX_SAFE_INTEGER, wholeOnly = false): number {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	const fits = typeof number === 'number' && Number.isFinite(number) && number >= min && number <= max && (!wholeOnly || Number.isInteger(number));
	if (!fits) {
		const range = max === Number.MAX_SAFE_INTEGER ? `${min} or more` : `from ${min} to ${max}`;
		throw parameterError('invalidParameter', `${label}: ${describeValue(value)} is not ${wholeOnly ? 'a whole number' : 'a number'} ${range}`);
	}
	return number;
}

export function toInteger(value: unknown, label: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
	return toNumber(value, label, min, max, true);
}
