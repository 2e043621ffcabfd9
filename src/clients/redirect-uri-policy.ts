/** Hosts that never leave the machine: the browser and the app share it (RFC 8252 §7.3, §8.3). */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * A web client's redirect URIs use https, except on loopback (development). A code sent over plain
 * http to another host can be read or changed on the way (RFC 9700 §2.1, §4.1.1; OAuth 2.1 §2.3.1;
 * RFC 6749 §3.1.2.1). Native apps keep the provider's RFC 8252 rules (loopback http on any port,
 * private-use schemes), which it enforces when it validates the metadata.
 */
function assertRedirectUrisAllowed(
  uris: readonly string[],
  applicationType: string,
  fail: (message: string) => Error,
  label = 'redirect URI',
): void {
  if (applicationType !== 'web') return;
  for (const uri of uris) {
    const url = URL.parse(uri);
    if (url?.protocol === 'http:' && !LOOPBACK_HOSTS.has(url.hostname)) {
      throw fail(`${label} ${uri} must use https (plain http is allowed only for localhost, 127.0.0.1 and [::1])`);
    }
  }
}

interface ClientUris {
  readonly redirect_uris?: readonly string[];
  readonly post_logout_redirect_uris?: readonly string[];
  readonly application_type?: unknown;
}

/**
 * Both lists of a client's browser destinations under the rule above. After logout the browser is
 * sent to a post-logout redirect URI with the `state` the app gave (OIDC RP-Initiated Logout 1.0
 * §3); over plain http to another host that navigation can be read or rewritten on the way, so it
 * gets the same https-or-loopback rule as the redirect URIs (the provider applies its RFC 8252
 * rules for native apps to both lists as well).
 */
export function assertClientUrisAllowed(client: ClientUris, fail: (message: string) => Error): void {
  const applicationType = String(client.application_type ?? 'web');
  assertRedirectUrisAllowed(client.redirect_uris ?? [], applicationType, fail);
  assertRedirectUrisAllowed(client.post_logout_redirect_uris ?? [], applicationType, fail, 'post-logout redirect URI');
}
