import type { Api } from '../transport/api';
import type { RequestSubject } from '../transport/errors';

/** The node options that let an AI agent make a change; execute keeps its own, every other write shares one. */
export const AGENT_OPT_INS = {
	allowAsTool: 'Allow as AI Tool',
	allowExecuteAsTool: 'Allow Execute as AI Tool',
} as const;

/** An operation that changes the tenant: what an AI agent is refused without the opt-in, and which option opts in. */
export interface Write {
	/** Completes "An AI agent may not ...": "update incident tasks". */
	what: string;
	optIn: keyof typeof AGENT_OPT_INS;
	/** Whether the operation offers a dry run, which an agent may always make. */
	dryRun?: boolean;
}

/**
 * One resource of the node, as data: the API it lives in, its collection, what its errors say, and which of its
 * operations change the tenant. The router, the agent gate and the trigger read these; none of them names a resource.
 */
export interface Resource {
	/** The node's `resource` value. */
	value: string;
	/** How the Resource list shows it. */
	displayName: string;
	api: Api;
	/** The collection's path under the API root, version included: `/beta/security/incidentTasks`. */
	path: string;
	/** The largest page the API serves for it. */
	pageSize: number;
	subject: RequestSubject;
	/** Its operations that write, by operation name; every other operation only reads. */
	writes: Record<string, Write>;
}

/** The path of one record, or of something under it: the ID is always percent-encoded. */
export function recordPath(resource: Resource, id: string, tail = ''): string {
	return `${resource.path}/${encodeURIComponent(id)}${tail}`;
}
