// @ts-check
'use strict';

// The Graph routes: /beta/security/incidentTasks (list, get, patch, executeResponseAction, incident),
// /{beta|v1.0}/security/incidents and /{beta|v1.0}/security/alerts_v2 (list, get).

const { GraphError } = require('./responses');
const { pageCollection, project, readQueryOptions } = require('./odata');
const { TASK_STATUSES } = require('./model');

/**
 * @typedef {import('./odata').CollectionRules} CollectionRules
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
 *   onExecuted: (task: Record<string, any>) => void,
 * }} GraphRequest
 */

/** @type {CollectionRules} */
const TASK_RULES = {
	name: 'incidentTasks',
	filterable: { status: 'string', actionType: 'string' },
	operators: ['eq'],
	connectives: ['and'],
	filterHelp: "incidentTasks supports eq on status and actionType joined with 'and', e.g. status eq 'open' and actionType eq 'isolateDevice'.",
	orderable: [],
	selectable: [
		'id', 'displayName', 'description', 'actionType', 'actionStatus', 'status', 'source', 'createdDateTime',
		'lastModifiedDateTime', 'createdByDisplayName', 'lastModifiedByDisplayName', 'responseAction',
	],
	options: ['$filter', '$top', '$skiptoken', '$select', '$expand'],
	defaultPageSize: 100,
	maxTop: 500,
};

/** @type {CollectionRules['filterable']} The filterable properties Graph documents for incidents and alerts_v2. */
const SHARED_SECURITY_FILTERS = {
	assignedTo: 'string',
	classification: 'string',
	createdDateTime: 'dateTime',
	determination: 'string',
	lastUpdateDateTime: 'dateTime',
	severity: 'string',
	status: 'string',
};

/** @type {CollectionRules} */
const INCIDENT_RULES = {
	name: 'incidents',
	filterable: { ...SHARED_SECURITY_FILTERS },
	operators: ['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'in'],
	connectives: ['and', 'or', 'not'],
	filterHelp: 'incidents can be filtered on assignedTo, classification, createdDateTime, determination, lastUpdateDateTime, severity and status.',
	orderable: ['createdDateTime', 'lastUpdateDateTime'],
	selectable: [
		'id', 'tenantId', 'status', 'incidentWebUrl', 'redirectIncidentId', 'displayName', 'createdDateTime', 'lastUpdateDateTime',
		'assignedTo', 'classification', 'determination', 'severity', 'priorityScore', 'customTags', 'systemTags', 'description',
		'lastModifiedBy', 'resolvingComment', 'summary', 'comments',
	],
	options: ['$filter', '$top', '$skip', '$skiptoken', '$count', '$orderby', '$select', '$expand'],
	defaultPageSize: 20,
	maxTop: 50,
};

/** @type {CollectionRules} */
const ALERT_RULES = {
	name: 'alerts_v2',
	filterable: { ...SHARED_SECURITY_FILTERS, serviceSource: 'string' },
	operators: INCIDENT_RULES.operators,
	connectives: INCIDENT_RULES.connectives,
	filterHelp: 'alerts_v2 can be filtered on assignedTo, classification, createdDateTime, determination, lastUpdateDateTime, serviceSource, severity and status.',
	orderable: ['createdDateTime', 'lastUpdateDateTime'],
	selectable: [
		'id', 'providerAlertId', 'incidentId', 'status', 'severity', 'classification', 'determination', 'serviceSource',
		'detectionSource', 'detectorId', 'tenantId', 'title', 'description', 'recommendedActions', 'category', 'assignedTo',
		'alertWebUrl', 'incidentWebUrl', 'actorDisplayName', 'threatDisplayName', 'threatFamilyName', 'mitreTechniques',
		'createdDateTime', 'lastUpdateDateTime', 'resolvedDateTime', 'firstActivityDateTime', 'lastActivityDateTime',
		'comments', 'evidence', 'systemTags',
	],
	options: ['$filter', '$top', '$skip', '$skiptoken', '$count', '$orderby', '$select'],
	defaultPageSize: 100,
	maxTop: 2000,
};

/** Lists are newest first unless $orderby says otherwise. */
const NEWEST_FIRST = [{ property: 'createdDateTime', descending: true }];

const EXECUTE_ACTION_NAMES = ['executeresponseaction', 'microsoft.graph.security.executeresponseaction'];

/**
 * Decodes the path into [version, 'security', collection, id?, navigation?], or answers 404.
 * @param {URL} url
 */
function parseGraphPath(url) {
	/** @type {string[]} */
	let segments;
	try {
		segments = url.pathname.split('/').slice(1).map((segment) => decodeURIComponent(segment));
	} catch {
		throw new GraphError(400, 'BadRequest', 'The request URL is not correctly percent-encoded.');
	}
	const [version, area, collection, id, navigation, ...rest] = segments;
	/** @param {string | undefined} segment */
	const notFound = (segment) => new GraphError(404, 'NotFound', `Resource not found for the segment '${segment ?? ''}'.`);
	const canonicalVersion = version?.toLowerCase() === 'beta' ? 'beta' : version?.toLowerCase() === 'v1.0' ? 'v1.0' : null;
	if (!canonicalVersion) throw notFound(version);
	if (area?.toLowerCase() !== 'security') throw notFound(area);
	if (rest.length > 0 || id === '') throw notFound(rest[0] ?? '');
	const name = collection?.toLowerCase();
	if (name === 'incidenttasks' && canonicalVersion !== 'beta') {
		throw new GraphError(404, 'NotFound', "Resource not found for the segment 'incidentTasks'. incidentTasks exists only in the /beta API.");
	}
	if (!['incidenttasks', 'incidents', 'alerts_v2'].includes(name ?? '')) throw notFound(collection);
	return { version: canonicalVersion, collection: /** @type {'incidenttasks' | 'incidents' | 'alerts_v2'} */ (name), id, navigation };
}

/**
 * @param {DefenderStore} store
 * @param {GraphRequest} request
 * @returns {Reply}
 */
function handleGraph(store, request) {
	const route = parseGraphPath(request.url);
	const context = (/** @type {string} */ set) => `${request.origin}/${route.version}/$metadata#security/${set}`;
	/** @param {string[]} allowed */
	const onlyMethod = (...allowed) => {
		if (!allowed.includes(request.method)) {
			throw new GraphError(405, 'MethodNotAllowed', `The HTTP method '${request.method}' is not allowed on ${request.url.pathname}.`, { Allow: allowed.join(', ') });
		}
	};
	const query = request.url.searchParams;

	if (route.collection === 'incidenttasks') {
		if (route.id === undefined) {
			onlyMethod('GET');
			const page = pageCollection(store.listTasks(), query, TASK_RULES, paging(request, NEWEST_FIRST));
			const value = page.value.map((task) => expandTask(store, task, page.expand));
			return list(context('incidentTasks'), value, page);
		}
		if (route.navigation === undefined) {
			if (request.method === 'PATCH') {
				const status = readStatusPatch(request.body);
				return { status: 200, body: { '@odata.context': context('incidentTasks/$entity'), ...store.updateTaskStatus(route.id, status, request.modifiedBy) } };
			}
			onlyMethod('GET', 'PATCH');
			const options = readQueryOptions(query, { ...TASK_RULES, options: ['$select', '$expand'] });
			const task = store.requireTask(route.id).task;
			const shaped = options.select ? project(task, options.select, TASK_RULES) : task;
			return { status: 200, body: { '@odata.context': context('incidentTasks/$entity'), ...expandTask(store, shaped, options.expand, route.id) } };
		}
		const navigation = route.navigation.toLowerCase();
		if (EXECUTE_ACTION_NAMES.includes(navigation)) {
			onlyMethod('POST');
			const task = store.executeTask(route.id, request.modifiedBy, request.actionDelayMs);
			request.onExecuted(task);
			return { status: 204 };
		}
		if (navigation === 'incident') {
			onlyMethod('GET');
			const incident = store.incidentOfTask(route.id);
			if (!incident) throw new GraphError(404, 'NotFound', `Incident task '${route.id}' has no incident.`);
			return { status: 200, body: { '@odata.context': context('incidents/$entity'), ...incident } };
		}
		throw new GraphError(404, 'NotFound', `Resource not found for the segment '${route.navigation}'.`);
	}

	const rules = route.collection === 'incidents' ? INCIDENT_RULES : ALERT_RULES;
	const entities = route.collection === 'incidents' ? store.incidents : store.alerts;
	if (route.navigation !== undefined) throw new GraphError(404, 'NotFound', `Resource not found for the segment '${route.navigation}'.`);
	onlyMethod('GET');
	if (route.id === undefined) {
		const page = pageCollection([...entities.values()], query, rules, paging(request, NEWEST_FIRST));
		const value = route.collection === 'incidents' ? page.value.map((incident) => expandIncident(store, incident, page.expand)) : page.value;
		return list(context(rules.name), value, page);
	}
	const options = readQueryOptions(query, { ...rules, options: rules.options.filter((option) => option === '$select' || option === '$expand') });
	const entity = entities.get(route.id);
	if (!entity) throw new GraphError(404, 'NotFound', `${route.collection === 'incidents' ? 'Incident' : 'Alert'} '${route.id}' was not found.`);
	const shaped = options.select ? project(entity, options.select, rules) : entity;
	const body = route.collection === 'incidents' ? expandIncident(store, shaped, options.expand, route.id) : shaped;
	return { status: 200, body: { '@odata.context': context(`${rules.name}/$entity`), ...body } };
}

/**
 * @param {GraphRequest} request
 * @param {{ property: string, descending: boolean }[]} defaultOrder
 */
function paging(request, defaultOrder) {
	return { pageSize: request.pageSize, linkBase: `${request.linkOrigin}${request.url.pathname}`, defaultOrder };
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
 * @param {DefenderStore} store
 * @param {Record<string, unknown>} task
 * @param {string | null} expand
 * @param {string} [id]
 */
function expandTask(store, task, expand, id = String(task.id)) {
	if (expand === null) return task;
	if (expand !== 'incident') throw new GraphError(400, 'BadRequest', `Could not expand '${expand}': incidentTasks can expand 'incident'.`);
	return { ...task, incident: store.incidentOfTask(id) };
}

/**
 * @param {DefenderStore} store
 * @param {Record<string, unknown>} incident
 * @param {string | null} expand
 * @param {string} [id]
 */
function expandIncident(store, incident, expand, id = String(incident.id)) {
	if (expand === null) return incident;
	if (expand !== 'alerts') throw new GraphError(400, 'BadRequest', `Could not expand '${expand}': incidents can expand 'alerts'.`);
	return { ...incident, alerts: store.alertsOfIncident(id) };
}

/**
 * The PATCH body must be `{ "status": ... }` and nothing else.
 * @param {string} body
 */
function readStatusPatch(body) {
	/** @type {unknown} */
	let patch;
	try {
		patch = JSON.parse(body);
	} catch {
		throw new GraphError(400, 'BadRequest', 'The request body must be a JSON object such as { "status": "completed" }.');
	}
	if (!patch || typeof patch !== 'object' || Array.isArray(patch)) {
		throw new GraphError(400, 'BadRequest', 'The request body must be a JSON object such as { "status": "completed" }.');
	}
	const fields = /** @type {Record<string, unknown>} */ (patch);
	const refused = Object.keys(fields).filter((key) => key !== 'status' && key !== '@odata.type');
	if (refused.length > 0) {
		throw new GraphError(400, 'BadRequest', `Property '${refused[0]}' cannot be updated: status is the only writable property of an incident task.`);
	}
	if (!('status' in fields)) throw new GraphError(400, 'BadRequest', "The request body must contain 'status'.");
	const { status } = fields;
	if (typeof status !== 'string' || !TASK_STATUSES.includes(status)) {
		throw new GraphError(400, 'BadRequest', `Invalid value '${String(status)}' for property 'status'. Allowed values: ${TASK_STATUSES.join(', ')}.`);
	}
	return status;
}

module.exports = { handleGraph, parseGraphPath, TASK_RULES, INCIDENT_RULES, ALERT_RULES };
