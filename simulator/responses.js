// @ts-check
'use strict';

// How Graph, Entra and the Defender for Endpoint API shape their answers, errors included, in one place.

/**
 * What a handler answers; the server adds the request-id headers and writes it.
 * @typedef {{ status: number, body?: unknown, headers?: Record<string, string> }} Reply
 */

const GRAPH_JSON =
	'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

const CONTENT_TYPES = {
	graph: GRAPH_JSON,
	endpoint: 'application/json; odata.metadata=minimal; odata.streaming=true; charset=utf-8',
	login: 'application/json; charset=utf-8',
};

/** A Graph error; the server turns it into `{ error: { code, message, innerError } }`. */
class GraphError extends Error {
	/**
	 * @param {number} status
	 * @param {string} code
	 * @param {string} message
	 * @param {Record<string, string>} [headers]
	 */
	constructor(status, code, message, headers = {}) {
		super(message);
		this.status = status;
		this.code = code;
		this.headers = headers;
	}
}

/** A Defender for Endpoint API error; the server turns it into `{ error: { code, message, target } }`. */
class EndpointError extends Error {
	/**
	 * @param {number} status
	 * @param {string} code
	 * @param {string} message
	 * @param {Record<string, string>} [headers]
	 */
	constructor(status, code, message, headers = {}) {
		super(message);
		this.status = status;
		this.code = code;
		this.headers = headers;
	}
}

/** An Entra ID (AADSTS) token endpoint error. */
class EntraError extends Error {
	/**
	 * @param {number} status
	 * @param {string} error OAuth error code, e.g. invalid_client
	 * @param {number} aadsts
	 * @param {string} description
	 */
	constructor(status, error, aadsts, description) {
		super(description);
		this.status = status;
		this.error = error;
		this.aadsts = aadsts;
	}
}

/**
 * @param {GraphError} error
 * @param {{ requestId: string, clientRequestId: string }} ids
 * @returns {Reply}
 */
function graphErrorReply(error, ids) {
	return {
		status: error.status,
		headers: error.headers,
		body: {
			error: {
				code: error.code,
				message: error.message,
				innerError: {
					date: new Date().toISOString().replace(/\.\d{3}Z$/, ''),
					'request-id': ids.requestId,
					'client-request-id': ids.clientRequestId,
				},
			},
		},
	};
}

/**
 * MDE's error body: no innerError, the correlation ID in `target`. Graph-side errors met on /api/ (a bad token,
 * a body too large) are answered in this shape too.
 * @param {EndpointError | GraphError} error
 * @param {{ requestId: string }} ids
 * @returns {Reply}
 */
function endpointErrorReply(error, ids) {
	return {
		status: error.status,
		headers: error.headers,
		body: { error: { code: error.code, message: error.message, target: ids.requestId } },
	};
}

/**
 * @param {EntraError} error
 * @param {{ requestId: string, clientRequestId: string }} ids
 * @returns {Reply}
 */
function entraErrorReply(error, ids) {
	const timestamp = new Date()
		.toISOString()
		.replace('T', ' ')
		.replace(/\.\d{3}Z$/, 'Z');
	return {
		status: error.status,
		body: {
			error: error.error,
			error_description: `AADSTS${error.aadsts}: ${error.message} Trace ID: ${ids.requestId} Correlation ID: ${ids.clientRequestId} Timestamp: ${timestamp}`,
			error_codes: [error.aadsts],
			timestamp,
			trace_id: ids.requestId,
			correlation_id: ids.clientRequestId,
			error_uri: `https://login.microsoftonline.com/error?code=${error.aadsts}`,
		},
	};
}

/**
 * Writes a reply; Graph replies get Graph's JSON content type, MDE's its OData JSON, token replies plain JSON and
 * no caching.
 * @param {import('node:http').ServerResponse} res
 * @param {Reply} reply
 * @param {{ requestId: string, clientRequestId: string, surface: 'graph' | 'login' | 'endpoint' }} context
 */
function writeReply(res, reply, context) {
	if (res.destroyed || res.writableEnded) return;
	/** @type {Record<string, string>} */
	const headers = {
		'request-id': context.requestId,
		'client-request-id': context.clientRequestId,
		...(context.surface !== 'login'
			? { 'OData-Version': '4.0' }
			: {
					'Cache-Control': 'no-store, no-cache',
					Pragma: 'no-cache',
					'x-ms-request-id': context.requestId,
				}),
		...reply.headers,
	};
	if (reply.body === undefined) {
		res.writeHead(reply.status, headers);
		res.end();
		return;
	}
	const payload = JSON.stringify(reply.body);
	headers['Content-Type'] = CONTENT_TYPES[context.surface];
	headers['Content-Length'] = String(Buffer.byteLength(payload));
	res.writeHead(reply.status, headers);
	res.end(payload);
}

module.exports = {
	GraphError,
	EndpointError,
	EntraError,
	graphErrorReply,
	endpointErrorReply,
	entraErrorReply,
	writeReply,
};
