import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { RESOURCES, route } from './actions/router';
import { searchAlerts, searchIncidents, searchIncidentTasks } from './methods/listSearch';

export class MicrosoftDefenderXdr implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Microsoft Defender XDR',
		name: 'microsoftDefenderXdr',
		icon: {
			light: 'file:../../icons/microsoftDefenderXdr.svg',
			dark: 'file:../../icons/microsoftDefenderXdr.dark.svg',
		},
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description:
			'Run Defender Experts response actions, manage incidents, alerts and incident tasks, and hunt, through Microsoft Graph',
		defaults: { name: 'Microsoft Defender XDR' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Success', 'Error'],
		credentials: [{ name: 'microsoftDefenderXdrOAuth2Api', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Advanced Hunting', value: 'advancedHunting' },
					{ name: 'Alert', value: 'alert' },
					{ name: 'Incident', value: 'incident' },
					{ name: 'Incident Task', value: 'incidentTask' },
				],
				default: 'incidentTask',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['incidentTask'] } },
				options: [
					{
						name: 'Execute Response Action',
						value: 'executeResponseAction',
						description:
							'Run the remediation a Defender Experts incident task prescribes (isolate or release a device, restrict apps, antivirus scan, quarantine a file, collect an investigation package, submit an IoC rule)',
						action: 'Execute a response action',
					},
					{
						name: 'Get',
						value: 'get',
						description: 'Read one incident task by its ID',
						action: 'Get an incident task',
					},
					{
						name: 'Get Many',
						value: 'getMany',
						description: 'List incident tasks, optionally by status, action type or incident',
						action: 'Get many incident tasks',
					},
					{
						name: 'Update',
						value: 'update',
						description:
							"Set an incident task's status (open, in progress, completed, failed, not relevant)",
						action: 'Update an incident task',
					},
				],
				default: 'executeResponseAction',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['incident'] } },
				options: [
					{
						name: 'Add Comment',
						value: 'addComment',
						description: "Add a comment to an incident's audit trail",
						action: 'Add a comment to an incident',
					},
					{
						name: 'Get',
						value: 'get',
						description:
							'Read one incident by its ID, with its status, severity, classification and alerts',
						action: 'Get an incident',
					},
					{
						name: 'Get Many',
						value: 'getMany',
						description:
							'List incidents, newest first, optionally by status, severity, classification, assignee or date',
						action: 'Get many incidents',
					},
					{
						name: 'Update',
						value: 'update',
						description:
							"Change an incident's status, classification, determination, assignee, tags, severity, name, description, summary or resolving comment",
						action: 'Update an incident',
					},
				],
				default: 'get',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['alert'] } },
				options: [
					{
						name: 'Add Comment',
						value: 'addComment',
						description: "Add a comment to an alert's audit trail",
						action: 'Add a comment to an alert',
					},
					{
						name: 'Get',
						value: 'get',
						description: 'Read one alert by its ID, with its evidence',
						action: 'Get an alert',
					},
					{
						name: 'Get Many',
						value: 'getMany',
						description:
							'List alerts, newest first, optionally by status, severity, service source or date',
						action: 'Get many alerts',
					},
					{
						name: 'Update',
						value: 'update',
						description: "Change an alert's status, classification, determination or assignee",
						action: 'Update an alert',
					},
				],
				default: 'get',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['advancedHunting'] } },
				options: [
					{
						name: 'Run Query',
						value: 'runQuery',
						description:
							'Run a KQL advanced hunting query over Defender XDR data (devices, processes, network, alerts); one item per result row',
						action: 'Run an advanced hunting query',
					},
				],
				default: 'runQuery',
			},
			...Object.values(RESOURCES).flatMap((operations) =>
				Object.values(operations).flatMap((operation) => operation.description),
			),
		],
	};

	methods = {
		listSearch: { searchIncidents, searchAlerts, searchIncidentTasks },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this);
	}
}
