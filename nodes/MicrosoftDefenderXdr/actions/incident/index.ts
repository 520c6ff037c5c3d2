import { choices, INCIDENT_PAGE_SIZE, INCIDENT_STATUSES, INCIDENT_SUBJECT } from '../../../shared/security';
import { addCommentOperation } from '../entity/addComment.operation';
import type { SecurityEntity } from '../entity/entity';
import { assignedToField, assignedToFilter, classificationField, classificationFilter, createdAfterFilter, determinationField, severityFilter } from '../entity/fields';
import { getOperation } from '../entity/get.operation';
import { getManyOperation } from '../entity/getMany.operation';
import { updateOperation } from '../entity/update.operation';

const statusChoices = choices(INCIDENT_STATUSES);

/** Incidents (Graph v1.0 `/security/incidents`). */
const incident: SecurityEntity = {
	resource: 'incident',
	noun: 'incident',
	idParameter: 'incidentId',
	idLabel: 'Incident ID',
	idPlaceholder: 'e.g. 2972395',
	path: '/security/incidents',
	pageSize: INCIDENT_PAGE_SIZE,
	subject: INCIDENT_SUBJECT,
	filters: [
		{ name: 'status', displayName: 'Status', graphProperty: 'status', kind: 'choice', choices: statusChoices, description: 'Only incidents with this status' },
		severityFilter,
		classificationFilter,
		assignedToFilter,
		createdAfterFilter,
		{ name: 'lastUpdatedAfter', displayName: 'Last Updated After', graphProperty: 'lastUpdateDateTime', kind: 'dateAfter', description: 'Only incidents updated at or after this time' },
	],
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
		determinationField,
		{
			displayName: 'Resolving Comment',
			name: 'resolvingComment',
			type: 'string',
			typeOptions: { rows: 3 },
			default: '',
			description: 'Why the incident is resolved; Defender shows it with the resolution',
		},
		{ displayName: 'Status', name: 'status', type: 'options', options: statusChoices, default: 'resolved', description: "The incident's new status" },
	],
};

export const get = getOperation(incident);
export const getMany = getManyOperation(incident);
export const update = updateOperation(incident);
export const addComment = addCommentOperation(incident);
