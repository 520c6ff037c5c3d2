import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { settleSeconds } from '../../../shared/transport/retryPolicy';
import { describeValue, parameterError } from '../../../shared/parameters';
import { INDICATOR } from '../../../shared/resources/indicator';
import { recordPath } from '../../../shared/resources/resource';
import { DefenderXdrError, settle } from '../../../shared/transport/errors';
import type { ApiSession } from '../../../shared/transport/session';
import { rawParameter, type OperationResult } from '../operation';
import { isDryRun, writeOptions } from './common';

const properties: INodeProperties[] = [
	{
		displayName: 'Indicator ID',
		name: 'indicatorId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 995',
		description: "The indicator's ID, a number as Defender shows it",
		hint: 'Map it from Get Many or Submit, e.g. {{ $json.id }} or {{ $json.indicatorId }}',
	},
	writeOptions(
		'delete',
		'Whether to check the ID and report what would be deleted, without deleting it',
	),
];

export const option = {
	name: 'Delete',
	description: 'Delete an indicator by its ID',
	action: 'Delete an indicator',
};

export const description = updateDisplayOptions(
	{ show: { resource: ['indicator'], operation: ['delete'] } },
	properties,
);

export function subject(this: IExecuteFunctions, itemIndex: number): IDataObject {
	return { indicatorId: rawParameter(this, 'indicatorId', itemIndex) as string };
}

/** Defender's indicator IDs are digits (its list shows them as text, e.g. "995"); a whole number is read as its digits. */
function readIndicatorId(ctx: IExecuteFunctions, itemIndex: number): string {
	const value = ctx.getNodeParameter('indicatorId', itemIndex) as unknown;
	const id =
		typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
			? String(value)
			: typeof value === 'string'
				? value.trim()
				: undefined;
	if (id === undefined || !/^\d{1,19}$/.test(id))
		throw parameterError(
			'invalidIndicatorId',
			`Indicator ID ${describeValue(value)} is not an indicator ID: Defender for Endpoint numbers its indicators (e.g. 995)`,
		);
	return id;
}

export async function execute(
	this: IExecuteFunctions,
	session: ApiSession,
	itemIndex: number,
): Promise<OperationResult> {
	const indicatorId = readIndicatorId(this, itemIndex);
	const path = recordPath(INDICATOR, indicatorId);
	if (isDryRun(this, itemIndex))
		return {
			items: [{ indicatorId, outcome: 'dryRun', dryRun: true, wouldSend: `DELETE ${path}` }],
		};
	const deleted = await deleteIndicator(session, path);
	return {
		items: [
			{
				indicatorId,
				outcome: 'deleted',
				statusCode: deleted.statusCode,
				requestId: deleted.requestId,
				dryRun: false,
				...(deleted.note ? { note: deleted.note } : {}),
			},
		],
	};
}

/**
 * Deletes the indicator. A lost answer (5xx, timeout, dropped connection) is settled by deleting again after the
 * settle window, which is harmless: 204 means the second request deleted it, 404 that it was already gone.
 */
async function deleteIndicator(
	session: ApiSession,
	path: string,
): Promise<{ statusCode: number | null; requestId: string | null; note?: string }> {
	const send = async () => await settle(session.delete(path, { subject: INDICATOR.subject }));
	const first = await send();
	if (first.ok) return { statusCode: first.value.statusCode, requestId: first.value.requestId };
	const lost = first.error;
	if (!(lost instanceof DefenderXdrError) || lost.details.executed !== 'unknown')
		throw notFoundSaysGone(lost, path);
	const waitSeconds = settleSeconds(lost.details.code, session.settings.requestTimeoutSeconds);
	session.log(
		`The answer to DELETE ${path} was lost (${lost.details.code}); deleting again in ${waitSeconds} s`,
	);
	await session.pause(waitSeconds);
	const second = await send();
	if (second.ok)
		return {
			statusCode: second.value.statusCode,
			requestId: second.value.requestId,
			note: `The answer to the first request was lost (${lost.details.code}); it was sent once more, and that one deleted the indicator.`,
		};
	const again = second.error;
	if (again instanceof DefenderXdrError && again.details.statusCode === 404)
		return {
			statusCode: lost.details.statusCode,
			requestId: lost.details.requestId,
			note: `The answer to the first request was lost (${lost.details.code}); a second request found the indicator gone, so the first one deleted it (unless it expired or was deleted elsewhere meanwhile).`,
		};
	throw again;
}

/** A 404 says what it most likely means for a delete: the indicator is already gone. */
function notFoundSaysGone(failure: unknown, path: string): unknown {
	if (!(failure instanceof DefenderXdrError) || failure.details.statusCode !== 404) return failure;
	const indicatorId = path.slice(path.lastIndexOf('/') + 1);
	return new DefenderXdrError({
		...failure.details,
		message: `Defender for Endpoint has no indicator ${indicatorId} (404): it may already be gone (deleted, or expired), or the ID belongs to another tenant. Nothing was deleted.`,
	});
}
