import type Provider from 'oidc-provider';
import { clientSecretMatches } from '../clients/client-secret.js';

type Comparing = { clientSecret?: string; compareClientSecret(actual: string): boolean | Promise<boolean> };

/**
 * oidc-provider authenticates client_secret_basic and client_secret_post by calling
 * `Client#compareClientSecret` with the secret presented (lib/shared/client_auth.js). Ours stores
 * only a hash of it (client-secret.ts), so the comparison hashes the presented one.
 */
export function compareHashedClientSecrets(provider: Provider): void {
  const prototype = provider.Client.prototype as unknown as Comparing;
  prototype.compareClientSecret = function compareHashed(this: Comparing, actual: string) {
    return clientSecretMatches(this.clientSecret, actual);
  };
}
