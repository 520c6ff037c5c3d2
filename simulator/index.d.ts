// Types for simulator/index.js (plain CommonJS). Keep in step with index.js; README.md documents behaviour.

export type IncidentTaskActionType =
	| 'text'
	| 'isolateDevice'
	| 'stopAndQuarantineFile'
	| 'runAntiVirusScan'
	| 'collectInvestigationPackage'
	| 'restrictAppExecution'
	| 'submitIocRule'
	| 'forceUserPasswordReset'
	| 'disableUser'
	| 'markUserAsCompromised'
	| 'requireSignIn'
	| 'hardDeleteEmail'
	| 'softDeleteEmail'
	| 'unIsolateDevice'
	| 'unRestrictAppExecution'
	| 'enableUser'
	| 'unknownFutureValue';
export type ExecutableActionType =
	| 'collectInvestigationPackage'
	| 'isolateDevice'
	| 'unRestrictAppExecution'
	| 'unIsolateDevice'
	| 'restrictAppExecution'
	| 'runAntiVirusScan'
	| 'stopAndQuarantineFile'
	| 'submitIocRule';
export type NonExecutableActionType = Exclude<IncidentTaskActionType, ExecutableActionType>;
export type IncidentTaskStatus = 'open' | 'inProgress' | 'completed' | 'failed' | 'notRelevant';
export type IncidentTaskActionStatus = 'notStarted' | 'inProgress' | 'partiallyCompleted' | 'completed' | 'failed';
/** Where actionStatus ends after execute; `inProgress` = never leaves inProgress. */
export type TaskOutcome = 'completed' | 'failed' | 'partiallyCompleted' | 'inProgress';

/** Graph beta microsoft.graph.security.incidentTask as the simulator serves it. */
export interface IncidentTask {
	id: string;
	displayName: string;
	description: string;
	actionType: IncidentTaskActionType | string;
	actionStatus: IncidentTaskActionStatus | string;
	status: IncidentTaskStatus | string;
	source: 'defenderExpertsGuidedResponse' | 'defenderExpertsManagedResponse' | string;
	createdDateTime: string;
	lastModifiedDateTime: string;
	createdByDisplayName: string;
	lastModifiedByDisplayName: string;
	/** Deprecated in Graph; present on some seeded tasks, absent on others. */
	responseAction?: Record<string, unknown>;
	[property: string]: unknown;
}

/** Graph v1.0 microsoft.graph.security.incident (the fields the simulator fills). */
export interface Incident {
	id: string;
	tenantId: string;
	status: string;
	severity: string;
	displayName: string;
	createdDateTime: string;
	lastUpdateDateTime: string;
	assignedTo: string | null;
	classification: string;
	determination: string;
	incidentWebUrl: string;
	[property: string]: unknown;
}

/** Graph v1.0 microsoft.graph.security.alert (alerts_v2). */
export interface Alert {
	id: string;
	incidentId: string | null;
	status: string;
	severity: string;
	title: string;
	serviceSource: string;
	createdDateTime: string;
	lastUpdateDateTime: string;
	[property: string]: unknown;
}

export interface FaultRates {
	/** Any authenticated Graph request answers 503 (no Retry-After). */
	status503: number;
	/** executeResponseAction executes, then answers 504. */
	status504AfterExecute: number;
	/** executeResponseAction's connection is destroyed before executing. */
	dropBeforeExecute: number;
	/** executeResponseAction executes, then its connection is destroyed. */
	dropAfterExecute: number;
}

export interface RateLimit {
	requests: number;
	windowSeconds: number;
}

export interface SimulatorSettings {
	/** Added before every answer. Default 0. */
	latencyMs: number;
	/** Per app (tenant + client ID) sliding window; over it -> 429 TooManyRequests + Retry-After. Default null (off). */
	rateLimit: RateLimit | null;
	/** Probabilities 0..1. Default all 0. */
	faultRates: FaultRates;
	/** expires_in of newly issued access tokens. Default 3600. */
	tokenLifetimeSeconds: number;
	/** Time from a 204 execute to the task's terminal actionStatus. Default 300. */
	actionDelayMs: number;
	/** Server page size when $top is absent or larger; null = per collection (incidentTasks 100, incidents 20, alerts_v2 100). */
	pageSize: number | null;
	/** Seed for the random fault draws; null = Math.random. */
	randomSeed: number | null;
	/** Origin used in @odata.nextLink instead of the request's own (to test a client's same-origin check). Default null. */
	nextLinkOrigin: string | null;
}

export type SettingsPatch = Partial<Omit<SimulatorSettings, 'faultRates'>> & { faultRates?: Partial<FaultRates> };

export type FaultKind =
	| '429'
	| '503'
	| '504AfterExecute'
	| '504'
	| 'dropBeforeExecute'
	| 'dropAfterExecute'
	| '401'
	| '403'
	| '404'
	| '400'
	| 'hang';

export interface FaultScript {
	/** Only requests with this method (case-insensitive). */
	method?: string;
	/**
	 * A string matches the exact path (without or with its query); a RegExp is tested against both.
	 * Without a path the fault matches Graph requests only (never the token endpoint), and the three
	 * execute faults (504AfterExecute, dropBeforeExecute, dropAfterExecute) only POST executeResponseAction.
	 */
	path?: string | RegExp;
	fault: FaultKind;
	/** How many matching requests get this fault. Default 1. */
	times?: number;
	/** Retry-After in seconds (429 defaults to 1; 503 sends none unless given). */
	retryAfterSeconds?: number;
	/** Retry-After as an HTTP date instead of seconds. */
	retryAfterDate?: Date | string;
}

export interface RequestLogEntry {
	method: string;
	/** Path with query, as sent. */
	path: string;
	/** 0 when the connection was dropped or the request hangs. */
	status: number;
	/** true once a valid bearer token was presented (Graph requests only). */
	authorized: boolean;
	/** ISO time the request arrived. */
	at: string;
	requestId: string;
	/** Request headers; authorization, proxy-authorization and cookie are 'REDACTED'. */
	headers: Record<string, string | string[] | undefined>;
	clientId?: string;
	/** Token endpoint requests: the tenant in the path, grant_type and scope. */
	tenantId?: string;
	grantType?: string;
	scope?: string;
	/** The fault applied, if any: a FaultKind or 'rateLimit'. */
	fault?: string;
	durationMs?: number;
}

export interface ExecutionRecord {
	taskId: string;
	actionType: string;
	at: string;
	requestId: string;
	clientId: string;
}

export interface SimulatorState {
	/** Insertion order: seed (oldest first), then added tasks. */
	tasks: IncidentTask[];
	incidents: Incident[];
	alerts: Alert[];
}

export type NewTask = Partial<IncidentTask> & { outcome?: TaskOutcome; incidentId?: string | null };
export type TaskPatch = Partial<IncidentTask> & { outcome?: TaskOutcome; incidentId?: string | null };

export interface SimulatorOptions extends SettingsPatch {
	/** Default 0 = a free port. */
	port?: number;
	/** Default 127.0.0.1. */
	host?: string;
	tenantId?: string;
	clientId?: string;
	clientSecret?: string;
	/** Shown as lastModifiedByDisplayName after the app patches or executes a task. */
	appDisplayName?: string;
	/** Called after each request is answered (or dropped). */
	onRequest?: (entry: RequestLogEntry) => void;
}

export interface Simulator {
	/** http://127.0.0.1:PORT: both the Graph root and the login root. */
	readonly url: string;
	readonly port: number;
	readonly tenantId: string;
	readonly clientId: string;
	readonly clientSecret: string;
	/** {url}/{tenantId}/oauth2/v2.0/token */
	readonly tokenUrl: string;
	/** {url}/{tenantId}/oauth2/v2.0/authorize */
	readonly authorizeUrl: string;
	/** Live request log, oldest first. */
	readonly requests: RequestLogEntry[];
	/** executeResponseAction calls that really executed. */
	readonly executions: ExecutionRecord[];

	configure(patch: SettingsPatch): SimulatorSettings;
	settings(): SimulatorSettings;
	injectFault(fault: FaultScript): void;
	clearFaults(): void;
	pendingFaults(): number;
	/** Every issued access token becomes expired (401 InvalidAuthenticationToken); refresh tokens stay valid. */
	expireAllTokens(): void;
	/** Revokes one access or refresh token; false if unknown. */
	revokeToken(token: string): boolean;
	/** Another app registration (e.g. to show the rate limit is per app). */
	registerApp(app: { clientId: string; clientSecret: string; displayName?: string }): void;
	/** An access token without an HTTP round trip. */
	issueToken(options?: { clientId?: string; lifetimeSeconds?: number; scope?: string }): string;
	/** Empties `requests` and `executions`. */
	clearLog(): void;
	state(): SimulatorState;
	getTask(id: string): IncidentTask | undefined;
	/** Raw overwrite, no timestamps; a field set to undefined is removed. Throws for an unknown ID. */
	setTask(id: string, patch: TaskPatch): IncidentTask;
	/** Defaults: open/notStarted isolateDevice, createdDateTime now, outcome completed, ID task-added-NNN. */
	addTask(partial?: NewTask): IncidentTask;
	addIncident(partial?: Partial<Incident>): Incident;
	addAlert(partial?: Partial<Alert>): Alert;
	/** Back to the seed: data, scripted faults, rate-limit windows and logs. Settings and tokens stay. */
	reset(): void;
	stop(): Promise<void>;
}

export function startSimulator(options?: SimulatorOptions): Promise<Simulator>;

export const SIMULATOR_TENANT_ID: string;
export const SIMULATOR_CLIENT_ID: string;
export const SIMULATOR_CLIENT_SECRET: string;
export const SIMULATOR_APP_NAME: string;
export const FAULT_KINDS: readonly FaultKind[];

export const ACTION_TYPES: readonly IncidentTaskActionType[];
export const EXECUTABLE_ACTION_TYPES: readonly ExecutableActionType[];
export const TASK_STATUSES: readonly IncidentTaskStatus[];
export const ACTION_STATUSES: readonly IncidentTaskActionStatus[];
export const TASK_OUTCOMES: readonly TaskOutcome[];
export function isExecutableActionType(actionType: string): boolean;

/** Fixed base of every seeded date. */
export const SEED_BASE_TIME: string;
/** The tenantId property of seeded incidents and alerts. */
export const SEED_TENANT_GUID: string;
/** Graph-shaped seeded tasks, oldest first. */
export const SEED_TASKS: readonly Readonly<IncidentTask>[];
/** Task ID -> actionStatus it ends at after a successful execute. */
export const SEED_TASK_OUTCOMES: Readonly<Record<string, TaskOutcome>>;
/** Task ID -> incident ID (Graph's `incident` relationship). */
export const SEED_TASK_INCIDENTS: Readonly<Record<string, string>>;
export const SEED_INCIDENTS: readonly Readonly<Incident>[];
export const SEED_ALERTS: readonly Readonly<Alert>[];
export const SEEDED_TASK_IDS: {
	readonly openByActionType: Readonly<Record<ExecutableActionType, string>>;
	readonly nonExecutableByActionType: Readonly<Record<NonExecutableActionType, string>>;
	/** open/notStarted, execute ends actionStatus failed */
	readonly endsFailed: string;
	/** open/notStarted, execute ends actionStatus partiallyCompleted */
	readonly endsPartiallyCompleted: string;
	/** open/notStarted, execute stays inProgress forever */
	readonly neverCompletes: string;
	/** status inProgress, actionStatus inProgress */
	readonly inProgress: string;
	/** status completed, actionStatus completed */
	readonly completed: string;
	/** status notRelevant, actionStatus notStarted */
	readonly notRelevant: string;
	/** status failed, actionStatus failed */
	readonly failed: string;
	/** status inProgress, actionStatus partiallyCompleted */
	readonly partiallyCompleted: string;
};

export * from './faultProxy';
