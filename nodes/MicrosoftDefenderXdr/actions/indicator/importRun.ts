import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { odataString } from '../../../shared/filters';
import { settleSeconds } from '../../../shared/transport/retryPolicy';
import {
	indicatorKey,
	readsAsSent,
	type IndicatorBody,
	type IndicatorEntity,
} from '../../../shared/indicator';
import { INDICATOR, INDICATOR_LIMITS } from '../../../shared/resources/indicator';
import { DefenderXdrError, settle, type Settled } from '../../../shared/transport/errors';
import type { ApiSession } from '../../../shared/transport/session';
import { refuseWriteFromAgent, type OperationRun } from '../operation';
import { indicatorPages, isDryRun, readIndicator } from './common';

export const IMPORT_PATH = `${INDICATOR.path}/import`;

/** Defender's limit on import requests, as the API's data states it. */
export const IMPORT_LIMIT = INDICATOR.api.limits?.find(
	(limit) => limit.path?.test(IMPORT_PATH) === true,
);

/** One entry of Defender's import answer. */
interface ImportResult {
	id?: string | null;
	indicator?: string | null;
	isFailed?: boolean;
	failureReason?: string | null;
}

/** An item whose indicator passed every check and goes out in a batch. */
interface Entry {
	itemIndex: number;
	indicator: IndicatorBody;
}

interface BatchInfo {
	number: number;
	of: number;
	size: number;
}

/**
 * The import of one node run. n8n hands the node its items one by one, but Defender takes up to 500 indicators per
 * request and 30 requests a minute, so the first item to run reads and checks every item of the input, and sends the
 * good ones in batches of 500, in input order; each item then waits for its own entry of its batch's answer. A bad
 * item fails alone and is never sent; the others still go.
 */
class IndicatorImport {
	private readonly results = new Map<number, Promise<Settled<IDataObject>>>();
	private readonly settleItem = new Map<number, (result: Settled<IDataObject>) => void>();

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly session: ApiSession,
		private readonly run: OperationRun,
	) {
		const count = ctx.getInputData().length;
		for (let itemIndex = 0; itemIndex < count; itemIndex++) {
			this.results.set(
				itemIndex,
				new Promise((resolve) => this.settleItem.set(itemIndex, resolve)),
			);
		}
		void this.importAll().finally(() => this.failUnsettled());
	}

	/** The item's output, once its batch is answered; a failure is thrown for the router to put on Error. */
	async resultOf(itemIndex: number): Promise<IDataObject> {
		const result = await this.results.get(itemIndex);
		if (!result)
			throw new DefenderXdrError({ code: 'unexpected', message: `No item ${itemIndex}` });
		if (!result.ok) throw result.error;
		return result.value;
	}

	private succeed(itemIndex: number, json: IDataObject): void {
		this.settleItem.get(itemIndex)?.({ ok: true, value: json });
		this.settleItem.delete(itemIndex);
	}

	private fail(itemIndex: number, error: unknown): void {
		this.settleItem.get(itemIndex)?.({ ok: false, error });
		this.settleItem.delete(itemIndex);
	}

	/** Whatever went wrong, no item waits forever: one still open after the run has ended fails. */
	private failUnsettled(): void {
		for (const itemIndex of [...this.settleItem.keys()])
			this.fail(
				itemIndex,
				new DefenderXdrError({
					code: 'unexpected',
					message: 'The import ended without a result for this item; check it with Get Many.',
					executed: 'unknown',
				}),
			);
	}

	private async importAll(): Promise<void> {
		try {
			const entries = this.checkedEntries();
			const batches: Entry[][] = [];
			for (let start = 0; start < entries.length; start += INDICATOR_LIMITS.importBatchSize)
				batches.push(entries.slice(start, start + INDICATOR_LIMITS.importBatchSize));
			const perMinute = IMPORT_LIMIT?.max;
			if (perMinute !== undefined && batches.length > perMinute)
				this.session.log(
					`Importing ${entries.length} indicators in ${batches.length} requests: Defender for Endpoint allows ${IMPORT_LIMIT?.label}, so the requests after the first ${perMinute} wait for room`,
				);
			for (const [index, batch] of batches.entries())
				await this.sendBatch(batch, { number: index + 1, of: batches.length, size: batch.length });
		} catch (error) {
			// A cancelled run or a broken sign-in ends the import: every item not yet answered carries the reason.
			for (const itemIndex of [...this.settleItem.keys()]) this.fail(itemIndex, error);
		}
	}

	/**
	 * Reads and checks every item, as Submit does for one; the agent gate and the dry run apply per item as the
	 * router applies them. Beyond the tenant's cap of active indicators, items fail without being sent.
	 */
	private checkedEntries(): Entry[] {
		const nowMs = this.session.clock.now();
		const entries: Entry[] = [];
		const keys = new Set<string>();
		for (const itemIndex of [...this.settleItem.keys()]) {
			try {
				refuseWriteFromAgent(this.ctx, itemIndex, INDICATOR.writes.import, this.run);
				const indicator = readIndicator(this.ctx, itemIndex, nowMs);
				if (isDryRun(this.ctx, itemIndex)) {
					this.succeed(itemIndex, {
						...about(indicator),
						outcome: 'dryRun',
						dryRun: true,
						wouldSend: `POST ${IMPORT_PATH}`,
						indicator,
					});
					continue;
				}
				const key = indicatorKey(indicator.indicatorType, indicator.indicatorValue);
				if (!keys.has(key) && keys.size >= INDICATOR_LIMITS.tenantCap) {
					throw new DefenderXdrError({
						code: 'tenantIndicatorCap',
						message: `A Defender for Endpoint tenant holds at most ${INDICATOR_LIMITS.tenantCap.toLocaleString('en-US')} active indicators, and this run imports more different ones than that; this item is beyond the first ${INDICATOR_LIMITS.tenantCap.toLocaleString('en-US')}, so it was not sent. Delete indicators that are no longer needed, or let old ones expire, and import the rest in a later run.`,
					});
				}
				keys.add(key);
				entries.push({ itemIndex, indicator });
			} catch (error) {
				this.fail(itemIndex, error);
			}
		}
		return entries;
	}

	/** One import request; the transport keeps it within Defender's import limit. */
	private async post(entries: Entry[]) {
		return await settle(
			this.session.post<{ value?: ImportResult[] }>(
				IMPORT_PATH,
				{ Indicators: entries.map((entry) => entry.indicator) },
				{ subject: INDICATOR.subject },
			),
		);
	}

	private async sendBatch(entries: Entry[], batch: BatchInfo): Promise<void> {
		const sent = await this.post(entries);
		if (sent.ok) {
			this.distribute(entries, sent.value.body?.value, sent.value, batch);
			return;
		}
		const failure = sent.error;
		if (failure instanceof DefenderXdrError && failure.details.executed === 'unknown') {
			await this.settleLostBatch(entries, failure, batch);
			return;
		}
		for (const entry of entries) this.fail(entry.itemIndex, failure);
	}

	/**
	 * Pairs Defender's results with the batch's items: by position when the answer lists one result per entry with
	 * the same values, else by value. An item with no result fails with executed `unknown`.
	 */
	private distribute(
		entries: Entry[],
		results: ImportResult[] | undefined,
		answer: { statusCode: number; requestId: string | null },
		batch: BatchInfo,
		note?: string,
	): void {
		const list = Array.isArray(results) ? results : [];
		const sameValue = (result: ImportResult | undefined, entry: Entry) =>
			typeof result?.indicator === 'string' &&
			result.indicator.toLowerCase() === entry.indicator.indicatorValue.toLowerCase();
		const inOrder =
			list.length === entries.length &&
			entries.every((entry, index) => sameValue(list[index], entry));
		const unused = new Set(list.keys());
		for (const [index, entry] of entries.entries()) {
			let resultIndex: number | undefined = inOrder ? index : undefined;
			if (resultIndex === undefined)
				for (const candidate of unused)
					if (sameValue(list[candidate], entry)) {
						resultIndex = candidate;
						break;
					}
			if (resultIndex === undefined) {
				this.fail(
					entry.itemIndex,
					new DefenderXdrError({
						code: 'missingImportResult',
						message: `Defender for Endpoint answered import batch ${batch.number} of ${batch.of} without a result for this indicator, so whether it was saved is unknown. Check it with Get Many before importing it again.`,
						statusCode: answer.statusCode,
						requestId: answer.requestId,
						executed: 'unknown',
					}),
				);
				continue;
			}
			unused.delete(resultIndex);
			const result = list[resultIndex];
			if (result.isFailed === true) {
				const reason =
					typeof result.failureReason === 'string' && result.failureReason.trim()
						? result.failureReason.trim().replace(/[.\s]+$/, '')
						: 'no reason given';
				this.fail(
					entry.itemIndex,
					new DefenderXdrError({
						code: 'indicatorRefused',
						message: `Defender for Endpoint refused this indicator in import batch ${batch.number} of ${batch.of}: ${reason}. Nothing was saved for it; the batch's other indicators were.`,
						statusCode: answer.statusCode,
						requestId: answer.requestId,
						executed: 'no',
					}),
				);
				continue;
			}
			this.succeed(entry.itemIndex, {
				...about(entry.indicator),
				outcome: 'imported',
				indicatorId: result.id ?? null,
				statusCode: answer.statusCode,
				requestId: answer.requestId,
				batch: { ...batch },
				dryRun: false,
				...(note ? { note } : {}),
			});
		}
	}

	/**
	 * A lost answer (5xx, timeout, dropped connection) is settled by reading the indicators back, never by sending
	 * blindly: after a settle window the list shows which of the batch's indicators are saved as sent (those succeed
	 * and are not sent again); the rest go once more in one import. Reading the list costs one request per 10,000
	 * indicators, where one read per value would cost up to 500 against a budget of 100 a minute.
	 */
	private async settleLostBatch(
		entries: Entry[],
		lost: DefenderXdrError,
		batch: BatchInfo,
	): Promise<void> {
		const waitSeconds = settleSeconds(
			lost.details.code,
			this.session.settings.requestTimeoutSeconds,
		);
		this.session.log(
			`The answer to import batch ${batch.number} of ${batch.of} was lost (${lost.details.code}); reading the indicators back in ${waitSeconds} s`,
		);
		await this.session.pause(waitSeconds);
		const types = [...new Set(entries.map((entry) => entry.indicator.indicatorType))];
		const filter = types.length === 1 ? `indicatorType eq ${odataString(types[0])}` : undefined;
		const saved = new Map<string, IndicatorEntity[]>();
		try {
			for await (const page of indicatorPages(this.session, filter)) {
				for (const entity of page.items) {
					const key = indicatorKey(entity.indicatorType, entity.indicatorValue);
					saved.set(key, [...(saved.get(key) ?? []), entity]);
				}
			}
		} catch (error) {
			const unknown = new DefenderXdrError({
				...lost.details,
				message: `${lost.details.message} Reading the indicators back failed as well (${(error as Error).message}), so the batch was not sent again.`,
			});
			for (const entry of entries) this.fail(entry.itemIndex, unknown);
			return;
		}

		const resend: Entry[] = [];
		for (const entry of entries) {
			const { indicator } = entry;
			const found = saved
				.get(indicatorKey(indicator.indicatorType, indicator.indicatorValue))
				?.find((entity) => readsAsSent(entity, indicator));
			if (!found) {
				resend.push(entry);
				continue;
			}
			this.succeed(entry.itemIndex, {
				...about(indicator),
				outcome: 'imported',
				indicatorId: found.id ?? null,
				statusCode: lost.details.statusCode,
				requestId: lost.details.requestId,
				batch: { ...batch },
				dryRun: false,
				note: `Defender's answer to this batch was lost (${lost.details.code}), but the indicator reads as sent, so it was saved; it was not sent again.`,
			});
		}
		if (!resend.length) return;

		this.session.log(
			`${resend.length} of the ${entries.length} indicators of import batch ${batch.number} did not read as sent; importing them once more`,
		);
		const again = await this.post(resend);
		if (!again.ok) {
			for (const entry of resend) this.fail(entry.itemIndex, again.error);
			return;
		}
		this.distribute(
			resend,
			again.value.body?.value,
			again.value,
			batch,
			`Defender's answer to this batch was lost (${lost.details.code}) and the indicator did not read as sent after ${waitSeconds} s, so it was imported once more (Defender updates an indicator with the same type and value in place, so a repeat cannot make a second one).`,
		);
	}
}

function about(indicator: IndicatorBody): IDataObject {
	return { indicatorType: indicator.indicatorType, indicatorValue: indicator.indicatorValue };
}

const imports = new WeakMap<ApiSession, IndicatorImport>();

/** The run's import, started by the first item that asks for it. */
export function indicatorImportFor(
	ctx: IExecuteFunctions,
	session: ApiSession,
	run: OperationRun,
): IndicatorImport {
	let started = imports.get(session);
	if (!started) {
		started = new IndicatorImport(ctx, session, run);
		imports.set(session, started);
	}
	return started;
}
