import Provider, { errors, type Adapter } from 'oidc-provider';
import { clientSecretMatches } from '../clients/client-secret.js';
import { CONSOLE_CLIENT_ID } from '../clients/console-client.js';
import type { IssuedToken, StructuredAccessTokens } from './structured-access-tokens.js';

/**
 * Every place Gatehouse replaces a method of oidc-provider's own classes, in one file, so an upgrade
 * is checked here and only here. Each override names the upstream code it replaces (paths under
 * node_modules/oidc-provider/lib/) as of the version below; test/oidc/provider-overrides.test.ts
 * fails once the installed version differs, so an upgrade forces reading each one again against
 * the new upstream code and then moving this number.
 */
export const OIDC_PROVIDER_CHECKED_VERSION = '9.13.3';

export interface ProviderOverrideDeps {
  readonly structuredTokens: StructuredAccessTokens;
}

/** Applies every override to a freshly built provider (build-provider.ts, once per generation). */
export function applyProviderOverrides(provider: Provider, deps: ProviderOverrideDeps): void {
  urlsFromIssuer(provider);
  sidInEveryIdToken(provider);
  compareHashedClientSecrets(provider);
  allowLoopbackImplicitRedirects(provider);
  trackStructuredAccessTokens(provider, deps.structuredTokens);
  reuseClientsOfUnchangedRecords(provider);
}

/**
 * Wraps `Client.find` (lib/models/client.js), which on every look-up of a stored client turns the
 * properties the adapter found into JSON and hashes them (SHA-256) to find the Client it built from
 * them before. Our adapter hands back the very same properties object for as long as the stored
 * record is the one in the client cache (prisma-adapter.ts), so the Client built from it is found
 * by identity instead; a changed or reloaded record is a new object and takes upstream's way, as
 * does every client that is not stored (the static console client, client ID metadata documents).
 */
function reuseClientsOfUnchangedRecords(provider: Provider): void {
  const { Client } = provider;
  const upstream = Client.find.bind(Client);
  const built = new WeakMap<object, InstanceType<typeof Client>>();
  Client.find = async (id: string) => {
    // A URL is a client ID metadata document's client, which is never stored: upstream fetches it.
    if (typeof id !== 'string' || id === '' || id === CONSOLE_CLIENT_ID || id.startsWith('https://'))
      return upstream(id);
    const properties = await (Client as unknown as { adapter: Adapter }).adapter.find(id);
    const known = properties && built.get(properties);
    if (known) return known;
    const client = await upstream(id);
    if (properties && client?.clientId === id) built.set(properties, client);
    return client;
  };
}

/**
 * Replaces `OIDCContext#urlFor` (lib/helpers/oidc_context.js), which builds URLs from the request's
 * Host, scheme and mount path, with `Provider#urlFor` (lib/provider.js), which builds them from the
 * issuer. So every URL the provider makes for a request (discovery's endpoints, the audiences it
 * accepts in client assertions, DPoP `htu`, interaction return addresses) is the issuer's:
 * issuer-host.ts already refuses foreign hosts; this also keeps the scheme right behind a proxy that
 * forwards no (or a wrong) X-Forwarded-Proto. OIDC Discovery §3: the endpoints are the issuer's.
 */
function urlsFromIssuer(provider: Provider): void {
  provider.OIDCContext.prototype.urlFor = (name, options) => provider.urlFor(name, options);
}

/**
 * Replaces `Client#includeSid` (lib/models/client.js), true upstream only for clients registered
 * with back-channel logout and `backchannel_logout_session_required`. Every ID token carries `sid`,
 * so any RP can correlate its sessions with logout notices (OIDC Back-Channel Logout §2.1).
 */
function sidInEveryIdToken(provider: Provider): void {
  provider.Client.prototype.includeSid = () => true;
}

type Comparing = {
  clientAuthMethod?: string;
  clientSecret?: string;
  compareClientSecret(actual: string): boolean | Promise<boolean>;
};

/**
 * How the request being authenticated carries the client secret, as oidc-provider reads it
 * (lib/shared/client_auth.js): a `client_secret` form parameter is client_secret_post (RFC 6749
 * §2.3.1), otherwise the secret came in the Authorization header, client_secret_basic. It refuses
 * both at once, so one of the two is all there is.
 */
function presentedMethod(): string | undefined {
  const ctx = Provider.ctx;
  if (!ctx) return undefined;
  return ctx.oidc?.params?.client_secret ? 'client_secret_post' : 'client_secret_basic';
}

/**
 * Replaces `Client#compareClientSecret` (lib/models/client.js: a constant-time comparison with the
 * stored secret), which lib/shared/client_auth.js calls for client_secret_basic and
 * client_secret_post. Ours stores only a hash of the secret (client-secret.ts), so the comparison
 * hashes the presented one.
 *
 * oidc-provider also takes either way of sending the secret for a client registered with the
 * other. The registered `token_endpoint_auth_method` is the one way the client declared it
 * authenticates (RFC 7591 §2), so a secret arriving the other way is refused before it is
 * compared, as the provider refuses every other mismatch, and with the provider's own words.
 */
function compareHashedClientSecrets(provider: Provider): void {
  const prototype = provider.Client.prototype as unknown as Comparing;
  prototype.compareClientSecret = function compareHashed(this: Comparing, actual: string) {
    const presented = presentedMethod();
    if (presented && presented !== this.clientAuthMethod) {
      throw new errors.InvalidClientAuth(
        'the provided authentication mechanism does not match the registered client authentication method',
      );
    }
    return clientSecretMatches(this.clientSecret, actual);
  };
}

/** The provider's codes for its two implicit-flow redirect URI checks (lib/helpers/client_schema.js). */
const LOOPBACK_CHECKS = new Set(['implicit-force-https', 'implicit-forbid-localhost']);

/**
 * Wraps `Client.Schema#invalidate` (lib/helpers/client_schema.js, which throws
 * InvalidClientMetadata). A web client registered for `response_type=id_token` (form_post apps)
 * may, like any web client, use http://localhost or a loopback address while in development. The
 * provider refuses plain http and localhost for every implicit-flow web client; our own policy
 * (redirect-uri-policy.ts) already allows plain http only on loopback, so those two checks are
 * waived and every other stays. oidc-provider documents overriding Schema#invalidate for exactly this.
 */
function allowLoopbackImplicitRedirects(provider: Provider): void {
  const schema = (
    provider.Client as unknown as { Schema: { prototype: { invalidate(message: string, code?: string): void } } }
  ).Schema;
  const invalidate = schema.prototype.invalidate;
  schema.prototype.invalidate = function invalidateUnlessLoopback(message: string, code?: string) {
    if (code !== undefined && LOOPBACK_CHECKS.has(code)) return;
    invalidate.call(this, message, code);
  };
}

type Saving = { save(this: IssuedToken, ...args: unknown[]): Promise<string> };

/**
 * Wraps `AccessToken#save` and `ClientCredentials#save` (lib/models/base_token.js, through
 * lib/models/formats/jwt.js for the JWT format) and the static `AccessToken.revokeByGrantId`
 * (lib/models/access_token.js). oidc-provider keeps no record of the JWT access tokens it issues
 * (RFC 9068); structured-access-tokens.ts keeps one so introspection and revocation answer for
 * them (RFC 7662 §2.2, RFC 7009). Every JWT access token is recorded as it is issued, before the
 * token response is sent, so an introspection right after issuance already finds it (the
 * provider's `access_token.issued` event is not awaited). Revoking a grant's access tokens (code or
 * refresh token reuse, logout, a revoked access token) drops the grant's JWT records too.
 */
function trackStructuredAccessTokens(provider: Provider, store: StructuredAccessTokens): void {
  for (const model of [provider.AccessToken, provider.ClientCredentials]) {
    const prototype = model.prototype as unknown as Saving;
    const save = prototype.save;
    prototype.save = async function saveAndRemember(this: IssuedToken, ...args: unknown[]) {
      const value = await save.apply(this, args);
      if (this.format === 'jwt') await store.remember(this, value);
      return value;
    };
  }
  const revokeByGrantId = provider.AccessToken.revokeByGrantId.bind(provider.AccessToken);
  provider.AccessToken.revokeByGrantId = async (grantId: string) => {
    await Promise.all([revokeByGrantId(grantId), store.forgetGrant(grantId)]);
  };
}
