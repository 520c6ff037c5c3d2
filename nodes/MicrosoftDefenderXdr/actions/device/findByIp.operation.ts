import { updateDisplayOptions, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import {
	describeValue,
	impossibleDateReason,
	isBlank,
	parameterError,
} from '../../../shared/parameters';
import { DEVICE } from '../../../shared/resources/device';
import type { ApiSession } from '../../../shared/transport/session';
import { optionsProperty, rawParameter } from '../operation';

/** Defender keeps 30 days of IP history and looks 15 minutes either side of the time. */
const MAX_AGE_DAYS = 30;

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6_CHARACTERS = /^[0-9A-Fa-f:.]{2,45}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$/;

/** An IPv4 or IPv6 address, no range: the URL parser is the IPv6 grammar, so no hand-rolled one is needed. */
function checkedIp(value: unknown): string {
	const ip = typeof value === 'string' ? value.trim() : value;
	if (typeof ip === 'string' && IPV4.test(ip)) return ip;
	if (typeof ip === 'string' && ip.includes(':') && IPV6_CHARACTERS.test(ip)) {
		try {
			new URL(`http://[${ip}]/`);
			return ip;
		} catch {
			// Falls through to the refusal.
		}
	}
	throw parameterError(
		'invalidIpAddress',
		`IP Address: ${describeValue(value)} is not an IPv4 or IPv6 address (a single address, no CIDR range)`,
	);
}

/** The moment to look at: the time given (ISO 8601, with a zone), or now; at most 30 days back. */
function checkedTimestamp(value: unknown, now: number): string {
	if (isBlank(value)) return new Date(now).toISOString();
	const given = typeof value === 'string' ? value.trim() : value;
	const refuse = (why: string) =>
		parameterError('invalidTimestamp', `Timestamp: ${describeValue(value)} ${why}`);
	if (typeof given !== 'string' || !ISO_DATE_TIME.test(given))
		throw refuse('is not an ISO 8601 date and time with a zone, such as 2026-01-05T12:00:00Z');
	const impossible = impossibleDateReason(given);
	if (impossible) throw refuse(`is not a real time (${impossible})`);
	const time = Date.parse(given);
	if (time < now - MAX_AGE_DAYS * 86_400_000)
		throw refuse(
			`is more than ${MAX_AGE_DAYS} days ago; Defender keeps ${MAX_AGE_DAYS} days of IP history`,
		);
	return new Date(time).toISOString();
}

export const option = {
	name: 'Find by IP',
	description:
		'Find the devices that had an IP address at a given time (15 minutes either side, up to 30 days back)',
	action: 'Find devices by IP address',
};

export const description = updateDisplayOptions(
	{ show: { resource: [DEVICE.value], operation: ['findByIp'] } },
	[
		{
			displayName: 'IP Address',
			name: 'ipAddress',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. 10.20.4.42',
			description: 'The internal IPv4 or IPv6 address to look for',
		},
		{
			displayName: 'Timestamp',
			name: 'timestamp',
			type: 'dateTime',
			default: '',
			description:
				'When the device had the address; empty means now. Defender looks 15 minutes either side.',
		},
		optionsProperty(),
	],
);

export function subject(this: IExecuteFunctions, itemIndex: number): IDataObject {
	return { ipAddress: rawParameter(this, 'ipAddress', itemIndex) as IDataObject[string] };
}

export async function execute(this: IExecuteFunctions, session: ApiSession, itemIndex: number) {
	const ip = checkedIp(this.getNodeParameter('ipAddress', itemIndex, '') as unknown);
	const timestamp = checkedTimestamp(
		this.getNodeParameter('timestamp', itemIndex, '') as unknown,
		session.clock.now(),
	);
	const { body } = await session.get<{ value?: IDataObject[] }>(
		`${DEVICE.path}/findbyip(ip='${ip}',timestamp=${timestamp})`,
		undefined,
		{ subject: DEVICE.subject },
	);
	return { items: Array.isArray(body.value) ? body.value : [] };
}
