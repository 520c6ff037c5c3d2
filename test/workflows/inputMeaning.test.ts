/**
 * Values are checked for what they mean, not only for their shape, before any request: a date that does not
 * exist, a time range that is not one, a filter that says nothing, an ID that arrives as a number, and text with
 * characters nobody can see. Run by the n8n engine against the simulator, which counts every request.
 */
import {
	SEEDED_HUNTING_QUERIES as QUERIES,
	SEEDED_INCIDENT_IDS as INCIDENTS,
} from '../../simulator';
import type { INode, INodeParameters } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../harness/n8n-engine';
import { graphRequests, runDefender, useWorld } from './defenderWorkflow';

const world = useWorld();

const incidents = (filters: INodeParameters) => ({
	resource: 'incident',
	operation: 'getMany',
	returnAll: true,
	filters,
});
const hunt = (timespan: string) => ({
	resource: 'advancedHunting',
	operation: 'runQuery',
	query: QUERIES.devicesOfIncident,
	timespan,
});

describe('dates that do not exist', () => {
	it.each([
		['2026-02-30', 'Created After', 'February 2026 has 28 days'],
		['2026-04-31', 'Last Updated After', 'April 2026 has 30 days'],
		['2026-02-29T00:00:00Z', 'Created After', 'February 2026 has 28 days'],
		['2026-13-01', 'Last Updated After', 'there is no month 13'],
		['2026-01-05T24:00:00Z', 'Created After', 'there is no hour 24'],
		['2026-01-05T12:60:00Z', 'Created After', '12:60:00 is not a time of day'],
	])(
		'refuses %p in %s with no request, instead of rolling it over to another day',
		async (date, field, reason) => {
			const name = field === 'Created After' ? 'createdAfter' : 'lastUpdatedAfter';
			const run = await runDefender(world.engine, incidents({ [name]: date }));

			expect(run.error[0]).toMatchObject({
				incidentId: null,
				outcome: 'failed',
				error: { code: 'invalidFilter', executed: 'no' },
			});
			expect(run.error[0].error.message).toBe(
				`${field} filter: "${date}" is not a real date (${reason}). No request was sent.`,
			);
			expect(graphRequests(world.sim)).toHaveLength(0);
		},
	);

	it('refuses them on alerts too', async () => {
		const run = await runDefender(world.engine, {
			resource: 'alert',
			operation: 'getMany',
			filters: { createdAfter: '2026-06-31' },
		});

		expect(run.error[0].error.message).toContain('is not a real date (June 2026 has 30 days)');
		expect(graphRequests(world.sim)).toHaveLength(0);
	});

	it('accepts February 29 of a leap year and sends that very day', async () => {
		const run = await runDefender(world.engine, incidents({ createdAfter: '2024-02-29' }));

		expect(run.error).toEqual([]);
		expect(decodeURIComponent(graphRequests(world.sim, 'GET')[0].path)).toContain(
			'createdDateTime ge 2024-02-29T00:00:00.000Z',
		);
	});
});

describe('the hunting Timespan', () => {
	it.each([
		['2026-13-45/P1D', '2026-13-45 is not a real date: there is no month 13'],
		['P1D/P2D', 'two durations name no point in time'],
		['2026-02-30T00:00:00Z', 'February 2026 has 28 days'],
		['2026-02-15T00:00:00Z/2026-02-01T00:00:00Z', 'the start is not before the end'],
		['P1DT', 'is neither a duration nor a date'],
		['P0D', 'P0D is an empty duration'],
		['P1D/2026-01-01/P1D', 'more than one "/"'],
		['last week', 'is neither a duration nor a date'],
	])('refuses %p with no request, saying why', async (timespan, reason) => {
		const run = await runDefender(world.engine, hunt(timespan));

		expect(run.error[0]).toMatchObject({
			query: QUERIES.devicesOfIncident,
			error: { code: 'invalidParameter', executed: 'no' },
		});
		expect(run.error[0].error.message).toMatch(
			/^Timespan: ".*" is not a time range Graph accepts \(/,
		);
		expect(run.error[0].error.message).toContain(reason);
		expect(run.error[0].error.message).toContain(
			'Use a duration (P7D), a start (2026-01-05T00:00:00Z), start/end, start/duration or duration/end',
		);
		expect(graphRequests(world.sim)).toHaveLength(0);
	});

	it.each([
		['start/end', '2024-02-01T08:00:00Z/2024-02-15T08:00:00Z'],
		['duration/end', 'P30D/2024-02-15T08:00:00Z'],
		['start/duration', '2024-02-01T08:00:00Z/P30D'],
		['a duration', 'P30D'],
		['a start', '2024-02-01T08:00:00Z'],
		['weeks and hours', 'P2W'],
		['a time duration', 'PT12H30M'],
	])('sends %s (%p), a form Graph documents', async (_form, timespan) => {
		const run = await runDefender(world.engine, hunt(timespan));

		expect(run.error).toEqual([]);
		expect(graphRequests(world.sim, 'POST').map((request) => request.path)).toEqual([
			'/v1.0/security/runHuntingQuery',
		]);
	});
});

describe('a filter whose value says nothing', () => {
	it.each([
		['an expression that gives ""', { createdAfter: '={{ "" }}' }, 'Created After filter'],
		[
			'an expression that gives nothing',
			{ lastUpdatedAfter: '={{ $json.noSuchField }}' },
			'Last Updated After filter',
		],
		['blank text', { assignedTo: '   ' }, 'Assigned To filter'],
		['an empty status', { status: '={{ "" }}' }, 'Status filter'],
	])('refuses %s instead of listing every incident', async (_what, filters, label) => {
		const run = await runDefender(world.engine, incidents(filters));

		expect(run.success).toEqual([]);
		expect(run.error[0].error).toMatchObject({ code: 'invalidFilter', executed: 'no' });
		expect(run.error[0].error.message).toBe(
			`${label} is empty (its value or expression gave nothing), and an empty filter is not left out, since that would return everything unfiltered. Give it a value, or remove the filter. No request was sent.`,
		);
		expect(graphRequests(world.sim)).toHaveLength(0);
	});

	it.each([
		['Incident ID', { incidentId: '={{ "" }}' }],
		['Executable Only', { executableOnly: '={{ "" }}' }],
		['Action Type', { actionType: '={{ $json.noSuchField }}' }],
	])('refuses an empty %s filter of incident tasks', async (label, filters) => {
		const run = await runDefender(world.engine, {
			resource: 'incidentTask',
			operation: 'getMany',
			returnAll: true,
			filters,
		});

		expect(run.success).toEqual([]);
		expect(run.error[0].error.message).toMatch(new RegExp(`^${label} filter is empty`));
		expect(graphRequests(world.sim)).toHaveLength(0);
	});

	it('refuses an empty alert filter too', async () => {
		const run = await runDefender(world.engine, {
			resource: 'alert',
			operation: 'getMany',
			filters: { serviceSource: '={{ "" }}' },
		});

		expect(run.error[0].error.message).toMatch(/^Service Source filter is empty/);
		expect(graphRequests(world.sim)).toHaveLength(0);
	});
});

describe('an incident or alert ID given as a number', () => {
	it('reads incident 1001 given as the number 1001 from upstream JSON', async () => {
		const run = await runDefender(
			world.engine,
			{ resource: 'incident', operation: 'get', incidentId: '={{ $json.incidentId }}' },
			[{ incidentId: Number(INCIDENTS.active) }],
		);

		expect(run.error).toEqual([]);
		expect(run.success[0].id).toBe(INCIDENTS.active);
		expect(graphRequests(world.sim, 'GET').map((request) => request.path)).toEqual([
			`/v1.0/security/incidents/${INCIDENTS.active}`,
		]);
	});

	it('sends an alert ID given as a number as its digits', async () => {
		const run = await runDefender(world.engine, {
			resource: 'alert',
			operation: 'get',
			alertId: '={{ 5001 }}',
		});

		expect(run.error[0]).toMatchObject({ alertId: 5001, error: { statusCode: 404 } });
		expect(graphRequests(world.sim, 'GET').map((request) => request.path)).toEqual([
			'/v1.0/security/alerts_v2/5001',
		]);
	});

	it('lists the tasks of an incident given as a number', async () => {
		const run = await runDefender(world.engine, {
			resource: 'incidentTask',
			operation: 'getMany',
			returnAll: true,
			filters: { incidentId: `={{ ${INCIDENTS.active} }}` },
		});

		expect(run.success.length).toBeGreaterThan(0);
		expect(run.success.every((task) => task.incidentId === INCIDENTS.active)).toBe(true);
	});

	it.each([
		['a fraction', '1001.5'],
		['a negative number', '-1001'],
		['a number too large to hold its digits', '9007199254740993'],
	])('refuses %s with no request', async (_what, expression) => {
		const run = await runDefender(world.engine, {
			resource: 'incident',
			operation: 'get',
			incidentId: `={{ ${expression} }}`,
		});

		expect(run.error[0].error).toMatchObject({ code: 'invalidIncidentId', executed: 'no' });
		expect(run.error[0].error.message).toMatch(
			/^The incident ID is the number .*, which cannot be an ID exactly: give the ID as text, as Defender shows it\. No request was sent\.$/,
		);
		expect(graphRequests(world.sim)).toHaveLength(0);
	});
});

describe('characters nobody can see', () => {
	it.each([
		['a right-to-left override', '10\u202E01', '10\\u202E01'],
		['a zero-width space', '1001\u200B', '1001\\u200B'],
		['a zero-width joiner and a byte-order mark', '\uFEFF10\u200D01', '\\uFEFF10\\u200D01'],
		['an invisible tag character', '1001\u{E0041}', '1001\\u{E0041}'],
		['a right-to-left isolate', '\u20671001', '\\u20671001'],
	])(
		'a refused ID with %s is shown with the character escaped, never raw',
		async (_what, id, shown) => {
			const run = await runDefender(world.engine, {
				resource: 'incident',
				operation: 'get',
				incidentId: `={{ ${JSON.stringify(id)} }}`,
			});
			const { message } = run.error[0].error;

			expect(message).toBe(
				`The incident ID "${shown}" is malformed: use only letters, digits, "-", "_", "." and ":". No request was sent.`,
			);
			expect(message).not.toMatch(
				/[\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]|\uDB40[\uDC00-\uDCFF]/,
			);
			expect(graphRequests(world.sim)).toHaveLength(0);
		},
	);

	it('escapes them in filter values and in the Timespan as well', async () => {
		const status = await runDefender(world.engine, incidents({ status: '={{ "act\u202Eevi" }}' }));
		const timespan = await runDefender(world.engine, hunt('P7D\u200B'));

		expect(status.error[0].error.message).toContain('Status filter: "act\\u202Eevi" is not one of');
		expect(timespan.error[0].error.message).toContain('"P7D\\u200B"');
		expect(`${status.error[0].error.message}${timespan.error[0].error.message}`).not.toMatch(
			/[\u200B\u202E]/,
		);
		expect(graphRequests(world.sim)).toHaveLength(0);
	});

	it('keeps the excerpt short without cutting an escape in half', async () => {
		const run = await runDefender(world.engine, {
			resource: 'incident',
			operation: 'addComment',
			incidentId: INCIDENTS.active,
			comment: `={{ ${JSON.stringify('\u202E'.repeat(20_000))} }}`,
		});

		expect(/Comment: "(.*)… \(20000 characters\)"/.exec(run.error[0].error.message)?.[1]).toBe(
			'\\u202E'.repeat(10),
		);
		expect(graphRequests(world.sim)).toHaveLength(0);
	});
});

describe("the trigger's filters", () => {
	const trigger = (parameters: INodeParameters): INode => ({
		id: 'trigger',
		name: 'Defender XDR Trigger',
		type: 'n8n-nodes-microsoft-defender-xdr.microsoftDefenderXdrTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: { [CREDENTIAL_TYPE]: { id: 'cred-1', name: 'Defender XDR (simulator)' } },
	});
	const pollFailure = async (parameters: INodeParameters) =>
		await world.engine.poll(trigger(parameters), { mode: 'manual' }).then(
			() => 'no failure',
			(error: Error) => error.message,
		);

	it.each([
		[
			'a severity expression that gives ""',
			{ event: 'newIncident', severity: '={{ "" }}' },
			/^Severity filter is empty/,
		],
		[
			'an unknown severity',
			{ event: 'newAlert', severity: '={{ ["high", "urgent"] }}' },
			/^Severity filter: "urgent" is not one of high, medium, low, informational, unknown/,
		],
		[
			'a status with a hidden override',
			{ event: 'newIncident', status: '={{ "act\u202Eive" }}' },
			/^Status filter: "act\\u202Eive" is not one of/,
		],
		[
			'Executable Only that gives ""',
			{ event: 'newIncidentTask', executableOnly: '={{ "" }}' },
			/^Executable Only is empty/,
		],
		[
			'an unknown action type',
			{ event: 'newIncidentTask', actionTypes: '={{ ["isolateDevice", "wipeDevice"] }}' },
			/^Action Types filter: "wipeDevice" is not one of/,
		],
	])('refuses %s before any request', async (_what, parameters, message) => {
		expect(await pollFailure(parameters)).toMatch(message);
		expect(world.sim.requests).toHaveLength(0);
	});

	it('takes one known value given by an expression as that filter', async () => {
		const { result } = await world.engine.poll(
			trigger({ event: 'newIncidentTask', actionTypes: '={{ "isolateDevice" }}' }),
			{ mode: 'manual' },
		);

		expect(result?.[0][0].json.actionType).toBe('isolateDevice');
		expect(decodeURIComponent(graphRequests(world.sim, 'GET')[0].path)).toContain(
			"actionType eq 'isolateDevice'",
		);
	});
});
