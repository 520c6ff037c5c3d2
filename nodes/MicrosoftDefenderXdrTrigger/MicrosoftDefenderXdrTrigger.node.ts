import {
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
	type JsonObject,
} from 'n8n-workflow';

import { DefenderXdrError, redactSecrets } from '../shared/transport/errors';
import { ApiSession } from '../shared/transport/session';
import { listed } from '../shared/cloud';
import { TRIGGER_EVENTS } from './events';
import { activate, catchUp, newestMatching, savedCursor } from './pollCursor';

export class MicrosoftDefenderXdrTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Microsoft Defender XDR Trigger',
		name: 'microsoftDefenderXdrTrigger',
		icon: {
			light: 'file:../../icons/microsoftDefenderXdr.svg',
			dark: 'file:../../icons/microsoftDefenderXdr.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["event"] }}',
		description: `Starts a workflow when Microsoft Defender XDR has a new ${listed(
			TRIGGER_EVENTS.map((event) => event.resource.subject.name),
			'or',
		)}`,
		defaults: { name: 'Microsoft Defender XDR Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'microsoftDefenderXdrOAuth2Api', required: true }],
		properties: [
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				noDataExpression: true,
				options: TRIGGER_EVENTS.map(({ name, value, description }) => ({
					name,
					value,
					description,
				})),
				default: 'newIncidentTask',
			},
			...TRIGGER_EVENTS.flatMap((event) => event.properties),
		],
	};

	/**
	 * Scheduled polls emit each entity listed since the last poll once, one item each, including one Graph lists
	 * up to `LOOK_BACK_MINUTES` after its creation; the first one only remembers where the list ends. A manual
	 * run returns the newest matching entity and moves nothing.
	 */
	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const eventName = this.getNodeParameter('event', TRIGGER_EVENTS[0].value) as string;
		const event = TRIGGER_EVENTS.find((candidate) => candidate.value === eventName);
		if (!event)
			throw new NodeOperationError(this.getNode(), `The event "${eventName}" is not supported`);
		const isManual = this.getMode() === 'manual';

		try {
			const listing = event.listing(this);
			const session = await ApiSession.open(this, listing.resource.api);
			if (isManual) {
				const newest = await newestMatching(session, listing);
				return newest ? [[{ json: newest }]] : null;
			}
			const staticData = this.getWorkflowStaticData('node');
			const cursor = savedCursor(staticData.cursor, event.value);
			if (!cursor) {
				staticData.cursor = await activate(session, listing, event.value);
				this.logger.info(
					`Microsoft Defender XDR Trigger: watching for new ${event.entities} from now on; existing ones are not replayed`,
				);
				return null;
			}
			const { fresh, cursor: next } = await catchUp(session, listing, cursor);
			// Written only after the whole list was read: a failed poll leaves the cursor where it was.
			staticData.cursor = next;
			return fresh.length ? [fresh.map((entity) => ({ json: entity }))] : null;
		} catch (error) {
			const nodeError = toNodeError(this, error);
			if (!isManual) {
				this.logger.warn(
					`Microsoft Defender XDR Trigger: polling for new ${event.entities} failed; the next poll starts from the same position. ${nodeError.message}`,
				);
			}
			throw nodeError;
		}
	}
}

function toNodeError(ctx: IPollFunctions, error: unknown): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	if (error instanceof DefenderXdrError) {
		const { statusCode } = error.details;
		return new NodeApiError(ctx.getNode(), { ...error.details } as unknown as JsonObject, {
			message: error.message,
			httpCode: statusCode === null ? undefined : String(statusCode),
		});
	}
	const message = redactSecrets(error instanceof Error ? error.message : String(error));
	return new NodeOperationError(ctx.getNode(), message, {
		description: 'Check the Microsoft Defender XDR credential selected on this node.',
	});
}
