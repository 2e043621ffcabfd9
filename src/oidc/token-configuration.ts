import {
  type AccessToken,
  type ClientCredentials,
  type Configuration,
  type KoaContextWithOIDC,
  type RefreshToken,
  type ResourceServer,
} from 'oidc-provider';
import type { ResourceService } from '../resources/resource-service.js';
import { refreshTokenTtl, type RefreshTokenLifetime } from './refresh-token-ttl.js';
import { ACCESS_TOKEN_TTL, MAX_SIGNED_TOKEN_TTL } from '../kernel/token-lifetimes.js';
import { clientCredentialsResource } from './client-credentials-defaults.js';
import type { PersonDirectory } from '../directory/person-directory.js';
import { refreshTarget } from './person-permitted-scopes.js';
import { createResourceResolver, personTokenClaims } from './resource-resolver.js';

export interface TokenDeps {
  /** The APIs registered with `gatehouse resource add`. */
  readonly resources: Pick<ResourceService, 'find' | 'findByClientId'>;
  readonly refreshTokens: RefreshTokenLifetime;
  /** What a person's roles permit in an API, and their roles and groups for its tokens. */
  readonly directory: Pick<PersonDirectory, 'permittedScopes' | 'entryOf'>;
}

type IssuedToken = AccessToken | ClientCredentials | RefreshToken;

/** The token's audience as a list; refresh tokens have none, and the types declare it on only some classes. */
const audiences = (token: IssuedToken | { aud?: string | string[] }): string[] => {
  const { aud } = token as { aud?: string | string[] };
  if (aud === undefined) return [];
  return Array.isArray(aud) ? aud : [aud];
};

/** The provider sets the ResourceServer it resolved on the token; the types leave it off AccessToken. */
const accessTokenTtlOf = (token: AccessToken | ClientCredentials): number => {
  const { resourceServer } = token as { resourceServer?: ResourceServer };
  // A signed token must never outlive its key's publication after retirement (token-lifetimes.ts).
  return Math.min(resourceServer?.accessTokenTTL ?? ACCESS_TOKEN_TTL, MAX_SIGNED_TOKEN_TTL);
};

/** Whether a client is still registered (the provider's Client.find, static clients included). */
export type ClientExists = (clientId: string) => Promise<boolean>;

/**
 * Who may see an introspection answer (RFC 7662 §2.1): the client the token was issued to, or the
 * API it is meant for; never a public client. Shared by the provider's introspection of opaque
 * tokens and ours of JWT access tokens (structured-token-endpoints.ts).
 */
export async function introspectionAllowed(
  resources: Pick<ResourceService, 'findByClientId'>,
  client: { clientId: string; clientAuthMethod?: string },
  token: { clientId?: string; aud?: string | string[] },
  clientExists: ClientExists,
): Promise<boolean> {
  if (client.clientAuthMethod === 'none') return false;
  if (token.clientId === client.clientId) return true;
  // A resource server sees the tokens meant for it, and no others: anything else is
  // `{"active": false}`, so no client can probe tokens that are not its business (§4).
  const own = await resources.findByClientId(client.clientId);
  if (own === undefined || !audiences(token).includes(own.identifier)) return false;
  // Removing a client revokes its tokens (client-service.ts); one issued while that ran is
  // still refused here, as is any token whose client is gone.
  return token.clientId !== undefined && clientExists(token.clientId);
}

/**
 * The authentication a user access token carries, taken from the code or refresh token it was
 * exchanged for: RFC 9068 §2.2.1 (acr, amr, auth_time in JWTs) and RFC 7662 §2.2 (introspection).
 */
function authenticationClaims(ctx: KoaContextWithOIDC): Record<string, unknown> | undefined {
  const source = ctx.oidc.entities.AuthorizationCode ?? ctx.oidc.entities.RefreshToken;
  if (!source) return undefined;
  const claims = { acr: source.acr, amr: source.amr, auth_time: source.authTime };
  const present = Object.entries(claims).filter(([, value]) => value !== undefined);
  return present.length ? Object.fromEntries(present) : undefined;
}

/**
 * The token half of the provider's configuration: grant types, resource indicators, token
 * formats, introspection and revocation policies, refresh-token rotation, PAR and DPoP.
 * Merged over the base configuration in provider-configuration.ts (features and ttl key by key).
 */
export function tokenConfiguration(deps: TokenDeps): Partial<Configuration> {
  const resources = createResourceResolver(deps);
  return {
    // No client_secret_jwt: client secrets are stored hashed (client-secret.ts), so nothing may
    // need one as an HMAC key. For the same reason no HS* algorithm is enabled anywhere.
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'],
    enabledJWA: {
      clientAuthSigningAlgValues: ['RS256', 'PS256', 'ES256', 'Ed25519', 'EdDSA'],
      requestObjectSigningAlgValues: ['RS256', 'PS256', 'ES256', 'Ed25519', 'EdDSA'],
    },

    features: {
      // RFC 6749 §4.4: machine-to-machine tokens, for clients registered with that grant type.
      clientCredentials: { enabled: true },

      // RFC 8707: an access token is for one API, named by the `resource` parameter.
      resourceIndicators: {
        enabled: true,
        // For an API with role-based access control, a person's scopes are also narrowed to what
        // their roles permit (person-permitted-scopes.ts).
        getResourceServerInfo: async (ctx, indicator, client) => (await resources.resolve(ctx, indicator, client)).info,
        // No resource asked for: an opaque token without audience, good for userinfo only; for
        // client_credentials, the client's one granted API (client-credentials-defaults.ts).
        defaultResource: (ctx, client) => clientCredentialsResource(ctx, client),
        // One access token per audience. A sign-in (scope `openid`) redeemed without `resource`
        // gets the token for userinfo, which the provider refuses to any token with an audience;
        // with `resource=URI` at the token endpoint (RFC 8707 §2.2: openid-client's
        // authorizationCodeGrant parameters, express-openid-connect's tokenEndpointParams, or a
        // refresh) it gets the token for that API. Without `openid` there is no userinfo token to
        // give, so the one granted API's token comes without repeating `resource`.
        useGrantedResource: () => false,
      },

      // RFC 7662. Only authenticated clients get answers (§2.1); what they may see is below.
      introspection: {
        enabled: true,
        allowedPolicy: (ctx, client, token) =>
          introspectionAllowed(deps.resources, client, token, async (id) =>
            Boolean(await ctx.oidc.provider.Client.find(id)),
          ),
      },
      // RFC 9701: a signed answer for `Accept: application/token-introspection+jwt`.
      jwtIntrospection: { enabled: true },

      // RFC 7009. A client revokes its own tokens only; for anyone else's the answer is the same
      // 200 as for an unknown token (§2.2), so revocation cannot probe either.
      revocation: {
        enabled: true,
        allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId,
      },

      // RFC 9126.
      pushedAuthorizationRequests: { enabled: true },
      // RFC 9449: sender-constrained tokens for clients that send a DPoP proof.
      dPoP: { enabled: true },
    },

    // RFC 9700 §4.14.2: a refresh token is single-use; its reuse revokes the grant. The provider
    // rotates before it resolves the API, so a refresh the API would refuse (its grant gone, the
    // person's roles permitting nothing asked) is refused here first and keeps its refresh token.
    async rotateRefreshToken(ctx) {
      const target = refreshTarget(ctx);
      if (target !== undefined && ctx.oidc.client) await resources.resolve(ctx, target, ctx.oidc.client);
      return true;
    },
    // Only when asked for and granted (OIDC Core §11: offline_access) and the client may use them.
    issueRefreshToken: (_ctx, client, code) =>
      client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
    // RFC 7009 §2.1: revoking a refresh token ends the grant with every token under it. Revoking an
    // access token leaves the grant in place. Outside revocation (reuse of a code or a rotated
    // refresh token), the grant goes too.
    revokeGrantPolicy: (ctx) => (ctx.oidc.route === 'revocation' ? Boolean(ctx.oidc.entities.RefreshToken) : true),

    async extraTokenClaims(ctx, token) {
      // RFC 9068 §2.2: with no resource owner, `sub` is the client; the JWT format already does
      // this, and introspection (RFC 7662 §2.2) should say the same.
      if (token.kind === 'ClientCredentials') return { sub: token.clientId };
      const authentication = authenticationClaims(ctx);
      const person = token.kind === 'AccessToken' ? await personTokenClaims(deps, resources, ctx, token) : undefined;
      return authentication || person ? { ...authentication, ...person } : undefined;
    },

    ttl: {
      // Numbers here would ignore each resource's own lifetime: only functions see the token.
      AccessToken: (_ctx, token) => accessTokenTtlOf(token),
      ClientCredentials: (_ctx, token) => accessTokenTtlOf(token),
      RefreshToken: (_ctx, token) => {
        // oidc-provider's own time, not the injected clock: `iiat` and the `exp` this TTL becomes
        // come from its epochTime() (Date.now()), so the remaining lifetime must be measured on it.
        const now = Math.floor(Date.now() / 1000);
        return refreshTokenTtl(deps.refreshTokens, token.iiat ?? now, now);
      },
    },
  };
}
