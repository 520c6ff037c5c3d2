// @ts-check
/**
 * Runs workflows and polls in-process with the real n8n engine (n8n-core's WorkflowExecute and PollContext),
 * the way a self-hosted n8n does, with this package loaded from its built `dist/` through package.json's
 * "n8n" section. Credentials are resolved like n8n's CredentialsHelper: defaults, then `$self` expressions,
 * and OAuth2 token data written back, so n8n's own OAuth2 machinery talks to the token endpoint.
 * Used by the workflow tests, the demo and the benchmark.
 */
const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');

// n8n-core writes its config into N8N_USER_FOLDER when first imported: never let that be the home folder.
if (!process.env.N8N_USER_FOLDER) {
	process.env.N8N_USER_FOLDER = mkdtempSync(path.join(tmpdir(), 'defender-xdr-n8n-'));
}
// A throw-away key for the throw-away folder (n8n would otherwise announce generating one), and no nagging
// about the permissions of a config file that lives in a temp folder.
process.env.N8N_ENCRYPTION_KEY ??= require('node:crypto').randomBytes(24).toString('hex');
process.env.N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS ??= 'false';

const { Logger } = require('@n8n/backend-common');
const { Container } = require('@n8n/di');
const {
	ExecutionLifecycleHooks,
	ExternalSecretsProxy,
	LoadOptionsContext,
	WorkflowExecute,
	PollContext,
	SupplyDataContext,
} = require('n8n-core');
// How an AI agent calls a node used as a tool (n8n-core's own invocation path; not exported from its index).
const {
	makeHandleToolInvocation,
} = require('n8n-core/dist/execution-engine/node-execution-context/utils/get-input-connection-data');
// Not exported from n8n-core's index; needed to stop its cleanup interval (see shutdown()).
const { SSHClientsManager } = require('n8n-core/dist/execution-engine/ssh-clients-manager');
const {
	createDeferredPromise,
	createRunExecutionData,
	ICredentialsHelper,
	LoggerProxy,
	NodeHelpers,
	WAIT_INDEFINITELY,
	Workflow,
} = require('n8n-workflow');

const { simulatorCredential, simulatorEndpointCredential } = require('../../simulator/credential');

/**
 * @typedef {import('n8n-workflow').ICredentialDataDecryptedObject} ICredentialDataDecryptedObject
 * @typedef {import('n8n-workflow').ICredentials} ICredentials
 * @typedef {import('n8n-workflow').ICredentialType} ICredentialType
 * @typedef {import('n8n-workflow').IConnections} IConnections
 * @typedef {import('n8n-workflow').IDataObject} IDataObject
 * @typedef {import('n8n-workflow').IExecuteData} IExecuteData
 * @typedef {import('n8n-workflow').IHttpRequestOptions} IHttpRequestOptions
 * @typedef {import('n8n-workflow').INode} INode
 * @typedef {import('n8n-workflow').INodeCredentialsDetails} INodeCredentialsDetails
 * @typedef {import('n8n-workflow').INodeExecutionData} INodeExecutionData
 * @typedef {import('n8n-workflow').INodeParameters} INodeParameters
 * @typedef {import('n8n-workflow').INodeProperties} INodeProperties
 * @typedef {import('n8n-workflow').INodeType} INodeType
 * @typedef {import('n8n-workflow').INodeTypes} INodeTypes
 * @typedef {import('n8n-workflow').IRun} IRun
 * @typedef {import('n8n-workflow').IRunExecutionData} IRunExecutionData
 * @typedef {import('n8n-workflow').IWorkflowBase} IWorkflowBase
 * @typedef {import('n8n-workflow').IWorkflowExecuteAdditionalData} IWorkflowExecuteAdditionalData
 * @typedef {import('n8n-workflow').IWorkflowSettings} IWorkflowSettings
 * @typedef {import('n8n-workflow').LogLevel} LogLevel
 * @typedef {import('n8n-workflow').WorkflowExecuteMode} WorkflowExecuteMode
 * @typedef {import('n8n-workflow').Logger} WorkflowLogger
 */

/**
 * A workflow as n8n exports it to JSON (the parts the engine reads).
 * @typedef {{ id?: string; name?: string; nodes: INode[]; connections: IConnections; staticData?: IDataObject; settings?: IWorkflowSettings }} WorkflowJson
 */

const PACKAGE_JSON = require('../../package.json');

const PACKAGE_DIR = path.resolve(__dirname, '../..');
const PACKAGE_NAME = PACKAGE_JSON.name;
const CREDENTIAL_TYPE = 'microsoftDefenderXdrOAuth2Api';
const ENDPOINT_CREDENTIAL_TYPE = 'microsoftDefenderEndpointOAuth2Api';

/** Both credentials as a workflow's node names them; n8n hands a node the one its resource needs. */
const NODE_CREDENTIALS = {
	[CREDENTIAL_TYPE]: { id: 'cred-1', name: 'Defender XDR (simulator)' },
	[ENDPOINT_CREDENTIAL_TYPE]: { id: 'cred-2', name: 'Defender for Endpoint (simulator)' },
};

/**
 * The parent credential every OAuth2 credential extends in n8n (from n8n-nodes-base), reduced to its fields.
 * @type {INodeProperties[]}
 */
const OAUTH2_API_PROPERTIES = [
	{ displayName: 'Grant Type', name: 'grantType', type: 'hidden', default: 'authorizationCode' },
	{ displayName: 'Authorization URL', name: 'authUrl', type: 'string', default: '' },
	{ displayName: 'Access Token URL', name: 'accessTokenUrl', type: 'string', default: '' },
	{ displayName: 'Client ID', name: 'clientId', type: 'string', default: '' },
	{
		displayName: 'Client Secret',
		name: 'clientSecret',
		type: 'string',
		typeOptions: { password: true },
		default: '',
	},
	{ displayName: 'Scope', name: 'scope', type: 'string', default: '' },
	{
		displayName: 'Auth URI Query Parameters',
		name: 'authQueryParameters',
		type: 'string',
		default: '',
	},
	{
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		options: [],
		default: 'header',
	},
	{ displayName: 'Ignore SSL Issues', name: 'ignoreSSLIssues', type: 'boolean', default: false },
];

/**
 * Stand-ins for the few n8n-nodes-base nodes the example workflows use (the end-to-end run uses the real ones).
 * @type {Record<string, INodeType>}
 */
const BASE_NODES = {
	// Runs as the start node: passes on the items the run starts with (one empty item, as n8n's does).
	'n8n-nodes-base.manualTrigger': {
		description: {
			displayName: 'Manual Trigger',
			name: 'manualTrigger',
			description: 'Starts the run with one empty item',
			group: ['trigger'],
			version: 1,
			defaults: {},
			inputs: [],
			outputs: ['main'],
			properties: [],
		},
		async execute() {
			return [this.getInputData()];
		},
	},
	// Waits to be resumed by its webhook; `resumeWorkflow` plays the webhook call (the real node does the same:
	// n8n puts the execution to wait, then passes the webhook's data on from this node).
	'n8n-nodes-base.wait': {
		description: {
			displayName: 'Wait',
			name: 'wait',
			description: 'Pauses the run until it is resumed',
			group: ['organization'],
			version: [1, 1.1],
			defaults: {},
			inputs: ['main'],
			outputs: ['main'],
			properties: [],
		},
		async execute() {
			await this.putExecutionToWait(WAIT_INDEFINITELY);
			return [this.getInputData()];
		},
	},
	// Routes items by its conditions, evaluated by n8n's own filter engine.
	'n8n-nodes-base.if': {
		description: {
			displayName: 'If',
			name: 'if',
			description: 'Routes items by its conditions',
			group: ['transform'],
			version: [2, 2.1, 2.2],
			defaults: {},
			inputs: ['main'],
			outputs: ['main', 'main'],
			outputNames: ['true', 'false'],
			properties: [
				{
					displayName: 'Conditions',
					name: 'conditions',
					type: 'filter',
					default: {},
					typeOptions: { filter: { caseSensitive: true, typeValidation: 'strict', version: 2 } },
				},
			],
		},
		async execute() {
			/** @type {INodeExecutionData[]} */
			const yes = [];
			/** @type {INodeExecutionData[]} */
			const no = [];
			this.getInputData().forEach((item, itemIndex) => {
				const pass = this.getNodeParameter('conditions', itemIndex, false, { extractValue: true });
				(pass ? yes : no).push({ ...item, pairedItem: { item: itemIndex } });
			});
			return [yes, no];
		},
	},
	// Turns the list in one field into one item per entry, as the real node does with Include: No Other Fields
	// (an object entry becomes the item, anything else goes under the field's name); each keeps its pairedItem.
	'n8n-nodes-base.splitOut': {
		description: {
			displayName: 'Split Out',
			name: 'splitOut',
			description: 'Turns a list inside an item into separate items',
			group: ['transform'],
			version: 1,
			defaults: {},
			inputs: ['main'],
			outputs: ['main'],
			properties: [
				{
					displayName: 'Fields To Split Out',
					name: 'fieldToSplitOut',
					type: 'string',
					default: '',
				},
				{ displayName: 'Include', name: 'include', type: 'string', default: 'noOtherFields' },
			],
		},
		async execute() {
			/** @type {INodeExecutionData[]} */
			const split = [];
			this.getInputData().forEach((item, itemIndex) => {
				const field = String(this.getNodeParameter('fieldToSplitOut', itemIndex)).trim();
				if (this.getNodeParameter('include', itemIndex) !== 'noOtherFields')
					throw new Error('The stand-in Split Out only plays Include: No Other Fields');
				const value = item.json[field];
				const entries = value === undefined ? [] : Array.isArray(value) ? value : [value];
				for (const entry of entries) {
					const json =
						typeof entry === 'object' && entry !== null && !Array.isArray(entry)
							? /** @type {IDataObject} */ ({ ...entry })
							: { [field]: entry };
					split.push({ json, pairedItem: { item: itemIndex } });
				}
			});
			return [split];
		},
	},
	'n8n-nodes-base.noOp': {
		description: {
			displayName: 'No Operation',
			name: 'noOp',
			description: 'Passes items on unchanged',
			group: ['organization'],
			version: 1,
			defaults: {},
			inputs: ['main'],
			outputs: ['main'],
			properties: [],
		},
		async execute() {
			return [this.getInputData()];
		},
	},
};

function loadPackage() {
	/** @type {Record<string, INodeType>} */
	const nodeTypes = {};
	for (const file of PACKAGE_JSON.n8n.nodes) {
		const exported = require(path.join(PACKAGE_DIR, file));
		const NodeClass = exported[path.basename(file, '.node.js')];
		/** @type {INodeType} */
		const instance = new NodeClass();
		nodeTypes[`${PACKAGE_NAME}.${instance.description.name}`] = instance;
	}
	/** @type {Record<string, ICredentialType>} */
	const credentialTypes = {};
	for (const file of PACKAGE_JSON.n8n.credentials) {
		const exported = require(path.join(PACKAGE_DIR, file));
		/** @type {ICredentialType} */
		const instance = new exported[path.basename(file, '.credentials.js')]();
		credentialTypes[instance.name] = instance;
	}
	return { nodeTypes, credentialTypes };
}

/** @implements {INodeTypes} */
class NodeTypes {
	/** @param {Record<string, INodeType>} types */
	constructor(types) {
		this.types = types;
	}
	/** @param {string} type */
	getByName(type) {
		return this.getByNameAndVersion(type);
	}
	/** @param {string} type @param {number} [_version] @returns {INodeType} */
	getByNameAndVersion(type, _version) {
		if (type.endsWith('Tool') && !this.types[type]) {
			const base = this.types[type.slice(0, -'Tool'.length)];
			if (base) return toolVariant(base);
		}
		const nodeType = this.types[type];
		if (!nodeType) throw new Error(`Unknown node type ${type}`);
		return nodeType;
	}
	getKnownTypes() {
		return {};
	}
}

/**
 * The `usableAsTool` variant n8n builds from a node: same execute, named `<name>Tool`.
 * @param {INodeType} base
 * @returns {INodeType}
 */
function toolVariant(base) {
	return {
		...base,
		execute: base.execute,
		description: { ...base.description, name: `${base.description.name}Tool` },
	};
}

class CredentialsHelper extends ICredentialsHelper {
	/** @param {Record<string, ICredentialType>} credentialTypes @param {NodeTypes} nodeTypes */
	constructor(credentialTypes, nodeTypes) {
		super();
		this.credentialTypes = credentialTypes;
		this.nodeTypes = nodeTypes;
		/** @type {Record<string, ICredentialDataDecryptedObject>} stored credential data by type, as n8n keeps it in its database */
		this.stored = {};
		/** How often n8n wrote new OAuth2 token data back (a token fetch or refresh each). */
		this.tokenWrites = 0;
	}
	/** @param {string} name */
	getParentTypes(name) {
		return this.credentialTypes[name]?.extends ?? [];
	}
	/** @param {string} type */
	getCredentialsProperties(type) {
		const own = this.credentialTypes[type]?.properties ?? [];
		const merged = [
			...OAUTH2_API_PROPERTIES.filter((p) => !own.some((o) => o.name === p.name)),
			...own,
		];
		return merged;
	}
	/**
	 * OAuth2 credentials sign requests in n8n's OAuth2 client, so the request passes through unchanged.
	 * @param {ICredentialDataDecryptedObject} _credentials @param {string} _typeName @param {IHttpRequestOptions} requestOptions
	 */
	async authenticate(_credentials, _typeName, requestOptions) {
		return requestOptions;
	}
	async preAuthentication() {
		return undefined;
	}
	async runPreAuthentication() {
		return undefined;
	}
	/** @returns {Promise<ICredentials>} */
	async getCredentials() {
		throw new Error('not used in-process');
	}
	/**
	 * @param {IWorkflowExecuteAdditionalData} _additionalData @param {INodeCredentialsDetails} _nodeCredentials
	 * @param {string} type @param {WorkflowExecuteMode} mode
	 * @returns {Promise<ICredentialDataDecryptedObject>}
	 */
	async getDecrypted(_additionalData, _nodeCredentials, type, mode) {
		const stored = this.stored[type];
		if (!stored) throw new Error(`Credential of type ${type} is not set`);
		const properties = this.getCredentialsProperties(type);
		// n8n keeps a credential's fields as parameter values and resolves them as such (its CredentialsHelper does too).
		const withDefaults = NodeHelpers.getNodeParameters(
			properties,
			/** @type {INodeParameters} */ ({ ...stored }),
			true,
			false,
			null,
			null,
		);
		if (!withDefaults) throw new Error(`Credential of type ${type} has no parameters`);
		/** @type {INode} */
		const mockNode = {
			id: 'credential',
			name: 'credential',
			type: 'n8n-nodes-base.noOp',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		};
		const workflow = new Workflow({
			nodes: [mockNode],
			connections: {},
			active: false,
			nodeTypes: this.nodeTypes,
		});
		/** @type {unknown} */
		const resolved = workflow.expression.getComplexParameterValue(
			mockNode,
			withDefaults,
			mode ?? 'internal',
			{},
			undefined,
			undefined,
			withDefaults,
		);
		if (!isCredentialData(resolved))
			throw new Error(`Credential of type ${type} did not resolve to an object`);
		if (stored.oauthTokenData !== undefined) resolved.oauthTokenData = stored.oauthTokenData;
		return resolved;
	}
	/** @param {INodeCredentialsDetails} _nodeCredentials @param {string} type @param {ICredentialDataDecryptedObject} data */
	async updateCredentials(_nodeCredentials, type, data) {
		this.stored[type] = { ...data };
	}
	/** @param {INodeCredentialsDetails} _nodeCredentials @param {string} type @param {ICredentialDataDecryptedObject} data */
	async updateCredentialsOauthTokenData(_nodeCredentials, type, data) {
		this.tokenWrites++;
		this.stored[type] = { ...this.stored[type], oauthTokenData: data.oauthTokenData };
	}
	getOAuth2Options() {
		return undefined;
	}
	isCredentialUsableByNode() {
		return true;
	}
	/**
	 * The OAuth2 access token n8n last stored for `type`, if any.
	 * @param {string} type
	 */
	accessToken(type) {
		const tokenData = this.stored[type]?.oauthTokenData;
		if (typeof tokenData !== 'object' || Array.isArray(tokenData)) return undefined;
		const token = tokenData.access_token;
		return typeof token === 'string' ? token : undefined;
	}
}

/**
 * Resolved credential data is a plain object of field values (not null, not an array).
 * @param {unknown} value
 * @returns {value is ICredentialDataDecryptedObject}
 */
function isCredentialData(value) {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Silent logger unless DEFENDER_XDR_LOG=1; tests read `logs` to check what a person would see. */
function createLogger() {
	/** @type {Array<{ level: string; message: string }>} */
	const logs = [];
	/** @param {LogLevel | 'verbose'} level @returns {(message: string) => void} */
	const log = (level) => (message) => {
		logs.push({ level, message: String(message) });
		if (process.env.DEFENDER_XDR_LOG) process.stderr.write(`[${level}] ${message}\n`);
	};
	return {
		logs,
		logger: {
			debug: log('debug'),
			info: log('info'),
			warn: log('warn'),
			error: log('error'),
			verbose: log('verbose'),
			scoped() {
				return this;
			},
		},
	};
}

/**
 * The key n8n-core's node contexts look `this.logger` up by, seen as the n8n-workflow Logger that nodes call.
 * @type {import('@n8n/di').Constructable<WorkflowLogger>}
 */
const NODE_LOGGER = Logger;

/**
 * `credential` is the Graph credential's data, `endpointCredential` the Defender for Endpoint one's.
 * @param {{ credential?: ICredentialDataDecryptedObject; endpointCredential?: ICredentialDataDecryptedObject; extraNodeTypes?: Record<string, INodeType> }} [options]
 */
function createEngine(options = {}) {
	const { nodeTypes: packageNodes, credentialTypes } = loadPackage();
	const nodeTypes = new NodeTypes({
		...BASE_NODES,
		...packageNodes,
		...(options.extraNodeTypes ?? {}),
	});
	const credentialsHelper = new CredentialsHelper(credentialTypes, nodeTypes);
	if (options.credential) credentialsHelper.stored[CREDENTIAL_TYPE] = { ...options.credential };
	if (options.endpointCredential)
		credentialsHelper.stored[ENDPOINT_CREDENTIAL_TYPE] = { ...options.endpointCredential };
	const { logs, logger } = createLogger();
	// Nodes log through `this.logger`, which n8n-core takes from its DI container; the engine logs through LoggerProxy.
	Container.set(NODE_LOGGER, logger);
	LoggerProxy.init(logger);

	/**
	 * @param {InstanceType<typeof ExecutionLifecycleHooks>} [hooks]
	 * @returns {IWorkflowExecuteAdditionalData}
	 */
	function additionalData(hooks) {
		return {
			hooks,
			credentialsHelper,
			executionId: hooks?.executionId ?? 'poll',
			currentNodeExecutionIndex: 0,
			currentNodeParameters: undefined,
			restApiUrl: 'http://127.0.0.1/rest',
			instanceBaseUrl: 'http://127.0.0.1/',
			webhookBaseUrl: 'http://127.0.0.1/webhook',
			webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
			webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
			formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
			variables: {},
			executeWorkflow: async () => {
				throw new Error('sub-workflows are not available in-process');
			},
			getRunExecutionData: async () => {
				throw new Error('other executions are not available in-process');
			},
			startRunnerTask: async () => {
				throw new Error('task runners are not available in-process');
			},
			externalSecretsProxy: new ExternalSecretsProxy(),
			setExecutionStatus() {},
			sendDataToUI() {},
			logAiEvent() {},
		};
	}

	/**
	 * Runs a workflow (n8n workflow JSON) from its start node, as "Execute workflow" does.
	 * @param {WorkflowJson} workflowJson
	 * @param {{ startItems?: INodeExecutionData[]; mode?: WorkflowExecuteMode; cancelAfterMs?: number }} [runOptions]
	 */
	async function runWorkflow(workflowJson, runOptions = {}) {
		// n8n mutates the nodes it runs (a resumed Wait node is disabled); keep the caller's workflow intact.
		workflowJson = structuredClone(workflowJson);
		const workflow = workflowOf(workflowJson);
		const startNode =
			workflowJson.nodes.find((node) => node.type === 'n8n-nodes-base.manualTrigger') ??
			workflow.getStartNode();
		if (!startNode) throw new Error('The workflow has no start node');
		const runExecutionData = createRunExecutionData({
			executionData: {
				nodeExecutionStack: [
					{
						node: startNode,
						data: { main: [runOptions.startItems ?? [{ json: {} }]] },
						source: null,
					},
				],
			},
		});
		return await execute(
			workflow,
			workflowJson,
			runExecutionData,
			runOptions.mode ?? 'manual',
			runOptions.cancelAfterMs,
		);
	}

	/**
	 * Resumes a run that waits on a Wait node, as n8n does when the node's resume URL is called: the
	 * webhook's data leaves the Wait node and the run goes on.
	 * @param {WorkflowJson} workflowJson
	 * @param {{ run: IRun }} waiting the result of runWorkflow whose status is 'waiting'
	 * @param {{ body?: IDataObject; query?: IDataObject; headers?: IDataObject }} webhookCall
	 */
	async function resumeWorkflow(workflowJson, waiting, webhookCall) {
		workflowJson = structuredClone(workflowJson);
		const runExecutionData = waiting.run.data;
		const waitingNode = runExecutionData.executionData?.nodeExecutionStack[0];
		if (!waitingNode) throw new Error('The run is not waiting on a node');
		waitingNode.data.main = [
			[{ json: { headers: {}, params: {}, query: {}, body: {}, ...webhookCall } }],
		];
		runExecutionData.waitTill = waiting.run.waitTill ?? runExecutionData.waitTill;
		return await execute(workflowOf(workflowJson), workflowJson, runExecutionData, 'webhook');
	}

	/** @param {WorkflowJson} workflowJson */
	function workflowOf(workflowJson) {
		return new Workflow({
			id: workflowJson.id ?? 'test',
			name: workflowJson.name,
			nodes: workflowJson.nodes,
			connections: workflowJson.connections,
			active: false,
			nodeTypes,
			staticData: workflowJson.staticData,
			settings: workflowJson.settings,
		});
	}

	/**
	 * @param {Workflow} workflow @param {WorkflowJson} workflowJson @param {IRunExecutionData} runExecutionData
	 * @param {WorkflowExecuteMode} mode @param {number} [cancelAfterMs] stops the run as n8n's "Stop execution" does
	 */
	async function execute(workflow, workflowJson, runExecutionData, mode, cancelAfterMs) {
		const hooks = new ExecutionLifecycleHooks(
			mode,
			String(Date.now()),
			workflowRecord(workflowJson),
		);
		/** @type {import('n8n-workflow').IDeferredPromise<IRun>} */
		const finished = createDeferredPromise();
		hooks.addHandler('workflowExecuteAfter', (run) => finished.resolve(run));
		const running = new WorkflowExecute(
			additionalData(hooks),
			mode,
			runExecutionData,
		).processRunExecutionData(workflow);
		const stopper =
			cancelAfterMs === undefined ? undefined : setTimeout(() => running.cancel(), cancelAfterMs);
		await running.catch((error) => {
			if (!running.isCanceled) throw error;
		});
		clearTimeout(stopper);
		return describeRun(await finished.promise);
	}

	/**
	 * Calls a node's `poll()` through n8n's PollContext, as the trigger scheduler does.
	 * @param {INode} node workflow node JSON of the trigger
	 * @param {{ mode?: 'trigger' | 'manual'; staticData?: IDataObject }} [pollOptions]
	 */
	async function poll(node, pollOptions = {}) {
		const staticData = pollOptions.staticData ?? {};
		const workflow = new Workflow({
			id: 'poll',
			nodes: [node],
			connections: {},
			active: true,
			nodeTypes,
			staticData,
		});
		const mode = pollOptions.mode ?? 'trigger';
		const pollNode = workflow.getNode(node.name);
		if (!pollNode) throw new Error(`The workflow has no node ${node.name}`);
		// Activated by a user for scheduled polls; 'manual' for "Fetch test event", as n8n passes them.
		const context = new PollContext(
			workflow,
			pollNode,
			additionalData(undefined),
			mode,
			mode === 'manual' ? 'manual' : 'activate',
		);
		const nodeType = nodeTypes.getByNameAndVersion(node.type);
		if (!nodeType.poll) throw new Error(`${node.type} does not poll`);
		const result = await nodeType.poll.call(context);
		return { result, staticData: workflow.staticData };
	}

	/**
	 * Calls a node the way an AI agent calls it as a tool (`usableAsTool`): the node's `<name>Tool` variant runs
	 * with the agent's arguments as its input item, and the agent receives the string this returns.
	 * @param {INode} toolNode workflow node JSON whose type ends in `Tool`
	 * @param {IDataObject} toolArgs
	 */
	async function callTool(toolNode, toolArgs) {
		/** @type {INode} */
		const agentNode = {
			id: 'agent',
			name: 'AI Agent',
			type: 'n8n-nodes-base.noOp',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		};
		const workflow = new Workflow({
			id: 'tool',
			nodes: [agentNode, toolNode],
			connections: {
				[toolNode.name]: { ai_tool: [[{ node: agentNode.name, type: 'ai_tool', index: 0 }]] },
			},
			active: false,
			nodeTypes,
		});
		const hooks = new ExecutionLifecycleHooks(
			'manual',
			`tool-${Date.now()}`,
			workflowRecord({ nodes: [], connections: {} }),
		);
		const runExecutionData = createRunExecutionData();
		/** @type {IExecuteData} */
		const executeData = { node: agentNode, data: { main: [[{ json: {} }]] }, source: null };
		const node = workflow.getNode(toolNode.name);
		if (!node) throw new Error(`The workflow has no node ${toolNode.name}`);
		/** @param {number} runIndex */
		const contextFactory = (runIndex) =>
			new SupplyDataContext(
				workflow,
				node,
				additionalData(hooks),
				'manual',
				runExecutionData,
				runIndex,
				[],
				{},
				'ai_tool',
				executeData,
				[],
				undefined,
				agentNode,
			);
		const invoke = makeHandleToolInvocation(
			contextFactory,
			node,
			nodeTypes.getByNameAndVersion(toolNode.type),
			runExecutionData,
		);
		return await invoke(toolArgs);
	}

	/**
	 * Fills a resource locator's list as the editor asks n8n to: the node's `listSearch` method runs in n8n-core's
	 * LoadOptionsContext, on the node as it is being edited (its parameters and credential), with the search text
	 * and the token of the page before.
	 * @param {string} methodName @param {{ parameters?: INodeParameters; filter?: string; paginationToken?: string; nodeType?: string }} [searchOptions]
	 * @returns {Promise<import('n8n-workflow').INodeListSearchResult>}
	 */
	async function listSearch(methodName, searchOptions = {}) {
		const type = searchOptions.nodeType ?? `${PACKAGE_NAME}.microsoftDefenderXdr`;
		const nodeType = nodeTypes.getByNameAndVersion(type);
		const method = nodeType.methods?.listSearch?.[methodName];
		if (!method) throw new Error(`${type} has no listSearch method ${methodName}`);
		const parameters = searchOptions.parameters ?? {};
		/** @type {INode} */
		const node = {
			id: 'edited',
			name: 'Defender',
			type,
			typeVersion: 1,
			position: [0, 0],
			parameters,
			credentials: structuredClone(NODE_CREDENTIALS),
		};
		const workflow = new Workflow({
			id: 'editor',
			nodes: [node],
			connections: {},
			active: false,
			nodeTypes,
		});
		const context = new LoadOptionsContext(
			workflow,
			node,
			{ ...additionalData(undefined), currentNodeParameters: parameters },
			'parameters',
		);
		return await method.call(context, searchOptions.filter, searchOptions.paginationToken);
	}

	/** n8n-core keeps an SSH-tunnel cleanup interval running until shutdown; stop it so the process can exit. */
	function shutdown() {
		Container.get(SSHClientsManager).onShutdown();
	}

	return {
		runWorkflow,
		resumeWorkflow,
		poll,
		callTool,
		listSearch,
		shutdown,
		credentialsHelper,
		logs,
		nodeTypes,
	};
}

/**
 * The stored workflow n8n hands its execution hooks, for workflow JSON that never was saved.
 * @param {WorkflowJson} workflowJson
 * @returns {IWorkflowBase}
 */
function workflowRecord(workflowJson) {
	const now = new Date();
	return {
		...workflowJson,
		id: workflowJson.id ?? 'test',
		name: workflowJson.name ?? '',
		active: false,
		isArchived: false,
		activeVersionId: null,
		createdAt: now,
		updatedAt: now,
	};
}

/**
 * Manual Trigger -> Microsoft Defender XDR (`parameters`) -> Success to "Executed", Error to "Needs attention".
 * @param {INodeParameters} parameters
 * @param {string} [nodeType]
 * @returns {WorkflowJson}
 */
function defenderWorkflow(parameters, nodeType = `${PACKAGE_NAME}.microsoftDefenderXdr`) {
	return {
		name: 'Defender XDR',
		nodes: [
			{
				id: 'n1',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'n2',
				name: 'Defender',
				type: nodeType,
				typeVersion: 1,
				position: [200, 0],
				parameters,
				credentials: structuredClone(NODE_CREDENTIALS),
			},
			{
				id: 'n3',
				name: 'Executed',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [400, -100],
				parameters: {},
			},
			{
				id: 'n4',
				name: 'Needs attention',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [400, 100],
				parameters: {},
			},
		],
		connections: {
			Start: { main: [[{ node: 'Defender', type: 'main', index: 0 }]] },
			Defender: {
				main: [
					[{ node: 'Executed', type: 'main', index: 0 }],
					[{ node: 'Needs attention', type: 'main', index: 0 }],
				],
			},
		},
	};
}

/**
 * Outputs of every node by name: `outputs[node][outputIndex]` is the list of items.
 * @param {IRun} run
 */
function describeRun(run) {
	const runData = run.data.resultData.runData;
	/** @type {Record<string, INodeExecutionData[][]>} */
	const outputs = {};
	/** @type {Record<string, import('n8n-workflow').ExecutionError>} */
	const errors = {};
	for (const [nodeName, taskData] of Object.entries(runData)) {
		const last = taskData[taskData.length - 1];
		outputs[nodeName] = (last.data?.main ?? []).map((items) => items ?? []);
		if (last.error) errors[nodeName] = last.error;
	}
	return { status: run.status, outputs, errors, error: run.data.resultData.error, run };
}

module.exports = {
	createEngine,
	simulatorCredential,
	simulatorEndpointCredential,
	defenderWorkflow,
	PACKAGE_NAME,
	CREDENTIAL_TYPE,
	ENDPOINT_CREDENTIAL_TYPE,
};
