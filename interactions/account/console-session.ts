import { createHash, randomBytes } from 'node:crypto';
import type { Context } from 'koa';
import type { ProviderHost } from '../../src/oidc/provider-host.js';
import type { AccountService } from '../../src/accounts/account-service.js';
import type { SessionService } from '../../src/sessions/session-service.js';
import { sessionTtl, type SessionTimeouts } from '../../src/oidc/session-ttl.js';
import { CONSOLE_CLIENT_ID, consoleRedirectUri } from '../../src/clients/console-client.js';
import type { SecondStepPolicy } from '../../src/second-step/second-step-policy.js';
import type { RememberedDeviceCookie } from '../../src/mfa/remembered-device-cookie.js';
import type { Clock } from '../../src/kernel/clock.js';
import { authenticationContext, hasSecondFactor, type Factor } from '../../src/mfa/authentication-context.js';

export interface ConsoleSessionDeps {
  readonly providers: ProviderHost;
  readonly issuer: string;
  readonly accounts: AccountService;
  readonly sessions: SessionService;
  readonly sessionTimeouts: SessionTimeouts;
  readonly secondStepPolicy: SecondStepPolicy;
  readonly rememberedDevices: RememberedDeviceCookie;
  readonly clock: Clock;
}

/** How the admin console (interactions/admin) asks more of the same sign-in than the account console does. */
export interface ConsoleSignInOptions {
  /** Another of the console client's registered redirect URIs. */
  readonly redirectUri?: string;
  readonly state?: string;
  /** Extra authorization parameters: acr_values (a second factor), max_age and prompt=login (a fresh sign-in). */
  readonly params?: Readonly<Record<string, string>>;
}

type ProviderSession = Parameters<ReturnType<typeof sessionTtl>>[1] & { save(ttl: number): Promise<unknown> };

/** The console's view of the provider session: who is signed in, and how to send them to sign in. */
export function consoleSession(deps: ConsoleSessionDeps) {
  const { providers, issuer, accounts, sessions, secondStepPolicy, rememberedDevices } = deps;
  const ttl = sessionTtl(deps.sessionTimeouts, deps.clock);

  return {
    /**
     * The signed-in session behind this request, refreshed as activity; undefined when signed out,
     * and also when the session has only a password but the console's own sign-in would ask for a
     * second step now (an abandoned second step must not open the console).
     */
    async signedIn(ctx: Context) {
      const session = await providers.current().provider.Session.get(ctx as never);
      if (!session.accountId) return undefined;
      const account = await accounts.findById(session.accountId);
      if (!account || account.disabled) return undefined;
      if (!hasSecondFactor(session.amr)) {
        const decision = await secondStepPolicy.decide({
          accountId: account.id,
          ip: ctx.ip,
          deviceId: rememberedDevices.read(ctx.cookies),
          acrRequested: false,
          passkeyRequested: false,
        });
        if (decision.ask) return undefined;
      }
      await session.save(ttl(ctx as never, session));
      await sessions.touch(session.uid, account.id, ctx.ip, ctx.get('User-Agent') || null);
      return { session, account };
    },

    /**
     * The person just proved they hold the authenticator (set it up): this session now counts as
     * signed in with both factors, as if the second step had been asked (RFC 8176 `otp`, or a
     * passkey's `hwk`/`swk`). A session that already had a second factor keeps what it had.
     */
    async raiseToSecondFactor(ctx: Context, session: ProviderSession, second: Factor = 'totp'): Promise<void> {
      if (hasSecondFactor(session.amr)) return;
      const { amr, acr } = authenticationContext(['password', second]);
      Object.assign(session, { amr, acr });
      await session.save(ttl(ctx as never, session));
    },

    /**
     * Starts an ordinary authorization request for the console client; the code it ends with is
     * never redeemed because the console reads the provider's own session, which that sign-in sets.
     */
    redirectToSignIn(ctx: Context, options: ConsoleSignInOptions = {}): void {
      const verifier = randomBytes(32).toString('base64url');
      const url = new URL(`${issuer}/auth`);
      url.search = new URLSearchParams({
        client_id: CONSOLE_CLIENT_ID,
        response_type: 'code',
        scope: 'openid',
        redirect_uri: options.redirectUri ?? consoleRedirectUri(issuer),
        code_challenge: createHash('sha256').update(verifier).digest('base64url'),
        code_challenge_method: 'S256',
        state: options.state ?? randomBytes(16).toString('base64url'),
        ...options.params,
      }).toString();
      ctx.status = 303;
      ctx.redirect(url.toString());
    },
  };
}

export type ConsoleSession = ReturnType<typeof consoleSession>;
