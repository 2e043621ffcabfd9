/** Hosts that never leave the machine: the browser and the app share it (RFC 8252 §7.3, §8.3). */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * A web client's redirect URIs use https, except on loopback (development). A code sent over plain
 * http to another host can be read or changed on the way (RFC 9700 §2.1, §4.1.1; OAuth 2.1 §2.3.1;
 * RFC 6749 §3.1.2.1). Native apps keep the provider's RFC 8252 rules (loopback http on any port,
 * private-use schemes), which it enforces when it validates the metadata.
 */
export function assertRedirectUrisAllowed(uris: readonly string[], applicationType: string, fail: (message: string) => Error): void {
  if (applicationType !== 'web') return;
  for (const uri of uris) {
    const url = URL.parse(uri);
    if (url?.protocol === 'http:' && !LOOPBACK_HOSTS.has(url.hostname)) {
      throw fail(`redirect URI ${uri} must use https (plain http is allowed only for localhost, 127.0.0.1 and [::1])`);
    }
  }
}
