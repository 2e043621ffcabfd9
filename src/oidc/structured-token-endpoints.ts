import type { Context, Middleware, Next } from 'koa';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JWK, type JWTPayload } from 'jose';
import type { ResourceService } from '../resources/resource-service.js';
import { introspectionAllowed } from './token-configuration.js';
import type { StructuredAccessTokens, StructuredTokenRecord } from './structured-access-tokens.js';
import { MAX_BODY_BYTES } from '../http/body-limit.js';
import { handBodyToProvider, readBoundedBody } from '../http/request-body.js';
import type { ProviderGeneration, ProviderHost } from './provider-host.js';

export interface StructuredTokenEndpointDeps {
  readonly providers: ProviderHost;
  readonly structuredTokens: StructuredAccessTokens;
  readonly resources: Pick<ResourceService, 'findByClientId'>;
}

const ROUTES: Record<string, 'introspection' | 'revocation'> = {
  '/token/introspection': 'introspection',
  '/token/revocation': 'revocation',
};

/** What the provider is shown instead of a JWT: not a JWT, and no token it could ever find. */
const PLACEHOLDER = 'structured-access-token';
const INTROSPECTION_JWT = 'application/token-introspection+jwt';

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'];

/** The public half of a signing JWKS. */
export function publicJwks(jwks: { keys: JWK[] }): { keys: JWK[] } {
  return {
    keys: jwks.keys.map(
      (key) => Object.fromEntries(Object.entries(key).filter(([name]) => !PRIVATE_MEMBERS.includes(name))) as JWK,
    ),
  };
}

/** The provider mounted in our app runs on the same Koa context and leaves its `oidc` on it. */
const oidcOf = (ctx: Context) => (ctx as unknown as Partial<KoaContextWithOIDC>).oidc as KoaContextWithOIDC['oidc'];

const looksLikeJwt = (value: string): boolean => {
  // A JWS in compact form has exactly two dots (RFC 7515 §7.1); our opaque tokens have none. Most
  // introspections are of opaque tokens: answering them without a parse that throws saves CPU.
  if (value.split('.', 4).length !== 3) return false;
  try {
    return Boolean(decodeProtectedHeader(value));
  } catch {
    return false;
  }
};

/**
 * Introspection (RFC 7662) and revocation (RFC 7009) for the JWT access tokens we issue, which
 * oidc-provider refuses as unsupported_token_type because it keeps no record of them.
 *
 * The provider still does everything else: a JWT in `token` is swapped for a placeholder it can
 * never find, so it authenticates the caller exactly as for any other token (same methods, same
 * `invalid_client`) and answers `{"active": false}`. Then, for an authenticated caller, we answer
 * for the JWT ourselves with the provider's own rules: our signature and issuer, a live record of
 * the token (structured-access-tokens.ts), a live grant that still matches, the session for
 * session-bound tokens, and the same audience policy (introspectionAllowed).
 */
export function structuredTokenEndpoints(deps: StructuredTokenEndpointDeps): Middleware {
  const { providers, structuredTokens } = deps;
  // Each provider generation verifies with the keys it was built with (they change on rotation).
  const keySets = new WeakMap<ProviderGeneration, ReturnType<typeof createLocalJWKSet>>();
  const keysOf = (generation: ProviderGeneration) => {
    let keys = keySets.get(generation);
    if (!keys) {
      keys = createLocalJWKSet(generation.verificationKeys);
      keySets.set(generation, keys);
    }
    return keys;
  };

  /** The token's claims and record when it is ours and still live; undefined otherwise. */
  async function liveToken(
    generation: ProviderGeneration,
    value: string,
  ): Promise<{ claims: JWTPayload; record: StructuredTokenRecord } | undefined> {
    const { provider } = generation;
    const keys = keysOf(generation);
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(value, keys, {
        issuer: provider.issuer,
        typ: 'at+jwt',
        algorithms: ['RS256', 'ES256'],
      }));
    } catch {
      return undefined;
    }
    const record = typeof claims.jti === 'string' ? await structuredTokens.find(claims.jti) : undefined;
    if (!record || record.clientId !== claims.client_id) return undefined;
    if (record.grantId) {
      const grant = await provider.Grant.find(record.grantId);
      if (!grant || grant.clientId !== record.clientId || grant.accountId !== record.accountId) return undefined;
    }
    if (record.expiresWithSession) {
      // As oidc-provider's checkSessionBinding: the token dies with its session.
      const session = record.sessionUid ? await provider.Session.findByUid(record.sessionUid) : undefined;
      if (!session || session.accountId !== record.accountId || session.grantIdFor(record.clientId) !== record.grantId)
        return undefined;
    }
    return { claims, record };
  }

  async function introspect(generation: ProviderGeneration, ctx: Context, value: string): Promise<void> {
    const { provider } = generation;
    const client = oidcOf(ctx).client;
    if (!client) return;
    const live = await liveToken(generation, value);
    if (
      !live ||
      !(await introspectionAllowed(
        deps.resources,
        client,
        { clientId: live.record.clientId, aud: live.claims.aud },
        async (id) => Boolean(await provider.Client.find(id)),
      ))
    ) {
      return; // the provider's {"active": false} (or its signed form) stands
    }
    const cnf = live.claims.cnf as { jkt?: string } | undefined;
    const answer = { ...live.claims, active: true, sid: live.record.sid, token_type: cnf?.jkt ? 'DPoP' : 'Bearer' };
    if (ctx.response.is(INTROSPECTION_JWT)) {
      // RFC 9701: signed exactly as the provider signs its own answers.
      const token = new provider.IdToken({}, { ctx: ctx as unknown as KoaContextWithOIDC }) as unknown as {
        extra: object;
        issue(o: { use: string }): Promise<string>;
      };
      token.extra = { token_introspection: answer, aud: answer.aud };
      ctx.body = await token.issue({ use: 'introspection' });
      ctx.type = `${INTROSPECTION_JWT}; charset=utf-8`;
    } else {
      ctx.body = answer;
    }
  }

  async function revoke(generation: ProviderGeneration, ctx: Context, value: string): Promise<void> {
    const { provider } = generation;
    const client = oidcOf(ctx).client;
    const live = await liveToken(generation, value);
    // RFC 7009 §2.1: a client revokes only its own tokens; anything else is the same silent 200.
    if (!client || !live || live.record.clientId !== client.clientId) return;
    await structuredTokens.forget(live.record.jti);
    // As the provider does for an opaque access token: every token of the grant goes, the grant stays.
    if (live.record.grantId) {
      const { grantId } = live.record;
      await Promise.all(
        [provider.AccessToken, provider.RefreshToken, provider.AuthorizationCode].map((model) =>
          model.revokeByGrantId(grantId),
        ),
      );
    }
  }

  const answer = async (ctx: Context, next: Next, route: 'introspection' | 'revocation') => {
    // bodyLimit (create-app.ts) has already bounded the body; this only guards against reordering.
    const body = await readBoundedBody(ctx.req, MAX_BODY_BYTES);
    if (!body) return ctx.throw(413, `request body is larger than ${MAX_BODY_BYTES} bytes`);
    const form = new URLSearchParams(body.toString('utf8'));
    const tokens = form.getAll('token');
    const value = tokens[0];
    if (tokens.length !== 1 || value === undefined || !looksLikeJwt(value)) {
      handBodyToProvider(ctx, body);
      return next();
    }
    const generation = providers.current();
    form.set('token', PLACEHOLDER);
    handBodyToProvider(ctx, Buffer.from(form.toString()));
    await next();
    if (ctx.status !== 200 || !oidcOf(ctx)?.client) return;
    await (route === 'introspection' ? introspect(generation, ctx, value) : revoke(generation, ctx, value));
  };
  // Not async on the way past: every request comes by, and only two paths stop.
  return (ctx: Context, next: Next) => {
    const route = ctx.method === 'POST' ? ROUTES[ctx.path] : undefined;
    return route && ctx.is('application/x-www-form-urlencoded') ? answer(ctx, next, route) : next();
  };
}
