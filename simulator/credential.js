// @ts-check
/**
 * The Microsoft Defender XDR credential that points n8n at the local simulator: the `custom` cloud with
 * both the Graph and the login root on the simulator. One home for the demo, tests, bench, e2e and dev.
 * @param {{ url: string; tenantId: string; clientId: string; clientSecret: string }} sim
 */
function simulatorCredential(sim) {
	return {
		grantType: 'clientCredentials',
		tenantId: sim.tenantId,
		clientId: sim.clientId,
		clientSecret: sim.clientSecret,
		cloud: 'custom',
		customGraphUrl: sim.url,
		customLoginUrl: sim.url,
	};
}

/**
 * The Microsoft Defender for Endpoint credential that points n8n at the same simulator: the `custom` cloud with the
 * API root and the login root on it. Its token is for the Defender for Endpoint audience, as the simulator checks.
 * @param {{ url: string; tenantId: string; clientId: string; clientSecret: string }} sim
 */
function simulatorEndpointCredential(sim) {
	return {
		grantType: 'clientCredentials',
		tenantId: sim.tenantId,
		clientId: sim.clientId,
		clientSecret: sim.clientSecret,
		cloud: 'custom',
		customApiUrl: sim.url,
		customLoginUrl: sim.url,
	};
}

module.exports = { simulatorCredential, simulatorEndpointCredential };
