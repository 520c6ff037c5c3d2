// @ts-check
'use strict';

// The tenant's data and its state changes: tasks move notStarted -> inProgress -> outcome after executeResponseAction.

const {
	SEED_TASKS,
	SEED_TASK_OUTCOMES,
	SEED_INCIDENTS,
	SEED_ALERTS,
	SEED_HUNTING_TABLES,
	SEED_TENANT_GUID,
} = require('./seed');
const { TASK_OUTCOMES, isExecutableActionType } = require('./model');
const { GraphError } = require('./responses');
const { IdentityAccountStore } = require('./identities');

/**
 * @typedef {Record<string, any>} Entity
 * @typedef {{ task: Entity, outcome: string, settlesAt: number | null, startsShowingAt?: number | null, startedBy?: string }} TaskRecord
 */

const EXPERTS = 'Microsoft Defender Experts';
const DEFENDER = 'Microsoft Defender XDR';
/** How `status` follows the action when it settles, while the analyst has not moved it elsewhere. */
const STATUS_AFTER = /** @type {Record<string, string>} */ ({
	completed: 'completed',
	failed: 'failed',
	partiallyCompleted: 'inProgress',
});

/** @param {number} ms */
const iso = (ms) => new Date(ms).toISOString();

/** The task as Graph shows it once it has recorded the action as started. @param {Entity} task @param {number} at @param {string | undefined} by */
function showStarted(task, at, by) {
	task.actionStatus = 'inProgress';
	if (task.status === 'open') task.status = 'inProgress';
	task.lastModifiedDateTime = iso(at);
	if (by) task.lastModifiedByDisplayName = by;
}

class DefenderStore {
	constructor() {
		/** @type {Map<string, TaskRecord>} */
		this.tasks = new Map();
		/** @type {Map<string, Entity>} */
		this.incidents = new Map();
		/** @type {Map<string, Entity>} */
		this.alerts = new Map();
		/** @type {Record<string, Entity[]>} advanced hunting rows by table */
		this.hunting = {};
		this.added = { tasks: 0, incidents: 0, alerts: 0 };
		/** Graph's identity accounts, their invokeAction rules and log */
		this.identities = new IdentityAccountStore();
		this.reset();
	}

	reset() {
		this.tasks = new Map(
			SEED_TASKS.map((task) => [
				String(task.id),
				{
					task: structuredClone(task),
					outcome: SEED_TASK_OUTCOMES[String(task.id)],
					settlesAt: null,
				},
			]),
		);
		this.incidents = new Map(
			SEED_INCIDENTS.map((incident) => [String(incident.id), structuredClone(incident)]),
		);
		this.alerts = new Map(SEED_ALERTS.map((alert) => [String(alert.id), structuredClone(alert)]));
		this.hunting = Object.fromEntries(
			Object.entries(SEED_HUNTING_TABLES).map(([table, { rows }]) => [
				table,
				structuredClone([...rows]),
			]),
		);
		this.added = { tasks: 0, incidents: 0, alerts: 0 };
		this.identities.reset();
	}

	/** Moves every executed task whose delay has passed to its outcome; called before each read. */
	settle(now = Date.now()) {
		for (const record of this.tasks.values()) {
			if (record.startsShowingAt != null && record.startsShowingAt <= now) {
				showStarted(record.task, record.startsShowingAt, record.startedBy);
				record.startsShowingAt = null;
			}
			if (record.settlesAt === null || record.settlesAt > now) continue;
			const { task } = record;
			task.actionStatus = record.outcome;
			if (task.status === 'inProgress') task.status = STATUS_AFTER[record.outcome] ?? task.status;
			task.lastModifiedDateTime = iso(record.settlesAt);
			task.lastModifiedByDisplayName = DEFENDER;
			record.settlesAt = null;
		}
	}

	/** @returns {Entity[]} live task objects, settled */
	listTasks() {
		this.settle();
		return [...this.tasks.values()].map((record) => record.task);
	}

	/** @param {string} id */
	findTask(id) {
		this.settle();
		return this.tasks.get(id);
	}

	/** @param {string} id */
	requireTask(id) {
		const record = this.findTask(id);
		if (!record)
			throw new GraphError(
				404,
				'NotFound',
				`Incident task '${id}' was not found. Check the ID and that it belongs to this tenant.`,
			);
		return record;
	}

	/**
	 * PATCH: only `status` is writable.
	 * @param {string} id
	 * @param {string} status
	 * @param {string} modifiedBy
	 */
	updateTaskStatus(id, status, modifiedBy) {
		const { task } = this.requireTask(id);
		task.status = status;
		task.lastModifiedDateTime = iso(Date.now());
		task.lastModifiedByDisplayName = modifiedBy;
		return task;
	}

	/**
	 * executeResponseAction: starts the action; it settles to the task's outcome after `delayMs`. With `startLagMs`,
	 * the task shows the start only that long after the answer: until then it reads notStarted, and another execute
	 * runs the action again (Graph records a started action a moment after it ran it).
	 * @param {string} id
	 * @param {string} executedBy
	 * @param {number} delayMs
	 * @param {number} [startLagMs]
	 */
	executeTask(id, executedBy, delayMs, startLagMs = 0) {
		const record = this.requireTask(id);
		const { task } = record;
		if (!isExecutableActionType(task.actionType))
			throw new GraphError(400, 'BadRequest', `Currently ${task.actionType} is not supported`);
		if (task.actionStatus !== 'notStarted') {
			throw new GraphError(
				400,
				'BadRequest',
				`The response action has already been executed for incident task '${id}' (actionStatus: ${task.actionStatus}).`,
			);
		}
		const now = Date.now();
		if (startLagMs > 0) {
			// The first execute of a lagging start decides when it shows; a second one ran again, unseen.
			record.startsShowingAt ??= now + startLagMs;
			record.startedBy = executedBy;
		} else {
			showStarted(task, now, executedBy);
		}
		record.settlesAt = record.outcome === 'inProgress' ? null : now + startLagMs + delayMs;
		return task;
	}

	/** @param {string} taskId */
	incidentOfTask(taskId) {
		const { incidentId } = this.requireTask(taskId).task;
		return typeof incidentId === 'string' ? (this.incidents.get(incidentId) ?? null) : null;
	}

	/**
	 * @param {'incidents' | 'alerts'} collection
	 * @param {string} id
	 */
	requireSecurityEntity(collection, id) {
		const entity = this[collection].get(id);
		if (!entity)
			throw new GraphError(
				404,
				'NotFound',
				`${collection === 'incidents' ? 'Incident' : 'Alert'} '${id}' was not found. Check the ID and that it belongs to this tenant.`,
			);
		return entity;
	}

	/**
	 * PATCH of an incident or alert with fields already checked; stamps the change as Graph does.
	 * @param {'incidents' | 'alerts'} collection
	 * @param {string} id
	 * @param {Entity} fields
	 * @param {string} modifiedBy
	 */
	updateSecurityEntity(collection, id, fields, modifiedBy) {
		const entity = this.requireSecurityEntity(collection, id);
		const now = iso(Date.now());
		Object.assign(entity, fields, { lastUpdateDateTime: now });
		if (collection === 'incidents') entity.lastModifiedBy = modifiedBy;
		if (collection === 'alerts' && 'status' in fields)
			entity.resolvedDateTime = fields.status === 'resolved' ? now : null;
		return entity;
	}

	/**
	 * Appends a comment to an incident or alert; returns all of its comments.
	 * @param {'incidents' | 'alerts'} collection
	 * @param {string} id
	 * @param {string} comment
	 * @param {string} createdByDisplayName
	 */
	addComment(collection, id, comment, createdByDisplayName) {
		const entity = this.requireSecurityEntity(collection, id);
		const createdDateTime = iso(Date.now());
		entity.comments = [
			...(entity.comments ?? []),
			{ comment, createdByDisplayName, createdDateTime },
		];
		entity.lastUpdateDateTime = createdDateTime;
		return entity.comments;
	}

	/** The advanced hunting tables as runHuntingQuery reads them: each table's schema and live rows. */
	huntingTables() {
		return Object.fromEntries(
			Object.entries(SEED_HUNTING_TABLES).map(([table, { schema }]) => [
				table,
				{ schema: [...schema], rows: this.hunting[table] },
			]),
		);
	}

	/**
	 * Adds rows to an advanced hunting table; columns left out are '' (strings) or null, as Kusto fills them.
	 * @param {string} table
	 * @param {Entity[]} rows
	 */
	addHuntingRows(table, rows) {
		const seeded = SEED_HUNTING_TABLES[table];
		if (!seeded)
			throw new Error(
				`No hunting table ${table}. Tables: ${Object.keys(SEED_HUNTING_TABLES).join(', ')}`,
			);
		const columns = new Set(seeded.schema.map((column) => column.name));
		const completed = rows.map((row) => {
			const unknown = Object.keys(row).filter((name) => !columns.has(name));
			if (unknown.length > 0) throw new Error(`${table} has no column ${unknown.join(', ')}`);
			return Object.fromEntries(
				seeded.schema.map(({ name, type }) => [name, row[name] ?? (type === 'String' ? '' : null)]),
			);
		});
		this.hunting[table].push(...completed);
		return structuredClone(completed);
	}

	/** @param {string} incidentId */
	alertsOfIncident(incidentId) {
		return [...this.alerts.values()].filter((alert) => alert.incidentId === incidentId);
	}

	/** @param {Entity & { outcome?: string, incidentId?: string | null }} partial */
	addTask(partial = {}) {
		const { outcome = 'completed', ...fields } = partial;
		checkOutcome(outcome);
		const id = fields.id ?? `task-added-${String(++this.added.tasks).padStart(3, '0')}`;
		if (this.tasks.has(id)) throw new Error(`A task with ID ${id} already exists`);
		const actionType = fields.actionType ?? 'isolateDevice';
		const createdDateTime = fields.createdDateTime ?? iso(Date.now());
		const task = dropUndefined({
			id,
			displayName: `Simulated ${actionType} task`,
			description: `Task added at runtime for ${actionType}.`,
			actionType,
			actionStatus: 'notStarted',
			status: 'open',
			source: 'defenderExpertsGuidedResponse',
			createdDateTime,
			lastModifiedDateTime: createdDateTime,
			createdByDisplayName: EXPERTS,
			lastModifiedByDisplayName: EXPERTS,
			incidentId: null,
			...fields,
		});
		this.tasks.set(id, { task, outcome, settlesAt: null });
		return structuredClone(task);
	}

	/**
	 * Overwrites task fields directly (no validation, no timestamps); a field set to undefined is removed.
	 * @param {string} id
	 * @param {Entity & { outcome?: string, incidentId?: string | null }} patch
	 */
	setTask(id, patch) {
		const record = this.tasks.get(id);
		if (!record) throw new Error(`No task with ID ${id}`);
		const { outcome, ...fields } = patch;
		if (outcome !== undefined) {
			checkOutcome(outcome);
			record.outcome = outcome;
		}
		if ('actionStatus' in fields) record.settlesAt = null;
		record.task = dropUndefined({ ...record.task, ...fields, id });
		return structuredClone(record.task);
	}

	/** @param {Entity} partial */
	addIncident(partial = {}) {
		const id = partial.id ?? String(2000 + ++this.added.incidents);
		if (this.incidents.has(id)) throw new Error(`An incident with ID ${id} already exists`);
		const createdDateTime = partial.createdDateTime ?? iso(Date.now());
		const incident = dropUndefined({
			id,
			tenantId: SEED_TENANT_GUID,
			status: 'active',
			incidentWebUrl: `https://security.microsoft.com/incidents/${id}?tid=${SEED_TENANT_GUID}`,
			redirectIncidentId: null,
			displayName: `Simulated incident ${id}`,
			createdDateTime,
			lastUpdateDateTime: createdDateTime,
			assignedTo: null,
			classification: 'unknown',
			determination: 'unknown',
			severity: 'medium',
			priorityScore: null,
			customTags: [],
			systemTags: [],
			description: null,
			lastModifiedBy: 'Microsoft 365 Defender',
			resolvingComment: null,
			summary: null,
			comments: [],
			...partial,
		});
		this.incidents.set(id, incident);
		return structuredClone(incident);
	}

	/** @param {Entity} partial */
	addAlert(partial = {}) {
		const id = partial.id ?? `alert-added-${String(++this.added.alerts).padStart(3, '0')}`;
		if (this.alerts.has(id)) throw new Error(`An alert with ID ${id} already exists`);
		const createdDateTime = partial.createdDateTime ?? iso(Date.now());
		const title = partial.title ?? `Simulated alert ${id}`;
		const alert = dropUndefined({
			id,
			providerAlertId: id,
			incidentId: null,
			status: 'new',
			severity: 'medium',
			classification: 'unknown',
			determination: 'unknown',
			serviceSource: 'microsoftDefenderForEndpoint',
			detectionSource: 'microsoftDefenderForEndpoint',
			detectorId: null,
			tenantId: SEED_TENANT_GUID,
			title,
			description: `${title}.`,
			recommendedActions: null,
			category: 'Execution',
			assignedTo: null,
			alertWebUrl: `https://security.microsoft.com/alerts/${id}?tid=${SEED_TENANT_GUID}`,
			incidentWebUrl: null,
			actorDisplayName: null,
			threatDisplayName: null,
			threatFamilyName: null,
			mitreTechniques: [],
			createdDateTime,
			lastUpdateDateTime: createdDateTime,
			resolvedDateTime: null,
			firstActivityDateTime: createdDateTime,
			lastActivityDateTime: createdDateTime,
			comments: [],
			evidence: [],
			systemTags: [],
			...partial,
		});
		this.alerts.set(id, alert);
		return structuredClone(alert);
	}

	/** A deep copy of everything, tasks in insertion order (seed oldest first, then added ones), hunting rows by table. */
	snapshot() {
		this.settle();
		return structuredClone({
			tasks: [...this.tasks.values()].map((record) => record.task),
			incidents: [...this.incidents.values()],
			alerts: [...this.alerts.values()],
			hunting: this.hunting,
		});
	}
}

/** @param {string} outcome */
function checkOutcome(outcome) {
	if (!TASK_OUTCOMES.includes(outcome))
		throw new Error(`outcome must be one of ${TASK_OUTCOMES.join(', ')}`);
}

/**
 * @param {Entity} entity
 * @returns {Entity}
 */
function dropUndefined(entity) {
	for (const key of Object.keys(entity)) if (entity[key] === undefined) delete entity[key];
	return entity;
}

module.exports = { DefenderStore };
