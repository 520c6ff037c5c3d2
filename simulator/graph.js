// @ts-check
'use strict';

// The Graph routes: /beta/security/incidentTasks (list, get, patch, executeResponseAction, incident),
// /{beta|v1.0}/security/incidents and /{beta|v1.0}/security/alerts_v2 (list, get, patch, comments),
// /{beta|v1.0}/security/runHuntingQuery, and /{beta|v1.0}/security/identities/identityAccounts (list, get, invokeAction).

const { GraphError } = require('./responses');
const { pageCollection, project, readQueryOptions } = require('./odata');
const { runHuntingQuery } = require('./hunting');
const {
	IDENTITY_ACCOUNT_RULES,
	parseIdentityAccountsPath,
	readInvokeActionParameters,
} = require('./identities');
const {
	ACTION_TYPES,
	TASK_STATUSES,
	INCIDENT_STATUSES,
	ALERT_STATUSES,
	ALERT_SEVERITIES,
	ALERT_CLASSIFICATIONS,
	ALERT_DETERMINATIONS,
	SERVICE_SOURCES,
	DETECTION_SOURCES,
	membersAfterSentinel,
} = require('./model');

/**
 * @typedef {import('./odata').CollectionRules} CollectionRules
 * @typedef {import('./odata').Preferences} Preferences
 * @typedef {import('./responses').Reply} Reply
 * @typedef {import('./store').DefenderStore} DefenderStore
 * @typedef {{
 *   method: string,
 *   url: URL,
 *   body: string,
 *   origin: string,
 *   linkOrigin: string,
 *   modifiedBy: string,
 *   pageSize: number | null,
 *   actionDelayMs: number,
 *   actionStartLagMs: number,
 *   preferences: Preferences,
 *   onExecuted: (task: Record<string, any>) => void,
 * }} GraphRequest
 * @typedef {Record<string, readonly string[]>} HiddenMembers evolvable enum properties and their members after the sentinel
 */

const EQ = Object.freeze(['eq']);
const DATE_OPERATORS = Object.freeze(['eq', 'ge', 'gt', 'le', 'lt']);

/** The incident statuses Graph's update page lists as values to set: not inProgress, not awaitingAction (Defender Experts set it). */
const SETTABLE_INCIDENT_STATUSES = Object.freeze([
	'active',
	'resolved',
	'redirected',
	'unknownFutureValue',
]);

/** @type {CollectionRules} */
const TASK_RULES = {
	name: 'incidentTasks',
	filterable: {
		incidentId: { kind: 'string', operators: EQ },
		status: { kind: 'string', operators: EQ, values: [...TASK_STATUSES, 'unknownFutureValue'] },
		actionType: { kind: 'string', operators: EQ, values: ACTION_TYPES },
		// Graph documents `type` as filterable but names no property or values behind it: any quoted string is
		// accepted and compared with a `type` a test gives a task (seeded tasks have none).
		type: { kind: 'string', operators: EQ },
		// Graph documents only `eq` on the task dates.
		createdDateTime: { kind: 'dateTime', operators: EQ },
		lastUpdateDateTime: { kind: 'dateTime', operators: EQ, source: 'lastModifiedDateTime' },
	},
	filterHelp:
		"incidentTasks supports eq on incidentId, status, type, actionType, createdDateTime and lastUpdateDateTime, joined with 'and', e.g. incidentId eq '1001' and status eq 'open'.",
	orderable: { lastUpdateDateTime: 'lastModifiedDateTime' },
	selectable: [
		'id',
		'displayName',
		'description',
		'actionType',
		'actionStatus',
		'status',
		'source',
		'createdDateTime',
		'lastModifiedDateTime',
		'createdByDisplayName',
		'lastModifiedByDisplayName',
		'incidentId',
		'responseAction',
	],
	options: ['$filter', '$top', '$skiptoken', '$select', '$expand', '$orderby'],
	defaultPageSize: 500,
	maxTop: 500,
};

/** @type {CollectionRules['filterable']} The filterable properties Graph documents for incidents and alerts_v2. */
const SHARED_SECURITY_FILTERS = {
	assignedTo: { kind: 'string', operators: EQ },
	classification: { kind: 'string', operators: EQ, values: ALERT_CLASSIFICATIONS },
	createdDateTime: { kind: 'dateTime', operators: DATE_OPERATORS },
	determination: { kind: 'string', operators: EQ, values: ALERT_DETERMINATIONS },
	lastUpdateDateTime: { kind: 'dateTime', operators: DATE_OPERATORS },
	severity: { kind: 'string', operators: EQ, values: ALERT_SEVERITIES },
};

/** @type {HiddenMembers} */
const INCIDENT_HIDDEN = { status: membersAfterSentinel(INCIDENT_STATUSES) };
/** @type {HiddenMembers} */
const ALERT_HIDDEN = {
	serviceSource: membersAfterSentinel(SERVICE_SOURCES),
	detectionSource: membersAfterSentinel(DETECTION_SOURCES),
};

const SECURITY_FILTER_HELP =
	"eq on the other properties and eq, ge, gt, le, lt on createdDateTime and lastUpdateDateTime, joined with 'and'.";

/** @type {CollectionRules} */
const INCIDENT_RULES = {
	name: 'incidents',
	filterable: {
		...SHARED_SECURITY_FILTERS,
		status: {
			kind: 'string',
			operators: EQ,
			values: INCIDENT_STATUSES,
			hiddenValues: INCIDENT_HIDDEN.status,
		},
	},
	filterHelp: `incidents can be filtered on assignedTo, classification, createdDateTime, determination, lastUpdateDateTime, severity and status: ${SECURITY_FILTER_HELP}`,
	// Graph documents $count, $filter, $skip, $top and $expand for the list, newest first: no $orderby, no $select.
	orderable: {},
	selectable: [
		'id',
		'tenantId',
		'status',
		'incidentWebUrl',
		'redirectIncidentId',
		'displayName',
		'createdDateTime',
		'lastUpdateDateTime',
		'assignedTo',
		'classification',
		'determination',
		'severity',
		'priorityScore',
		'customTags',
		'systemTags',
		'description',
		'lastModifiedBy',
		'resolvingComment',
		'summary',
		'comments',
	],
	options: ['$filter', '$top', '$skip', '$skiptoken', '$count', '$expand'],
	defaultPageSize: 20,
	maxTop: 50,
};

/** @type {CollectionRules} */
const ALERT_RULES = {
	name: 'alerts_v2',
	filterable: {
		...SHARED_SECURITY_FILTERS,
		status: { kind: 'string', operators: EQ, values: ALERT_STATUSES },
		serviceSource: {
			kind: 'string',
			operators: EQ,
			values: SERVICE_SOURCES,
			hiddenValues: ALERT_HIDDEN.serviceSource,
		},
	},
	filterHelp: `alerts_v2 can be filtered on assignedTo, classification, createdDateTime, determination, lastUpdateDateTime, serviceSource, severity and status: ${SECURITY_FILTER_HELP}`,
	// Graph documents $count, $filter, $skip and $top for the list: no $orderby, no $select.
	orderable: {},
	selectable: [
		'id',
		'providerAlertId',
		'incidentId',
		'status',
		'severity',
		'classification',
		'determination',
		'serviceSource',
		'detectionSource',
		'detectorId',
		'tenantId',
		'title',
		'description',
		'recommendedActions',
		'category',
		'assignedTo',
		'alertWebUrl',
		'incidentWebUrl',
		'actorDisplayName',
		'threatDisplayName',
		'threatFamilyName',
		'mitreTechniques',
		'createdDateTime',
		'lastUpdateDateTime',
		'resolvedDateTime',
		'firstActivityDateTime',
		'lastActivityDateTime',
		'comments',
		'evidence',
		'systemTags',
	],
	options: ['$filter', '$top', '$skip', '$skiptoken', '$count'],
	defaultPageSize: 100,
	maxTop: 2000,
};

/**
 * @typedef {{ type: 'string' | 'nullableString' | 'stringArray' } | { type: 'enum', members: readonly string[] }} FieldRule
 * @type {Record<'incidents' | 'alerts', { typeName: string, fields: Record<string, FieldRule>, hidden: HiddenMembers }>}
 * The properties, and for enums the values, that Graph's update pages list as updatable by PATCH.
 */
const WRITABLE = {
	incidents: {
		typeName: 'microsoft.graph.security.incident',
		fields: {
			assignedTo: { type: 'nullableString' },
			classification: { type: 'enum', members: ALERT_CLASSIFICATIONS },
			customTags: { type: 'stringArray' },
			description: { type: 'nullableString' },
			determination: { type: 'enum', members: ALERT_DETERMINATIONS },
			displayName: { type: 'string' },
			resolvingComment: { type: 'nullableString' },
			severity: { type: 'enum', members: ALERT_SEVERITIES },
			status: { type: 'enum', members: SETTABLE_INCIDENT_STATUSES },
			summary: { type: 'nullableString' },
		},
		hidden: INCIDENT_HIDDEN,
	},
	alerts: {
		typeName: 'microsoft.graph.security.alert',
		fields: {
			assignedTo: { type: 'nullableString' },
			classification: { type: 'enum', members: ALERT_CLASSIFICATIONS },
			determination: { type: 'enum', members: ALERT_DETERMINATIONS },
			status: { type: 'enum', members: ALERT_STATUSES },
		},
		hidden: ALERT_HIDDEN,
	},
};

/** Incidents and alerts are documented as newest first unless $orderby says otherwise. */
const NEWEST_FIRST = [{ property: 'createdDateTime', descending: true }];
/**
 * Graph promises no order for incident tasks without $orderby; the simulator serves them as stored (oldest first),
 * so a client that takes the first page for the newest tasks is caught.
 */
/** @type {{ property: string, descending: boolean }[]} */
const AS_STORED = [];

const EXECUTE_ACTION_NAMES = [
	'executeresponseaction',
	'microsoft.graph.security.executeresponseaction',
];
const HUNTING_ACTION_NAMES = ['runhuntingquery', 'microsoft.graph.security.runhuntingquery'];
const ALERT_COMMENT_TYPES = [
	'microsoft.graph.security.alertComment',
	'#microsoft.graph.security.alertComment',
];

/**
 * Decodes the path into [version, 'security', collection, id?, navigation?], or answers 404.
 * @param {URL} url
 */
function parseGraphPath(url) {
	/** @type {string[]} */
	let segments;
	try {
		segments = url.pathname
			.split('/')
			.slice(1)
			.map((segment) => decodeURIComponent(segment));
	} catch {
		throw new GraphError(400, 'BadRequest', 'The request URL is not correctly percent-encoded.');
	}
	const [version, area, collection, id, navigation, ...rest] = segments;
	/** @param {string | undefined} segment */
	const notFound = (segment) =>
		new GraphError(404, 'NotFound', `Resource not found for the segment '${segment ?? ''}'.`);
	const canonicalVersion =
		version?.toLowerCase() === 'beta' ? 'beta' : version?.toLowerCase() === 'v1.0' ? 'v1.0' : null;
	if (!canonicalVersion) throw notFound(version);
	if (area?.toLowerCase() !== 'security') throw notFound(area);
	if (rest.length > 0 || id === '') throw notFound(rest[0] ?? '');
	const lowered = collection?.toLowerCase() ?? '';
	const name = HUNTING_ACTION_NAMES.includes(lowered) ? 'runhuntingquery' : lowered;
	if (name === 'incidenttasks' && canonicalVersion !== 'beta') {
		throw new GraphError(
			404,
			'NotFound',
			"Resource not found for the segment 'incidentTasks'. incidentTasks exists only in the /beta API.",
		);
	}
	if (!['incidenttasks', 'incidents', 'alerts_v2', 'runhuntingquery'].includes(name))
		throw notFound(collection);
	if (name === 'runhuntingquery' && id !== undefined) throw notFound(id);
	return {
		version: canonicalVersion,
		collection: /** @type {'incidenttasks' | 'incidents' | 'alerts_v2' | 'runhuntingquery'} */ (
			name
		),
		id,
		navigation,
	};
}

/**
 * @param {DefenderStore} store
 * @param {GraphRequest} request
 * @returns {Reply}
 */
function handleGraph(store, request) {
	const reply = routeGraph(store, request);
	if (!request.preferences.includeUnknownEnumMembers) return reply;
	return {
		...reply,
		headers: { ...reply.headers, 'Preference-Applied': 'include-unknown-enum-members' },
	};
}

/**
 * @param {DefenderStore} store
 * @param {GraphRequest} request
 * @returns {Reply}
 */
function routeGraph(store, request) {
	const identityRoute = parseIdentityAccountsPath(request.url);
	if (identityRoute) return routeIdentityAccounts(store.identities, request, identityRoute);
	const route = parseGraphPath(request.url);
	const context = (/** @type {string} */ set) =>
		`${request.origin}/${route.version}/$metadata#${set}`;
	/** @param {string[]} allowed */
	const onlyMethod = (...allowed) => requireMethod(request, allowed);
	const query = request.url.searchParams;
	const { preferences } = request;
	const presentIncident = (/** @type {Record<string, unknown>} */ incident) =>
		presentEnums(incident, INCIDENT_HIDDEN, preferences);
	const presentAlert = (/** @type {Record<string, unknown>} */ alert) =>
		presentEnums(alert, ALERT_HIDDEN, preferences);

	if (route.collection === 'runhuntingquery') {
		onlyMethod('POST');
		const { Query, Timespan } = readHuntingBody(request.body);
		const results = runHuntingQuery(Query, Timespan, store.huntingTables());
		return {
			status: 200,
			body: {
				'@odata.context': context('microsoft.graph.security.huntingQueryResults'),
				...results,
			},
		};
	}

	if (route.collection === 'incidenttasks') {
		/** @param {Record<string, unknown>} task @param {string | null} expand @param {string} [id] */
		const expandTask = (task, expand, id = String(task.id)) => {
			if (expand === null) return task;
			if (expand !== 'incident')
				throw new GraphError(
					400,
					'BadRequest',
					`Could not expand '${expand}': incidentTasks can expand 'incident'.`,
				);
			const incident = store.incidentOfTask(id);
			return { ...task, incident: incident && presentIncident(incident) };
		};
		if (route.id === undefined) {
			onlyMethod('GET');
			const page = pageCollection(
				store.listTasks(),
				query,
				TASK_RULES,
				paging(request, AS_STORED),
				preferences,
			);
			const value = page.value.map((task) => expandTask(task, page.expand));
			return list(context('security/incidentTasks'), value, page);
		}
		if (route.navigation === undefined) {
			if (request.method === 'PATCH') {
				const status = readStatusPatch(request.body);
				return {
					status: 200,
					body: {
						'@odata.context': context('security/incidentTasks/$entity'),
						...store.updateTaskStatus(route.id, status, request.modifiedBy),
					},
				};
			}
			onlyMethod('GET', 'PATCH');
			const options = readQueryOptions(
				query,
				{ ...TASK_RULES, options: ['$select', '$expand'] },
				preferences,
			);
			const task = store.requireTask(route.id).task;
			const shaped = options.select ? project(task, options.select, TASK_RULES) : task;
			return {
				status: 200,
				body: {
					'@odata.context': context('security/incidentTasks/$entity'),
					...expandTask(shaped, options.expand, route.id),
				},
			};
		}
		const navigation = route.navigation.toLowerCase();
		if (EXECUTE_ACTION_NAMES.includes(navigation)) {
			onlyMethod('POST');
			const task = store.executeTask(
				route.id,
				request.modifiedBy,
				request.actionDelayMs,
				request.actionStartLagMs,
			);
			request.onExecuted(task);
			return { status: 204 };
		}
		if (navigation === 'incident') {
			onlyMethod('GET');
			const incident = store.incidentOfTask(route.id);
			if (!incident)
				throw new GraphError(404, 'NotFound', `Incident task '${route.id}' has no incident.`);
			return {
				status: 200,
				body: {
					'@odata.context': context('security/incidents/$entity'),
					...presentIncident(incident),
				},
			};
		}
		throw new GraphError(
			404,
			'NotFound',
			`Resource not found for the segment '${route.navigation}'.`,
		);
	}

	const collection = route.collection === 'incidents' ? 'incidents' : 'alerts';
	const rules = collection === 'incidents' ? INCIDENT_RULES : ALERT_RULES;
	const present = collection === 'incidents' ? presentIncident : presentAlert;
	/** @param {Record<string, unknown>} incident @param {string | null} expand @param {string} [id] */
	const expandIncident = (incident, expand, id = String(incident.id)) => {
		if (expand === null) return incident;
		if (expand !== 'alerts')
			throw new GraphError(
				400,
				'BadRequest',
				`Could not expand '${expand}': incidents can expand 'alerts'.`,
			);
		return { ...incident, alerts: store.alertsOfIncident(id).map(presentAlert) };
	};

	if (route.id === undefined) {
		onlyMethod('GET');
		const page = pageCollection(
			[...store[collection].values()].map(present),
			query,
			rules,
			paging(request, NEWEST_FIRST),
			preferences,
		);
		const value =
			collection === 'incidents'
				? page.value.map((incident) => expandIncident(incident, page.expand))
				: page.value;
		return list(context(`security/${rules.name}`), value, page);
	}
	if (route.navigation !== undefined) {
		if (route.navigation.toLowerCase() !== 'comments')
			throw new GraphError(
				404,
				'NotFound',
				`Resource not found for the segment '${route.navigation}'.`,
			);
		onlyMethod('POST');
		const comment = readCommentBody(request.body);
		const comments = store.addComment(collection, route.id, comment, request.modifiedBy);
		return {
			status: 200,
			body: {
				'@odata.context': context(`security/${rules.name}('${route.id}')/comments`),
				value: comments,
			},
		};
	}
	if (request.method === 'PATCH') {
		const fields = readSecurityPatch(request.body, collection, preferences);
		const updated =
			Object.keys(fields).length > 0
				? store.updateSecurityEntity(collection, route.id, fields, request.modifiedBy)
				: store.requireSecurityEntity(collection, route.id);
		return {
			status: 200,
			body: { '@odata.context': context(`security/${rules.name}/$entity`), ...present(updated) },
		};
	}
	onlyMethod('GET', 'PATCH');
	const options = readQueryOptions(
		query,
		{
			...rules,
			options: rules.options.filter((option) => option === '$select' || option === '$expand'),
		},
		preferences,
	);
	const entity = present(store.requireSecurityEntity(collection, route.id));
	const shaped = options.select ? project(entity, options.select, rules) : entity;
	const body =
		collection === 'incidents' ? expandIncident(shaped, options.expand, route.id) : shaped;
	return {
		status: 200,
		body: { '@odata.context': context(`security/${rules.name}/$entity`), ...body },
	};
}

/**
 * A 405 with `Allow` unless the request uses one of the allowed methods.
 * @param {GraphRequest} request
 * @param {string[]} allowed
 */
function requireMethod(request, allowed) {
	if (!allowed.includes(request.method)) {
		throw new GraphError(
			405,
			'MethodNotAllowed',
			`The HTTP method '${request.method}' is not allowed on ${request.url.pathname}.`,
			{ Allow: allowed.join(', ') },
		);
	}
}

/**
 * GET …/security/identities/identityAccounts[/{id}] and POST …/identityAccounts/{id}/invokeAction.
 * @param {import('./identities').IdentityAccountStore} identities
 * @param {GraphRequest} request
 * @param {{ version: string, id?: string, action?: string }} route
 * @returns {Reply}
 */
function routeIdentityAccounts(identities, request, route) {
	const query = request.url.searchParams;
	const context = (/** @type {string} */ set) =>
		`${request.origin}/${route.version}/$metadata#${set}`;
	/** @param {string[]} allowed */
	const onlyMethod = (...allowed) => requireMethod(request, allowed);
	if (route.id === undefined) {
		onlyMethod('GET');
		const page = pageCollection(
			identities.list().map((account) => identities.present(account)),
			query,
			IDENTITY_ACCOUNT_RULES,
			paging(request, AS_STORED),
			request.preferences,
		);
		return list(context('security/identities/identityAccounts'), page.value, page);
	}
	if (route.action === undefined) {
		onlyMethod('GET');
		const options = readQueryOptions(
			query,
			{ ...IDENTITY_ACCOUNT_RULES, options: ['$select'] },
			request.preferences,
		);
		const account = identities.present(identities.require(route.id));
		const shaped = options.select
			? project(account, options.select, IDENTITY_ACCOUNT_RULES)
			: account;
		return {
			status: 200,
			body: {
				'@odata.context': context('security/identities/identityAccounts/$entity'),
				...identities.wrapEntity(shaped),
			},
		};
	}
	onlyMethod('POST');
	const parameters = readInvokeActionParameters(
		readJsonObject(
			request.body,
			'{ "accountId": "…", "action": "disable", "identityProvider": "activeDirectory" }',
		),
	);
	const record = identities.invoke(route.id, parameters, request.modifiedBy);
	return {
		status: 200,
		body: {
			'@odata.context': context('microsoft.graph.security.invokeActionResult'),
			...identities.presentResult(record),
		},
	};
}

/**
 * The entity as this client may see it: evolvable enum members after the sentinel become `unknownFutureValue`
 * unless the request sent `Prefer: include-unknown-enum-members`.
 * @param {Record<string, unknown>} entity
 * @param {HiddenMembers} hidden
 * @param {Preferences} preferences
 */
function presentEnums(entity, hidden, preferences) {
	if (preferences.includeUnknownEnumMembers) return entity;
	const replaced = Object.keys(hidden).filter((property) =>
		hidden[property].includes(/** @type {string} */ (entity[property])),
	);
	if (replaced.length === 0) return entity;
	return {
		...entity,
		...Object.fromEntries(replaced.map((property) => [property, 'unknownFutureValue'])),
	};
}

/**
 * @param {GraphRequest} request
 * @param {{ property: string, descending: boolean }[]} defaultOrder
 */
function paging(request, defaultOrder) {
	return {
		pageSize: request.pageSize,
		linkBase: `${request.linkOrigin}${request.url.pathname}`,
		defaultOrder,
	};
}

/**
 * @param {string} odataContext
 * @param {unknown[]} value
 * @param {{ nextLink?: string, count?: number }} page
 */
function list(odataContext, value, page) {
	/** @type {Record<string, unknown>} */
	const body = { '@odata.context': odataContext };
	if (page.count !== undefined) body['@odata.count'] = page.count;
	body.value = value;
	if (page.nextLink) body['@odata.nextLink'] = page.nextLink;
	return { status: 200, body };
}

/**
 * A request body that must be one JSON object.
 * @param {string} body
 * @param {string} example shown in the error
 * @returns {Record<string, unknown>}
 */
function readJsonObject(body, example) {
	/** @type {unknown} */
	let parsed;
	try {
		parsed = JSON.parse(body);
	} catch {
		throw new GraphError(
			400,
			'BadRequest',
			`The request body must be a JSON object such as ${example}.`,
		);
	}
	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
		throw new GraphError(
			400,
			'BadRequest',
			`The request body must be a JSON object such as ${example}.`,
		);
	}
	return /** @type {Record<string, unknown>} */ (parsed);
}

/**
 * The task PATCH body must be `{ "status": ... }` and nothing else.
 * @param {string} body
 */
function readStatusPatch(body) {
	const fields = readJsonObject(body, '{ "status": "completed" }');
	const refused = Object.keys(fields).filter((key) => key !== 'status' && key !== '@odata.type');
	if (refused.length > 0) {
		throw new GraphError(
			400,
			'BadRequest',
			`Property '${refused[0]}' cannot be updated: status is the only writable property of an incident task.`,
		);
	}
	if (!('status' in fields))
		throw new GraphError(400, 'BadRequest', "The request body must contain 'status'.");
	const { status } = fields;
	if (typeof status !== 'string' || !TASK_STATUSES.includes(status)) {
		throw new GraphError(
			400,
			'BadRequest',
			`Invalid value '${String(status)}' for property 'status'. Allowed values: ${TASK_STATUSES.join(', ')}.`,
		);
	}
	return status;
}

/**
 * An incident or alert PATCH: only the documented writable properties, each with a value of its type.
 * `unknownFutureValue` leaves a property unchanged, and members after it need the Prefer header, as for evolvable enums.
 * @param {string} body
 * @param {'incidents' | 'alerts'} collection
 * @param {Preferences} preferences
 */
function readSecurityPatch(body, collection, preferences) {
	const { typeName, fields: writable, hidden } = WRITABLE[collection];
	const patch = readJsonObject(body, '{ "status": "resolved", "classification": "truePositive" }');
	/** @type {Record<string, unknown>} */
	const fields = {};
	for (const [name, value] of Object.entries(patch)) {
		if (name === '@odata.type') continue;
		const rule = Object.prototype.hasOwnProperty.call(writable, name) ? writable[name] : undefined;
		if (!rule) {
			throw new GraphError(
				400,
				'BadRequest',
				`Property '${name}' cannot be updated on ${typeName}. Updatable: ${Object.keys(writable).join(', ')}.`,
			);
		}
		/** @param {string} expected */
		const invalid = (expected) =>
			new GraphError(
				400,
				'BadRequest',
				`Invalid value ${JSON.stringify(value)} for property '${name}': ${expected} is required.`,
			);
		if (rule.type === 'string' && typeof value !== 'string') throw invalid('a string');
		if (rule.type === 'nullableString' && value !== null && typeof value !== 'string')
			throw invalid('a string or null');
		if (
			rule.type === 'stringArray' &&
			!(Array.isArray(value) && value.every((item) => typeof item === 'string'))
		)
			throw invalid('an array of strings');
		if (rule.type === 'enum') {
			if (typeof value !== 'string' || !rule.members.includes(value)) {
				throw new GraphError(
					400,
					'BadRequest',
					`Invalid value ${JSON.stringify(value)} for property '${name}'. Allowed values: ${rule.members.join(', ')}.`,
				);
			}
			if (value === 'unknownFutureValue') continue;
			if (hidden[name]?.includes(value) && !preferences.includeUnknownEnumMembers) {
				throw new GraphError(
					400,
					'BadRequest',
					`The value '${value}' of property '${name}' is a member of an evolvable enumeration: send the header 'Prefer: include-unknown-enum-members' to use it.`,
				);
			}
		}
		fields[name] = value;
	}
	return fields;
}

/**
 * POST …/comments: `{ "@odata.type": "microsoft.graph.security.alertComment", "comment": "…" }`.
 * @param {string} body
 */
function readCommentBody(body) {
	const fields = readJsonObject(
		body,
		'{ "@odata.type": "microsoft.graph.security.alertComment", "comment": "Contained." }',
	);
	const refused = Object.keys(fields).filter((key) => key !== 'comment' && key !== '@odata.type');
	if (refused.length > 0)
		throw new GraphError(
			400,
			'BadRequest',
			`Property '${refused[0]}' does not exist on type 'microsoft.graph.security.alertComment'.`,
		);
	const odataType = fields['@odata.type'];
	if (odataType !== undefined && !ALERT_COMMENT_TYPES.includes(/** @type {string} */ (odataType))) {
		throw new GraphError(
			400,
			'BadRequest',
			`'@odata.type' must be 'microsoft.graph.security.alertComment', not ${JSON.stringify(odataType)}.`,
		);
	}
	const { comment } = fields;
	if (typeof comment !== 'string' || comment.trim() === '')
		throw new GraphError(400, 'BadRequest', "The request body must contain a non-empty 'comment'.");
	return comment;
}

/**
 * runHuntingQuery's body: `{ "Query": "…", "Timespan"?: "P30D" }`.
 * @param {string} body
 */
function readHuntingBody(body) {
	const fields = readJsonObject(body, '{ "Query": "DeviceInfo | take 10" }');
	/** @type {Record<string, unknown>} */
	const parameters = {};
	for (const [name, value] of Object.entries(fields)) {
		const canonical = ['Query', 'Timespan'].find(
			(parameter) => parameter.toLowerCase() === name.toLowerCase(),
		);
		if (!canonical)
			throw new GraphError(
				400,
				'BadRequest',
				`The parameter '${name}' in the request payload is not a valid parameter for the operation 'runHuntingQuery'.`,
			);
		parameters[canonical] = value;
	}
	const { Query, Timespan } = parameters;
	if (typeof Query !== 'string' || Query.trim() === '')
		throw new GraphError(400, 'BadRequest', "The request body must contain a non-empty 'Query'.");
	if (Timespan !== undefined && Timespan !== null && typeof Timespan !== 'string')
		throw new GraphError(
			400,
			'BadRequest',
			"'Timespan' must be an ISO 8601 string such as 'P30D'.",
		);
	return { Query, Timespan: /** @type {string | undefined} */ (Timespan ?? undefined) };
}

module.exports = { handleGraph, parseGraphPath, TASK_RULES, INCIDENT_RULES, ALERT_RULES };
