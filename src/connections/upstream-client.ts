import * as client from 'openid-client';
import type { GuardedFetch } from '../oidc/guarded-fetch.js';
import type { Clock } from '../kernel/clock.js';
import { GITHUB_COM, type Connection } from './connection-service.js';
import { classifyUpstreamError, UpstreamError, type UpstreamProfile } from './upstream-profile.js';
import { githubProfile } from './github-profile.js';

export interface UpstreamClientDeps {
  /** Every call out goes through the SSRF guard (src/oidc/guarded-fetch.ts). */
  readonly fetch: GuardedFetch;
  readonly secretOf: (connectionId: string) => Promise<string>;
  /** The one redirect URI registered at every upstream: {ISSUER}/interaction/upstream/callback. */
  readonly redirectUri: string;
  readonly clock: Clock;
  /** How many connections' discovered metadata (and their JWKS, which each holds) stay in memory. */
  readonly cacheSize?: number;
  /** How long discovered metadata is reused before it is fetched again. */
  readonly cacheMs?: number;
}

export interface TripChecks {
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The relying-party side of an upstream sign-in, through openid-client 6: discovery, the code flow
 * with PKCE (RFC 7636), `state` and `nonce`, the RFC 9207 `iss` check, ID token validation (OIDC
 * Core §3.1.3.7) and userinfo. The configuration of each connection (its discovered metadata and
 * the JWKS openid-client keeps in it) is cached, bounded in count and age; a failed discovery is
 * never cached, so an upstream that comes back is used at the next attempt.
 */
export function createUpstreamClient(deps: UpstreamClientDeps) {
  const size = deps.cacheSize ?? 50;
  const maxAge = deps.cacheMs ?? 10 * 60 * 1000;
  const cache = new Map<string, { config: client.Configuration; at: number }>();
  const customFetch = deps.fetch as unknown as client.CustomFetch;

  async function configure(connection: Connection): Promise<client.Configuration> {
    // A changed connection (its issuer, client, secret) is another key: the old entry ages out.
    const key = `${connection.id}@${connection.updatedAt}`;
    const hit = cache.get(key);
    if (hit && deps.clock() - hit.at < maxAge) {
      cache.delete(key);
      cache.set(key, hit);
      return hit.config;
    }
    const secret = await deps.secretOf(connection.id);
    const issuer = new URL(connection.issuer);
    const insecure = issuer.protocol === 'http:' && LOOPBACK.has(issuer.host.replace(/:\d+$/, ''));
    let config: client.Configuration;
    if (connection.type === 'github') {
      // GitHub speaks OAuth 2 without discovery: its endpoints, written out (GitHub Enterprise
      // Server serves the same paths under its own host).
      const base = connection.issuer.replace(/\/$/, '');
      config = new client.Configuration(
        {
          issuer: base,
          authorization_endpoint: `${base}/login/oauth/authorize`,
          token_endpoint: `${base}/login/oauth/access_token`,
        },
        connection.clientId,
        { client_secret: secret },
        client.ClientSecretPost(secret),
      );
      config[client.customFetch] = customFetch;
      if (insecure) client.allowInsecureRequests(config);
    } else {
      config = await client.discovery(issuer, connection.clientId, secret, client.ClientSecretBasic(secret), {
        [client.customFetch]: customFetch,
        // The ID token's signature is checked against the upstream's JWKS (OIDC Core §3.1.3.7 step 6):
        // openid-client would otherwise rely on TLS alone for ID tokens from the token endpoint.
        execute: insecure
          ? [client.allowInsecureRequests, client.enableNonRepudiationChecks]
          : [client.enableNonRepudiationChecks],
      });
    }
    cache.set(key, { config, at: deps.clock() });
    while (cache.size > size) cache.delete(cache.keys().next().value as string);
    return config;
  }

  return {
    /** Where the browser goes to sign in upstream. */
    async authorizationUrl(connection: Connection, checks: TripChecks & { loginHint?: string }): Promise<URL> {
      let config: client.Configuration;
      try {
        config = await configure(connection);
      } catch (error) {
        throw classifyUpstreamError(error);
      }
      return client.buildAuthorizationUrl(config, {
        redirect_uri: deps.redirectUri,
        scope: connection.scope,
        state: checks.state,
        code_challenge: await client.calculatePKCECodeChallenge(checks.codeVerifier),
        code_challenge_method: 'S256',
        ...(connection.type === 'oidc' ? { nonce: checks.nonce } : {}),
        ...(checks.loginHint ? { login_hint: checks.loginHint } : {}),
      });
    },

    /** Redeems the code the browser came back with, after every check on the answer; who signed in. */
    async redeem(connection: Connection, callback: URL, checks: TripChecks): Promise<UpstreamProfile> {
      try {
        const config = await configure(connection);
        const tokens = await client.authorizationCodeGrant(config, callback, {
          pkceCodeVerifier: checks.codeVerifier,
          expectedState: checks.state,
          ...(connection.type === 'oidc' ? { expectedNonce: checks.nonce, idTokenExpected: true } : {}),
        });
        if (connection.type === 'github') return await githubProfile(config, tokens.access_token, connection.issuer);
        const claims = tokens.claims();
        if (!claims) throw new UpstreamError('invalid_id_token', 'no ID token');
        // Userinfo for what the ID token left out (many providers put email there only).
        const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub).catch(() => undefined);
        const email = (claims.email ?? info?.email) as string | undefined;
        const verified = (claims.email !== undefined ? claims.email_verified : info?.email_verified) === true;
        return {
          issuer: claims.iss,
          subject: claims.sub,
          verifiedEmail: email && verified ? email : undefined,
          name: (claims.name ?? info?.name) as string | undefined,
          amr: Array.isArray(claims.amr) ? claims.amr.filter((v): v is string => typeof v === 'string') : [],
          acr: typeof claims.acr === 'string' ? claims.acr : undefined,
        };
      } catch (error) {
        throw classifyUpstreamError(error);
      }
    },
  };
}

export type UpstreamClient = ReturnType<typeof createUpstreamClient>;
export { GITHUB_COM };
