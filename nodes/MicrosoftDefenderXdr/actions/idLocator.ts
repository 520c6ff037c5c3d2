import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { checkedIdentifier, describeValue, parameterError } from '../../shared/parameters';
import { rawParameter } from './operation';

/**
 * How one record (an incident, an alert, an incident task) is named in the editor: picked from a searchable list,
 * typed as its ID, or, where Defender's portal has a page for it, pasted as that page's link.
 */
export interface IdLocator {
	/** The parameter, e.g. `incidentId`; workflows saved before the picker hold a plain string under this name. */
	name: string;
	displayName: string;
	/** "incident", "alert", "incident task": for messages. */
	noun: string;
	/** The node's `listSearch` method that fills the list. */
	searchListMethod: string;
	idPlaceholder: string;
	description: string;
	hint: string;
	/** The portal's path segment before the ID (`incidents`, `alerts`); none for records without a portal link. */
	portalSegment?: string;
	/** Incident and alert IDs are digits that upstream JSON often carries as numbers. */
	acceptNumbers?: boolean;
}

/** The Defender portal; its record pages are `/<segment>/<id>`, optionally followed by a tab and a query (`/overview?tid=…`). */
const PORTAL_ORIGIN = 'https://security.microsoft.com';

/**
 * The link pattern for one kind of record, with the ID as its only group. Anchored at both ends, the host spelled
 * out and followed by `/`, so a look-alike host or a link that merely contains the portal's address is not taken.
 * The ID group stops at `/`, `?` and `#`; what it captures is still checked by the ID rule, which refuses `..` and
 * `%` (so an encoded slash never reaches a Graph path).
 */
export function portalLinkPattern(segment: string): string {
	return `^https://security\\.microsoft\\.com/${segment}/([^/?#]+)(?:[/?#].*)?$`;
}

function portalExample(locator: IdLocator, portalSegment: string): string {
	return `${PORTAL_ORIGIN}/${portalSegment}/${locator.idPlaceholder.replace(/^e\.g\. /, '')}`;
}

/**
 * The parameter as n8n shows it: List, ID and, for records the portal links to, URL. The modes carry no editor
 * validation on purpose: n8n would then refuse to run the whole workflow over a bad value, where the node's own
 * check fails only the item, on the Error output, with a message that names the ID rule or the link's form.
 */
export function idLocatorProperty(locator: IdLocator): INodeProperties {
	const { portalSegment } = locator;
	return {
		displayName: locator.displayName,
		name: locator.name,
		type: 'resourceLocator',
		required: true,
		default: { mode: 'list', value: '' },
		description: locator.description,
		hint: locator.hint,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: `Select an ${locator.noun}...`,
				typeOptions: { searchListMethod: locator.searchListMethod, searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: locator.idPlaceholder,
			},
			...(portalSegment === undefined
				? []
				: [
						{
							displayName: 'By URL',
							name: 'url',
							type: 'string' as const,
							placeholder: portalExample(locator, portalSegment),
							extractValue: { type: 'regex' as const, regex: portalLinkPattern(portalSegment) },
						},
					]),
		],
	};
}

type LocatorValue = { __rl?: boolean; mode: string; value: unknown };

function isLocatorValue(value: unknown): value is LocatorValue {
	return typeof value === 'object' && value !== null && 'mode' in value && 'value' in value;
}

/**
 * The ID an item names, checked before any request. n8n hands over the ID of a picked or typed record and extracts
 * it from a link; a plain string or number (as workflows saved before the picker store it, or as an expression or
 * an AI agent's `$fromAI` yields it) passes through n8n unchanged. A link n8n cannot read fails the item here.
 */
export function readLocatedId(
	ctx: IExecuteFunctions,
	locator: IdLocator,
	itemIndex: number,
	code: string,
): string {
	const label = `The ${locator.noun} ID`;
	let value: unknown;
	try {
		value = ctx.getNodeParameter(locator.name, itemIndex, '', { extractValue: true });
	} catch (error) {
		const raw = rawParameter(ctx, locator.name, itemIndex);
		if (isLocatorValue(raw) && raw.mode === 'url' && locator.portalSegment !== undefined) {
			throw parameterError(
				code,
				`${label}: ${describeValue(raw.value)} is not a Defender portal link such as ${portalExample(locator, locator.portalSegment)}`,
			);
		}
		throw new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
	}
	const checked = checkedIdentifier(value, label, locator.acceptNumbers === true);
	if ('problem' in checked) throw parameterError(code, checked.problem);
	return checked.id;
}

/**
 * The ID an output item reports: as the node read it when it could be read, otherwise what was given (the link
 * that could not be read), so an Error item says which input it is about.
 */
export function locatedIdOf(
	ctx: IExecuteFunctions,
	locator: IdLocator,
	itemIndex: number,
): IDataObject[string] {
	const raw = rawParameter(ctx, locator.name, itemIndex);
	if (!isLocatorValue(raw)) return raw as IDataObject[string];
	try {
		return ctx.getNodeParameter(locator.name, itemIndex, null, {
			extractValue: true,
		}) as IDataObject[string];
	} catch {
		return raw.value as IDataObject[string];
	}
}
