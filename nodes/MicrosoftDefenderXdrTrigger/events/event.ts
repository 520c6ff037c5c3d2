import type { IDataObject, INodeProperties, IPollFunctions } from 'n8n-workflow';

import type { Resource } from '../../shared/resources/resource';

/** An incident task, incident or alert as Graph lists it; the trigger relies only on these two fields. */
export interface GraphEntity extends IDataObject {
	id: string;
	createdDateTime?: string;
}

/** How to list one kind of entity with the filters the user chose. */
export interface EntityListing {
	/** What the list is of: its collection, where Microsoft offers it and what to check when it is refused. */
	resource: Resource;
	/** Query options for the entities created at or after `since` (all of them when undefined). */
	query(since: string | undefined): Record<string, string>;
	/** The filters Graph cannot apply on its side; true when the entity should trigger. */
	matches(entity: GraphEntity): boolean;
	/** Whether Graph documents the list as newest first, so paging may stop once it reaches older entities. */
	newestFirst: boolean;
}

/** One value of the trigger's `event` parameter: its label, its filter parameters and its Graph list. */
export interface TriggerEvent {
	value: string;
	name: string;
	description: string;
	/** The resource whose new records it emits. */
	resource: Resource;
	/** Plural noun for messages, e.g. "incident tasks". */
	entities: string;
	properties: INodeProperties[];
	listing(ctx: IPollFunctions): EntityListing;
}
