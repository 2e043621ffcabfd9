import type { ClientMetadata } from 'oidc-provider';

/**
 * Which clients may hold the management API ({ISSUER}/admin/api): the one named check every way of
 * granting it goes through (client add, update and grant, over the CLI or the API). A public client
 * (`none`) keeps no secret, and the management API takes only client-credentials tokens, which a
 * public client cannot get: granting it would serve nothing but a future mistake. Clients that
 * registered themselves (dynamic registration, a later issue) are refused here too, by adding
 * their mark to this function. Answers why the client may not hold it, or undefined when it may.
 */
export function managementGrantRefusal(metadata: ClientMetadata): string | undefined {
  if ((metadata.token_endpoint_auth_method ?? 'client_secret_basic') === 'none')
    return 'a public client (auth method none) may not be granted the management API';
  return undefined;
}
