import type { IDataObject } from 'n8n-workflow';

import { readFilters, type ListFilter } from '../../../nodes/shared/filters';

const filter = (kind: ListFilter['kind'], name = 'value'): ListFilter => ({
	name,
	displayName: name,
	apiProperty: name,
	kind,
	description: '',
});

/** The refusal's message, or the `$filter` the value gives. */
function rendered(kind: ListFilter['kind'], value: unknown): string | undefined {
	try {
		return readFilters([filter(kind)], { value } as IDataObject).$filter;
	} catch (error) {
		return `refused: ${(error as Error).message}`;
	}
}

describe('identity-account filters: SIDs, domains, exact text and booleans go into $filter only when they fit', () => {
	it('writes a quote inside a display name as two quotes, so the value cannot close its string', () => {
		expect(rendered('exactText', "O'Brien' or 1 eq 1")).toBe("value eq 'O''Brien'' or 1 eq 1'");
		expect(rendered('exactText', 'line\nbreak')).toMatch(/^refused: .*without control characters/);
	});

	it('takes security identifiers and domain names in their own shape only', () => {
		expect(rendered('securityIdentifier', ' S-1-5-21-1-2-3-500 ')).toBe(
			"value eq 'S-1-5-21-1-2-3-500'",
		);
		expect(rendered('securityIdentifier', "S-1-5' or 1 eq 1")).toMatch(
			/^refused: .*security identifier/,
		);
		expect(rendered('domainName', 'contoso.com')).toBe("value eq 'contoso.com'");
		expect(rendered('domainName', "contoso.com'")).toMatch(/^refused: .*domain name/);
	});

	it('sends a boolean as OData true or false, also from the text an expression yields', () => {
		expect(rendered('boolean', true)).toBe('value eq true');
		expect(rendered('boolean', 'false')).toBe('value eq false');
		expect(rendered('boolean', 'maybe')).toMatch(/^refused: .*not true or false/);
	});
});

describe('device filters: a name prefix, a tag in a list, and text of a given shape', () => {
	const read = (extra: Partial<ListFilter>, value: unknown) => {
		try {
			return readFilters([{ ...filter('exactText'), ...extra }], { value } as IDataObject).$filter;
		} catch (error) {
			return `refused: ${(error as Error).message}`;
		}
	};

	it('renders a prefix with startswith() and a tag with any(), quotes doubled', () => {
		expect(read({ kind: 'textPrefix', apiProperty: 'computerDnsName' }, ' ws-fin- ')).toBe(
			"startswith(computerDnsName,'ws-fin-')",
		);
		expect(read({ kind: 'tag', apiProperty: 'machineTags' }, "O'Brien's laptops")).toBe(
			"machineTags/any(tag: tag eq 'O''Brien''s laptops')",
		);
		expect(read({ kind: 'tag' }, 'line\nbreak')).toMatch(/^refused: .*without control characters/);
	});

	it("takes only what a filter's own pattern allows, and says what that is", () => {
		const deviceId = { pattern: /^[0-9a-f]{40}$/, example: 'a Defender device ID' };
		expect(read(deviceId, 'a'.repeat(40))).toBe(`value eq '${'a'.repeat(40)}'`);
		expect(read(deviceId, "x' or 1 eq 1")).toBe(
			`refused: value filter: "x' or 1 eq 1" is not a Defender device ID. No request was sent.`,
		);
		expect(read({ ...deviceId, kind: 'textPrefix' }, 'ws-fin-')).toMatch(
			/^refused: .*a Defender device ID/,
		);
	});
});
