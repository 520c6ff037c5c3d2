/** Types of `faultProxy.js`: a fault-injecting HTTP proxy in front of the simulator. Usage: faultProxy.md. */

export type ProxyFaultKind =
	| '429'
	| '500'
	| '503'
	| '503AfterForward'
	| '504AfterForward'
	| 'resetBeforeForward'
	| 'resetAfterForward'
	| 'delayBeforeForward'
	| 'delayAfterForward'
	| 'hang'
	| 'garbage'
	| 'html'
	| 'noAccessToken'
	| 'wrongSecret'
	| '206'
	| 'shuffle';

export type ProxyRoute =
	| 'token'
	| 'authorize'
	| 'listTasks'
	| 'getTask'
	| 'updateTask'
	| 'execute'
	| 'taskIncident'
	| 'listIncidents'
	| 'getIncident'
	| 'updateIncident'
	| 'incidentComments'
	| 'listAlerts'
	| 'getAlert'
	| 'updateAlert'
	| 'alertComments'
	| 'runHuntingQuery'
	| 'listMachines'
	| 'getMachine'
	| 'findMachinesByIp'
	| 'machineAction'
	| 'listMachineActions'
	| 'getMachineAction'
	| 'cancelMachineAction'
	| 'getPackageUri'
	| 'listIndicators'
	| 'submitIndicator'
	| 'importIndicators'
	| 'deleteIndicator'
	| 'other';

/** What a fault rule (and `when`) sees of a request. */
export interface ProxyRequestInfo {
	method: string;
	/** With the query. */
	path: string;
	pathname: string;
	route: ProxyRoute;
	/** Which API the request went to: the login endpoints, Graph, or Defender for Endpoint (`/api/`). */
	api: 'login' | 'graph' | 'endpoint';
	/** The decoded incident task ID of task routes. */
	taskId?: string;
	/** The decoded machine ID (or name) of `getMachine` and `machineAction`, as the client wrote it. */
	machineId?: string;
	/** Arrival time, ms since the epoch. */
	at: number;
}

export interface ProxyFaultSpec {
	/** Without it: every Graph and Defender for Endpoint call, never the login endpoints (token-only faults: the token endpoint). '*': every request. */
	route?: ProxyRoute | '*' | Array<ProxyRoute | '*'>;
	method?: string;
	/** Compared with the path with and without its query (a RegExp is tested against both). */
	path?: string | RegExp;
	/** Extra condition, e.g. a time window or a task ID. */
	when?: (request: ProxyRequestInfo) => boolean;
	fault: ProxyFaultKind;
	/** 429 (default 1) and 503 (default none). */
	retryAfterSeconds?: number;
	/** `Retry-After` as delta-seconds (default) or as an HTTP date that many seconds ahead. */
	retryAfterFormat?: 'seconds' | 'date';
	/** delayBeforeForward / delayAfterForward: the delay, default 6000. Answers the proxy makes itself (429, 503, 500, garbage, ...): a wait before answering, default 0. */
	delayMs?: number;
	/** 206: share of the list's entries left out, default 0. */
	dropFraction?: number;
	/** 206: the `Warning` header, default `199 - "Microsoft/DefenderXDR/504/10000"`. */
	warning?: string;
}

export interface ScriptedProxyFault extends ProxyFaultSpec {
	/** How many matching requests it hits, default 1. */
	times?: number;
}

export interface RandomProxyFault extends ProxyFaultSpec {
	/** Probability per matching request; the rates matching one request add up to at most 1. */
	rate: number;
}

export interface ProxyLogEntry extends ProxyRequestInfo {
	fault?: ProxyFaultKind;
	/** Whether the request reached the simulator. */
	forwarded: boolean;
	/** What the client got; 0 = reset or never answered. */
	status: number;
	/** What the simulator answered, when forwarded. */
	simulatorStatus?: number;
	/** The `Retry-After` the proxy sent with a 429 or 503. */
	retryAfter?: string;
	/** The client closed the connection before its answer was written (a timeout, a stopped run). */
	clientGone: boolean;
	durationMs?: number;
}

export interface ProxyCounts {
	requests: number;
	forwarded: number;
	byRoute: Partial<Record<ProxyRoute, number>>;
	faults: Partial<Record<ProxyFaultKind, number>>;
	faultsByRoute: Partial<Record<ProxyRoute, Partial<Record<ProxyFaultKind, number>>>>;
}

export interface FaultProxy {
	/** http://127.0.0.1:PORT: use it as the credential's custom Graph URL and custom login URL. */
	readonly url: string;
	readonly port: number;
	/** Live log, oldest first; no bodies and no headers are kept. */
	readonly requests: ProxyLogEntry[];
	/** Access and refresh tokens the simulator issued through the proxy (for secret scans). */
	readonly issuedTokens: Set<string>;
	inject(fault: ScriptedProxyFault): void;
	pendingFaults(): number;
	clearFaults(): void;
	configure(patch: { rates?: RandomProxyFault[]; randomSeed?: number | null }): void;
	counts(): ProxyCounts;
	/** True once nothing is being forwarded or delayed; false after `timeoutMs` (default 30000). */
	idle(timeoutMs?: number): Promise<boolean>;
	/** Closes every open client connection, hanging ones included; the proxy keeps listening. */
	dropConnections(): void;
	/** Empties the log and the script; rates and issued tokens stay. */
	reset(): void;
	stop(): Promise<void>;
}

export interface FaultProxyOptions {
	/** The simulator's URL (http:// only). */
	target: string;
	/** Default 0 = a free port. */
	port?: number;
	/** Default 127.0.0.1. */
	host?: string;
	/** Makes the random draws replayable. */
	randomSeed?: number | null;
	rates?: RandomProxyFault[];
}

export function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy>;
export const PROXY_FAULT_KINDS: readonly ProxyFaultKind[];
export const PROXY_ROUTES: readonly ProxyRoute[];
export function routeOf(
	method: string,
	pathname: string,
): { route: ProxyRoute; taskId?: string; machineId?: string };
