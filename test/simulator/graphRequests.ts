import type { Simulator } from '../../simulator';

// Plain HTTP against a started simulator, as a Graph client would send it: a bearer token, JSON bodies, nextLinks.

export type Json = Record<string, any>;

export const PREFER_UNKNOWN_ENUM_MEMBERS = { prefer: 'include-unknown-enum-members' };

export function graphRequests(getSim: () => Simulator) {
	let token = '';
	const graph = (path: string, init: RequestInit = {}) => {
		const sim = getSim();
		token ||= sim.issueToken();
		return fetch(path.startsWith('http') ? path : `${sim.url}${path}`, {
			...init,
			headers: {
				authorization: `Bearer ${token}`,
				...(init.body ? { 'content-type': 'application/json' } : {}),
				...(init.headers as Record<string, string>),
			},
		});
	};
	const graphJson = async (path: string, init: RequestInit = {}) => {
		const response = await graph(path, init);
		const text = await response.text();
		return {
			response,
			status: response.status,
			body: (text ? JSON.parse(text) : undefined) as Json,
		};
	};
	/** Follows @odata.nextLink to the end. */
	const readAllPages = async (path: string, headers: Record<string, string> = {}) => {
		const items: Json[] = [];
		let pages = 0;
		let url: string | undefined = path;
		while (url) {
			const { status, body } = await graphJson(url, { headers });
			if (status !== 200) throw new Error(`${url} answered ${status}: ${JSON.stringify(body)}`);
			items.push(...body.value);
			url = body['@odata.nextLink'];
			if (++pages > 100) throw new Error(`paging does not end: ${url}`);
		}
		return { items, pages };
	};
	const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
		graphJson(path, { method: 'POST', body: JSON.stringify(body), headers });
	const patch = (path: string, body: unknown, headers: Record<string, string> = {}) =>
		graphJson(path, { method: 'PATCH', body: JSON.stringify(body), headers });
	return { graph, graphJson, readAllPages, post, patch, resetToken: () => (token = '') };
}

export const filterQuery = (filter: string, extra = '') =>
	`$filter=${encodeURIComponent(filter)}${extra}`;

export const newestFirst = (a: Json, b: Json) =>
	Date.parse(b.createdDateTime) - Date.parse(a.createdDateTime) ||
	String(a.id).localeCompare(String(b.id));

/** The Graph error body every 4xx/5xx has: code, message and innerError with the request ID of the answer. */
export function expectGraphError(
	answer: { status: number; body: Json; response: Response },
	status: number,
	code: string,
	message?: RegExp,
) {
	expect(answer.status).toBe(status);
	expect(answer.body.error).toEqual({
		code,
		message: message ? expect.stringMatching(message) : expect.any(String),
		innerError: {
			'request-id': answer.response.headers.get('request-id'),
			'client-request-id': expect.any(String),
			date: expect.any(String),
		},
	});
}
