import type Provider from 'oidc-provider';
import type { AuditService } from '../audit/audit-service.js';
import type { ThrottleCounters } from '../throttle/throttle-counters.js';
import type { Clock } from '../kernel/clock.js';
import { GatehouseError } from '../kernel/gatehouse-error.js';
import { LIMITED_USES_POLICY, initialAccessTokenKeys } from './dynamic-clients.js';

/** How long an initial access token lives unless told (`--expires-in`), and at most. */
export const DEFAULT_IAT_SECONDS = 24 * 3600;
export const MAX_IAT_SECONDS = 365 * 24 * 3600;

export interface InitialAccessTokenRequest {
  readonly expiresInSeconds?: number;
  /** How many clients it may register; unlimited until it expires when absent. */
  readonly maxUses?: number;
}

export interface CreatedInitialAccessToken {
  readonly token: string;
  readonly expiresAt: string;
  readonly maxUses?: number;
}

export interface InitialAccessTokenDeps {
  readonly provider: () => Provider;
  readonly counters: Pick<ThrottleCounters, 'set'>;
  readonly audit: Pick<AuditService, 'record'>;
  readonly clock: Clock;
  readonly clientRegistration: 'off' | 'token' | 'open';
}

/**
 * `gatehouse registration token create`: an RFC 7591 §3 initial access token, stored as the
 * provider's own InitialAccessToken record (so its registration endpoint finds it), with an
 * optional use limit kept beside it in the throttle table and counted atomically at each
 * registration (dynamic-clients.ts). Audited without the token itself.
 */
export function createInitialAccessTokens(deps: InitialAccessTokenDeps) {
  return {
    async create(request: InitialAccessTokenRequest): Promise<CreatedInitialAccessToken> {
      if (deps.clientRegistration !== 'token')
        throw new GatehouseError(
          'ERR_USAGE',
          `initial access tokens are used only with CLIENT_REGISTRATION=token (it is ${deps.clientRegistration} here); set it for this command as for the server`,
        );
      const expiresIn = request.expiresInSeconds ?? DEFAULT_IAT_SECONDS;
      if (!Number.isInteger(expiresIn) || expiresIn < 60 || expiresIn > MAX_IAT_SECONDS)
        throw new GatehouseError(
          'ERR_USAGE',
          `--expires-in must be between 60 seconds and ${MAX_IAT_SECONDS / 86400} days`,
        );
      const { maxUses } = request;
      if (maxUses !== undefined && (!Number.isInteger(maxUses) || maxUses < 1))
        throw new GatehouseError('ERR_USAGE', '--max-uses must be a positive whole number');

      const provider = deps.provider();
      const iat = new provider.InitialAccessToken({
        expiresIn,
        ...(maxUses === undefined ? {} : { policies: [LIMITED_USES_POLICY] }),
      });
      const token = await iat.save();
      const expiresAt = new Date(deps.clock() + expiresIn * 1000);
      if (maxUses !== undefined && iat.jti)
        await deps.counters.set(initialAccessTokenKeys(iat.jti).limit, maxUses, expiresAt);
      await deps.audit.record({
        type: 'admin.registration_token.created',
        outcome: 'success',
        detail: { actor: 'cli', expiresAt: expiresAt.toISOString(), maxUses: maxUses ?? null },
      });
      return { token, expiresAt: expiresAt.toISOString(), ...(maxUses === undefined ? {} : { maxUses }) };
    },
  };
}

export type InitialAccessTokens = ReturnType<typeof createInitialAccessTokens>;
