// @ts-check
'use strict';

// The tenant's data and its state changes: tasks move notStarted -> inProgress -> outcome after executeResponseAction.

const { SEED_TASKS, SEED_TASK_OUTCOMES, SEED_TASK_INCIDENTS, SEED_INCIDENTS, SEED_ALERTS, SEED_TENANT_GUID } = require('./seed');
const { TASK_OUTCOMES, isExecutableActionType } = require('./model');
const { GraphError } = require('./responses');

/**
 * @typedef {Record<string, any>} Entity
 * @typedef {{ task: Entity, outcome: string, incidentId: string | null, settlesAt: number | null }} TaskRecord
 */

const EXPERTS = 'Microsoft Defender Experts';
const DEFENDER = 'Microsoft Defender XDR';
/** How `status` follows the action when it settles, while the analyst has not moved it elsewhere. */
const STATUS_AFTER = /** @type {Record<string, string>} */ ({ completed: 'completed', failed: 'failed', partiallyCompleted: 'inProgress' });

/** @param {number} ms */
const iso = (ms) => new Date(ms).toISOString();

class DefenderStore {
	constructor() {
		/** @type {Map<string, TaskRecord>} */
		this.tasks = new Map();
		/** @type {Map<string, Entity>} */
		this.incidents = new Map();
		/** @type {Map<string, Entity>} */
		this.alerts = new Map();
		this.added = { tasks: 0, incidents: 0, alerts: 0 };
		this.reset();
	}

	reset() {
		this.tasks = new Map(
			SEED_TASKS.map((task) => [
				String(task.id),
				{ task: structuredClone(task), outcome: SEED_TASK_OUTCOMES[String(task.id)], incidentId: SEED_TASK_INCIDENTS[String(task.id)], settlesAt: null },
			]),
		);
		this.incidents = new Map(SEED_INCIDENTS.map((incident) => [String(incident.id), structuredClone(incident)]));
		this.alerts = new Map(SEED_ALERTS.map((alert) => [String(alert.id), structuredClone(alert)]));
		this.added = { tasks: 0, incidents: 0, alerts: 0 };
	}

	/** Moves every executed task whose delay has passed to its outcome; called before each read. */
	settle(now = Date.now()) {
		for (const record of this.tasks.values()) {
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
		if (!record) throw new GraphError(404, 'NotFound', `Incident task '${id}' was not found. Check the ID and that it belongs to this tenant.`);
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
	 * executeResponseAction: starts the action; it settles to the task's outcome after `delayMs`.
	 * @param {string} id
	 * @param {string} executedBy
	 * @param {number} delayMs
	 */
	executeTask(id, executedBy, delayMs) {
		const record = this.requireTask(id);
		const { task } = record;
		if (!isExecutableActionType(task.actionType)) throw new GraphError(400, 'BadRequest', `Currently ${task.actionType} is not supported`);
		if (task.actionStatus !== 'notStarted') {
			throw new GraphError(400, 'BadRequest', `The response action has already been executed for incident task '${id}' (actionStatus: ${task.actionStatus}).`);
		}
		const now = Date.now();
		task.actionStatus = 'inProgress';
		if (task.status === 'open') task.status = 'inProgress';
		task.lastModifiedDateTime = iso(now);
		task.lastModifiedByDisplayName = executedBy;
		record.settlesAt = record.outcome === 'inProgress' ? null : now + delayMs;
		return task;
	}

	/** @param {string} taskId */
	incidentOfTask(taskId) {
		const { incidentId } = this.requireTask(taskId);
		return incidentId === null ? null : this.incidents.get(incidentId) ?? null;
	}

	/** @param {string} incidentId */
	alertsOfIncident(incidentId) {
		return [...this.alerts.values()].filter((alert) => alert.incidentId === incidentId);
	}

	/** @param {Entity & { outcome?: string, incidentId?: string | null }} partial */
	addTask(partial = {}) {
		const { outcome = 'completed', incidentId = null, ...fields } = partial;
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
			...fields,
		});
		this.tasks.set(id, { task, outcome, incidentId, settlesAt: null });
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
		const { outcome, incidentId, ...fields } = patch;
		if (outcome !== undefined) {
			checkOutcome(outcome);
			record.outcome = outcome;
		}
		if (incidentId !== undefined) record.incidentId = incidentId;
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
			classification: null,
			determination: null,
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

	/** A deep copy of everything, tasks in insertion order (seed oldest first, then added ones). */
	snapshot() {
		this.settle();
		return structuredClone({
			tasks: [...this.tasks.values()].map((record) => record.task),
			incidents: [...this.incidents.values()],
			alerts: [...this.alerts.values()],
		});
	}
}

/** @param {string} outcome */
function checkOutcome(outcome) {
	if (!TASK_OUTCOMES.includes(outcome)) throw new Error(`outcome must be one of ${TASK_OUTCOMES.join(', ')}`);
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
