import Provider, { errors } from 'oidc-provider';
import { clientSecretMatches } from '../clients/client-secret.js';

type Comparing = { clientAuthMethod?: string; clientSecret?: string; compareClientSecret(actual: string): boolean | Promise<boolean> };

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
 * oidc-provider authenticates client_secret_basic and client_secret_post by calling
 * `Client#compareClientSecret` with the secret presented (lib/shared/client_auth.js). Ours stores
 * only a hash of it (client-secret.ts), so the comparison hashes the presented one.
 *
 * oidc-provider also takes either way of sending the secret for a client registered with the
 * other. The registered `token_endpoint_auth_method` is the one way the client declared it
 * authenticates (RFC 7591 §2), so a secret arriving the other way is refused before it is
 * compared, as the provider refuses every other mismatch, and with the provider's own words.
 */
export function compareHashedClientSecrets(provider: Provider): void {
  const prototype = provider.Client.prototype as unknown as Comparing;
  prototype.compareClientSecret = function compareHashed(this: Comparing, actual: string) {
    const presented = presentedMethod();
    if (presented && presented !== this.clientAuthMethod) {
      throw new errors.InvalidClientAuth('the provided authentication mechanism does not match the registered client authentication method');
    }
    return clientSecretMatches(this.clientSecret, actual);
  };
}
