import {
	checkedIndicator,
	indicatorValueProblem,
	readsAsSent,
	type IndicatorBody,
	type IndicatorInput,
} from '../../../nodes/shared/indicator';
import { DefenderXdrError } from '../../../nodes/shared/transport/errors';

const NOW = Date.parse('2026-12-06T08:00:00Z');

const input = (overrides: Partial<IndicatorInput> = {}): IndicatorInput => ({
	indicatorType: 'IpAddress',
	indicatorValue: '203.0.113.9',
	action: 'Block',
	title: 'C2',
	description: 'Seen in incident 42',
	additionalFields: {},
	...overrides,
});

/** The message an item fails with, or undefined when it passes. */
function refusal(overrides: Partial<IndicatorInput>): string | undefined {
	try {
		checkedIndicator(input(overrides), NOW);
		return undefined;
	} catch (error) {
		expect(error).toBeInstanceOf(DefenderXdrError);
		expect((error as DefenderXdrError).details.executed).toBe('no');
		return (error as DefenderXdrError).message;
	}
}

describe('indicator values per type', () => {
	it.each([
		['IpAddress', '2001:db8::1'],
		['IpAddress', '::ffff:192.0.2.1'],
		['IpAddress', 'fe80::1ff:fe23:4567:890a'],
		['IpAddress', '0.0.0.0'],
		['DomainName', 'xn--bcher-kva.example'],
		['DomainName', 'a-b.c-d.example.co.uk'],
		['Url', 'https://203.0.113.9/payload'],
		['Url', 'http://[2001:db8::1]:8080/x'],
		['Url', 'HTTPS://Contoso.com/Login?next=%2F'],
		['Url', 'contoso.com/login'],
		['FileSha1', 'A'.repeat(40)],
	] as const)('accepts %s %s', (type, value) => {
		expect(indicatorValueProblem(type, value)).toBeUndefined();
	});

	it.each([
		['IpAddress', '10.0.0.1/32', /CIDR/],
		['IpAddress', '2001:db8::/48', /CIDR/],
		['IpAddress', '010.0.0.1', /not an IPv4 or IPv6/],
		['IpAddress', '1.2.3', /not an IPv4 or IPv6/],
		['IpAddress', 'fe80::1%eth0', /not an IPv4 or IPv6/],
		['DomainName', 'contoso.com/path', /not a domain name/],
		['DomainName', '-contoso.com', /not a host name/],
		['DomainName', 'bücher.example', /xn-- form/],
		['DomainName', '192.0.2.1', /IpAddress type/],
		['Url', 'javascript://alert(1)', /http or https/],
		['Url', 'https://user:secret@contoso.com/', /user name or password/],
		['Url', 'https://intranet/', /has no dot/],
		['FileMd5', 'a'.repeat(40), /40 hex characters is FileSha1/],
	] as const)('refuses %s %s', (type, value, reason) => {
		expect(indicatorValueProblem(type, value)).toMatch(reason);
	});
});

describe('checkedIndicator', () => {
	it('trims the value and sends only the fields that are set, in a fixed order', () => {
		expect(
			checkedIndicator(
				input({
					indicatorValue: '  203.0.113.9 ',
					additionalFields: { severity: 'Low', rbacGroupNames: ['A', ' B ', ''], application: '' },
				}),
				NOW,
			),
		).toEqual({
			indicatorValue: '203.0.113.9',
			indicatorType: 'IpAddress',
			action: 'Block',
			title: 'C2',
			description: 'Seen in incident 42',
			severity: 'Low',
			rbacGroupNames: ['A', 'B'],
		});
	});

	it.each([
		['2026-12-31', '2026-12-31T00:00:00.000Z'],
		['2026-12-31T23:30', '2026-12-31T23:30:00.000Z'],
		['2026-12-31T23:30:00+02:00', '2026-12-31T21:30:00.000Z'],
		[new Date('2027-01-01T00:00:00Z'), '2027-01-01T00:00:00.000Z'],
		[{ toISO: () => '2027-01-02T00:00:00.000+00:00' }, '2027-01-02T00:00:00.000Z'],
	])('reads expiration %p as %s (no zone: UTC)', (expirationTime, sent) => {
		expect(
			checkedIndicator(input({ additionalFields: { expirationTime } as never }), NOW)
				.expirationTime,
		).toBe(sent);
	});

	it('refuses an expiration at or before now, by the clock it is given', () => {
		expect(refusal({ additionalFields: { expirationTime: '2026-12-06T08:00:00Z' } })).toMatch(
			/not in the future/,
		);
		expect(
			refusal({ additionalFields: { expirationTime: '2026-12-06T08:00:01Z' } }),
		).toBeUndefined();
	});

	it('refuses control characters in text and unknown additional fields', () => {
		expect(refusal({ title: 'a\u0000b' })).toMatch(/Title contains control characters/);
		expect(refusal({ additionalFields: { category: 1 } })).toMatch(/unknown fields: category/);
	});

	it('accepts Audit with Generate Alert on, given as the text an expression may yield', () => {
		expect(
			refusal({ action: 'Audit', additionalFields: { generateAlert: 'true' } }),
		).toBeUndefined();
	});
});

describe('readsAsSent', () => {
	const sent: IndicatorBody = {
		indicatorValue: 'Contoso.com',
		indicatorType: 'DomainName',
		action: 'Block',
		title: 'T',
		description: 'D',
		expirationTime: '2027-01-01T00:00:00.000Z',
		rbacGroupNames: ['B', 'A'],
		application: 'Edge',
	};
	const saved = {
		id: '6001',
		indicatorValue: 'contoso.com',
		indicatorType: 'DomainName',
		action: 'Block',
		title: 'T',
		description: 'D',
		expirationTime: '2027-01-01T00:00:00Z',
		rbacGroupNames: ['A', 'B'],
		application: null,
	};

	it('matches the value without regard to case, times by instant, groups as a set, and ignores application', () => {
		expect(readsAsSent(saved, sent)).toBe(true);
	});

	it('does not match an older version of the indicator', () => {
		expect(readsAsSent({ ...saved, action: 'Warn' }, sent)).toBe(false);
		expect(readsAsSent({ ...saved, expirationTime: null }, sent)).toBe(false);
		expect(readsAsSent({ ...saved, indicatorType: 'Url' }, sent)).toBe(false);
	});
});
