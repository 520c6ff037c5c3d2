import type {
	IDataObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	IPollFunctions,
} from 'n8n-workflow';

import type { Api } from './api';
import { DefenderXdrError, describeTokenFailure, settle } from './errors';
import { bounded, codesOf, messageOf } from './network';

/** A node run, a trigger poll, or the editor filling a pick list. */
export type N8nContext = IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions;

/**
 * The token side of one run: n8n fetches and stores tokens; this makes sure a run signs in once, refreshes an
 * expired token once for every request that met it, and fails every later request at once after a failed sign-in.
 */
export class TokenKeeper {
	private generation = 0;
	private refreshing: Promise<void> | undefined;
	private firstRequest: Promise<unknown> | undefined;
	/** Set once an HTTP answer came back: the token phase worked, so later failures are the API's. */
	proven = false;
	/** A failed sign-in fails every later request at once: one sign-in attempt, not one per item. */
	failure: DefenderXdrError | undefined;

	constructor(
		private readonly ctx: N8nContext,
		private readonly api: Api,
		private readonly loginRoot: string,
		private readonly timeoutSeconds: number,
		private readonly cancelSignal: () => AbortSignal | undefined,
	) {}

	/** The generation of the token a request is sent with, to tell a stale 401 from a fresh one. */
	get current(): number {
		return this.generation;
	}

	/** At a cold start every concurrent request would fetch its own token: the first one goes alone. */
	async gate<R>(run: () => Promise<R>): Promise<R> {
		if (this.firstRequest === undefined) {
			const first = this.repairStored().then(run);
			this.firstRequest = first.catch(() => undefined);
			return await first;
		}
		await this.firstRequest;
		return await run();
	}

	async hasAccessToken(): Promise<boolean> {
		const tokenData = (await this.ctx.getCredentials(this.api.credentialType)).oauthTokenData as
			| IDataObject
			| undefined;
		return typeof tokenData?.access_token === 'string' && tokenData.access_token !== '';
	}

	/** The error for a sign-in that failed with `error`. */
	describe(error: unknown): DefenderXdrError {
		if (error instanceof DefenderXdrError) return error;
		return describeTokenFailure(
			this.api.name,
			this.loginRoot,
			messageOf(error),
			codesOf(error).includes('deadline') ? this.timeoutSeconds : undefined,
		);
	}

	/** One refresh for all requests that met the same expired token; a failure fails every later request too. */
	async refresh(generationSeen: number): Promise<void> {
		if (generationSeen === this.generation) {
			this.refreshing ??= (async () => {
				this.ctx.logger.info(
					`${this.api.name} rejected the access token (401); getting a new one through n8n, once for the whole run`,
				);
				const refreshed = await settle(
					bounded(
						this.ctx.helpers.refreshOAuth2Token.call(
							this.ctx,
							this.api.credentialType,
						) as Promise<unknown>,
						this.timeoutSeconds * 1000,
						this.cancelSignal(),
					),
				);
				this.refreshing = undefined;
				if (!refreshed.ok) {
					this.failure ??= this.describe(refreshed.error);
					throw this.failure;
				}
				this.generation++;
			})();
		}
		await this.refreshing;
		if (this.failure) throw this.failure;
	}

	/**
	 * A token answer without `access_token` is stored by n8n as it came, and n8n then never asks again: every later
	 * run would fail to sign. Such token data is replaced through n8n's refresh before the first request.
	 */
	private async repairStored(): Promise<void> {
		const tokenData = (await this.ctx.getCredentials(this.api.credentialType)).oauthTokenData;
		if (
			!tokenData ||
			typeof tokenData !== 'object' ||
			Object.keys(tokenData).length === 0 ||
			(await this.hasAccessToken())
		)
			return;
		this.ctx.logger.warn(
			`The stored token data of the ${this.api.credentialName} credential has no access token; getting a new one through n8n`,
		);
		await this.refresh(this.generation);
	}
}
