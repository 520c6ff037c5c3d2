import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { settleSeconds } from '../../../shared/transport/retryPolicy';
import { readsAsSent, type IndicatorBody, type IndicatorEntity } from '../../../shared/indicator';
import { INDICATOR } from '../../../shared/resources/indicator';
import { DefenderXdrError, settle } from '../../../shared/transport/errors';
import type { ApiSession } from '../../../shared/transport/session';
import type { OperationResult } from '../operation';
import {
	findIndicators,
	indicatorProperties,
	indicatorSubject,
	isDryRun,
	readIndicator,
	writeOptions,
} from './common';

const properties: INodeProperties[] = [
	...indicatorProperties,
	writeOptions(
		'submit',
		'Whether to check the indicator and report what would be sent, without sending it',
	),
];

export const option = {
	name: 'Submit',
	description:
		'Create or update one indicator per item (Defender updates the indicator with the same type and value)',
	action: 'Submit an indicator',
};

export const description = updateDisplayOptions(
	{ show: { resource: ['indicator'], operation: ['submit'] } },
	properties,
);

export function subject(this: IExecuteFunctions, itemIndex: number): IDataObject {
	return indicatorSubject(this, itemIndex);
}

export async function execute(
	this: IExecuteFunctions,
	session: ApiSession,
	itemIndex: number,
): Promise<OperationResult> {
	const indicator = readIndicator(this, itemIndex, session.clock.now());
	const about = {
		indicatorType: indicator.indicatorType,
		indicatorValue: indicator.indicatorValue,
	};
	if (isDryRun(this, itemIndex)) {
		return {
			items: [
				{
					...about,
					outcome: 'dryRun',
					dryRun: true,
					wouldSend: `POST ${INDICATOR.path}`,
					indicator,
				},
			],
		};
	}
	const submitted = await submitIndicator(session, indicator);
	return {
		items: [
			{
				...about,
				outcome: 'submitted',
				indicatorId: submitted.indicator.id ?? null,
				statusCode: submitted.statusCode,
				requestId: submitted.requestId,
				dryRun: false,
				...(submitted.note ? { note: submitted.note } : {}),
				indicator: submitted.indicator,
			},
		],
	};
}

interface Submitted {
	indicator: IndicatorEntity;
	statusCode: number | null;
	requestId: string | null;
	note?: string;
}

/**
 * Sends the indicator. Defender updates an indicator with the same type and value in place, so a repeat cannot make
 * a second one; still, a lost answer (5xx, timeout, dropped connection) is settled by reading the indicator back
 * after a settle window: found as sent means the request was applied and nothing is sent again; otherwise it is sent
 * once more. Each outcome says which happened.
 */
async function submitIndicator(session: ApiSession, indicator: IndicatorBody): Promise<Submitted> {
	const post = async () =>
		await session.post<IndicatorEntity>(INDICATOR.path, indicator, { subject: INDICATOR.subject });
	const first = await settle(post());
	if (first.ok) return answered(first.value);
	const lost = first.error as DefenderXdrError;
	if (!(lost instanceof DefenderXdrError) || lost.details.executed !== 'unknown') throw lost;

	const waitSeconds = settleSeconds(lost.details.code, session.settings.requestTimeoutSeconds);
	session.log(
		`The answer to POST ${INDICATOR.path} for ${indicator.indicatorType} ${indicator.indicatorValue} was lost (${lost.details.code}); reading the indicator back in ${waitSeconds} s`,
	);
	await session.pause(waitSeconds);
	const found = await settle(findIndicators(session, indicator));
	if (!found.ok) {
		throw new DefenderXdrError({
			...lost.details,
			message: `${lost.details.message} Reading it back failed as well (${(found.error as Error).message}).`,
		});
	}
	const saved = found.value.find((entity) => readsAsSent(entity, indicator));
	if (saved) {
		return {
			indicator: saved,
			statusCode: lost.details.statusCode,
			requestId: lost.details.requestId,
			note: `Defender's answer was lost (${lost.details.code}), but the indicator reads as this request sent it, so it was saved; it was not sent again.`,
		};
	}
	const second = await settle(post());
	if (!second.ok) throw second.error;
	return {
		...answered(second.value),
		note: `Defender's answer to the first request was lost (${lost.details.code}) and the indicator did not read as sent after ${waitSeconds} s, so it was sent once more (Defender updates an indicator with the same type and value in place, so a repeat cannot make a second one).`,
	};
}

function answered(response: {
	body: IndicatorEntity;
	statusCode: number;
	requestId: string | null;
}): Submitted {
	// The entity alone: the OData context says nothing about the indicator.
	const indicator: IndicatorEntity = { ...response.body };
	delete indicator['@odata.context'];
	return { indicator, statusCode: response.statusCode, requestId: response.requestId };
}
