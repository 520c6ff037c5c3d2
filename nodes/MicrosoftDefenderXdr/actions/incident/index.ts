import {
	choices,
	INCIDENT_SETTABLE_STATUSES,
	INCIDENT_STATUSES,
	SEVERITIES,
} from '../../../shared/security';
import { INCIDENT } from '../../../shared/resources/incident';
import { addCommentOperation } from '../entity/addComment.operation';
import type { SecurityEntity } from '../entity/entity';
import {
	assignedToField,
	assignedToFilter,
	classificationField,
	classificationFilter,
	createdAfterFilter,
	determinationField,
	severityFilter,
} from '../entity/fields';
import { getOperation } from '../entity/get.operation';
import { getManyOperation } from '../entity/getMany.operation';
import { updateOperation } from '../entity/update.operation';

const statusChoices = choices(INCIDENT_STATUSES);

/** Incidents (Graph v1.0 `/security/incidents`). */
const incident: SecurityEntity = {
	resource: INCIDENT,
	noun: 'incident',
	idParameter: 'incidentId',
	idLabel: 'Incident ID',
	idPlaceholder: 'e.g. 2972395',
	searchListMethod: 'searchIncidents',
	portalSegment: 'incidents',
	filters: [
		{
			name: 'status',
			displayName: 'Status',
			apiProperty: 'status',
			kind: 'choice',
			choices: statusChoices,
			description: 'Only incidents with this status',
		},
		severityFilter,
		classificationFilter,
		assignedToFilter,
		createdAfterFilter,
		{
			name: 'lastUpdatedAfter',
			displayName: 'Last Updated After',
			apiProperty: 'lastUpdateDateTime',
			kind: 'dateAfter',
			description: 'Only incidents updated at or after this time',
		},
	],
	// Exactly the properties and values Graph's v1.0 incident update page lists.
	updateFields: [
		assignedToField,
		classificationField,
		{
			displayName: 'Custom Tags',
			name: 'customTags',
			type: 'string',
			default: '',
			placeholder: 'e.g. ransomware, finance',
			description: 'Tags for the incident, separated by commas; they replace the current tags',
		},
		{
			displayName: 'Description',
			name: 'description',
			type: 'string',
			typeOptions: { rows: 3 },
			default: '',
			description: 'The description of the incident',
		},
		determinationField,
		{
			displayName: 'Display Name',
			name: 'displayName',
			type: 'string',
			default: '',
			description: "The incident's name",
		},
		{
			displayName: 'Resolving Comment',
			name: 'resolvingComment',
			type: 'string',
			typeOptions: { rows: 3 },
			default: '',
			description:
				'Why the incident is resolved and classified as it is; Defender shows it with the resolution',
		},
		{
			displayName: 'Severity',
			name: 'severity',
			type: 'options',
			options: choices(SEVERITIES),
			default: 'high',
			description: 'The possible impact on assets',
		},
		{
			displayName: 'Status',
			name: 'status',
			type: 'options',
			options: choices(INCIDENT_SETTABLE_STATUSES),
			default: 'resolved',
			description:
				"The incident's new status. In Progress and Awaiting Action are set by Defender, not through this update.",
		},
		{
			displayName: 'Summary',
			name: 'summary',
			type: 'string',
			typeOptions: { rows: 3 },
			default: '',
			description:
				'The overview of the attack: what occurred, the impacted assets and the type of attack',
		},
	],
};

export const resource = INCIDENT;

export const defaultOperation = 'get';

export const operations = {
	addComment: addCommentOperation(incident),
	get: getOperation(
		incident,
		'Read one incident by its ID, with its status, severity, classification and alerts',
	),
	getMany: getManyOperation(
		incident,
		'List incidents, newest first, optionally by status, severity, classification, assignee or date',
	),
	update: updateOperation(
		incident,
		"Change an incident's status, classification, determination, assignee, tags, severity, name, description, summary or resolving comment",
	),
};
