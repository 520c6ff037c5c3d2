import type { IDataObject } from 'n8n-workflow';

import {
	describeValue,
	hasControlCharacter,
	impossibleDateReason,
	isBlank,
	parameterError,
	printable,
	toBoolean,
	toChoice,
} from './parameters';

/**
 * Defender for Endpoint indicators as the API takes them: the types, actions and severities it documents, and the
 * checks a value passes before anything is sent, so a bad item fails alone instead of costing a request.
 */

export const INDICATOR_TYPES = [
	'FileSha1',
	'FileSha256',
	'FileMd5',
	'CertificateThumbprint',
	'IpAddress',
	'DomainName',
	'Url',
] as const;
export type IndicatorType = (typeof INDICATOR_TYPES)[number];

/** The current actions; Microsoft retired `Alert` and `AlertAndBlock` in 2022, so they are not offered. */
export const INDICATOR_ACTIONS = [
	'Allowed',
	'Audit',
	'Warn',
	'Block',
	'BlockAndRemediate',
] as const;
export type IndicatorAction = (typeof INDICATOR_ACTIONS)[number];

export const INDICATOR_SEVERITIES = ['Informational', 'Low', 'Medium', 'High'] as const;

/** Hex digits per hash type: SHA-1 and certificate thumbprints 40, SHA-256 64, MD5 32. */
const HEX_LENGTHS: Partial<Record<IndicatorType, number>> = {
	FileSha1: 40,
	FileSha256: 64,
	FileMd5: 32,
	CertificateThumbprint: 40,
};

/** The hash a hex value of this length would be, to point at the type the user probably meant. */
const HASH_BY_LENGTH: Record<number, string> = { 32: 'FileMd5', 40: 'FileSha1', 64: 'FileSha256' };

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const HOST_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;

export function isIpAddress(value: string): boolean {
	if (IPV4.test(value)) return true;
	if (!value.includes(':') || /[[\]/%\s]/.test(value)) return false;
	try {
		// The URL parser knows every IPv6 form (compressed, embedded IPv4) and refuses anything else.
		new URL(`http://[${value}]/`);
		return true;
	} catch {
		return false;
	}
}

/** Why text is not a host name (`contoso.com`), or undefined when it is. */
function hostNameProblem(host: string): string | undefined {
	if (host.length > 253) return `is ${host.length} characters long; a host name has at most 253`;
	const labels = host.split('.');
	if (labels.length < 2) return 'has no dot: give the full name, e.g. contoso.com';
	if (!labels.every((label) => HOST_LABEL.test(label)))
		return 'is not a host name: each dot-separated part is 1 to 63 letters, digits or hyphens, not starting or ending with a hyphen (write an international name in its xn-- form, and no wildcards)';
	if (/^\d+$/.test(labels[labels.length - 1]))
		return 'ends in a number, like an IP address: use the IpAddress type for an address';
	return undefined;
}

/** Why `value` cannot be an indicator of `type`, or undefined when it can. */
export function indicatorValueProblem(type: IndicatorType, value: string): string | undefined {
	const hexLength = HEX_LENGTHS[type];
	if (hexLength !== undefined) {
		if (new RegExp(`^[0-9A-Fa-f]{${hexLength}}$`).test(value)) return undefined;
		const other = /^[0-9A-Fa-f]+$/.test(value) ? HASH_BY_LENGTH[value.length] : undefined;
		const hint = other && other !== type ? ` (${value.length} hex characters is ${other})` : '';
		return `is not ${hexLength} hexadecimal characters, as a ${type} value is${hint}`;
	}
	if (type === 'IpAddress') {
		if (value.includes('/'))
			return 'is a CIDR range: Defender for Endpoint takes single IP addresses only, not ranges, so submit each address as its own indicator';
		return isIpAddress(value) ? undefined : 'is not an IPv4 or IPv6 address';
	}
	if (type === 'DomainName') {
		if (SCHEME.test(value) || value.includes('/'))
			return 'is a URL, not a domain name: give the host name alone (e.g. contoso.com), or use the Url type';
		return hostNameProblem(value);
	}
	// Url: http or https, with or without the scheme written, as the portal accepts it.
	const scheme = SCHEME.exec(value);
	if (scheme && !['http', 'https'].includes(scheme[1].toLowerCase()))
		return `uses ${scheme[1]}://: URL indicators are http or https addresses`;
	if (/\s/.test(value)) return 'contains white space, which a URL cannot';
	let url: URL;
	try {
		url = new URL(scheme ? value : `http://${value}`);
	} catch {
		return 'is not a URL';
	}
	if (url.username || url.password) return 'carries a user name or password';
	const host = url.hostname.replace(/^\[|\]$/g, '');
	if (isIpAddress(host)) return undefined;
	const problem = hostNameProblem(host);
	return problem && `has a host that ${problem}`;
}

/** The body of one indicator as `POST /api/indicators` and each import entry take it. */
export interface IndicatorBody extends IDataObject {
	indicatorValue: string;
	indicatorType: IndicatorType;
	action: IndicatorAction;
	title: string;
	description: string;
	application?: string;
	expirationTime?: string;
	severity?: string;
	recommendedActions?: string;
	rbacGroupNames?: string[];
	educateUrl?: string;
	generateAlert?: boolean;
}

/** One indicator as the node's parameters give it, before any check. */
export interface IndicatorInput {
	indicatorType: unknown;
	indicatorValue: unknown;
	action: unknown;
	title: unknown;
	description: unknown;
	additionalFields: IDataObject;
}

const ADDITIONAL_FIELD_LABELS: Record<string, string> = {
	application: 'Application',
	educateUrl: 'Educate URL',
	expirationTime: 'Expiration Time',
	generateAlert: 'Generate Alert',
	rbacGroupNames: 'Device Group Names',
	recommendedActions: 'Recommended Actions',
	severity: 'Severity',
};

/** Text a field must hold: refused when it is not text or holds control characters (tabs and new lines pass). */
function text(value: unknown, label: string): string {
	if (typeof value !== 'string')
		throw parameterError('invalidParameter', `${label} is not text (got ${describeValue(value)})`);
	if (hasControlCharacter(value, '\t\n\r'))
		throw parameterError('invalidParameter', `${label} contains control characters`);
	return value;
}

function requiredText(value: unknown, label: string): string {
	if (isBlank(value)) throw parameterError('missingParameter', `${label} is empty; it is required`);
	return text(value, label);
}

/**
 * An ISO 8601 moment in the future, as the API's DateTimeOffset, in UTC. A time without a zone is read as UTC, as
 * n8n's date picker gives none; a date alone is its midnight UTC.
 */
function futureMoment(value: unknown, label: string, nowMs: number): string {
	let ms: number;
	if (value instanceof Date) ms = value.getTime();
	else if (
		value &&
		typeof value === 'object' &&
		typeof (value as { toISO?: unknown }).toISO === 'function'
	)
		ms = Date.parse(String((value as { toISO: () => string }).toISO()));
	else {
		const given = text(value, label).trim();
		const shape =
			/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?(Z|[+-]\d{2}:\d{2})?$/i.exec(given);
		const impossible = shape ? impossibleDateReason(given) : undefined;
		if (!shape || impossible)
			throw parameterError(
				'invalidParameter',
				`${label}: ${describeValue(value)} is not an ISO 8601 date and time${impossible ? ` (${impossible})` : ''}, e.g. 2026-12-31T23:00:00Z`,
			);
		const withTime = shape[1] ? given : `${given}T00:00:00`;
		ms = Date.parse(shape[4] ? withTime : `${withTime}Z`);
	}
	if (!Number.isFinite(ms))
		throw parameterError(
			'invalidParameter',
			`${label}: ${describeValue(value)} is not a date and time`,
		);
	if (ms <= nowMs)
		throw parameterError(
			'invalidParameter',
			`${label} ${new Date(ms).toISOString()} is not in the future: an indicator that expires at once would never act`,
		);
	return new Date(ms).toISOString();
}

/** Device group names, as a list or as comma-separated text. */
function groupNames(value: unknown, label: string): string[] {
	const names = Array.isArray(value) ? value : text(value, label).split(',');
	return names.map((name) => text(name, label).trim()).filter((name) => name !== '');
}

/**
 * Checks one indicator and builds its body; a value that Defender would refuse, or that would mean something other
 * than the user wrote, fails the item with no request. `nowMs` is the session clock's now.
 */
export function checkedIndicator(input: IndicatorInput, nowMs: number): IndicatorBody {
	const indicatorType = toChoice(input.indicatorType, 'Indicator Type', INDICATOR_TYPES);
	const indicatorValue = requiredText(input.indicatorValue, 'Indicator Value').trim();
	const problem = indicatorValueProblem(indicatorType, indicatorValue);
	if (problem)
		throw parameterError(
			'invalidIndicatorValue',
			`Indicator Value "${printable(indicatorValue)}" ${problem}`,
		);
	const action = toChoice(input.action, 'Action', INDICATOR_ACTIONS);
	const body: IndicatorBody = {
		indicatorValue,
		indicatorType,
		action,
		title: requiredText(input.title, 'Title'),
		description: requiredText(input.description, 'Description'),
	};

	const fields = input.additionalFields ?? {};
	const unknown = Object.keys(fields).filter((name) => !(name in ADDITIONAL_FIELD_LABELS));
	if (unknown.length)
		throw parameterError(
			'invalidParameter',
			`Additional Fields has unknown fields: ${unknown.join(', ')}`,
		);
	const given = (name: string) => fields[name] !== undefined && !isBlank(fields[name]);
	const label = (name: string) => ADDITIONAL_FIELD_LABELS[name];

	if (given('application')) body.application = text(fields.application, label('application'));
	if (given('expirationTime'))
		body.expirationTime = futureMoment(fields.expirationTime, label('expirationTime'), nowMs);
	if (given('severity'))
		body.severity = toChoice(fields.severity, label('severity'), INDICATOR_SEVERITIES);
	if (given('recommendedActions'))
		body.recommendedActions = text(fields.recommendedActions, label('recommendedActions'));
	if (given('rbacGroupNames')) {
		const names = groupNames(fields.rbacGroupNames, label('rbacGroupNames'));
		if (names.length) body.rbacGroupNames = names;
	}
	if (given('educateUrl')) {
		const educateUrl = text(fields.educateUrl, label('educateUrl')).trim();
		if (!/^https?:\/\//i.test(educateUrl) || indicatorValueProblem('Url', educateUrl))
			throw parameterError(
				'invalidParameter',
				`${label('educateUrl')} ${describeValue(educateUrl)} is not an http or https URL`,
			);
		if (indicatorType !== 'Url' || (action !== 'Block' && action !== 'Warn'))
			throw parameterError(
				'invalidParameter',
				`${label('educateUrl')} works only for Url indicators with the action Block or Warn (this one is ${indicatorType} with ${action}); remove it`,
			);
		body.educateUrl = educateUrl;
	}
	if (given('generateAlert'))
		body.generateAlert = toBoolean(fields.generateAlert, label('generateAlert'));
	if (action === 'Audit' && body.generateAlert !== true)
		throw parameterError(
			'invalidParameter',
			'The action Audit needs Generate Alert on (Defender for Endpoint requires generateAlert true for Audit indicators): add Generate Alert under Additional Fields and turn it on',
		);
	return body;
}

/** An indicator as Defender returns it. */
export interface IndicatorEntity extends IDataObject {
	id?: string;
	indicatorValue?: string;
	indicatorType?: string;
}

/** The key Defender upserts an indicator by: its type and value, the value without regard to case. */
export function indicatorKey(type: unknown, value: unknown): string {
	return `${String(type)}:${String(value).toLowerCase()}`;
}

/**
 * Whether an indicator read back holds what a request sent: after a lost answer, this tells whether the request
 * was applied. `application` is left out, since Defender only sets it on a new indicator.
 */
export function readsAsSent(entity: IndicatorEntity, sent: IndicatorBody): boolean {
	if (
		indicatorKey(entity.indicatorType, entity.indicatorValue) !==
		indicatorKey(sent.indicatorType, sent.indicatorValue)
	)
		return false;
	const same = (name: keyof IndicatorBody) =>
		sent[name] === undefined || entity[name] === sent[name];
	const sameTime =
		sent.expirationTime === undefined ||
		Date.parse(String(entity.expirationTime)) === Date.parse(sent.expirationTime);
	const sameGroups =
		sent.rbacGroupNames === undefined ||
		(Array.isArray(entity.rbacGroupNames) &&
			[...(entity.rbacGroupNames as string[])].sort().join('\n') ===
				[...sent.rbacGroupNames].sort().join('\n'));
	return (
		[
			'action',
			'title',
			'description',
			'severity',
			'recommendedActions',
			'educateUrl',
			'generateAlert',
		].every((name) => same(name)) &&
		sameTime &&
		sameGroups
	);
}
