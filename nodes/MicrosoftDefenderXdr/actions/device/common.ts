import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	describeValue,
	hasControlCharacter,
	isBlank,
	parameterError,
} from '../../../shared/parameters';
import { DEVICE } from '../../../shared/resources/device';
import { recordPath } from '../../../shared/resources/resource';
import type { RequestSubject } from '../../../shared/transport/errors';
import type { ApiSession } from '../../../shared/transport/session';
import { rawParameter } from '../operation';

/** A Defender for Endpoint device (machine), as the API returns it; only what the node reads is typed. */
export interface Machine extends IDataObject {
	id: string;
	computerDnsName?: string;
	healthStatus?: string;
	osPlatform?: string;
	lastSeen?: string;
}

/** A Defender device ID: the SHA-1-like 40 hexadecimal characters the portal and alert evidence show. */
const DEVICE_ID = /^[0-9a-fA-F]{40}$/;
/** A computer DNS name (or a bare host name): DNS labels of letters, digits, `-` and `_`, joined by dots. */
const COMPUTER_NAME =
	/^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62})(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62}))*\.?$/;

export const deviceIdProperty: INodeProperties = {
	displayName: 'Device ID or Name',
	name: 'deviceId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 898a8dd7048b63db9dfaad873c17f940f63de760 or ws-fin-042.contoso.com',
	description:
		"The device's Defender ID (40 hexadecimal characters) or its computer DNS name, which is resolved to the ID with one read first",
	hint: "Map it from an alert's device evidence, e.g. {{ $json.mdeDeviceId }}",
};

/** What the item names: a Defender device ID (lower case, as Defender writes it) or a computer name to resolve. */
export type DeviceReference = { id: string } | { name: string };

/** Reads and checks the device of an item; anything that is neither an ID nor a computer name sends nothing. */
export function readDeviceReference(ctx: IExecuteFunctions, itemIndex: number): DeviceReference {
	return checkedDeviceReference(ctx.getNodeParameter('deviceId', itemIndex, '') as unknown);
}

export function checkedDeviceReference(value: unknown): DeviceReference {
	const text = typeof value === 'string' ? value.trim() : value;
	if (isBlank(text)) throw parameterError('invalidDeviceId', 'The device ID or name is empty');
	if (typeof text === 'string' && DEVICE_ID.test(text)) return { id: text.toLowerCase() };
	if (typeof text === 'string' && COMPUTER_NAME.test(text)) return { name: text };
	throw parameterError(
		'invalidDeviceId',
		`The device ID or name ${describeValue(value)} is neither a Defender device ID (40 hexadecimal characters) nor a computer DNS name such as ws-fin-042.contoso.com`,
	);
}

/** The device an output item is about, as given. */
export function deviceSubject(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	return { deviceId: rawParameter(ctx, 'deviceId', itemIndex) as IDataObject[string] };
}

/** Reads one device by its ID or computer DNS name: Defender's machine endpoint takes either. */
export async function readDevice(
	session: ApiSession,
	reference: DeviceReference,
	subject: RequestSubject = DEVICE.subject,
): Promise<Machine> {
	const { body } = await session.get<Machine>(
		recordPath(DEVICE, 'id' in reference ? reference.id : reference.name),
		undefined,
		{ subject },
	);
	return body;
}

/** The comment Defender requires on every action; the default says where the action came from. */
export const DEFAULT_COMMENT = 'Requested by an n8n workflow (Microsoft Defender XDR node)';

export function commentProperty(what: string): INodeProperties {
	return {
		displayName: 'Comment',
		name: 'comment',
		type: 'string',
		required: true,
		default: DEFAULT_COMMENT,
		typeOptions: { rows: 2 },
		description: `Why ${what}: Defender requires a comment and shows it in the device's action center`,
	};
}

/** The comment of an item: text, not blank, nothing a reader could not see but tabs and line breaks. */
export function readComment(ctx: IExecuteFunctions, itemIndex: number): string {
	const value = ctx.getNodeParameter('comment', itemIndex, '') as unknown;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	if (isBlank(value))
		throw parameterError(
			'invalidComment',
			'The comment is empty; Defender requires one on every action',
		);
	if (typeof value !== 'string')
		throw parameterError('invalidComment', `The comment is not text (got ${describeValue(value)})`);
	if (hasControlCharacter(value, '\t\n\r'))
		throw parameterError(
			'invalidComment',
			`The comment ${describeValue(value)} holds control characters`,
		);
	return value;
}

/**
 * Every entity of a Defender for Endpoint collection up to `limit`, read `$top` at a time with `$skip`: the API
 * serves at most 10,000 a request and documents no next-page link.
 */
export async function listEntities<T extends IDataObject>(
	session: ApiSession,
	path: string,
	filter: string | undefined,
	limit: number,
	pageSize: number,
	subject: RequestSubject,
): Promise<T[]> {
	const kept: T[] = [];
	for (;;) {
		const top = Math.min(pageSize, limit - kept.length);
		const query: Record<string, string> = { $top: String(top) };
		if (filter) query.$filter = filter;
		if (kept.length > 0) query.$skip = String(kept.length);
		const { body } = await session.get<{ value?: T[] }>(path, query, { subject });
		const page = Array.isArray(body.value) ? body.value : [];
		kept.push(...page.slice(0, top));
		if (page.length < top || kept.length >= limit) return kept;
	}
}
