import {
	NodeOperationError,
	type IDataObject,
	type ILoadOptionsFunctions,
	type INodeListSearchItems,
	type INodeListSearchResult,
} from 'n8n-workflow';

import {
	identityAccountOf,
	PROVIDER_NAMES,
	identityProviderOf,
} from '../../shared/identityAccount';
import { RECENTLY_UPDATED_FIRST } from '../../shared/incidentTask';
import { ALERT } from '../../shared/resources/alert';
import { IDENTITY_ACCOUNT } from '../../shared/resources/identityAccount';
import { INCIDENT } from '../../shared/resources/incident';
import { INCIDENT_TASK } from '../../shared/resources/incidentTask';
import type { Resource } from '../../shared/resources/resource';
import { redactSecrets } from '../../shared/transport/errors';
import { ApiSession } from '../../shared/transport/session';

/**
 * The editor's pick lists: the newest records first, narrowed by what the user types. Graph cannot search these
 * collections by name, so the text is matched here, page by page; "load more" continues with Graph's next link.
 */

/** One page per list, small enough to open quickly. */
const PAGE_SIZE = 50;
/** How many pages one search reads, at most, looking for a match before it hands the user "load more". */
const PAGES_PER_SEARCH = 5;
/** An editor list should answer or fail quickly, not sit out long throttling waits. */
const LIST_REQUEST_SETTINGS = { maxRetries: 1, maxRetryWaitSeconds: 5, requestTimeoutSeconds: 30 };

interface PickList {
	resource: Resource;
	query: Record<string, string>;
	/** What the list shows for a record; the text typed in the search box is matched against it and the ID. */
	label(record: IDataObject): string;
	/** The record's page in the Defender portal, when Graph gives one. */
	url?(record: IDataObject): string | undefined;
}

const text = (value: unknown): string =>
	typeof value === 'string' || typeof value === 'number' ? String(value) : '';

const portalUrl = (value: unknown): string | undefined =>
	typeof value === 'string' && value.startsWith('https://') ? value : undefined;

async function search(
	ctx: ILoadOptionsFunctions,
	list: PickList,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const wanted = (filter ?? '').trim().toLowerCase();
	const results: INodeListSearchItems[] = [];
	let nextLink = paginationToken || undefined;
	try {
		const { resource } = list;
		const session = await ApiSession.open(ctx, resource.api, LIST_REQUEST_SETTINGS);
		for (let read = 0; read < PAGES_PER_SEARCH; read++) {
			const page = await session.page(resource.path, list.query, nextLink, {
				subject: resource.subject,
			});
			for (const record of page.items) {
				const id = text(record.id);
				const name = list.label(record);
				if (id === '' || (wanted !== '' && !`${name}\n${id}`.toLowerCase().includes(wanted)))
					continue;
				results.push({ name, value: id, url: list.url?.(record) });
			}
			nextLink = page.nextLink;
			if (nextLink === undefined || results.length > 0) break;
		}
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), redactSecrets((error as Error).message), {
			description: `Check the ${list.resource.api.credentialName} credential selected on this node, or give the ID instead.`,
		});
	}
	return { results, paginationToken: nextLink };
}

/** The editor's list method for one pick list. */
function listSearchOf(list: PickList) {
	return async function (
		this: ILoadOptionsFunctions,
		filter?: string,
		paginationToken?: string,
	): Promise<INodeListSearchResult> {
		return await search(this, list, filter, paginationToken);
	};
}

/** Incidents, newest first (the order Graph documents for them; the list takes no $orderby): "Ransomware on three workstations (1008)". */
export const searchIncidents = listSearchOf({
	resource: INCIDENT,
	query: { $top: String(PAGE_SIZE) },
	label: (incident) => `${text(incident.displayName) || 'Incident'} (${text(incident.id)})`,
	url: (incident) => portalUrl(incident.incidentWebUrl),
});

/** Alerts, newest first (Graph's own order for alerts_v2, which takes no $orderby): "Ransomware detected (da63…)". */
export const searchAlerts = listSearchOf({
	resource: ALERT,
	query: { $top: String(PAGE_SIZE) },
	label: (alert) => `${text(alert.title) || 'Alert'} (${text(alert.id)})`,
	url: (alert) => portalUrl(alert.alertWebUrl),
});

/** Incident tasks, most recently updated first (the one order Graph documents for them): "Isolate device · open". */
export const searchIncidentTasks = listSearchOf({
	resource: INCIDENT_TASK,
	query: { $top: String(PAGE_SIZE), $orderby: RECENTLY_UPDATED_FIRST },
	label: (task) =>
		[text(task.displayName) || text(task.id), text(task.actionType), text(task.status)]
			.filter(Boolean)
			.join(' · '),
});

/**
 * Identity accounts, in Graph's order (it documents none, nor `$top`): "Megan Bowen (contoso.com) · Active Directory,
 * Entra ID".
 */
export const searchIdentityAccounts = listSearchOf({
	resource: IDENTITY_ACCOUNT,
	query: {},
	label: (record) => {
		const account = identityAccountOf(record);
		const domain = text(account.domain);
		const providers = account.accounts
			.map((entry) => {
				const known = identityProviderOf(entry.identityProvider);
				return known ? PROVIDER_NAMES[known] : text(entry.identityProvider);
			})
			.filter(Boolean)
			.join(', ');
		return [`${text(account.displayName) || 'Identity'}${domain ? ` (${domain})` : ''}`, providers]
			.filter(Boolean)
			.join(' · ');
	},
});
