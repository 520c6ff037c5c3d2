// Types for simulator/index.js (plain CommonJS). Keep in step with index.js; README.md documents behaviour.
// Graph's own unions and entity shapes come from Microsoft's typings, so a drift from Graph shows up here.

import type { SecurityNamespace } from '@microsoft/microsoft-graph-types-beta';

export type IncidentTaskActionType = SecurityNamespace.IncidentTaskActionType;
export type ExecutableActionType = Extract<
	IncidentTaskActionType,
	| 'collectInvestigationPackage'
	| 'isolateDevice'
	| 'unRestrictAppExecution'
	| 'unIsolateDevice'
	| 'restrictAppExecution'
	| 'runAntiVirusScan'
	| 'stopAndQuarantineFile'
	| 'submitIocRule'
>;
export type NonExecutableActionType = Exclude<IncidentTaskActionType, ExecutableActionType>;
export type IncidentTaskStatus = Exclude<
	SecurityNamespace.IncidentTaskStatus,
	'unknownFutureValue'
>;
export type IncidentTaskActionStatus = Exclude<
	SecurityNamespace.IncidentTaskActionStatus,
	'unknownFutureValue'
>;
export type IncidentStatus = SecurityNamespace.IncidentStatus;
export type AlertStatus = SecurityNamespace.AlertStatus;
export type AlertSeverity = SecurityNamespace.AlertSeverity;
export type AlertClassification = SecurityNamespace.AlertClassification;
export type AlertDetermination = SecurityNamespace.AlertDetermination;
export type ServiceSource = SecurityNamespace.ServiceSource;
export type DetectionSource = SecurityNamespace.DetectionSource;
/** microsoft.graph.security.alertComment: { comment, createdByDisplayName, createdDateTime } */
export type AlertComment = SecurityNamespace.AlertComment;
/** A task's responseAction: an incidentTaskResponseAction subtype, named by `@odata.type`. */
export type IncidentTaskResponseAction = SecurityNamespace.IncidentTaskResponseAction &
	Partial<
		SecurityNamespace.IsolateDeviceIncidentTaskResponseAction &
			SecurityNamespace.StopAndQuarantineFileIncidentTaskResponseAction
	> & {
		'@odata.type': string;
		identifierValue: string;
	};
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
	/** The incident the task belongs to (filterable with `incidentId eq '…'`); null for a task added without one. */
	incidentId: string | null;
	/** Absent on text and unknownFutureValue tasks, which target nothing. */
	responseAction?: IncidentTaskResponseAction;
	[property: string]: unknown;
}

/** Graph v1.0 microsoft.graph.security.incident (the fields the simulator fills). */
export interface Incident {
	id: string;
	tenantId: string;
	/** awaitingAction is served as unknownFutureValue unless the request sends Prefer: include-unknown-enum-members. */
	status: IncidentStatus | string;
	severity: AlertSeverity | string;
	displayName: string;
	createdDateTime: string;
	lastUpdateDateTime: string;
	assignedTo: string | null;
	classification: AlertClassification | string;
	determination: AlertDetermination | string;
	incidentWebUrl: string;
	customTags: string[];
	description: string | null;
	resolvingComment: string | null;
	comments: AlertComment[];
	[property: string]: unknown;
}

/** Graph v1.0 microsoft.graph.security.alert (alerts_v2). */
export interface Alert {
	id: string;
	incidentId: string | null;
	status: AlertStatus | string;
	severity: AlertSeverity | string;
	classification: AlertClassification | string | null;
	determination: AlertDetermination | string | null;
	title: string;
	serviceSource: ServiceSource | string;
	createdDateTime: string;
	lastUpdateDateTime: string;
	comments: AlertComment[];
	/** microsoft.graph.security.alertEvidence subtypes (deviceEvidence, fileEvidence, userEvidence, …). */
	evidence: Array<Record<string, unknown> & { '@odata.type': string }>;
	[property: string]: unknown;
}

/** One column of a runHuntingQuery answer. */
export interface HuntingColumn {
	name: string;
	/** Kusto type name: DateTime, String, Int32, Int64, … */
	type: string;
}

/** An advanced hunting table of the seed: its columns and rows (each row has every column). */
export interface HuntingTable {
	schema: readonly HuntingColumn[];
	rows: ReadonlyArray<Record<string, unknown>>;
}

export type HuntingTableName =
	| 'DeviceInfo'
	| 'DeviceProcessEvents'
	| 'DeviceNetworkEvents'
	| 'AlertInfo'
	| 'AlertEvidence';

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

/** Defender for Endpoint budgets per app per tenant; every /api/ call counts per minute and per hour. */
export interface EndpointRateLimits {
	perMinute: number;
	perHour: number;
	/** POST /api/indicators/import, on top of the general budgets. */
	importPerMinute: number;
	/** GET /api/machineactions/{id}/GetPackageUri, on top of the general budgets. */
	packageUriPerMinute: number;
	packageUriPerHour: number;
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
	/** How long runHuntingQuery takes to answer (a long query; Graph allows up to 3 minutes). Default 0. */
	huntingQueryMs: number;
	/**
	 * Time from a 204 execute until the task shows the action started. Until then the task reads notStarted and
	 * another execute runs the action again (both are in `executions`). Default 0 (shows at once).
	 */
	actionStartLagMs: number;
	/** Server page size when $top is absent or larger; null = per collection (incidentTasks 500, incidents 20, alerts_v2 100). */
	pageSize: number | null;
	/** Seed for the random fault draws; null = Math.random. */
	randomSeed: number | null;
	/** Origin used in @odata.nextLink instead of the request's own (to test a client's same-origin check). Default null. */
	nextLinkOrigin: string | null;
	/**
	 * Defender for Endpoint limits on /api/ (429 TooManyRequests + Retry-After in MDE's error shape). Default null
	 * (off); a patch fills omitted budgets with Microsoft's documented ones (ENDPOINT_RATE_LIMITS).
	 */
	endpointRateLimits: EndpointRateLimits | null;
	/** Indicators a tenant may hold; Microsoft's cap is 15,000 (the default). */
	indicatorCapacity: number;
}

export type SettingsPatch = Partial<
	Omit<SimulatorSettings, 'faultRates' | 'endpointRateLimits'>
> & {
	faultRates?: Partial<FaultRates>;
	endpointRateLimits?: Partial<EndpointRateLimits> | null;
};

export type MachineActionType =
	| 'RunAntiVirusScan'
	| 'Offboard'
	| 'LiveResponse'
	| 'CollectInvestigationPackage'
	| 'Isolate'
	| 'Unisolate'
	| 'StopAndQuarantineFile'
	| 'RestrictCodeExecution'
	| 'UnrestrictCodeExecution';
export type MachineActionStatus =
	| 'Pending'
	| 'InProgress'
	| 'Succeeded'
	| 'Failed'
	| 'TimeOut'
	| 'Cancelled';

/** A Defender for Endpoint machine as GET /api/machines returns it. */
export interface Machine {
	id: string;
	computerDnsName: string;
	firstSeen: string;
	lastSeen: string;
	osPlatform: string;
	version: string | null;
	osProcessor: string;
	osBuild: number;
	osArchitecture: string;
	onboardingStatus: string;
	lastIpAddress: string;
	lastExternalIpAddress: string;
	healthStatus: string;
	defenderAvStatus: string;
	rbacGroupName: string;
	rbacGroupId: number;
	riskScore: string;
	exposureLevel: string;
	deviceValue: string;
	isAadJoined: boolean;
	aadDeviceId: string | null;
	machineTags: string[];
	ipAddresses: Array<{
		ipAddress: string;
		macAddress: string;
		type: string;
		operationalStatus: string;
	}>;
}

export interface MachineAction {
	id: string;
	type: MachineActionType;
	title: string | null;
	/** The app's client ID for app tokens, the user for delegated ones. */
	requestor: string;
	requestorComment: string;
	status: MachineActionStatus;
	machineId: string;
	computerDnsName: string;
	creationDateTimeUtc: string;
	lastUpdateDateTimeUtc: string;
	cancellationRequestor: string | null;
	cancellationComment: string | null;
	cancellationDateTimeUtc: string | null;
	errorHResult: number;
	/** IsolationType of an isolation, ScanType of a scan, else null. */
	scope: string | null;
	externalId: string | null;
	requestSource: string;
	relatedFileInfo: { fileIdentifier: string; fileIdentifierType: 'Sha1' } | null;
	commands: unknown[];
	troubleshootInfo: unknown;
}

export interface Indicator {
	id: string;
	indicatorValue: string;
	indicatorType: string;
	action: string;
	title: string;
	description: string;
	severity: string;
	generateAlert: boolean;
	expirationTime: string | null;
	createdBy: string;
	creationTimeDateTimeUtc: string;
	lastUpdateTime: string;
	[field: string]: unknown;
}

export interface EndpointState {
	machines: Machine[];
	/** Creation order, oldest first, settled to the current time. */
	machineActions: MachineAction[];
	indicators: Indicator[];
}

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
	 * With a path under /api/ it hits the Defender for Endpoint API and answers in MDE's error shape; the
	 * after-execute faults there apply once a machine action (POST /api/machines/{id}/{action}) was created.
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
	/** true once a valid bearer token was presented (Graph and /api/ requests). */
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
	/** A Defender for Endpoint request's body, as sent (never a login body, which holds the client secret). */
	body?: string;
	durationMs?: number;
}

export interface ExecutionRecord {
	taskId: string;
	actionType: string;
	at: string;
	requestId: string;
	clientId: string;
}

// Identity accounts (Graph v1.0, Defender for Identity).
export type IdentityAction = SecurityNamespace.Action;
export type IdentityProvider = SecurityNamespace.IdentityProvider;
/** One provider entry of an identity, as stored (the `schema` answer form). */
export interface IdentityProviderAccount {
	identifier: string;
	identityProvider: IdentityProvider | string;
	/** What invokeAction accepts for this entry; disable and enable swap when one of them runs. */
	actions: Array<IdentityAction | string>;
}
/** microsoft.graph.security.identityAccounts as stored. */
export interface IdentityAccount {
	id: string;
	displayName: string;
	domain: string | null;
	onPremisesSecurityIdentifier: string | null;
	cloudSecurityIdentifier: string | null;
	/** False while any provider entry is disabled (offers enable, not disable). */
	isEnabled: boolean;
	accounts: IdentityProviderAccount[];
}
/** `example`: as Microsoft's examples answer (default); `schema`: as the resource pages define. */
export type IdentityAnswerForm = 'example' | 'schema';
export interface IdentityActionRecord {
	correlationId: string;
	identityAccountId: string;
	/** The identifier of the provider entry acted on. */
	accountId: string;
	/** Canonical casing, whatever casing the request used. */
	action: IdentityAction;
	identityProvider: IdentityProvider;
	at: string;
	/** The calling app's display name. */
	invokedBy: string;
}

export interface SimulatorState {
	/** Insertion order: seed (oldest first), then added tasks. */
	tasks: IncidentTask[];
	incidents: Incident[];
	alerts: Alert[];
	/** Advanced hunting rows by table. */
	hunting: Record<HuntingTableName, Array<Record<string, unknown>>>;
}

export type NewTask = Partial<IncidentTask> & { outcome?: TaskOutcome; incidentId?: string | null };
export type TaskPatch = Partial<IncidentTask> & {
	outcome?: TaskOutcome;
	incidentId?: string | null;
};

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
	/** An access token without an HTTP round trip; default audience is the simulator's URL (a custom Graph root). */
	issueToken(options?: { clientId?: string; lifetimeSeconds?: number; scope?: string }): string;
	/** An access token for the Defender for Endpoint API (scope ENDPOINT_SCOPE). */
	issueEndpointToken(options?: { clientId?: string; lifetimeSeconds?: number }): string;
	/** Every machine action created through /api/, oldest first, as it reads now. */
	readonly machineActions: MachineAction[];
	/** A copy of the Defender for Endpoint side. */
	endpointState(): EndpointState;
	getMachineAction(id: string): MachineAction | undefined;
	/** A machine; omitted fields come from a seeded workstation (no tags, risk None). ID defaults to 40 random hex. */
	addMachine(partial?: Partial<Machine>): Machine;
	/** Empties `requests`, `executions` and `identityActions`. */
	clearLog(): void;
	state(): SimulatorState;
	getTask(id: string): IncidentTask | undefined;
	/** Raw overwrite, no timestamps; a field set to undefined is removed. Throws for an unknown ID. */
	setTask(id: string, patch: TaskPatch): IncidentTask;
	/** Defaults: open/notStarted isolateDevice, createdDateTime now, outcome completed, ID task-added-NNN. */
	addTask(partial?: NewTask): IncidentTask;
	/** Defaults: active, medium, createdDateTime now, ID 2001…; e.g. addIncident({ status: 'awaitingAction' }). */
	addIncident(partial?: Partial<Incident>): Incident;
	/** Defaults: new, medium, microsoftDefenderForEndpoint, createdDateTime now, ID alert-added-NNN. */
	addAlert(partial?: Partial<Alert>): Alert;
	/** A copy of one incident as stored (awaitingAction not replaced), or undefined. */
	getIncident(id: string): Incident | undefined;
	/** A copy of one alert, or undefined. */
	getAlert(id: string): Alert | undefined;
	/** Appends rows to a hunting table; columns left out are '' (strings) or null. Throws for an unknown table or column. */
	addHuntingRows(
		table: HuntingTableName,
		rows: Array<Record<string, unknown>>,
	): Array<Record<string, unknown>>;
	/** Back to the seed: data, scripted faults, rate-limit windows and logs. Settings and tokens stay. */
	reset(): void;
	stop(): Promise<void>;

	/** Every accepted identityAccounts invokeAction, oldest first (emptied by clearLog and reset). */
	readonly identityActions: IdentityActionRecord[];
	/** A copy of one identity account as stored, or undefined. */
	getIdentityAccount(id: string): IdentityAccount | undefined;
	/** Defaults: no providers, enabled, a new GUID ID; `accounts` entries may use any action casing. */
	addIdentityAccount(partial?: Partial<IdentityAccount>): IdentityAccount;
	/** How identity answers are shaped (default `example`); kept across reset, like settings. */
	setIdentityAnswerForm(form: IdentityAnswerForm): void;
}

export function startSimulator(options?: SimulatorOptions): Promise<Simulator>;

export const SIMULATOR_TENANT_ID: string;
export const SIMULATOR_CLIENT_ID: string;
export const SIMULATOR_CLIENT_SECRET: string;
export const SIMULATOR_APP_NAME: string;
export const FAULT_KINDS: readonly FaultKind[];
/** Microsoft's documented Defender for Endpoint budgets, for `endpointRateLimits`. */
export const ENDPOINT_RATE_LIMITS: Readonly<EndpointRateLimits>;
/** https://api.securitycenter.microsoft.com/.default */
export const ENDPOINT_SCOPE: string;
/** Seeded Defender for Endpoint machines with a role in tests. */
export const SEEDED_MACHINE_IDS: {
	/** WS-FIN-042, the ransomware story's first device. */
	readonly storyWorkstation: string;
	/** SRV-SQL-07, a server in two alerts. */
	readonly storyServer: string;
	/** KIOSK-LOBBY-01: actions go Pending -> InProgress -> Failed. */
	readonly failingActions: string;
	/** LT-TRAVEL-077, offline: actions stay Pending, then TimeOut. */
	readonly offline: string;
};

export const ACTION_TYPES: readonly IncidentTaskActionType[];
export const EXECUTABLE_ACTION_TYPES: readonly ExecutableActionType[];
export const TASK_STATUSES: readonly IncidentTaskStatus[];
export const ACTION_STATUSES: readonly IncidentTaskActionStatus[];
export const TASK_OUTCOMES: readonly TaskOutcome[];
export const TASK_SOURCES: readonly Exclude<
	SecurityNamespace.IncidentTaskSource,
	'unknownFutureValue'
>[];
/** actionType -> `@odata.type` of its responseAction (text and unknownFutureValue have none). */
export const RESPONSE_ACTION_TYPES: Readonly<Partial<Record<IncidentTaskActionType, string>>>;
/** Graph's evolvable enums in member order; members after 'unknownFutureValue' need the Prefer header. */
export const INCIDENT_STATUSES: readonly IncidentStatus[];
export const ALERT_STATUSES: readonly AlertStatus[];
export const ALERT_SEVERITIES: readonly AlertSeverity[];
export const ALERT_CLASSIFICATIONS: readonly AlertClassification[];
export const ALERT_DETERMINATIONS: readonly AlertDetermination[];
export const SERVICE_SOURCES: readonly ServiceSource[];
export const DETECTION_SOURCES: readonly DetectionSource[];
export function membersAfterSentinel<T extends string>(members: readonly T[]): readonly T[];
export function isExecutableActionType(actionType: string): boolean;

/** Fixed base of every seeded date. */
export const SEED_BASE_TIME: string;
/** A runHuntingQuery Timespan covering every seeded hunting row (Graph's default window is the last 30 days). */
export const SEEDED_HUNTING_TIMESPAN: string;
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
export const SEED_HUNTING_TABLES: Readonly<Record<HuntingTableName, HuntingTable>>;
export const SEEDED_INCIDENT_IDS: {
	/** status awaitingAction (unknownFutureValue without the Prefer header), open guided-response tasks */
	readonly awaitingAction: string;
	/** active, high, ransomware on three Finance workstations, open executable tasks */
	readonly active: string;
	readonly inProgress: string;
	readonly resolved: string;
	/** newest by createdDateTime */
	readonly newest: string;
};
export const SEEDED_ALERT_IDS: {
	readonly new: string;
	readonly inProgress: string;
	readonly resolved: string;
	/** newest by createdDateTime */
	readonly newest: string;
};
/** KQL-subset queries that return rows from the seed (row counts in README.md). */
export const SEEDED_HUNTING_QUERIES: {
	readonly devicesOfIncident: string;
	readonly ransomwareProcesses: string;
	readonly indicatorConnections: string;
};
/** The story's people, machines, files and mail, by name. */
export const STORY: {
	/** DNS domain of the story's machines (computerDnsName = lower-case name + '.' + domain). */
	readonly domain: string;
	readonly users: Readonly<
		Record<
			string,
			{
				accountName: string;
				displayName: string;
				department: string;
				upn: string;
				objectId: string;
				sid: string;
			}
		>
	>;
	readonly devices: Readonly<
		Record<
			string,
			{
				name: string;
				deviceId: string;
				aadDeviceId: string;
				osPlatform: string;
				osBuild: number;
				ipAddress: string;
				user: string;
				group: string;
			}
		>
	>;
	readonly files: Readonly<
		Record<
			string,
			{
				name: string;
				folderPath: string;
				device: string;
				size: number;
				sha1: string;
				sha256: string;
			}
		>
	>;
	readonly mails: Readonly<
		Record<
			string,
			{
				subject: string;
				sender: string;
				recipient: string;
				receivedMinutes: number;
				networkMessageId: string;
			}
		>
	>;
};
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

/** The seeded identity accounts, in the order they are listed. */
export const SEED_IDENTITY_ACCOUNTS: readonly Readonly<IdentityAccount>[];
export const SEEDED_IDENTITY_ACCOUNT_IDS: {
	/** megan.bowen: Active Directory + Entra ID, compromised in incident 1004. */
	readonly activeDirectoryAndEntra: string;
	/** alex.wilber: Active Directory + Entra ID; the Entra ID entry offers no action. */
	readonly entraWithoutActions: string;
	/** lidia.holloway: Entra ID only, every Entra ID action (incident 1008). */
	readonly entraOnly: string;
	/** diego.siciliani: disabled in Active Directory (incident 1007). */
	readonly disabled: string;
	/** grady.archie: Okta + Entra ID. */
	readonly okta: string;
	/** svc-backup: Active Directory only. */
	readonly activeDirectoryOnly: string;
};
export const IDENTITY_ACTIONS: readonly IdentityAction[];
export const IDENTITY_PROVIDERS: readonly IdentityProvider[];
export const IDENTITY_ANSWER_FORMS: readonly IdentityAnswerForm[];

export * from './faultProxy';
