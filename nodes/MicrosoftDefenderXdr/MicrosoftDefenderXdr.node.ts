import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { RESOURCES, route } from './actions/router';

export class MicrosoftDefenderXdr implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Microsoft Defender XDR',
		name: 'microsoftDefenderXdr',
		icon: { light: 'file:../../icons/microsoftDefenderXdr.svg', dark: 'file:../../icons/microsoftDefenderXdr.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Run Defender Experts for XDR incident-task response actions and manage incident tasks through Microsoft Graph',
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
				options: [{ name: 'Incident Task', value: 'incidentTask' }],
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
						description: "Run the remediation an incident task prescribes (isolate a device, run an antivirus scan, ...)",
						action: 'Execute the response action of an incident task',
					},
					{ name: 'Get', value: 'get', description: 'Get one incident task', action: 'Get an incident task' },
					{ name: 'Get Many', value: 'getMany', description: 'List incident tasks', action: 'Get many incident tasks' },
					{ name: 'Update', value: 'update', description: "Set an incident task's status", action: 'Update an incident task' },
				],
				default: 'executeResponseAction',
			},
			...Object.values(RESOURCES).flatMap((operations) => Object.values(operations).flatMap((operation) => operation.description)),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this);
	}
}
