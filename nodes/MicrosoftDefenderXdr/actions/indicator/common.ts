import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { odataString } from '../../../shared/filters';
import {
	checkedIndicator,
	INDICATOR_ACTIONS,
	INDICATOR_SEVERITIES,
	INDICATOR_TYPES,
	type IndicatorBody,
	type IndicatorEntity,
} from '../../../shared/indicator';
import { toBoolean } from '../../../shared/parameters';
import { INDICATOR } from '../../../shared/resources/indicator';
import type { ApiSession } from '../../../shared/transport/session';
import { agentOptInOption, optionsProperty, rawParameter } from '../operation';

const TYPE_LABELS: Record<(typeof INDICATOR_TYPES)[number], string> = {
	FileSha1: 'File SHA-1',
	FileSha256: 'File SHA-256',
	FileMd5: 'File MD5',
	CertificateThumbprint: 'Certificate Thumbprint',
	IpAddress: 'IP Address',
	DomainName: 'Domain Name',
	Url: 'URL',
};

const ACTION_LABELS: Record<
	(typeof INDICATOR_ACTIONS)[number],
	{ name: string; description: string }
> = {
	Allowed: { name: 'Allow', description: 'Allow the file, address or certificate' },
	Audit: { name: 'Audit', description: 'Only raise an alert (needs Generate Alert on)' },
	Warn: { name: 'Warn', description: 'Warn the user, who may bypass the warning' },
	Block: { name: 'Block', description: 'Block execution or access' },
	BlockAndRemediate: {
		name: 'Block and Remediate',
		description: 'Block the file and remediate it where it is found',
	},
};

export const indicatorTypeOptions = INDICATOR_TYPES.map((value) => ({
	name: TYPE_LABELS[value],
	value,
}));

export const indicatorActionOptions = INDICATOR_ACTIONS.map((value) => ({
	...ACTION_LABELS[value],
	value,
}));

/** The parameters of one indicator, shared by Submit and Import. */
export const indicatorProperties: INodeProperties[] = [
	{
		displayName: 'Indicator Type',
		name: 'indicatorType',
		type: 'options',
		required: true,
		options: indicatorTypeOptions,
		default: 'FileSha256',
		description:
			'What the value is: a file hash, a certificate thumbprint, an IP address, a domain or a URL',
	},
	{
		displayName: 'Indicator Value',
		name: 'indicatorValue',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 2233223322332233223322332233223322332233223322332233223322332222',
		description:
			'The hash (hex), thumbprint, single IP address (no CIDR ranges), host name (no scheme) or http(s) URL',
	},
	{
		displayName: 'Action',
		name: 'action',
		type: 'options',
		required: true,
		options: indicatorActionOptions,
		default: 'Block',
		description: 'What Defender does when it meets the indicator',
	},
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		required: true,
		default: '',
		description: 'The title of the alerts the indicator raises',
	},
	{
		displayName: 'Description',
		name: 'description',
		type: 'string',
		required: true,
		typeOptions: { rows: 2 },
		default: '',
		description: 'Why the indicator exists, for whoever reads it in the portal',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Application',
				name: 'application',
				type: 'string',
				default: '',
				description:
					'The application the indicator is about; Defender sets it only on a new indicator',
			},
			{
				displayName: 'Device Group Names',
				name: 'rbacGroupNames',
				type: 'string',
				default: '',
				placeholder: 'e.g. Finance laptops, Servers',
				description:
					'Comma-separated device groups the indicator applies to; leave it out for every device',
			},
			{
				displayName: 'Educate URL',
				name: 'educateUrl',
				type: 'string',
				default: '',
				description: 'A support page shown to the user; only for URL indicators with Block or Warn',
			},
			{
				displayName: 'Expiration Time',
				name: 'expirationTime',
				type: 'dateTime',
				default: '',
				description:
					'When the indicator stops acting (ISO 8601, in the future; a time without a zone is read as UTC)',
			},
			{
				displayName: 'Generate Alert',
				name: 'generateAlert',
				type: 'boolean',
				default: true,
				description: 'Whether meeting the indicator raises an alert (required on for Audit)',
			},
			{
				displayName: 'Recommended Actions',
				name: 'recommendedActions',
				type: 'string',
				default: '',
				description: "What an analyst should do about the indicator's alerts",
			},
			{
				displayName: 'Severity',
				name: 'severity',
				type: 'options',
				options: INDICATOR_SEVERITIES.map((value) => ({ name: value, value })),
				default: 'Medium',
				description: 'The severity of the alerts the indicator raises',
			},
		],
	},
];

/** The options of a write: its dry run, the AI-agent opt-in, and the request options. */
export function writeOptions(operation: 'submit' | 'import' | 'delete', dryRunDescription: string) {
	return optionsProperty([
		agentOptInOption(INDICATOR, operation),
		{
			displayName: 'Dry Run',
			name: 'dryRun',
			type: 'boolean',
			default: false,
			description: dryRunDescription,
		},
	]);
}

export function isDryRun(ctx: IExecuteFunctions, itemIndex: number): boolean {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	return toBoolean(options.dryRun, 'Dry Run');
}

/** Reads and checks one item's indicator; a bad value fails the item with nothing sent. */
export function readIndicator(
	ctx: IExecuteFunctions,
	itemIndex: number,
	nowMs: number,
): IndicatorBody {
	return checkedIndicator(
		{
			indicatorType: ctx.getNodeParameter('indicatorType', itemIndex),
			indicatorValue: ctx.getNodeParameter('indicatorValue', itemIndex),
			action: ctx.getNodeParameter('action', itemIndex),
			title: ctx.getNodeParameter('title', itemIndex),
			description: ctx.getNodeParameter('description', itemIndex),
			additionalFields: ctx.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject,
		},
		nowMs,
	);
}

/** Which indicator an output item is about, as the item gave it. */
export function indicatorSubject(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	return {
		indicatorType: rawParameter(ctx, 'indicatorType', itemIndex) as string,
		indicatorValue: rawParameter(ctx, 'indicatorValue', itemIndex) as string,
	};
}

/** The active indicators with this type and value: Defender's answer to "was it saved?". */
export async function findIndicators(
	session: ApiSession,
	indicator: IndicatorBody,
): Promise<IndicatorEntity[]> {
	const { body } = await session.get<{ value?: IndicatorEntity[] }>(
		INDICATOR.path,
		{
			$filter: `indicatorValue eq ${odataString(indicator.indicatorValue)} and indicatorType eq ${odataString(indicator.indicatorType)}`,
		},
		{ subject: INDICATOR.subject },
	);
	return body.value ?? [];
}

/**
 * Pages of the indicator list, `$top` at a time with `$skip`: Defender documents paging this way and no next-page
 * link, so a page shorter than asked for is the last one.
 */
export async function* indicatorPages(
	session: ApiSession,
	filter: string | undefined,
	pageSize: number = INDICATOR.pageSize,
): AsyncGenerator<{ items: IndicatorEntity[]; nextLinkRefused: boolean }> {
	for (let skip = 0; ; skip += pageSize) {
		const query: Record<string, string> = { $top: String(pageSize) };
		if (skip > 0) query.$skip = String(skip);
		if (filter) query.$filter = filter;
		const { body } = await session.get<{ value?: IndicatorEntity[] }>(INDICATOR.path, query, {
			subject: INDICATOR.subject,
		});
		const items = body.value ?? [];
		yield { items, nextLinkRefused: false };
		if (items.length < pageSize) return;
	}
}
