// @ts-check
'use strict';

// The Defender for Endpoint API under /api/: machines, machine actions (Pending -> InProgress -> outcome over
// actionDelayMs), indicators, its limits and its audience check. Query options: endpointOData.js.

const { randomUUID } = require('node:crypto');
const { isIP } = require('node:net');
const { EndpointError } = require('./responses');
const { queryCollection } = require('./endpointOData');
const { audienceOf } = require('./token');
const {
	ACTION_BEHAVIOUR,
	SEEDED_MACHINE_IDS,
	seedMachines,
	seedIndicators,
} = require('./endpointSeed');

/**
 * @typedef {Record<string, any>} Entity
 * @typedef {import('./responses').Reply} Reply
 * @typedef {{ action: Entity, startsAt: number, settlesAt: number, outcome: 'Succeeded' | 'Failed' | 'TimeOut' }} ActionRecord
 * @typedef {{ perMinute: number, perHour: number, importPerMinute: number, packageUriPerMinute: number,
 *   packageUriPerHour: number }} EndpointRateLimits
 * @typedef {{
 *   method: string, url: URL, body: string, origin: string, requestor: string, actionDelayMs: number,
 *   indicatorCapacity: number,
 * }} EndpointRequest
 */

/** The audiences the API takes tokens for: its resource URI, the WindowsDefenderATP app ID URIs and app ID. */
const ENDPOINT_AUDIENCES = Object.freeze([
	'https://api.securitycenter.microsoft.com',
	'https://securitycenter.onmicrosoft.com/windowsatpservice',
	'https://securitycenter.onmicrosoft.us/windowsatpservice',
	'fc780465-2017-40d4-a0c5-307022471b92',
]);
const ENDPOINT_SCOPE = 'https://api.securitycenter.microsoft.com/.default';

/** Microsoft's documented limits per app per tenant; the `endpointRateLimits` setting defaults to off. */
const ENDPOINT_RATE_LIMITS = Object.freeze({
	perMinute: 100,
	perHour: 1500,
	importPerMinute: 30,
	packageUriPerMinute: 2,
	packageUriPerHour: 120,
});

const ENDPOINT_PATH = /^\/api(\/v1\.0)?(\/.*)?$/i;
const MAX_IMPORT = 500;
const FINDBYIP_WINDOW_MS = 15 * 60_000;
const FINDBYIP_MAX_AGE_MS = 30 * 86_400_000;
const ACTIVE_STATUSES = Object.freeze(['Pending', 'InProgress']);

const HEALTH_STATUSES = [
	'Active',
	'Inactive',
	'ImpairedCommunication',
	'NoSensorData',
	'NoSensorDataImpairedCommunication',
	'Unknown',
];
const RISK_SCORES = ['None', 'Informational', 'Low', 'Medium', 'High'];
const EXPOSURE_LEVELS = ['None', 'Low', 'Medium', 'High'];
const ACTION_STATUSES = ['Pending', 'InProgress', 'Succeeded', 'Failed', 'TimeOut', 'Cancelled'];
const ACTION_TYPES = [
	'RunAntiVirusScan',
	'Offboard',
	'LiveResponse',
	'CollectInvestigationPackage',
	'Isolate',
	'Unisolate',
	'StopAndQuarantineFile',
	'RestrictCodeExecution',
	'UnrestrictCodeExecution',
];
const INDICATOR_TYPES = [
	'FileSha1',
	'FileSha256',
	'FileMd5',
	'CertificateThumbprint',
	'IpAddress',
	'DomainName',
	'Url',
];
const INDICATOR_ACTIONS = [
	'Allowed',
	'Audit',
	'Warn',
	'Block',
	'BlockAndRemediate',
	'Alert',
	'AlertAndBlock',
];
const SEVERITIES = ['Informational', 'Low', 'Medium', 'High'];

/**
 * The POST /api/machines/{id}/{action} endpoints by lower-cased path segment: the MachineAction type and the body
 * field that becomes the action's `scope`.
 * @type {Record<string, { type: string, scope?: { field: string, values: string[], default: string } }>}
 */
const MACHINE_ACTIONS = {
	isolate: {
		type: 'Isolate',
		scope: {
			field: 'IsolationType',
			values: ['Full', 'Selective', 'UnManagedDevice'],
			default: 'Full',
		},
	},
	unisolate: { type: 'Unisolate' },
	runantivirusscan: {
		type: 'RunAntiVirusScan',
		scope: { field: 'ScanType', values: ['Quick', 'Full'], default: 'Full' },
	},
	collectinvestigationpackage: { type: 'CollectInvestigationPackage' },
	restrictcodeexecution: { type: 'RestrictCodeExecution' },
	unrestrictcodeexecution: { type: 'UnrestrictCodeExecution' },
	stopandquarantinefile: { type: 'StopAndQuarantineFile' },
};

/** Hash lengths per indicator type whose value is a hex digest. */
const HASH_LENGTHS = /** @type {Record<string, number>} */ ({
	FileSha1: 40,
	FileSha256: 64,
	FileMd5: 32,
	CertificateThumbprint: 40,
});

/** @param {number} ms */
const iso = (ms) => new Date(ms).toISOString();

/** @param {string} message */
const badRequest = (message) => new EndpointError(400, 'InvalidRequestBody', message);
/** @param {string} name */
const missing = (name) =>
	new EndpointError(
		400,
		'MissingRequiredParameter',
		`The required parameter '${name}' is missing.`,
	);
/** @param {string} message */
const notFound = (message) => new EndpointError(404, 'ResourceNotFound', message);

class EndpointStore {
	constructor() {
		/** @type {Map<string, Entity>} */
		this.machines = new Map();
		/** @type {Map<string, ActionRecord>} creation order */
		this.actions = new Map();
		/** @type {Map<string, Entity>} */
		this.indicators = new Map();
		/** @type {Map<string, string>} indicator ID by type and value, so a 15,000-indicator import is not quadratic */
		this.indicatorIdsByKey = new Map();
		this.nextIndicatorId = 1;
		this.added = 0;
		this.reset();
	}

	reset() {
		this.machines = new Map(seedMachines(Date.now()).map((machine) => [machine.id, machine]));
		this.actions = new Map();
		this.indicators = new Map(seedIndicators().map((indicator) => [indicator.id, indicator]));
		this.indicatorIdsByKey = new Map(
			[...this.indicators.values()].map((indicator) => [
				indicatorKey(indicator.indicatorType, indicator.indicatorValue),
				indicator.id,
			]),
		);
		this.nextIndicatorId = 6001;
		this.added = 0;
	}

	/** Moves actions along by the clock; called before every read. */
	settle(now = Date.now()) {
		for (const record of this.actions.values()) {
			const { action } = record;
			if (!ACTIVE_STATUSES.includes(action.status)) continue;
			if (now >= record.settlesAt) {
				action.status = record.outcome;
				action.lastUpdateDateTimeUtc = iso(record.settlesAt);
				if (record.outcome === 'Failed') action.errorHResult = -2147467259;
			} else if (
				action.status === 'Pending' &&
				record.outcome !== 'TimeOut' &&
				now >= record.startsAt
			) {
				action.status = 'InProgress';
				action.lastUpdateDateTimeUtc = iso(record.startsAt);
			}
		}
	}

	/** @param {string} idOrName a machine ID or computer DNS name, any case */
	findMachine(idOrName) {
		const key = idOrName.toLowerCase();
		return (
			this.machines.get(key) ??
			[...this.machines.values()].find((machine) => machine.computerDnsName.toLowerCase() === key)
		);
	}

	/** @param {string} idOrName */
	requireMachine(idOrName) {
		const machine = this.findMachine(idOrName);
		if (!machine) throw notFound(`Machine ${idOrName} was not found.`);
		return machine;
	}

	/** @param {string} id */
	requireAction(id) {
		this.settle();
		const record = this.actions.get(id.toLowerCase());
		if (!record) throw notFound(`Machine action ${id} was not found.`);
		return record;
	}

	/** @returns {Entity[]} settled actions, newest first */
	listActions() {
		this.settle();
		return [...this.actions.values()].map((record) => record.action).reverse();
	}

	/**
	 * @param {Entity} machine
	 * @param {string} type
	 * @param {{ requestor: string, comment: string, scope: string | null, sha1?: string, delayMs: number }} request
	 */
	createAction(machine, type, { requestor, comment, scope, sha1, delayMs }) {
		this.settle();
		const running = [...this.actions.values()].some(
			({ action }) =>
				action.machineId === machine.id &&
				action.type === type &&
				ACTIVE_STATUSES.includes(action.status),
		);
		if (running)
			throw new EndpointError(400, 'ActiveRequestAlreadyExists', 'Action is already in progress');
		const now = Date.now();
		const behaviour = ACTION_BEHAVIOUR[machine.id] ?? 'succeeds';
		/** @type {Entity} */
		const action = {
			id: randomUUID(),
			type,
			title: null,
			requestor,
			requestorComment: comment,
			status: 'Pending',
			machineId: machine.id,
			computerDnsName: machine.computerDnsName,
			creationDateTimeUtc: iso(now),
			lastUpdateDateTimeUtc: iso(now),
			cancellationRequestor: null,
			cancellationComment: null,
			cancellationDateTimeUtc: null,
			errorHResult: 0,
			scope,
			externalId: null,
			requestSource: 'PublicApi',
			relatedFileInfo: sha1 ? { fileIdentifier: sha1, fileIdentifierType: 'Sha1' } : null,
			commands: [],
			troubleshootInfo: null,
		};
		this.actions.set(action.id, {
			action,
			startsAt: now + delayMs / 2,
			settlesAt: now + delayMs,
			outcome:
				behaviour === 'fails' ? 'Failed' : behaviour === 'timesOut' ? 'TimeOut' : 'Succeeded',
		});
		return action;
	}

	/**
	 * @param {string} id
	 * @param {string} requestor
	 * @param {string} comment
	 */
	cancelAction(id, requestor, comment) {
		const { action } = this.requireAction(id);
		if (!ACTIVE_STATUSES.includes(action.status))
			throw new EndpointError(
				400,
				'InvalidRequestBody',
				`Machine action ${action.id} is ${action.status} and can no longer be cancelled.`,
			);
		const now = iso(Date.now());
		Object.assign(action, {
			status: 'Cancelled',
			cancellationRequestor: requestor,
			cancellationComment: comment,
			cancellationDateTimeUtc: now,
			lastUpdateDateTimeUtc: now,
		});
		return action;
	}

	/** @returns {Entity[]} indicators not yet expired */
	activeIndicators() {
		const now = Date.now();
		return [...this.indicators.values()].filter(
			(indicator) => !indicator.expirationTime || Date.parse(indicator.expirationTime) > now,
		);
	}

	/**
	 * Creates or updates the indicator with this type and value.
	 * @param {Entity} fields checked fields
	 * @param {string} requestor
	 * @param {number} capacity
	 */
	upsertIndicator(fields, requestor, capacity) {
		const key = indicatorKey(fields.indicatorType, fields.indicatorValue);
		// A deleted indicator leaves its key behind; the ID then finds nothing.
		const knownId = this.indicatorIdsByKey.get(key);
		const existing = knownId === undefined ? undefined : this.indicators.get(knownId);
		const now = iso(Date.now());
		if (existing) {
			Object.assign(existing, fields, { lastUpdateTime: now, lastUpdatedBy: requestor });
			return existing;
		}
		if (this.indicators.size >= capacity)
			throw new EndpointError(
				400,
				'BadRequest',
				`The tenant has reached its limit of ${capacity} indicators. Delete indicators before adding new ones.`,
			);
		const indicator = {
			id: String(this.nextIndicatorId++),
			indicatorValue: fields.indicatorValue,
			indicatorType: fields.indicatorType,
			action: fields.action,
			application: null,
			source: requestor,
			sourceType: 'AadApp',
			createdBy: requestor,
			createdBySource: 'PublicApi',
			createdByDisplayName: requestor,
			severity: 'Informational',
			category: 1,
			title: fields.title,
			description: fields.description,
			recommendedActions: null,
			creationTimeDateTimeUtc: now,
			expirationTime: null,
			lastUpdateTime: now,
			lastUpdatedBy: requestor,
			rbacGroupNames: [],
			rbacGroupIds: [],
			generateAlert: false,
			educateUrl: null,
			...fields,
		};
		this.indicators.set(indicator.id, indicator);
		this.indicatorIdsByKey.set(key, indicator.id);
		return indicator;
	}

	/** @param {Entity} partial */
	addMachine(partial = {}) {
		const name = partial.computerDnsName ?? `sim-added-${String(++this.added).padStart(3, '0')}`;
		const template = structuredClone(this.requireMachine(SEEDED_MACHINE_IDS.storyWorkstation));
		const id = String(partial.id ?? randomHexId()).toLowerCase();
		if (this.machines.has(id)) throw new Error(`A machine with ID ${id} already exists`);
		const machine = {
			...template,
			riskScore: 'None',
			exposureLevel: 'Low',
			machineTags: [],
			aadDeviceId: null,
			isAadJoined: false,
			lastSeen: iso(Date.now()),
			...partial,
			id,
			computerDnsName: name,
		};
		this.machines.set(id, machine);
		return structuredClone(machine);
	}

	snapshot() {
		this.settle();
		return structuredClone({
			machines: [...this.machines.values()],
			machineActions: [...this.actions.values()].map((record) => record.action),
			indicators: [...this.indicators.values()],
		});
	}
}

const randomHexId = () =>
	randomUUID().replace(/-/g, '') + randomUUID().replace(/-/g, '').slice(0, 8);

/**
 * @param {string} type
 * @param {string} value
 */
const indicatorKey = (type, value) => `${type}:${String(value).toLowerCase()}`;

/**
 * Where a request counts against the limits: every /api call counts per minute and per hour; import and
 * GetPackageUri also have their own, lower budgets.
 * @param {string} pathname
 * @returns {'import' | 'packageUri' | null}
 */
function limitBucket(pathname) {
	if (/\/indicators\/import$/i.test(pathname)) return 'import';
	if (/\/machineactions\/[^/]+\/getpackageuri$/i.test(pathname)) return 'packageUri';
	return null;
}

/**
 * The budgets a request must fit in, as [key suffix, requests, window seconds].
 * @param {string} pathname
 * @param {EndpointRateLimits} limits
 * @returns {[string, number, number][]}
 */
function budgetsFor(pathname, limits) {
	/** @type {[string, number, number][]} */
	const budgets = [
		['minute', limits.perMinute, 60],
		['hour', limits.perHour, 3600],
	];
	const bucket = limitBucket(pathname);
	if (bucket === 'import') budgets.push(['import', limits.importPerMinute, 60]);
	if (bucket === 'packageUri')
		budgets.push(
			['packageUri', limits.packageUriPerMinute, 60],
			['packageUriHour', limits.packageUriPerHour, 3600],
		);
	return budgets;
}

/**
 * Rejects a token issued for another API (Graph, or the simulator's own origin as a custom Graph root), as MDE does.
 * @param {{ scope: string }} token
 */
function checkAudience(token) {
	const audience = audienceOf(token.scope);
	const lower = audience.toLowerCase();
	// A delegated scope names a permission after the resource (…/Machine.Isolate): the resource is what counts.
	if (!ENDPOINT_AUDIENCES.some((known) => lower === known || lower.startsWith(`${known}/`)))
		throw new EndpointError(
			403,
			'Forbidden',
			`The access token's audience '${audience}' is not the Defender for Endpoint API. Request the token with the scope ${ENDPOINT_SCOPE}.`,
		);
}

/**
 * @param {EndpointStore} store
 * @param {EndpointRequest} request
 * @returns {Reply}
 */
function handleEndpoint(store, request) {
	const { method, url } = request;
	const match = ENDPOINT_PATH.exec(url.pathname);
	const segments = (match?.[2] ?? '').split('/').filter(Boolean).map(decodeSegment);
	const [collection = '', id, verb, ...rest] = segments;
	const kind = collection.toLowerCase();
	const context = (/** @type {string} */ name) => `${request.origin}/api/$metadata#${name}`;
	/** @param {string[]} allowed */
	const only = (...allowed) => {
		if (!allowed.includes(method))
			throw new EndpointError(
				405,
				'MethodNotAllowed',
				`${method} is not supported on ${url.pathname}.`,
			);
	};
	if (rest.length > 0) throw noRoute(url);

	if (kind === 'machines') {
		if (id === undefined) {
			only('GET');
			return queryCollection(
				[...store.machines.values()],
				url.searchParams,
				MACHINE_RULES,
				context('Machines'),
			);
		}
		if (verb === undefined) {
			only('GET');
			const byIp = /^findbyip\(ip='([^']*)',timestamp=([^)]+)\)$/i.exec(id);
			if (byIp) return findByIp(store, byIp[1], byIp[2], context('Machines'));
			return ok({
				'@odata.context': `${context('Machines')}/$entity`,
				...store.requireMachine(id),
			});
		}
		only('POST');
		const definition = MACHINE_ACTIONS[verb.toLowerCase()];
		if (!definition) throw noRoute(url);
		const machine = store.machines.get(id.toLowerCase());
		if (!machine) throw notFound(`Machine ${id} was not found.`);
		const body = parseBody(request.body);
		const comment = requireComment(body);
		let scope = null;
		if (definition.scope) {
			const value = body[definition.scope.field] ?? definition.scope.default;
			if (!definition.scope.values.includes(value))
				throw badRequest(
					`${definition.scope.field} '${value}' is not valid. Use one of: ${definition.scope.values.join(', ')}.`,
				);
			scope = value;
		}
		let sha1;
		if (definition.type === 'StopAndQuarantineFile') {
			if (body.Sha1 === undefined || body.Sha1 === null || body.Sha1 === '') throw missing('Sha1');
			if (typeof body.Sha1 !== 'string' || !/^[0-9a-f]{40}$/i.test(body.Sha1))
				throw badRequest(`Sha1 '${body.Sha1}' is not a SHA-1 hash (40 hexadecimal characters).`);
			sha1 = body.Sha1.toLowerCase();
		}
		const action = store.createAction(machine, definition.type, {
			requestor: request.requestor,
			comment,
			scope,
			sha1,
			delayMs: request.actionDelayMs,
		});
		return {
			status: 201,
			body: {
				'@odata.context': `${context('MachineActions')}/$entity`,
				...structuredClone(action),
			},
		};
	}

	if (kind === 'machineactions') {
		if (id === undefined) {
			only('GET');
			return queryCollection(
				store.listActions(),
				url.searchParams,
				ACTION_RULES,
				context('MachineActions'),
			);
		}
		const lowerVerb = verb?.toLowerCase();
		if (lowerVerb === undefined) {
			only('GET');
			const { action } = store.requireAction(id);
			return ok({ '@odata.context': `${context('MachineActions')}/$entity`, ...action });
		}
		if (lowerVerb === 'cancel') {
			only('POST');
			const comment = requireComment(parseBody(request.body));
			const action = store.cancelAction(id, request.requestor, comment);
			return ok({ '@odata.context': `${context('MachineActions')}/$entity`, ...action });
		}
		if (lowerVerb === 'getpackageuri') {
			only('GET');
			const { action } = store.requireAction(id);
			if (action.type !== 'CollectInvestigationPackage' || action.status !== 'Succeeded')
				throw notFound(
					`No investigation package for machine action ${action.id} (${action.type}, ${action.status}).`,
				);
			return ok({
				'@odata.context': `${request.origin}/api/$metadata#Edm.String`,
				value: `${request.origin}/investigation-packages/${action.id}.zip?sv=simulated&sig=simulated`,
			});
		}
		throw noRoute(url);
	}

	if (kind === 'indicators') {
		if (id === undefined) {
			if (method === 'GET')
				return queryCollection(
					store.activeIndicators(),
					url.searchParams,
					INDICATOR_RULES,
					context('Indicators'),
				);
			only('POST');
			const fields = checkIndicator(parseBody(request.body));
			const indicator = store.upsertIndicator(fields, request.requestor, request.indicatorCapacity);
			return ok({ '@odata.context': `${context('Indicators')}/$entity`, ...indicator });
		}
		if (verb !== undefined) throw noRoute(url);
		if (id.toLowerCase() === 'import') {
			only('POST');
			return importIndicators(store, request);
		}
		only('DELETE');
		if (!store.indicators.delete(id)) throw notFound(`Indicator ${id} was not found.`);
		return { status: 204 };
	}

	throw noRoute(url);
}

/** @param {string} segment */
function decodeSegment(segment) {
	try {
		return decodeURIComponent(segment);
	} catch {
		throw new EndpointError(400, 'InvalidInput', `The path segment '${segment}' is not valid.`);
	}
}

/** @param {URL} url */
const noRoute = (url) => notFound(`No Defender for Endpoint API resource at ${url.pathname}.`);

/** @param {unknown} body */
const ok = (body) => ({ status: 200, body: structuredClone(body) });

/** @param {string} text */
function parseBody(text) {
	if (!text.trim()) return {};
	let body;
	try {
		body = JSON.parse(text);
	} catch {
		throw badRequest('The request body is not valid JSON.');
	}
	if (!body || typeof body !== 'object' || Array.isArray(body))
		throw badRequest('The request body must be a JSON object.');
	return /** @type {Entity} */ (body);
}

/** Properties are case-sensitive, as on the real API: `comment` is not `Comment`. @param {Entity} body */
function requireComment(body) {
	if (typeof body.Comment !== 'string' || body.Comment.trim() === '') throw missing('Comment');
	return body.Comment;
}

/**
 * @param {EndpointStore} store
 * @param {string} ip
 * @param {string} timestampText
 * @param {string} odataContext
 */
function findByIp(store, ip, timestampText, odataContext) {
	if (isIP(ip) === 0)
		throw new EndpointError(400, 'InvalidIpAddress', `'${ip}' is not an IP address.`);
	const timestamp = Date.parse(timestampText.replace(/^'|'$/g, ''));
	if (Number.isNaN(timestamp))
		throw new EndpointError(400, 'InvalidInput', `'${timestampText}' is not a valid timestamp.`);
	if (timestamp < Date.now() - FINDBYIP_MAX_AGE_MS)
		throw new EndpointError(
			400,
			'InvalidInput',
			'The timestamp is older than 30 days. findbyip only looks back 30 days.',
		);
	const from = timestamp - FINDBYIP_WINDOW_MS;
	const to = timestamp + FINDBYIP_WINDOW_MS;
	const value = [...store.machines.values()].filter(
		(machine) =>
			(machine.lastIpAddress === ip ||
				machine.ipAddresses.some((/** @type {Entity} */ address) => address.ipAddress === ip)) &&
			Date.parse(machine.firstSeen) <= to &&
			Date.parse(machine.lastSeen) >= from,
	);
	return ok({ '@odata.context': odataContext, value });
}

/**
 * Checks one indicator as POST /api/indicators and each import entry take it.
 * @param {Entity} body
 * @returns {Entity} the fields to store
 */
function checkIndicator(body) {
	for (const name of ['indicatorValue', 'indicatorType', 'action', 'title', 'description'])
		if (typeof body[name] !== 'string' || body[name].trim() === '') throw missing(name);
	const { indicatorType, action } = body;
	if (!INDICATOR_TYPES.includes(indicatorType))
		throw badRequest(
			`indicatorType '${indicatorType}' is not valid. Use one of: ${INDICATOR_TYPES.join(', ')}.`,
		);
	if (!INDICATOR_ACTIONS.includes(action))
		throw badRequest(
			`action '${action}' is not valid. Use one of: ${INDICATOR_ACTIONS.join(', ')}.`,
		);
	const indicatorValue = body.indicatorValue.trim();
	checkIndicatorValue(indicatorType, indicatorValue);
	if (body.severity !== undefined && body.severity !== null && !SEVERITIES.includes(body.severity))
		throw badRequest(
			`severity '${body.severity}' is not valid. Use one of: ${SEVERITIES.join(', ')}.`,
		);
	if (body.generateAlert !== undefined && typeof body.generateAlert !== 'boolean')
		throw badRequest('generateAlert must be true or false.');
	if (action === 'Audit' && body.generateAlert !== true)
		throw badRequest("An indicator with action 'Audit' needs generateAlert set to true.");
	if (body.expirationTime != null && Number.isNaN(Date.parse(body.expirationTime)))
		throw badRequest(`expirationTime '${body.expirationTime}' is not a valid date and time.`);
	if (body.rbacGroupNames !== undefined && !Array.isArray(body.rbacGroupNames))
		throw badRequest('rbacGroupNames must be an array of device group names.');
	/** @type {Entity} */
	const fields = {
		indicatorValue,
		indicatorType,
		action,
		title: body.title,
		description: body.description,
	};
	for (const name of [
		'application',
		'expirationTime',
		'severity',
		'recommendedActions',
		'rbacGroupNames',
		'educateUrl',
		'generateAlert',
	])
		if (body[name] !== undefined) fields[name] = body[name];
	return fields;
}

/**
 * @param {string} type
 * @param {string} value
 */
function checkIndicatorValue(type, value) {
	const hashLength = HASH_LENGTHS[type];
	if (hashLength !== undefined) {
		if (!new RegExp(`^[0-9a-fA-F]{${hashLength}}$`).test(value))
			throw new EndpointError(
				400,
				'InvalidHashValue',
				`'${value}' is not a valid ${type} value (${hashLength} hexadecimal characters).`,
			);
		return;
	}
	if (type === 'IpAddress') {
		if (isIP(value) === 0)
			throw new EndpointError(
				400,
				'InvalidIpAddress',
				`'${value}' is not a valid IP address (IPv4 or IPv6, without a CIDR range).`,
			);
		return;
	}
	if (type === 'DomainName') {
		if (!isDomainName(value))
			throw new EndpointError(400, 'InvalidDomainName', `'${value}' is not a valid domain name.`);
		return;
	}
	let parsed;
	try {
		parsed = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
	} catch {
		parsed = null;
	}
	if (!parsed || !['http:', 'https:'].includes(parsed.protocol) || !isDomainName(parsed.hostname))
		throw new EndpointError(400, 'InvalidUrl', `'${value}' is not a valid URL.`);
}

/** @param {string} value */
const isDomainName = (value) =>
	value.length <= 253 &&
	/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i.test(value);

/**
 * @param {EndpointStore} store
 * @param {EndpointRequest} request
 * @returns {Reply}
 */
function importIndicators(store, request) {
	const body = parseBody(request.body);
	if (body.Indicators === undefined) throw missing('Indicators');
	if (!Array.isArray(body.Indicators)) throw badRequest('Indicators must be an array.');
	if (body.Indicators.length > MAX_IMPORT)
		throw new EndpointError(
			400,
			'MaximumBatchSizeExceeded',
			`An import takes at most ${MAX_IMPORT} indicators; this one has ${body.Indicators.length}.`,
		);
	const value = body.Indicators.map((/** @type {unknown} */ entry) => {
		const indicator =
			entry && typeof entry === 'object' ? /** @type {Entity} */ (entry).indicatorValue : undefined;
		try {
			if (!entry || typeof entry !== 'object' || Array.isArray(entry))
				throw badRequest('Each indicator must be a JSON object.');
			const fields = checkIndicator(/** @type {Entity} */ (entry));
			const saved = store.upsertIndicator(fields, request.requestor, request.indicatorCapacity);
			return {
				id: saved.id,
				indicator: saved.indicatorValue,
				isFailed: false,
				failureReason: null,
			};
		} catch (error) {
			if (!(error instanceof EndpointError)) throw error;
			return {
				id: null,
				indicator: indicator ?? null,
				isFailed: true,
				failureReason: error.message,
			};
		}
	});
	return ok({
		'@odata.context': `${request.origin}/api/$metadata#Collection(microsoft.windowsDefenderATP.api.ImportIndicatorResult)`,
		value,
	});
}

// What each collection lets $filter use (the parser is endpointOData.js).

/** @typedef {import('./endpointOData').MdeRules} MdeRules */

const TEXT = ['eq', 'ne', 'startswith'];
const ENUM = ['eq', 'ne'];
const DATES = ['eq', 'ne', 'gt', 'ge', 'lt', 'le'];

/** @type {MdeRules} */
const MACHINE_RULES = {
	name: 'machines',
	properties: {
		id: { kind: 'string', operators: TEXT },
		computerDnsName: { kind: 'string', operators: [...TEXT, 'gt', 'ge'] },
		version: { kind: 'string', operators: TEXT },
		deviceValue: { kind: 'string', operators: ENUM, values: ['Low', 'Normal', 'High'] },
		aadDeviceId: { kind: 'string', operators: ENUM },
		machineTags: { kind: 'tags', operators: ['eq', 'startswith'] },
		lastSeen: { kind: 'dateTime', operators: DATES },
		exposureLevel: { kind: 'string', operators: ENUM, values: EXPOSURE_LEVELS },
		onboardingStatus: {
			kind: 'string',
			operators: ENUM,
			values: ['Onboarded', 'CanBeOnboarded', 'Unsupported', 'InsufficientInfo'],
		},
		lastIpAddress: { kind: 'string', operators: TEXT },
		healthStatus: { kind: 'string', operators: ENUM, values: HEALTH_STATUSES },
		osPlatform: { kind: 'string', operators: TEXT },
		riskScore: { kind: 'string', operators: ENUM, values: RISK_SCORES },
		rbacGroupId: { kind: 'number', operators: ['eq', 'ne'] },
	},
};

/** @type {MdeRules} */
const ACTION_RULES = {
	name: 'machineactions',
	properties: {
		id: { kind: 'string', operators: ['eq'] },
		status: { kind: 'string', operators: ['eq', 'ne'], values: ACTION_STATUSES },
		machineId: { kind: 'string', operators: ['eq'] },
		type: { kind: 'string', operators: ['eq', 'ne'], values: ACTION_TYPES },
		requestor: { kind: 'string', operators: ['eq'] },
		creationDateTimeUtc: { kind: 'dateTime', operators: DATES },
	},
};

/** @type {MdeRules} */
const INDICATOR_RULES = {
	name: 'indicators',
	properties: {
		indicatorValue: { kind: 'string', operators: ['eq'] },
		indicatorType: { kind: 'string', operators: ['eq'], values: INDICATOR_TYPES },
		action: { kind: 'string', operators: ['eq'], values: INDICATOR_ACTIONS },
		severity: { kind: 'string', operators: ['eq'], values: SEVERITIES },
		title: { kind: 'string', operators: ['eq'] },
		createdBy: { kind: 'string', operators: ['eq'] },
	},
};

module.exports = {
	EndpointStore,
	handleEndpoint,
	checkAudience,
	budgetsFor,
	ENDPOINT_PATH,
	ENDPOINT_AUDIENCES,
	ENDPOINT_SCOPE,
	ENDPOINT_RATE_LIMITS,
	MACHINE_ACTIONS,
};
