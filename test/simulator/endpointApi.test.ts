import {
	ENDPOINT_RATE_LIMITS,
	ENDPOINT_SCOPE,
	SEED_ALERTS,
	SEEDED_MACHINE_IDS,
	STORY,
	startSimulator,
	type Simulator,
} from '../../simulator';

// The Defender for Endpoint API side of the simulator, over real HTTP with MDE-audience tokens.

type Json = Record<string, any>;

let sim: Simulator;
let token = '';

beforeAll(async () => {
	sim = await startSimulator();
	token = sim.issueEndpointToken();
});
afterAll(() => sim.stop());
beforeEach(() => {
	jest.useRealTimers();
	sim.reset();
	sim.configure({ actionDelayMs: 1000, endpointRateLimits: null, indicatorCapacity: 15_000 });
});
afterEach(() => jest.useRealTimers());

async function mde(path: string, init: RequestInit & { token?: string } = {}) {
	const response = await fetch(`${sim.url}${path}`, {
		...init,
		headers: {
			authorization: `Bearer ${init.token ?? token}`,
			...(init.body ? { 'content-type': 'application/json' } : {}),
		},
	});
	const text = await response.text();
	return {
		status: response.status,
		headers: response.headers,
		body: (text ? JSON.parse(text) : undefined) as Json,
	};
}
const post = (path: string, body: unknown) =>
	mde(path, { method: 'POST', body: JSON.stringify(body) });
const filter = (expression: string) => `$filter=${encodeURIComponent(expression)}`;
const ids = (entities: Json[]) => entities.map((entity) => entity.id);

/** Only the clock moves: timers and sockets stay real, so the in-process server sees the new time. */
function freezeClock() {
	jest.useFakeTimers({
		now: Date.now(),
		doNotFake: [
			'hrtime',
			'nextTick',
			'performance',
			'queueMicrotask',
			'setImmediate',
			'clearImmediate',
			'setInterval',
			'clearInterval',
			'setTimeout',
			'clearTimeout',
		],
	});
}
const advance = (ms: number) => jest.setSystemTime(Date.now() + ms);

const WORKSTATION = SEEDED_MACHINE_IDS.storyWorkstation;
const SHA1 = STORY.files['svcupdate.exe'].sha1;

function expectMdeError(
	result: { status: number; headers: Headers; body: Json },
	status: number,
	code: string,
) {
	expect(result.status).toBe(status);
	expect(Object.keys(result.body.error).sort()).toEqual(['code', 'message', 'target']);
	expect(result.body.error.code).toBe(code);
	expect(result.body.error.target).toBe(result.headers.get('request-id'));
	expect(result.body.error.target).toMatch(/^[0-9a-f-]{36}$/);
}

describe('machines', () => {
	it('lists every story device with its evidence ID, DNS name and MDE fields', async () => {
		const { status, body } = await mde('/api/machines');
		expect(status).toBe(200);
		const byId = new Map<string, Json>(body.value.map((machine: Json) => [machine.id, machine]));
		for (const device of Object.values(STORY.devices)) {
			expect(byId.get(device.deviceId)).toMatchObject({
				computerDnsName: `${device.name.toLowerCase()}.${STORY.domain}`,
				osPlatform: device.osPlatform,
				lastIpAddress: device.ipAddress,
				rbacGroupName: device.group,
				aadDeviceId: device.aadDeviceId,
			});
		}
		const evidenceIds = SEED_ALERTS.flatMap((alert) =>
			(alert.evidence ?? []).map((item: Json) => item.mdeDeviceId),
		).filter(Boolean);
		expect(evidenceIds.length).toBeGreaterThan(0);
		for (const id of evidenceIds) expect(byId.has(id)).toBe(true);
		expect(byId.has(SEEDED_MACHINE_IDS.failingActions)).toBe(true);
		expect(byId.get(SEEDED_MACHINE_IDS.offline)?.healthStatus).toBe('Inactive');
		expect(Object.keys(byId.get(WORKSTATION)!)).toEqual(
			expect.arrayContaining([
				'id',
				'computerDnsName',
				'firstSeen',
				'lastSeen',
				'osPlatform',
				'version',
				'osBuild',
				'onboardingStatus',
				'osArchitecture',
				'lastIpAddress',
				'lastExternalIpAddress',
				'healthStatus',
				'rbacGroupName',
				'rbacGroupId',
				'riskScore',
				'exposureLevel',
				'deviceValue',
				'aadDeviceId',
				'machineTags',
				'ipAddresses',
			]),
		);
	});

	it('filters with startswith, eq, ne, ge, any() over tags and and; pages with $top and $skip', async () => {
		const finance = await mde(
			`/api/machines?${filter("startswith(computerDnsName,'WS-FIN') and healthStatus eq 'Active'")}`,
		);
		expect(finance.body.value.map((machine: Json) => machine.computerDnsName).sort()).toEqual([
			'ws-fin-039.contoso.com',
			'ws-fin-042.contoso.com',
			'ws-fin-051.contoso.com',
		]);
		const tier0 = await mde(`/api/machines?${filter("machineTags/any(tag: tag eq 'Tier0')")}`);
		expect(tier0.body.value.map((machine: Json) => machine.computerDnsName).sort()).toEqual([
			'srv-file-02.contoso.com',
			'srv-sql-07.contoso.com',
			'srv-sql-08.contoso.com',
		]);
		const highRisk = await mde(`/api/machines?${filter("riskScore eq 'High'")}`);
		expect(ids(highRisk.body.value)).toContain(WORKSTATION);
		expect(highRisk.body.value.every((machine: Json) => machine.riskScore === 'High')).toBe(true);
		const notActive = await mde(`/api/machines?${filter("healthStatus ne 'Active'")}`);
		expect(ids(notActive.body.value).sort()).toEqual(
			[SEEDED_MACHINE_IDS.failingActions, SEEDED_MACHINE_IDS.offline].sort(),
		);
		const since = new Date(Date.now() - 24 * 3_600_000).toISOString();
		const recent = await mde(`/api/machines?${filter(`lastSeen ge ${since}`)}`);
		expect(ids(recent.body.value)).not.toContain(SEEDED_MACHINE_IDS.offline);
		expect(ids(recent.body.value)).toContain(WORKSTATION);
		const seenThisCentury = await mde(`/api/machines?${filter('lastSeen gt 2001-01-01Z')}`);
		expect(seenThisCentury.body.value.length).toBeGreaterThan(10);
		expectMdeError(await mde('/api/machines/%E0%A4%A'), 400, 'InvalidInput');
		const byIp = await mde(`/api/machines?${filter("lastIpAddress eq '10.10.1.7'")}`);
		expect(ids(byIp.body.value)).toEqual([SEEDED_MACHINE_IDS.storyServer]);

		const all = (await mde('/api/machines')).body.value;
		const page = await mde('/api/machines?$top=2&$skip=3');
		expect(ids(page.body.value)).toEqual(ids(all.slice(3, 5)));
		expectMdeError(await mde('/api/machines?$top=10001'), 400, 'ODataError');
		expectMdeError(
			await mde(`/api/machines?${filter("riskScore eq 'Severe'")}`),
			400,
			'ODataError',
		);
		expectMdeError(await mde(`/api/machines?${filter("osBuild eq '1'")}`), 400, 'ODataError');
	});

	it('gets one machine by ID or computer DNS name; an unknown one is 404 ResourceNotFound', async () => {
		const byId = await mde(`/api/machines/${WORKSTATION}`);
		expect(byId.status).toBe(200);
		expect(byId.body.computerDnsName).toBe('ws-fin-042.contoso.com');
		const byName = await mde('/api/machines/WS-FIN-042.contoso.com');
		expect(byName.body.id).toBe(WORKSTATION);
		expectMdeError(await mde(`/api/machines/${'0'.repeat(40)}`), 404, 'ResourceNotFound');
	});

	it('finds machines by IP within 15 minutes of a timestamp, refusing one older than 30 days', async () => {
		const now = new Date().toISOString();
		const found = await mde(`/api/machines/findbyip(ip='10.20.4.42',timestamp=${now})`);
		expect(found.status).toBe(200);
		expect(ids(found.body.value)).toEqual([WORKSTATION]);

		const offlineIp = '10.60.9.77';
		const today = await mde(`/api/machines/findbyip(ip='${offlineIp}',timestamp=${now})`);
		expect(today.body.value).toEqual([]);
		const nineDaysAgo = new Date(Date.now() - 9 * 86_400_000).toISOString();
		const then = await mde(`/api/machines/findbyip(ip='${offlineIp}',timestamp=${nineDaysAgo})`);
		expect(ids(then.body.value)).toEqual([SEEDED_MACHINE_IDS.offline]);

		const old = new Date(Date.now() - 31 * 86_400_000).toISOString();
		expectMdeError(
			await mde(`/api/machines/findbyip(ip='10.20.4.42',timestamp=${old})`),
			400,
			'InvalidInput',
		);
	});
});

describe('machine actions', () => {
	const ACTIONS: [string, Json, string, string | null][] = [
		['isolate', { Comment: 'n8n', IsolationType: 'Selective' }, 'Isolate', 'Selective'],
		['unisolate', { Comment: 'n8n' }, 'Unisolate', null],
		['runAntiVirusScan', { Comment: 'n8n', ScanType: 'Quick' }, 'RunAntiVirusScan', 'Quick'],
		['collectInvestigationPackage', { Comment: 'n8n' }, 'CollectInvestigationPackage', null],
		['restrictCodeExecution', { Comment: 'n8n' }, 'RestrictCodeExecution', null],
		['unrestrictCodeExecution', { Comment: 'n8n' }, 'UnrestrictCodeExecution', null],
		['StopAndQuarantineFile', { Comment: 'n8n', Sha1: SHA1 }, 'StopAndQuarantineFile', null],
	];

	it.each(ACTIONS)(
		'POST %s answers 201 with a Pending MachineAction',
		async (path, body, type, scope) => {
			const { status, body: action } = await post(`/api/machines/${WORKSTATION}/${path}`, body);
			expect(status).toBe(201);
			expect(action).toMatchObject({
				type,
				scope,
				status: 'Pending',
				machineId: WORKSTATION,
				computerDnsName: 'ws-fin-042.contoso.com',
				requestor: sim.clientId,
				requestorComment: 'n8n',
			});
			expect(action.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
			if (type === 'StopAndQuarantineFile')
				expect(action.relatedFileInfo).toEqual({
					fileIdentifier: SHA1,
					fileIdentifierType: 'Sha1',
				});
			expect(sim.machineActions.map((recorded) => recorded.id)).toEqual([action.id]);
		},
	);

	it('matches action path segments without regard to case and defaults IsolationType to Full', async () => {
		const { status, body } = await post(`/api/machines/${WORKSTATION}/ISOLATE`, { Comment: 'n8n' });
		expect(status).toBe(201);
		expect(body.scope).toBe('Full');
	});

	it('refuses wrong body casing, invalid values and unknown machines as MDE does', async () => {
		const url = `/api/machines/${WORKSTATION}`;
		expectMdeError(
			await post(`${url}/isolate`, { comment: 'n8n' }),
			400,
			'MissingRequiredParameter',
		);
		expectMdeError(await post(`${url}/isolate`, {}), 400, 'MissingRequiredParameter');
		expectMdeError(
			await post(`${url}/isolate`, { Comment: 'n8n', IsolationType: 'full' }),
			400,
			'InvalidRequestBody',
		);
		expectMdeError(
			await post(`${url}/runAntiVirusScan`, { Comment: 'n8n', ScanType: 'Deep' }),
			400,
			'InvalidRequestBody',
		);
		expectMdeError(
			await post(`${url}/StopAndQuarantineFile`, { Comment: 'n8n', Sha1: 'abc' }),
			400,
			'InvalidRequestBody',
		);
		expectMdeError(
			await post(`${url}/StopAndQuarantineFile`, { Comment: 'n8n' }),
			400,
			'MissingRequiredParameter',
		);
		expectMdeError(
			await mde(`${url}/isolate`, { method: 'POST', body: '{not json' }),
			400,
			'InvalidRequestBody',
		);
		expectMdeError(
			await post(`/api/machines/${'0'.repeat(40)}/isolate`, { Comment: 'n8n' }),
			404,
			'ResourceNotFound',
		);
		expect(sim.machineActions).toEqual([]);
	});

	it('answers a second action of the same type while one runs with 400 "Action is already in progress"', async () => {
		const first = await post(`/api/machines/${WORKSTATION}/isolate`, { Comment: 'n8n' });
		expect(first.status).toBe(201);
		const second = await post(`/api/machines/${WORKSTATION}/isolate`, { Comment: 'again' });
		expectMdeError(second, 400, 'ActiveRequestAlreadyExists');
		expect(second.body.error.message).toBe('Action is already in progress');
		// Another type, or the same type on another device, is not blocked.
		expect(
			(await post(`/api/machines/${WORKSTATION}/runAntiVirusScan`, { Comment: 'n8n' })).status,
		).toBe(201);
		expect(
			(await post(`/api/machines/${SEEDED_MACHINE_IDS.storyServer}/isolate`, { Comment: 'n8n' }))
				.status,
		).toBe(201);
		expect(sim.machineActions).toHaveLength(3);
	});

	it('moves Pending -> InProgress -> Succeeded over actionDelayMs, then allows the action again', async () => {
		freezeClock();
		const { body } = await post(`/api/machines/${WORKSTATION}/isolate`, { Comment: 'n8n' });
		const status = async () => (await mde(`/api/machineactions/${body.id}`)).body.status;
		expect(await status()).toBe('Pending');
		advance(600);
		expect(await status()).toBe('InProgress');
		advance(500);
		expect(await status()).toBe('Succeeded');
		expect(sim.getMachineAction(body.id)?.status).toBe('Succeeded');
		expect((await post(`/api/machines/${WORKSTATION}/isolate`, { Comment: 'n8n' })).status).toBe(
			201,
		);
	});

	it('ends Failed on the failing device and TimeOut (never InProgress) on the offline one', async () => {
		freezeClock();
		const failing = await post(
			`/api/machines/${SEEDED_MACHINE_IDS.failingActions}/runAntiVirusScan`,
			{
				Comment: 'n8n',
			},
		);
		const offline = await post(`/api/machines/${SEEDED_MACHINE_IDS.offline}/isolate`, {
			Comment: 'n8n',
		});
		const status = async (id: string) => (await mde(`/api/machineactions/${id}`)).body.status;
		advance(600);
		expect(await status(failing.body.id)).toBe('InProgress');
		expect(await status(offline.body.id)).toBe('Pending');
		advance(500);
		expect(await status(failing.body.id)).toBe('Failed');
		expect(await status(offline.body.id)).toBe('TimeOut');
	});

	it('lists actions newest first with $filter on machineId, type, status, requestor, creationDateTimeUtc and $top', async () => {
		freezeClock();
		const scan = await post(`/api/machines/${WORKSTATION}/runAntiVirusScan`, { Comment: 'n8n' });
		advance(10);
		const marker = new Date().toISOString();
		advance(10);
		const isolate = await post(`/api/machines/${WORKSTATION}/isolate`, { Comment: 'n8n' });
		const server = await post(`/api/machines/${SEEDED_MACHINE_IDS.storyServer}/isolate`, {
			Comment: 'n8n',
		});

		const all = await mde('/api/machineactions');
		expect(ids(all.body.value)).toEqual([server.body.id, isolate.body.id, scan.body.id]);
		const ofDevice = await mde(
			`/api/machineactions?${filter(`machineId eq '${WORKSTATION}' and type eq 'Isolate'`)}`,
		);
		expect(ids(ofDevice.body.value)).toEqual([isolate.body.id]);
		const since = await mde(
			`/api/machineactions?${filter(`machineId eq '${WORKSTATION}' and creationDateTimeUtc ge ${marker}`)}`,
		);
		expect(ids(since.body.value)).toEqual([isolate.body.id]);
		const pending = await mde(
			`/api/machineactions?${filter(`status eq 'Pending' and requestor eq '${sim.clientId}'`)}&$top=2`,
		);
		expect(ids(pending.body.value)).toEqual([server.body.id, isolate.body.id]);
		expect(
			(await mde(`/api/machineactions?${filter(`id eq '${scan.body.id}'`)}`)).body.value,
		).toHaveLength(1);
		expectMdeError(
			await mde(`/api/machineactions?${filter("status eq 'Done'")}`),
			400,
			'ODataError',
		);
		expectMdeError(await mde(`/api/machineactions/${'1'.repeat(8)}`), 404, 'ResourceNotFound');
	});

	it('cancels a Pending action (200, Cancelled) and refuses to cancel a finished one', async () => {
		freezeClock();
		const { body } = await post(`/api/machines/${WORKSTATION}/isolate`, { Comment: 'n8n' });
		expectMdeError(
			await post(`/api/machineactions/${body.id}/cancel`, {}),
			400,
			'MissingRequiredParameter',
		);
		const cancelled = await post(`/api/machineactions/${body.id}/cancel`, { Comment: 'mistake' });
		expect(cancelled.status).toBe(200);
		expect(cancelled.body).toMatchObject({
			id: body.id,
			status: 'Cancelled',
			cancellationComment: 'mistake',
			cancellationRequestor: sim.clientId,
		});
		advance(2000);
		expect((await mde(`/api/machineactions/${body.id}`)).body.status).toBe('Cancelled');
		expectMdeError(
			await post(`/api/machineactions/${body.id}/cancel`, { Comment: 'again' }),
			400,
			'InvalidRequestBody',
		);
	});

	it('serves GetPackageUri only once a CollectInvestigationPackage action has succeeded', async () => {
		freezeClock();
		const scan = await post(`/api/machines/${WORKSTATION}/runAntiVirusScan`, { Comment: 'n8n' });
		const collect = await post(`/api/machines/${WORKSTATION}/collectInvestigationPackage`, {
			Comment: 'n8n',
		});
		expectMdeError(
			await mde(`/api/machineactions/${collect.body.id}/GetPackageUri`),
			404,
			'ResourceNotFound',
		);
		advance(1100);
		expectMdeError(
			await mde(`/api/machineactions/${scan.body.id}/GetPackageUri`),
			404,
			'ResourceNotFound',
		);
		const uri = await mde(`/api/machineactions/${collect.body.id}/getPackageUri`);
		expect(uri.status).toBe(200);
		expect(uri.body.value).toMatch(new RegExp(`^${sim.url}/.+${collect.body.id}\\.zip`));
	});
});

describe('indicators', () => {
	const indicator = (fields: Json = {}) => ({
		indicatorValue: '203.0.113.99',
		indicatorType: 'IpAddress',
		action: 'Block',
		title: 'C2 address',
		description: 'Seen beaconing from WS-FIN-042',
		...fields,
	});

	it('submits (200), updates the same type and value in place, lists with $filter and deletes', async () => {
		const created = await post('/api/indicators', indicator({ severity: 'High' }));
		expect(created.status).toBe(200);
		expect(created.body).toMatchObject({
			indicatorValue: '203.0.113.99',
			indicatorType: 'IpAddress',
			action: 'Block',
			severity: 'High',
			createdBy: sim.clientId,
		});
		const updated = await post('/api/indicators', indicator({ action: 'Warn' }));
		expect(updated.body.id).toBe(created.body.id);
		expect(updated.body.action).toBe('Warn');

		const listed = await mde(
			`/api/indicators?${filter("indicatorType eq 'IpAddress' and indicatorValue eq '203.0.113.99'")}`,
		);
		expect(ids(listed.body.value)).toEqual([created.body.id]);
		const blocks = await mde(`/api/indicators?${filter("action eq 'Block'")}&$top=1`);
		expect(blocks.body.value).toHaveLength(1);
		expect(blocks.body.value[0].action).toBe('Block');

		expect((await mde(`/api/indicators/${created.body.id}`, { method: 'DELETE' })).status).toBe(
			204,
		);
		expectMdeError(
			await mde(`/api/indicators/${created.body.id}`, { method: 'DELETE' }),
			404,
			'ResourceNotFound',
		);
		expect(
			(await mde(`/api/indicators?${filter("indicatorValue eq '203.0.113.99'")}`)).body.value,
		).toEqual([]);
	});

	it.each([
		['FileSha1', 'a'.repeat(39), 'InvalidHashValue'],
		['FileSha256', 'g'.repeat(64), 'InvalidHashValue'],
		['FileMd5', 'a'.repeat(40), 'InvalidHashValue'],
		['CertificateThumbprint', 'a'.repeat(64), 'InvalidHashValue'],
		['IpAddress', '10.0.0.0/8', 'InvalidIpAddress'],
		['IpAddress', '300.1.1.1', 'InvalidIpAddress'],
		['DomainName', 'not a domain', 'InvalidDomainName'],
		['Url', 'ftp://example.com/file', 'InvalidUrl'],
	])('refuses a %s value %s with 400 %s', async (indicatorType, indicatorValue, code) => {
		expectMdeError(
			await post('/api/indicators', indicator({ indicatorType, indicatorValue })),
			400,
			code,
		);
	});

	it.each([
		['FileSha1', 'A'.repeat(40)],
		['FileSha256', 'b'.repeat(64)],
		['FileMd5', 'c'.repeat(32)],
		['CertificateThumbprint', 'd'.repeat(40)],
		['IpAddress', '2001:db8::1'],
		['DomainName', 'evil.example.net'],
		['Url', 'https://evil.example.net/payload'],
	])('accepts a %s value %s', async (indicatorType, indicatorValue) => {
		const { status, body } = await post(
			'/api/indicators',
			indicator({ indicatorType, indicatorValue }),
		);
		expect(status).toBe(200);
		expect(body.indicatorType).toBe(indicatorType);
	});

	it('needs title, description, a known type and action, and generateAlert for Audit', async () => {
		expectMdeError(
			await post('/api/indicators', indicator({ title: undefined })),
			400,
			'MissingRequiredParameter',
		);
		expectMdeError(
			await post('/api/indicators', indicator({ description: '' })),
			400,
			'MissingRequiredParameter',
		);
		expectMdeError(
			await post('/api/indicators', indicator({ indicatorType: 'Ip' })),
			400,
			'InvalidRequestBody',
		);
		expectMdeError(
			await post('/api/indicators', indicator({ action: 'Deny' })),
			400,
			'InvalidRequestBody',
		);
		expectMdeError(
			await post('/api/indicators', indicator({ action: 'Audit' })),
			400,
			'InvalidRequestBody',
		);
		expect(
			(await post('/api/indicators', indicator({ action: 'Audit', generateAlert: true }))).status,
		).toBe(200);
	});

	it('imports a batch with a result per entry and refuses more than 500', async () => {
		const result = await post('/api/indicators/import', {
			Indicators: [
				indicator({ indicatorValue: '192.0.2.10' }),
				indicator({ indicatorValue: '192.0.2.0/24' }),
				indicator({ indicatorType: 'DomainName', indicatorValue: 'bad-domain.example' }),
			],
		});
		expect(result.status).toBe(200);
		expect(result.body.value).toEqual([
			{ id: expect.any(String), indicator: '192.0.2.10', isFailed: false, failureReason: null },
			{
				id: null,
				indicator: '192.0.2.0/24',
				isFailed: true,
				failureReason: expect.stringContaining('CIDR'),
			},
			{
				id: expect.any(String),
				indicator: 'bad-domain.example',
				isFailed: false,
				failureReason: null,
			},
		]);
		const tooMany = Array.from({ length: 501 }, (_, index) =>
			indicator({ indicatorValue: `198.18.${Math.floor(index / 250)}.${index % 250}` }),
		);
		expectMdeError(
			await post('/api/indicators/import', { Indicators: tooMany }),
			400,
			'MaximumBatchSizeExceeded',
		);
		expectMdeError(
			await post('/api/indicators/import', { indicators: [] }),
			400,
			'MissingRequiredParameter',
		);
		const exactly500 = await post('/api/indicators/import', { Indicators: tooMany.slice(0, 500) });
		expect(exactly500.body.value.filter((entry: Json) => entry.isFailed)).toEqual([]);
	});

	it('caps the tenant: further submits are 400, further import entries fail, updates still pass', async () => {
		const held = sim.endpointState().indicators.length;
		sim.configure({ indicatorCapacity: held + 1 });
		expect((await post('/api/indicators', indicator({ indicatorValue: '192.0.2.1' }))).status).toBe(
			200,
		);
		const over = await post('/api/indicators', indicator({ indicatorValue: '192.0.2.2' }));
		expectMdeError(over, 400, 'BadRequest');
		expect(over.body.error.message).toContain(String(held + 1));
		const imported = await post('/api/indicators/import', {
			Indicators: [
				indicator({ indicatorValue: '192.0.2.1', action: 'Warn' }),
				indicator({ indicatorValue: '192.0.2.3' }),
			],
		});
		expect(imported.body.value.map((entry: Json) => entry.isFailed)).toEqual([false, true]);
		expect(sim.endpointState().indicators).toHaveLength(held + 1);
	});
});

describe('limits, audience and error shape', () => {
	it('answers 429 with Retry-After in MDE shape past the per-minute budget, per app, Graph untouched', async () => {
		sim.configure({ endpointRateLimits: { perMinute: 3 } });
		expect(sim.settings().endpointRateLimits).toEqual({ ...ENDPOINT_RATE_LIMITS, perMinute: 3 });
		for (let call = 0; call < 3; call += 1)
			expect((await mde('/api/machines?$top=1')).status).toBe(200);
		const limited = await mde('/api/indicators');
		expectMdeError(limited, 429, 'TooManyRequests');
		const retryAfter = Number(limited.headers.get('retry-after'));
		expect(retryAfter).toBeGreaterThan(0);
		expect(retryAfter).toBeLessThanOrEqual(60);
		expect(sim.requests.at(-1)).toMatchObject({ status: 429, fault: 'rateLimit' });

		sim.registerApp({ clientId: 'other-app', clientSecret: 'other-secret' });
		const otherToken = sim.issueEndpointToken({ clientId: 'other-app' });
		expect((await mde('/api/machines?$top=1', { token: otherToken })).status).toBe(200);
		const graph = await fetch(`${sim.url}/v1.0/security/incidents?$top=1`, {
			headers: { authorization: `Bearer ${sim.issueToken()}` },
		});
		expect(graph.status).toBe(200);
	});

	it('gives import and GetPackageUri their own lower budgets', async () => {
		sim.configure({ endpointRateLimits: { importPerMinute: 1, packageUriPerMinute: 2 } });
		expect((await post('/api/indicators/import', { Indicators: [] })).status).toBe(200);
		expectMdeError(
			await post('/api/indicators/import', { Indicators: [] }),
			429,
			'TooManyRequests',
		);
		const id = '00000000-0000-4000-a000-000000000000';
		expect((await mde(`/api/machineactions/${id}/GetPackageUri`)).status).toBe(404);
		expect((await mde(`/api/machineactions/${id}/GetPackageUri`)).status).toBe(404);
		expectMdeError(await mde(`/api/machineactions/${id}/GetPackageUri`), 429, 'TooManyRequests');
		expect((await mde('/api/machines?$top=1')).status).toBe(200);
	});

	it('refuses Graph tokens on /api/ with 403 and takes a token from the token endpoint with the MDE scope', async () => {
		const customGraph = await mde('/api/machines', { token: sim.issueToken() });
		expectMdeError(customGraph, 403, 'Forbidden');
		expect(customGraph.body.error.message).toContain(ENDPOINT_SCOPE);
		expectMdeError(
			await mde('/api/machines', {
				token: sim.issueToken({ scope: 'https://graph.microsoft.com/.default' }),
			}),
			403,
			'Forbidden',
		);

		const response = await fetch(sim.tokenUrl, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({
				grant_type: 'client_credentials',
				client_id: sim.clientId,
				client_secret: sim.clientSecret,
				scope: 'https://api.securitycenter.microsoft.com/.default',
			}),
		});
		const { access_token: accessToken } = (await response.json()) as Json;
		expect((await mde('/api/machines?$top=1', { token: accessToken })).status).toBe(200);
		expectMdeError(
			await mde('/api/machines', { token: 'not-a-token' }),
			401,
			'InvalidAuthenticationToken',
		);
		for (const scope of [
			'offline_access https://api.securitycenter.microsoft.com/.default',
			'https://api.securitycenter.microsoft.com/Machine.Isolate offline_access',
			'https://securitycenter.onmicrosoft.com/windowsatpservice/.default',
		])
			expect((await mde('/api/machines?$top=1', { token: sim.issueToken({ scope }) })).status).toBe(
				200,
			);
	});

	it('answers scripted faults on an /api/ path in MDE shape, and unknown routes with 404', async () => {
		sim.injectFault({ path: /^\/api\/machines$/, fault: '503' });
		expectMdeError(await mde('/api/machines'), 503, 'ServiceUnavailable');
		expect((await mde('/api/machines')).status).toBe(200);
		expectMdeError(await mde('/api/alerts-nope'), 404, 'ResourceNotFound');
	});
});
