import type { INodeProperties } from 'n8n-workflow';

import { choices, CLASSIFICATIONS, DETERMINATIONS, SEVERITIES } from '../../../shared/security';
import type { ListFilter } from '../../../shared/filters';

/** Fields incidents and alerts share, in Update and in Get Many's filters. */
export const classificationField: INodeProperties = {
	displayName: 'Classification',
	name: 'classification',
	type: 'options',
	options: choices(CLASSIFICATIONS, {
		informationalExpectedActivity: 'Informational, Expected Activity',
	}),
	default: 'truePositive',
	description: 'Whether the activity is a real threat',
};

export const determinationField: INodeProperties = {
	displayName: 'Determination',
	name: 'determination',
	type: 'options',
	options: choices(DETERMINATIONS, {
		apt: 'Advanced Persistent Threat (APT)',
		notEnoughDataToValidate: 'Not Enough Data to Validate',
	}),
	default: 'malware',
	description: 'What the activity turned out to be',
};

export const assignedToField: INodeProperties = {
	displayName: 'Assigned To',
	name: 'assignedTo',
	type: 'string',
	default: '',
	placeholder: 'e.g. analyst@contoso.com',
	description: 'The owner, as a user principal name; empty unassigns',
};

export const severityFilter: ListFilter = {
	name: 'severity',
	displayName: 'Severity',
	apiProperty: 'severity',
	kind: 'choice',
	choices: choices(SEVERITIES),
	description: 'Only this severity',
};

export const classificationFilter: ListFilter = {
	name: 'classification',
	displayName: 'Classification',
	apiProperty: 'classification',
	kind: 'choice',
	choices: classificationField.options as Array<{ name: string; value: string }>,
	description: 'Only this classification',
};

export const assignedToFilter: ListFilter = {
	name: 'assignedTo',
	displayName: 'Assigned To',
	apiProperty: 'assignedTo',
	kind: 'userPrincipalName',
	description: 'Only those assigned to this user principal name',
};

export const createdAfterFilter: ListFilter = {
	name: 'createdAfter',
	displayName: 'Created After',
	apiProperty: 'createdDateTime',
	kind: 'dateAfter',
	description: 'Only those created at or after this time',
};
