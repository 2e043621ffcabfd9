import type Provider from 'oidc-provider';

/** The provider's codes for its two implicit-flow redirect URI checks (lib/helpers/client_schema.js). */
const LOOPBACK_CHECKS = new Set(['implicit-force-https', 'implicit-forbid-localhost']);

/**
 * A web client registered for `response_type=id_token` (form_post apps) may, like any web client,
 * use http://localhost or a loopback address while in development. The provider refuses plain
 * http and localhost for every implicit-flow web client; our own policy (redirect-uri-policy.ts)
 * already allows plain http only on loopback, so those two checks are waived and every other stays.
 * oidc-provider documents overriding Schema#invalidate for exactly this.
 */
export function allowLoopbackImplicitRedirects(provider: Provider): void {
  const schema = (provider.Client as unknown as { Schema: { prototype: { invalidate(message: string, code?: string): void } } }).Schema;
  const invalidate = schema.prototype.invalidate;
  schema.prototype.invalidate = function invalidateUnlessLoopback(message: string, code?: string) {
    if (code !== undefined && LOOPBACK_CHECKS.has(code)) return;
    invalidate.call(this, message, code);
  };
}
