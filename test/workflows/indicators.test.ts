/**
 * Indicators through the Defender for Endpoint API, driven by the real n8n engine against the simulator's /api/:
 * what goes over the wire, what every item becomes, and what is never sent.
 */
import type { Simulator } from '../../simulator';
import { agentTool, runDefender, useWorld, type Json } from './defenderWorkflow';

const world = useWorld();

/** The waits the node asked for in this test, in milliseconds (every engine test runs on fake time). */
const waits = () => world.clock.waits.map((wait) => wait.ms);

/** Requests to the Defender for Endpoint API (the token endpoint excluded), with their JSON bodies parsed. */
function apiRequests(sim: Simulator, method?: string, path?: RegExp) {
	return sim.requests
		.filter(
			(request) =>
				request.path.startsWith('/api/') &&
				(!method || request.method === method) &&
				(!path || path.test(request.path)),
		)
		.map((request) => ({
			...request,
			body: request.body === undefined ? undefined : (JSON.parse(request.body) as Json),
		}));
}

const importPosts = (sim: Simulator) => apiRequests(sim, 'POST', /^\/api\/indicators\/import$/);

/** A SHA-256 made from a number, so every item of a large batch has its own. */
const sha256 = (n: number) => n.toString(16).padStart(64, '0');

const ONE_DAY_AHEAD = () => new Date(Date.now() + 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');

/** One indicator per item, every field taken from the item, as a workflow mapping upstream data would. */
const indicatorParameters = (operation: 'submit' | 'import', options: Json = {}) => ({
	resource: 'indicator',
	operation,
	indicatorType: '={{ $json.indicatorType }}',
	indicatorValue: '={{ $json.indicatorValue }}',
	action: '={{ $json.action }}',
	title: '={{ $json.title }}',
	description: '={{ $json.description }}',
	// Every additional field maps the item's own; one the item leaves out comes through empty and is not sent.
	additionalFields: Object.fromEntries(
		[
			'application',
			'educateUrl',
			'expirationTime',
			'generateAlert',
			'rbacGroupNames',
			'recommendedActions',
			'severity',
		].map((name) => [name, `={{ $json.additionalFields?.${name} }}`]),
	),
	options,
});

const item = (overrides: Json = {}): Json => ({
	indicatorType: 'FileSha256',
	indicatorValue: sha256(1),
	action: 'Block',
	title: 'Dropper seen in incident 42',
	description: 'Blocked by n8n after triage',
	...overrides,
});

describe('Submit', () => {
	it('sends exactly the indicator the item describes and puts the saved one on Success', async () => {
		const expirationTime = ONE_DAY_AHEAD();
		const run = await runDefender(world.engine, indicatorParameters('submit'), [
			item({
				indicatorType: 'Url',
				indicatorValue: 'https://payroll-contoso.example.net/login',
				action: 'Warn',
				additionalFields: {
					severity: 'High',
					expirationTime,
					recommendedActions: 'Reset the password of whoever entered it',
					rbacGroupNames: 'Finance laptops, Servers',
					generateAlert: true,
					application: 'Edge',
					educateUrl: 'https://intranet.contoso.com/phishing',
				},
			}),
		]);

		expect(run.error).toEqual([]);
		const posts = apiRequests(world.sim, 'POST');
		expect(posts.map((request) => request.path)).toEqual(['/api/indicators']);
		expect(posts[0].body).toEqual({
			indicatorValue: 'https://payroll-contoso.example.net/login',
			indicatorType: 'Url',
			action: 'Warn',
			title: 'Dropper seen in incident 42',
			description: 'Blocked by n8n after triage',
			application: 'Edge',
			expirationTime: new Date(expirationTime).toISOString(),
			severity: 'High',
			recommendedActions: 'Reset the password of whoever entered it',
			rbacGroupNames: ['Finance laptops', 'Servers'],
			educateUrl: 'https://intranet.contoso.com/phishing',
			generateAlert: true,
		});
		expect(run.success).toEqual([
			{
				indicatorType: 'Url',
				indicatorValue: 'https://payroll-contoso.example.net/login',
				outcome: 'submitted',
				indicatorId: expect.stringMatching(/^\d+$/),
				statusCode: 200,
				requestId: expect.any(String),
				dryRun: false,
				indicator: expect.objectContaining({
					indicatorValue: 'https://payroll-contoso.example.net/login',
					action: 'Warn',
					severity: 'High',
				}),
			},
		]);
		expect(run.success[0].indicator).not.toHaveProperty('@odata.context');
	});

	it('sends only the required fields when no additional field is set', async () => {
		await runDefender(world.engine, indicatorParameters('submit'), [item()]);

		expect(apiRequests(world.sim, 'POST')[0].body).toEqual({
			indicatorValue: sha256(1),
			indicatorType: 'FileSha256',
			action: 'Block',
			title: 'Dropper seen in incident 42',
			description: 'Blocked by n8n after triage',
		});
	});

	it('updates the indicator with the same type and value in place (Defender upserts)', async () => {
		const first = await runDefender(world.engine, indicatorParameters('submit'), [item()]);
		const second = await runDefender(world.engine, indicatorParameters('submit'), [
			item({ action: 'Audit', additionalFields: { generateAlert: true } }),
		]);

		expect(second.success[0].indicatorId).toBe(first.success[0].indicatorId);
		expect(second.success[0].indicator.action).toBe('Audit');
	});

	it('accepts IPv6 and IPv4 addresses, domain names and URLs without a scheme', async () => {
		const run = await runDefender(world.engine, indicatorParameters('submit'), [
			item({ indicatorType: 'IpAddress', indicatorValue: '2001:db8::7334' }),
			item({ indicatorType: 'IpAddress', indicatorValue: '203.0.113.9' }),
			item({ indicatorType: 'DomainName', indicatorValue: 'update-check.example.org' }),
			item({ indicatorType: 'Url', indicatorValue: 'update-check.example.org/payload.bin' }),
			item({ indicatorType: 'CertificateThumbprint', indicatorValue: 'AB'.repeat(20) }),
			item({ indicatorType: 'FileMd5', indicatorValue: 'c'.repeat(32) }),
			item({ indicatorType: 'FileSha1', indicatorValue: 'd'.repeat(40) }),
		]);

		expect(run.error).toEqual([]);
		expect(run.success.map((json) => json.outcome)).toEqual(Array(7).fill('submitted'));
	});
});

describe('Values are checked before anything is sent', () => {
	const past = '2020-01-01T00:00:00Z';
	it.each([
		[
			'FileSha1 of 39 hex characters',
			{ indicatorType: 'FileSha1', indicatorValue: 'a'.repeat(39) },
			'invalidIndicatorValue',
			/not 40 hexadecimal characters/,
		],
		[
			'FileSha256 given a SHA-1',
			{ indicatorValue: 'a'.repeat(40) },
			'invalidIndicatorValue',
			/40 hex characters is FileSha1/,
		],
		[
			'FileMd5 that is not hex',
			{ indicatorType: 'FileMd5', indicatorValue: 'z'.repeat(32) },
			'invalidIndicatorValue',
			/32 hexadecimal/,
		],
		[
			'CertificateThumbprint of 41 characters',
			{ indicatorType: 'CertificateThumbprint', indicatorValue: 'a'.repeat(41) },
			'invalidIndicatorValue',
			/40 hexadecimal/,
		],
		[
			'a CIDR range',
			{ indicatorType: 'IpAddress', indicatorValue: '10.20.0.0/16' },
			'invalidIndicatorValue',
			/single IP addresses only, not ranges/,
		],
		[
			'an IPv4 address out of range',
			{ indicatorType: 'IpAddress', indicatorValue: '300.1.1.1' },
			'invalidIndicatorValue',
			/not an IPv4 or IPv6 address/,
		],
		[
			'a domain with a scheme',
			{ indicatorType: 'DomainName', indicatorValue: 'https://contoso.com' },
			'invalidIndicatorValue',
			/host name alone/,
		],
		[
			'a domain without a dot',
			{ indicatorType: 'DomainName', indicatorValue: 'intranet' },
			'invalidIndicatorValue',
			/has no dot/,
		],
		[
			'a wildcard domain',
			{ indicatorType: 'DomainName', indicatorValue: '*.contoso.com' },
			'invalidIndicatorValue',
			/no wildcards/,
		],
		[
			'an ftp URL',
			{ indicatorType: 'Url', indicatorValue: 'ftp://files.contoso.com/a' },
			'invalidIndicatorValue',
			/http or https/,
		],
		[
			'a URL with spaces',
			{ indicatorType: 'Url', indicatorValue: 'http://contoso .com/' },
			'invalidIndicatorValue',
			/white space/,
		],
		[
			'Audit without Generate Alert',
			{ action: 'Audit' },
			'invalidParameter',
			/Audit needs Generate Alert on/,
		],
		[
			'Audit with Generate Alert off',
			{ action: 'Audit', additionalFields: { generateAlert: false } },
			'invalidParameter',
			/Audit needs Generate Alert on/,
		],
		['no title', { title: '' }, 'missingParameter', /Title is empty/],
		['no description', { description: '  ' }, 'missingParameter', /Description is empty/],
		[
			'an expiration in the past',
			{ additionalFields: { expirationTime: past } },
			'invalidParameter',
			/not in the future/,
		],
		[
			'an impossible expiration date',
			{ additionalFields: { expirationTime: '2031-02-30T00:00:00Z' } },
			'invalidParameter',
			/February 2031 has 28 days/,
		],
		[
			'an expiration that is not ISO 8601',
			{ additionalFields: { expirationTime: 'next Tuesday' } },
			'invalidParameter',
			/not an ISO 8601/,
		],
		[
			'a severity outside the set',
			{ additionalFields: { severity: 'Critical' } },
			'invalidParameter',
			/Informational, Low, Medium, High/,
		],
		[
			'a retired action',
			{ action: 'AlertAndBlock' },
			'invalidParameter',
			/Allowed, Audit, Warn, Block, BlockAndRemediate/,
		],
		['an unknown type', { indicatorType: 'Hash' }, 'invalidParameter', /FileSha1, FileSha256/],
		[
			'an educate URL on a file indicator',
			{ additionalFields: { educateUrl: 'https://help.contoso.com' } },
			'invalidParameter',
			/only for Url indicators with the action Block or Warn/,
		],
	])('refuses %s, alone, with nothing sent', async (_case, overrides, code, message) => {
		const good = item({ indicatorValue: sha256(77) });
		const run = await runDefender(world.engine, indicatorParameters('submit'), [
			item(overrides as Json),
			good,
		]);

		expect(run.error).toHaveLength(1);
		expect(run.errorPairs).toEqual([0]);
		expect(run.error[0]).toMatchObject({
			indicatorType: (overrides as Json).indicatorType ?? 'FileSha256',
			outcome: 'failed',
			error: { code, executed: 'no', statusCode: null, retryable: false },
		});
		expect(run.error[0].error.message).toMatch(message);
		expect(run.error[0].error.message).toContain('No request was sent');
		// Only the good item went out.
		expect(apiRequests(world.sim).map((request) => (request.body as Json)?.indicatorValue)).toEqual(
			[sha256(77)],
		);
	});
});

describe('Dry run and AI agents', () => {
	it('reports what a dry run would send, and sends nothing', async () => {
		const run = await runDefender(world.engine, indicatorParameters('submit', { dryRun: true }), [
			item(),
		]);

		expect(run.success).toEqual([
			{
				indicatorType: 'FileSha256',
				indicatorValue: sha256(1),
				outcome: 'dryRun',
				dryRun: true,
				wouldSend: 'POST /api/indicators',
				indicator: {
					indicatorValue: sha256(1),
					indicatorType: 'FileSha256',
					action: 'Block',
					title: 'Dropper seen in incident 42',
					description: 'Blocked by n8n after triage',
				},
			},
		]);
		expect(apiRequests(world.sim)).toEqual([]);
	});

	const tool = (parameters: Json) =>
		agentTool({
			resource: 'indicator',
			indicatorType: 'IpAddress',
			indicatorValue: '203.0.113.50',
			action: 'Block',
			title: 'Agent block',
			description: 'Asked by the triage agent',
			indicatorId: '5002',
			...parameters,
		});

	it.each(['submit', 'import', 'delete'])(
		'refuses %s from an AI agent unless the node opts in, with nothing sent',
		async (operation) => {
			await expect(world.engine.callTool(tool({ operation }), {})).rejects.toThrow(
				/An AI agent may not .*indicators.*Allow as AI Tool.*executed: no/,
			);
			expect(apiRequests(world.sim)).toEqual([]);

			const dryRun = JSON.parse(
				(await world.engine.callTool(tool({ operation, options: { dryRun: true } }), {})) as string,
			);
			expect(dryRun[0].outcome).toBe('dryRun');
			expect(apiRequests(world.sim)).toEqual([]);

			const allowed = JSON.parse(
				(await world.engine.callTool(
					tool({ operation, options: { allowAsTool: true } }),
					{},
				)) as string,
			);
			expect(allowed[0].outcome).toBe(
				{ submit: 'submitted', import: 'imported', delete: 'deleted' }[operation],
			);
			expect(apiRequests(world.sim).length).toBeGreaterThan(0);
		},
	);

	it('lets an AI agent list indicators without opting in', async () => {
		const listed = JSON.parse(
			(await world.engine.callTool(tool({ operation: 'getMany', returnAll: true }), {})) as string,
		);
		expect(listed.map((indicator: Json) => indicator.id)).toEqual(['5001', '5002', '5003', '5004']);
	});
});

describe('Submit: a lost answer', () => {
	it('reads the indicator back and does not send again when it was saved', async () => {
		world.sim.injectFault({ method: 'POST', path: '/api/indicators', fault: '504AfterExecute' });
		const run = await runDefender(world.engine, indicatorParameters('submit'), [item()]);
		// The settle window passes before anything is read back.
		expect(waits()).toEqual([5000]);

		expect(apiRequests(world.sim, 'POST')).toHaveLength(1);
		expect(decodeURIComponent(apiRequests(world.sim, 'GET')[0].path)).toBe(
			`/api/indicators?$filter=indicatorValue eq '${sha256(1)}' and indicatorType eq 'FileSha256'`,
		);
		expect(run.success[0]).toMatchObject({
			outcome: 'submitted',
			statusCode: 504,
			indicatorId: expect.stringMatching(/^\d+$/),
		});
		expect(run.success[0].note).toContain('it was not sent again');
	});

	it('sends once more, and says so, when the indicator was not saved', async () => {
		world.sim.injectFault({ method: 'POST', path: '/api/indicators', fault: 'dropBeforeExecute' });
		const run = await runDefender(world.engine, indicatorParameters('submit'), [item()]);
		// The settle window passes before anything is read back.
		expect(waits()).toEqual([5000]);

		expect(apiRequests(world.sim, 'POST').map((request) => request.status)).toEqual([0, 200]);
		expect(run.success[0]).toMatchObject({ outcome: 'submitted', statusCode: 200 });
		expect(run.success[0].note).toContain('sent once more');
		expect(
			world.sim.endpointState().indicators.filter((saved) => saved.indicatorValue === sha256(1)),
		).toHaveLength(1);
	});
});

describe('Import', () => {
	it('sends 1,200 items in three requests of 500, 500 and 200, each item on its own output in order', async () => {
		const items = Array.from({ length: 1200 }, (_, index) =>
			item({ indicatorValue: sha256(index + 1), title: `Indicator ${index + 1}` }),
		);
		const run = await runDefender(world.engine, indicatorParameters('import'), items);

		const posts = importPosts(world.sim);
		expect(posts.map((request) => (request.body as Json).Indicators.length)).toEqual([
			500, 500, 200,
		]);
		expect(apiRequests(world.sim)).toHaveLength(3);
		expect((posts[1].body as Json).Indicators[0]).toEqual({
			indicatorValue: sha256(501),
			indicatorType: 'FileSha256',
			action: 'Block',
			title: 'Indicator 501',
			description: 'Blocked by n8n after triage',
		});
		expect(run.error).toEqual([]);
		expect(run.successPairs).toEqual(items.map((_, index) => index));
		expect(run.success.map((json) => json.indicatorValue)).toEqual(
			items.map((json) => json.indicatorValue),
		);
		expect(new Set(run.success.map((json) => json.indicatorId)).size).toBe(1200);
		expect(run.success[700]).toEqual({
			indicatorType: 'FileSha256',
			indicatorValue: sha256(701),
			outcome: 'imported',
			indicatorId: expect.stringMatching(/^\d+$/),
			statusCode: 200,
			requestId: expect.any(String),
			batch: { number: 2, of: 3, size: 500 },
			dryRun: false,
		});
	});

	it('fails a bad item alone and still sends the others', async () => {
		const run = await runDefender(world.engine, indicatorParameters('import'), [
			item({ indicatorValue: sha256(1) }),
			item({ indicatorType: 'IpAddress', indicatorValue: '10.0.0.0/8' }),
			item({ indicatorValue: sha256(3) }),
		]);

		expect(run.successPairs).toEqual([0, 2]);
		expect(run.errorPairs).toEqual([1]);
		expect(run.error[0].error).toMatchObject({ code: 'invalidIndicatorValue', executed: 'no' });
		expect(
			importPosts(world.sim).map((request) =>
				(request.body as Json).Indicators.map((i: Json) => i.indicatorValue),
			),
		).toEqual([[sha256(1), sha256(3)]]);
	});

	it("puts the entries Defender refused on Error with Defender's reason, and the rest on Success", async () => {
		// Four seeded indicators and room for two more: the tenant's cap refuses the last two of the import.
		world.sim.configure({ indicatorCapacity: 6 });
		const run = await runDefender(
			world.engine,
			indicatorParameters('import'),
			[1, 2, 3, 4].map((n) => item({ indicatorValue: sha256(n) })),
		);

		expect(importPosts(world.sim)).toHaveLength(1);
		expect(run.successPairs).toEqual([0, 1]);
		expect(run.errorPairs).toEqual([2, 3]);
		expect(run.error[1]).toEqual({
			indicatorType: 'FileSha256',
			indicatorValue: sha256(4),
			outcome: 'failed',
			error: {
				code: 'indicatorRefused',
				message: expect.stringMatching(
					/refused this indicator in import batch 1 of 1: The tenant has reached its limit of 6 indicators/,
				),
				statusCode: 200,
				requestId: expect.any(String),
				retryable: false,
				executed: 'no',
			},
		});
	});

	it('fails the items beyond the tenant cap of 15,000 unsent, and paces a 31st request a minute after the first', async () => {
		world.sim.configure({ indicatorCapacity: 20_000 });
		const items = Array.from({ length: 15_002 }, (_, index) =>
			item({ indicatorValue: sha256(index + 1) }),
		);
		// A repeat of an indicator already in the run adds nothing to the tenant, so it still goes: in a 31st request.
		items.push(item({ indicatorValue: sha256(1) }));
		// Only the value is mapped: fifteen thousand items through twelve expressions each would only slow the test.
		const parameters = {
			...indicatorParameters('import'),
			indicatorType: 'FileSha256',
			action: 'Block',
			title: 'Bulk import',
			description: 'Blocked by n8n',
			additionalFields: {},
		};
		const run = await runDefender(world.engine, parameters, items);

		expect(importPosts(world.sim)).toHaveLength(31);
		expect(run.errorPairs).toEqual([15_000, 15_001]);
		expect(run.error[0].error).toMatchObject({ code: 'tenantIndicatorCap', executed: 'no' });
		expect(run.error[0].error.message).toContain('at most 15,000 active indicators');
		expect(run.success).toHaveLength(15_001);
		expect(run.success[15_000]).toMatchObject({
			indicatorValue: sha256(1),
			batch: { number: 31, of: 31, size: 1 },
		});
		// Thirty requests go at once; the 31st waits, once, until the earliest of them is a minute old (Defender
		// allows 30 a minute, counting each by its answer at the latest): its wait ends a minute after a moment
		// between the start of the test and the last of the thirty answers.
		const posts = importPosts(world.sim);
		const testStartedAt = world.clock.now() - world.clock.elapsedMs;
		expect(world.clock.waits).toHaveLength(1);
		const firstLetGoAt = world.clock.waits[0].until - 60_000;
		const lastAnsweredAt = Math.max(
			...posts.slice(0, 30).map((post) => Date.parse(post.at) + (post.durationMs ?? 0)),
		);
		expect(firstLetGoAt).toBeGreaterThanOrEqual(testStartedAt);
		expect(firstLetGoAt).toBeLessThanOrEqual(lastAnsweredAt + 1);
		expect(Date.parse(posts[30].at)).toBeGreaterThanOrEqual(Math.floor(world.clock.waits[0].until));
	}, 120_000);

	it("honours a 429's Retry-After on an import and then sends the batch", async () => {
		world.sim.injectFault({ path: '/api/indicators/import', fault: '429', retryAfterSeconds: 1 });
		const run = await runDefender(world.engine, indicatorParameters('import'), [item()]);

		const posts = importPosts(world.sim);
		expect(posts.map((request) => request.status)).toEqual([429, 200]);
		// One wait, Defender's second, asked for after the 429 and over before the batch went again.
		const throttledAt = world.sim.requests.findIndex((r) => r.requestId === posts[0].requestId);
		expect(world.clock.waits).toEqual([
			expect.objectContaining({ ms: 1000, mark: throttledAt + 1, endMark: throttledAt + 1 }),
		]);
		expect(run.success[0].outcome).toBe('imported');
	});

	it('settles a lost import answer by reading the indicators back, and does not send them again', async () => {
		world.sim.injectFault({ path: '/api/indicators/import', fault: '504AfterExecute' });
		const run = await runDefender(
			world.engine,
			indicatorParameters('import'),
			[1, 2, 3].map((n) => item({ indicatorValue: sha256(n) })),
		);
		// The settle window passes before anything is read back.
		expect(waits()).toEqual([5000]);

		expect(importPosts(world.sim)).toHaveLength(1);
		expect(
			apiRequests(world.sim, 'GET').map((request) => decodeURIComponent(request.path)),
		).toEqual(["/api/indicators?$top=10000&$filter=indicatorType eq 'FileSha256'"]);
		expect(run.success.map((json) => [json.outcome, json.statusCode])).toEqual(
			Array(3).fill(['imported', 504]),
		);
		expect(run.success[0].note).toContain('it was not sent again');
	});

	it('imports once more only the indicators a lost answer left unsaved', async () => {
		world.sim.injectFault({ path: '/api/indicators/import', fault: 'dropBeforeExecute' });
		const run = await runDefender(
			world.engine,
			indicatorParameters('import'),
			[1, 2].map((n) => item({ indicatorValue: sha256(n) })),
		);
		// The settle window passes before anything is read back.
		expect(waits()).toEqual([5000]);

		expect(importPosts(world.sim).map((request) => request.status)).toEqual([0, 200]);
		expect(run.success.map((json) => json.outcome)).toEqual(['imported', 'imported']);
		expect(run.success[0].note).toContain('imported once more');
	});

	it('fails the batch with executed: unknown when the indicators cannot be read back', async () => {
		world.sim.injectFault({ path: '/api/indicators/import', fault: '504AfterExecute' });
		world.sim.injectFault({ method: 'GET', path: /^\/api\/indicators/, fault: '403' });
		const run = await runDefender(world.engine, indicatorParameters('import'), [item()]);
		// The settle window passes before anything is read back.
		expect(waits()).toEqual([5000]);

		expect(importPosts(world.sim)).toHaveLength(1);
		expect(run.error[0].error).toMatchObject({ executed: 'unknown', statusCode: 504 });
		expect(run.error[0].error.message).toContain('was not sent again');
	});
});

describe('Get Many', () => {
	it.each([
		[{ indicatorType: 'IpAddress' }, "indicatorType eq 'IpAddress'", ['198.51.100.23']],
		[
			{ indicatorValue: 'cdn-update-check.net' },
			"indicatorValue eq 'cdn-update-check.net'",
			['cdn-update-check.net'],
		],
		[{ action: 'Warn' }, "action eq 'Warn'", ['https://contoso-payroll.net/login']],
		[
			{ action: 'Block', indicatorType: 'DomainName' },
			"indicatorType eq 'DomainName' and action eq 'Block'",
			['cdn-update-check.net'],
		],
	])('filters by %j', async (filters, odata, values) => {
		const run = await runDefender(world.engine, {
			resource: 'indicator',
			operation: 'getMany',
			returnAll: true,
			filters,
		});

		expect(run.success.map((json) => json.indicatorValue)).toEqual(values);
		expect(apiRequests(world.sim).map((request) => decodeURIComponent(request.path))).toEqual([
			`/api/indicators?$top=10000&$filter=${odata}`,
		]);
	});

	it('asks for no more than the limit', async () => {
		const run = await runDefender(world.engine, {
			resource: 'indicator',
			operation: 'getMany',
			limit: 2,
		});

		expect(run.success.map((json) => json.id)).toEqual(['5001', '5002']);
		expect(apiRequests(world.sim).map((request) => request.path)).toEqual([
			'/api/indicators?%24top=2',
		]);
	});

	it('refuses a filter value outside the allow-list, with nothing sent', async () => {
		const run = await runDefender(world.engine, {
			resource: 'indicator',
			operation: 'getMany',
			filters: { action: "Block' or action eq 'Allowed" },
		});

		expect(run.error[0].error).toMatchObject({ code: 'invalidFilter', executed: 'no' });
		expect(apiRequests(world.sim)).toEqual([]);
	});

	it('quotes a value so it cannot end the OData string early', async () => {
		await runDefender(world.engine, {
			resource: 'indicator',
			operation: 'getMany',
			filters: { indicatorValue: "http://x.example.com/?q=' or 1 eq 1" },
		});

		expect(decodeURIComponent(apiRequests(world.sim)[0].path)).toContain(
			"$filter=indicatorValue eq 'http://x.example.com/?q='' or 1 eq 1'",
		);
	});
});

describe('Delete', () => {
	it('deletes an indicator (204) and puts it on Success', async () => {
		const run = await runDefender(
			world.engine,
			{ resource: 'indicator', operation: 'delete', indicatorId: '={{ $json.id }}' },
			[{ id: 5002 }],
		);

		expect(run.success).toEqual([
			{
				indicatorId: '5002',
				outcome: 'deleted',
				statusCode: 204,
				requestId: expect.any(String),
				dryRun: false,
			},
		]);
		expect(apiRequests(world.sim).map((request) => `${request.method} ${request.path}`)).toEqual([
			'DELETE /api/indicators/5002',
		]);
		expect(world.sim.endpointState().indicators.map((saved) => saved.id)).not.toContain('5002');
	});

	it('puts a 404 on Error with a message saying it may already be gone', async () => {
		const run = await runDefender(world.engine, {
			resource: 'indicator',
			operation: 'delete',
			indicatorId: '999999',
		});

		expect(run.error[0]).toMatchObject({
			indicatorId: '999999',
			outcome: 'failed',
			error: { statusCode: 404, executed: 'no', retryable: false },
		});
		expect(run.error[0].error.message).toContain('may already be gone');
	});

	it('settles a lost answer by deleting again: a 404 then means the first request deleted it', async () => {
		world.sim.injectFault({
			method: 'DELETE',
			path: '/api/indicators/5002',
			fault: '504AfterExecute',
		});
		const run = await runDefender(world.engine, {
			resource: 'indicator',
			operation: 'delete',
			indicatorId: '5002',
		});

		expect(waits()).toEqual([5000]);
		expect(apiRequests(world.sim, 'DELETE').map((request) => request.status)).toEqual([504, 404]);
		expect(run.success[0]).toMatchObject({
			indicatorId: '5002',
			outcome: 'deleted',
			statusCode: 504,
		});
		expect(run.success[0].note).toContain('so the first one deleted it');
	});

	it('sends a DELETE whose connection dropped before it arrived once more', async () => {
		world.sim.injectFault({
			method: 'DELETE',
			path: '/api/indicators/5002',
			fault: 'dropBeforeExecute',
		});
		const run = await runDefender(world.engine, {
			resource: 'indicator',
			operation: 'delete',
			indicatorId: '5002',
		});

		expect(apiRequests(world.sim, 'DELETE').map((request) => request.status)).toEqual([0, 204]);
		expect(run.success[0]).toMatchObject({ outcome: 'deleted', statusCode: 204 });
		expect(run.success[0].note).toContain('that one deleted the indicator');
		expect(world.sim.endpointState().indicators.map((saved) => saved.id)).not.toContain('5002');
	});

	it('refuses an ID that is not a number, with nothing sent', async () => {
		const run = await runDefender(world.engine, {
			resource: 'indicator',
			operation: 'delete',
			indicatorId: '../machines',
		});

		expect(run.error[0].error).toMatchObject({ code: 'invalidIndicatorId', executed: 'no' });
		expect(apiRequests(world.sim)).toEqual([]);
	});
});
