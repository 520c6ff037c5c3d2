import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeCredentialDescription,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { RESOURCES } from './actions';
import { route } from './actions/router';
import {
	searchAlerts,
	searchIdentityAccounts,
	searchIncidents,
	searchIncidentTasks,
} from './methods/listSearch';

/** The Resource list's default; a node saved without `resource` is on it. */
const DEFAULT_RESOURCE = 'incidentTask';

/**
 * One credential per API the resources live in, each shown for its own resources: Graph's for incidents, alerts,
 * tasks and hunting, Defender for Endpoint's for devices and indicators. The default resource's credential is
 * shown unless another API's resource is chosen, so a node whose parameters leave `resource` out (saved at its
 * default, or as the editor asks for a pick list) still has its credential.
 */
function credentialsByApi(): INodeCredentialDescription[] {
	const apis = [...new Set(RESOURCES.map(({ resource }) => resource.api))];
	const valuesOf = (matches: (api: (typeof apis)[number]) => boolean) =>
		RESOURCES.filter(({ resource }) => matches(resource.api)).map(({ resource }) => resource.value);
	const defaultApi = RESOURCES.find(({ resource }) => resource.value === DEFAULT_RESOURCE)?.resource
		.api;
	return apis.map((api) => ({
		name: api.credentialType,
		required: true,
		...(apis.length > 1
			? {
					displayOptions:
						api === defaultApi
							? { hide: { resource: valuesOf((other) => other !== api) } }
							: { show: { resource: valuesOf((own) => own === api) } },
				}
			: {}),
	}));
}

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
			'Isolate, scan and restrict devices through Defender for Endpoint, run Defender Experts response actions, manage incidents, alerts and incident tasks, and hunt, through Microsoft Graph',
		defaults: { name: 'Microsoft Defender XDR' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Success', 'Error'],
		credentials: credentialsByApi(),
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: RESOURCES.map(({ resource }) => ({
					name: resource.displayName,
					value: resource.value,
				})),
				default: DEFAULT_RESOURCE,
			},
			// One Operation list per resource, from its operations' own labels, in alphabetical order as n8n lists them.
			...RESOURCES.map(({ resource, operations, defaultOperation }): INodeProperties => {
				const options = Object.entries(operations)
					.map(([value, operation]) => ({ ...operation.option, value }))
					.sort((one, other) => one.name.localeCompare(other.name));
				return {
					displayName: 'Operation',
					name: 'operation',
					type: 'options',
					noDataExpression: true,
					displayOptions: { show: { resource: [resource.value] } },
					options,
					default: defaultOperation,
				};
			}),
			...RESOURCES.flatMap(({ operations }) =>
				Object.values(operations).flatMap((operation) => operation.description),
			),
		],
	};

	methods = {
		listSearch: { searchIncidents, searchAlerts, searchIncidentTasks, searchIdentityAccounts },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this, RESOURCES);
	}
}
