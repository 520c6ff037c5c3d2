import { GRAPH } from '../apis/graph';
import { RESOURCE_CLOUDS } from '../cloud';
import type { Resource } from './resource';

/** Defender Experts for XDR incident tasks (Graph beta). */
export const INCIDENT_TASK: Resource = {
	value: 'incidentTask',
	displayName: 'Incident Task',
	api: GRAPH,
	path: '/beta/security/incidentTasks',
	// Graph's largest page of incident tasks (`$top` at most 500).
	pageSize: 500,
	subject: {
		name: 'incident task',
		onBadRequest:
			"the incident task ID and the values sent, and that the task's action type is one Graph can execute",
		onNotFound:
			"the incident task ID and that the credential's tenant is the one the task belongs to",
		// Every incident-task page of Microsoft's Graph reference leaves its permission table without a usable entry.
		onForbidden:
			'Microsoft publishes no Graph permission for incident tasks yet. What to try: the application permission SecurityIncident.ReadWrite.All with admin consent, and check that the tenant has Defender Experts for XDR, whose analysts create incident tasks',
		unknownOutcome:
			'the response action may or may not have run. Check the task\'s action status in the Defender portal before running it again (turn on "Verify Task" to let the node check for you).',
		offeredIn: RESOURCE_CLOUDS.incidentTasks,
	},
	writes: {
		executeResponseAction: {
			what: 'execute response actions',
			optIn: 'allowExecuteAsTool',
			dryRun: true,
		},
		update: { what: 'update incident tasks', optIn: 'allowAsTool' },
	},
};
