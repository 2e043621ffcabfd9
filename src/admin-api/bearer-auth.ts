import type { Context } from 'koa';
import { createLocalJWKSet, jwtVerify, type JWTPayload } from 'jose';
import type { Clock } from '../kernel/clock.js';
import { GatehouseError } from '../kernel/gatehouse-error.js';
import type { ProviderGeneration, ProviderHost } from '../oidc/provider-host.js';
import type { StructuredAccessTokens } from '../oidc/structured-access-tokens.js';
import { createDpopProofs } from './dpop-proof.js';

/** Who is calling: a client holding a live management token, and what the token lets it do. */
export interface Caller {
  readonly clientId: string;
  readonly scopes: ReadonlySet<string>;
}

export interface BearerAuthDeps {
  readonly providers: ProviderHost;
  readonly structuredTokens: Pick<StructuredAccessTokens, 'find'>;
  /** The management API's identifier: the `aud` its tokens carry. */
  readonly audience: string;
  readonly issuer: string;
  readonly clock: Clock;
}

const invalid = (why: string) => new GatehouseError('ERR_TOKEN_INVALID', why);

/**
 * The management API's tokens, checked in-process: a JWT access token (RFC 9068) signed with our
 * published keys, by us, for this API (`aud`), not expired, and still recorded
 * (structured-access-tokens.ts), so a revoked token, or one of a removed client, stops at once.
 * Only client-credentials tokens are taken: the caller is a client acting for its operator, never a
 * person signed in to an app (who would otherwise carry the app's admin rights). Opaque tokens are
 * refused: this API's format is JWT. Cookies are never read, so no browser can be made to call it
 * (CSRF is impossible by construction). A DPoP-bound token (`cnf.jkt`) must come with the DPoP
 * scheme and a proof (RFC 9449 §7.1); a Bearer-only token must not claim DPoP.
 */
export function createBearerAuth(deps: BearerAuthDeps) {
  const { providers, structuredTokens, audience, clock } = deps;
  const origin = new URL(deps.issuer).origin;
  const verifyProof = createDpopProofs(clock);
  const keySets = new WeakMap<ProviderGeneration, ReturnType<typeof createLocalJWKSet>>();
  const keysOf = (generation: ProviderGeneration) => {
    let keys = keySets.get(generation);
    if (!keys) {
      keys = createLocalJWKSet(generation.verificationKeys);
      keySets.set(generation, keys);
    }
    return keys;
  };

  return async function authenticate(ctx: Context): Promise<Caller> {
    const header = ctx.get('Authorization');
    const match = /^(Bearer|DPoP) +([A-Za-z0-9\-._~+/]+=*)$/i.exec(header);
    if (!header) throw invalid('this API needs an access token (Authorization: Bearer)');
    if (!match) throw invalid('the Authorization header is not a Bearer or DPoP token');
    const scheme = (match[1] as string).toLowerCase();
    const token = match[2] as string;
    const generation = providers.current();
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(token, keysOf(generation), {
        issuer: generation.provider.issuer,
        audience,
        typ: 'at+jwt',
        algorithms: ['ES256', 'RS256'],
        currentDate: new Date(clock()),
      }));
    } catch {
      throw invalid('the access token is not a live token of this server for this API');
    }
    const record = typeof claims.jti === 'string' ? await structuredTokens.find(claims.jti) : undefined;
    if (!record || record.clientId !== claims.client_id) throw invalid('the access token was revoked');
    if (record.kind !== 'ClientCredentials')
      throw invalid('this API takes client-credentials tokens only, not tokens a person signed in for');
    const jkt = (claims.cnf as { jkt?: unknown } | undefined)?.jkt;
    if (typeof jkt === 'string') {
      if (scheme !== 'dpop') throw invalid('a DPoP-bound token must be sent with the DPoP scheme');
      await verifyProof({
        proof: ctx.get('DPoP') || undefined,
        method: ctx.method,
        url: `${origin}${ctx.path}`,
        accessToken: token,
        jkt,
      });
    } else if (scheme === 'dpop') {
      throw invalid('the token is not DPoP-bound: send it with the Bearer scheme');
    }
    return {
      clientId: record.clientId,
      scopes: new Set(
        String(claims.scope ?? '')
          .split(' ')
          .filter(Boolean),
      ),
    };
  };
}

export type BearerAuth = ReturnType<typeof createBearerAuth>;
