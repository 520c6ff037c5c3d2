import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ListFilter } from '../../../shared/filters';
import type { Resource } from '../../../shared/resources/resource';
import { idLocatorProperty, locatedIdOf, readLocatedId, type IdLocator } from '../idLocator';

/** Incidents and alerts are read, listed, updated and commented on the same way; this is what differs. */
export interface SecurityEntity {
	resource: Resource;
	/** "incident" or "alert", for messages and output. */
	noun: string;
	/** The ID parameter, also the key of the ID in output items: `incidentId`, `alertId`. */
	idParameter: string;
	idLabel: string;
	idPlaceholder: string;
	/** The node's `listSearch` method that lists them, newest first. */
	searchListMethod: string;
	/** The Defender portal's path segment for one of them: `https://security.microsoft.com/<segment>/<id>`. */
	portalSegment: string;
	filters: ListFilter[];
	/** The fields Update may write, as n8n shows them; only those set go into the PATCH body. */
	updateFields: INodeProperties[];
}

/** How the ID is picked in the editor: from the newest first, by ID, or by the Defender portal's link. */
export function idLocator(entity: SecurityEntity): IdLocator {
	return {
		name: entity.idParameter,
		displayName: entity.idLabel,
		noun: entity.noun,
		searchListMethod: entity.searchListMethod,
		idPlaceholder: entity.idPlaceholder,
		description: `The ${entity.noun} in Microsoft Defender XDR: pick it, give its ID, or paste its link from the Defender portal`,
		hint: `Map it from a previous node, e.g. {{ $json.${entity.idParameter === 'incidentId' ? 'incidentId' : 'id'} }}`,
		portalSegment: entity.portalSegment,
		acceptNumbers: true,
	};
}

export function idProperty(entity: SecurityEntity): INodeProperties {
	return idLocatorProperty(idLocator(entity));
}

/** The item's incident or alert ID; a whole number from upstream JSON (5001) is read as its digits. */
export function readEntityId(
	ctx: IExecuteFunctions,
	entity: SecurityEntity,
	itemIndex: number,
): string {
	return readLocatedId(
		ctx,
		idLocator(entity),
		itemIndex,
		`invalid${entity.idParameter[0].toUpperCase()}${entity.idParameter.slice(1)}`,
	);
}

/** Which entity an output item is about; Get Many has no single ID. */
export function entitySubject(
	ctx: IExecuteFunctions,
	entity: SecurityEntity,
	itemIndex: number,
	withId = true,
): IDataObject {
	return { [entity.idParameter]: withId ? locatedIdOf(ctx, idLocator(entity), itemIndex) : null };
}
