// @ts-check
'use strict';

// What goes wrong on purpose: scripted faults for deterministic tests, random fault rates for soak runs and
// demos, and the per-app rate limit.

const FAULT_KINDS = Object.freeze([
	'429',
	'503',
	'504',
	'504AfterExecute',
	'dropBeforeExecute',
	'dropAfterExecute',
	'401',
	'403',
	'404',
	'400',
	'hang',
]);

/** Faults about executing: without a path they only hit POST executeResponseAction. */
const EXECUTE_FAULTS = Object.freeze(['504AfterExecute', 'dropBeforeExecute', 'dropAfterExecute']);

/** Faults applied after the request was handled (and its state change made). */
const AFTER_FAULTS = Object.freeze(['504AfterExecute', 'dropAfterExecute']);

/**
 * @typedef {{ method?: string, path?: string | RegExp, fault: string, times?: number, retryAfterSeconds?: number, retryAfterDate?: Date | string }} FaultSpec
 * @typedef {FaultSpec & { remaining: number }} ScriptedFault
 * @typedef {{ method: string, pathname: string, pathWithQuery: string, surface: 'graph' | 'login' | 'endpoint', isExecute: boolean }} RequestShape
 */

class FaultScript {
	constructor() {
		/** @type {ScriptedFault[]} */
		this.queue = [];
	}

	/** @param {FaultSpec} spec */
	add(spec) {
		if (!FAULT_KINDS.includes(spec.fault))
			throw new Error(`Unknown fault '${spec.fault}'. Use one of: ${FAULT_KINDS.join(', ')}`);
		const times = spec.times ?? 1;
		if (!Number.isInteger(times) || times < 1) throw new Error('times must be a positive integer');
		this.queue.push({ ...spec, remaining: times });
	}

	/**
	 * Takes the first scripted fault that matches the request, in the order they were added.
	 * @param {RequestShape} request
	 * @returns {FaultSpec | undefined}
	 */
	take(request) {
		const index = this.queue.findIndex((fault) => faultMatches(fault, request));
		if (index < 0) return undefined;
		const fault = this.queue[index];
		fault.remaining -= 1;
		if (fault.remaining === 0) this.queue.splice(index, 1);
		return fault;
	}

	get pending() {
		return this.queue.reduce((sum, fault) => sum + fault.remaining, 0);
	}

	clear() {
		this.queue.length = 0;
	}
}

/**
 * @param {FaultSpec} fault
 * @param {RequestShape} request
 */
function faultMatches(fault, request) {
	if (fault.method && fault.method.toUpperCase() !== request.method) return false;
	if (fault.path === undefined) {
		if (request.surface !== 'graph') return false;
		return EXECUTE_FAULTS.includes(fault.fault) ? request.isExecute : true;
	}
	if (fault.path instanceof RegExp)
		return fault.path.test(request.pathname) || fault.path.test(request.pathWithQuery);
	return fault.path === request.pathname || fault.path === request.pathWithQuery;
}

/** Sliding-window request counter per app, as Graph throttles per app per tenant. */
class RateLimiter {
	constructor() {
		/** @type {Map<string, number[]>} */
		this.windows = new Map();
	}

	/**
	 * Counts one request; returns the seconds to wait when the app is over its limit (the request is then not counted).
	 * @param {string} key
	 * @param {{ requests: number, windowSeconds: number } | null} limit
	 * @param {number} now
	 * @returns {number | null}
	 */
	check(key, limit, now) {
		if (!limit) return null;
		const windowMs = limit.windowSeconds * 1000;
		const hits = (this.windows.get(key) ?? []).filter((time) => time > now - windowMs);
		this.windows.set(key, hits);
		if (hits.length >= limit.requests)
			return Math.max(1, Math.ceil((hits[0] + windowMs - now) / 1000));
		hits.push(now);
		return null;
	}

	clear() {
		this.windows.clear();
	}
}

/**
 * A small seedable PRNG (mulberry32), so random fault runs can be replayed.
 * @param {number | null} seed
 * @returns {() => number}
 */
function createRandom(seed) {
	if (seed === null) return Math.random;
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/**
 * The Retry-After header value a fault carries, if any.
 * @param {FaultSpec} fault
 * @param {number | undefined} fallbackSeconds
 */
function retryAfterHeader(fault, fallbackSeconds) {
	if (fault.retryAfterDate !== undefined) return new Date(fault.retryAfterDate).toUTCString();
	const seconds = fault.retryAfterSeconds ?? fallbackSeconds;
	return seconds === undefined ? undefined : String(seconds);
}

module.exports = {
	FAULT_KINDS,
	EXECUTE_FAULTS,
	AFTER_FAULTS,
	FaultScript,
	RateLimiter,
	createRandom,
	retryAfterHeader,
};
