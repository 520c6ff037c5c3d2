import {
	ALERT_STATUSES,
	choices,
	SERVICE_SOURCE_LABELS,
	SERVICE_SOURCES,
} from '../../../shared/security';
import { ALERT } from '../../../shared/resources/alert';
import { addCommentOperation } from '../entity/addComment.operation';
import type { SecurityEntity } from '../entity/entity';
import {
	assignedToField,
	classificationField,
	createdAfterFilter,
	determinationField,
	severityFilter,
} from '../entity/fields';
import { getOperation } from '../entity/get.operation';
import { getManyOperation } from '../entity/getMany.operation';
import { updateOperation } from '../entity/update.operation';

const statusChoices = choices(ALERT_STATUSES);

/** Alerts (Graph v1.0 `/security/alerts_v2`). */
const alert: SecurityEntity = {
	resource: ALERT,
	noun: 'alert',
	idParameter: 'alertId',
	idLabel: 'Alert ID',
	idPlaceholder: 'e.g. da637551227677560813_-961444813',
	searchListMethod: 'searchAlerts',
	portalSegment: 'alerts',
	filters: [
		{
			name: 'status',
			displayName: 'Status',
			apiProperty: 'status',
			kind: 'choice',
			choices: statusChoices,
			description: 'Only alerts with this status',
		},
		severityFilter,
		{
			name: 'serviceSource',
			displayName: 'Service Source',
			apiProperty: 'serviceSource',
			kind: 'choice',
			choices: choices(SERVICE_SOURCES, SERVICE_SOURCE_LABELS),
			description: 'Only alerts raised by this Microsoft security product',
		},
		createdAfterFilter,
	],
	updateFields: [
		assignedToField,
		classificationField,
		determinationField,
		{
			displayName: 'Status',
			name: 'status',
			type: 'options',
			options: statusChoices,
			default: 'resolved',
			description: "The alert's new status",
		},
	],
};

export const resource = ALERT;

export const defaultOperation = 'get';

export const operations = {
	addComment: addCommentOperation(alert),
	get: getOperation(alert, 'Read one alert by its ID, with its evidence'),
	getMany: getManyOperation(
		alert,
		'List alerts, newest first, optionally by status, severity, service source or date',
	),
	update: updateOperation(
		alert,
		"Change an alert's status, classification, determination or assignee",
	),
};
