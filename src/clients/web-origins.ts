/**
 * The browser origins a public client (a single-page app) may call the token, userinfo and
 * revocation endpoints from. Kept in the client's metadata under this property when set with
 * `--allowed-origin`; otherwise derived from its redirect URIs, since the app that receives the
 * code at a redirect URI runs at that URI's origin (RFC 6454 §4).
 */
export const ALLOWED_ORIGINS = 'allowed_origins';

/** Hosts that never leave the machine (development): plain http is allowed there, as for redirect URIs. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The origin of `uri` when it is an http(s) URL, else undefined (custom schemes have no web origin). */
function originOf(uri: string): string | undefined {
  const url = URL.parse(uri);
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) return undefined;
  return url.origin;
}

/**
 * Why `value` is not a list of web origins, or undefined when it is (or is absent). An origin is
 * scheme, host and optional port, nothing else (RFC 6454 §6.2), and https unless on loopback
 * (RFC 9700 §2.1): a page served over plain http could be changed on the way to read the tokens.
 */
export function allowedOriginsProblem(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) return `${ALLOWED_ORIGINS} must be a list of origins`;
  for (const origin of value) {
    const url = typeof origin === 'string' ? URL.parse(origin) : null;
    if (!url || url.origin !== origin) {
      return `allowed origin ${String(origin)} must be scheme://host[:port] with no path, like https://app.example.com`;
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))) {
      return `allowed origin ${origin} must use https (plain http is allowed only for localhost, 127.0.0.1 and [::1])`;
    }
  }
  return undefined;
}

interface OriginSource {
  readonly redirectUris?: readonly string[];
  readonly redirect_uris?: readonly string[];
  readonly [ALLOWED_ORIGINS]?: readonly string[];
}

/** The client's web origins: those set explicitly, or else those of its http(s) redirect URIs. */
export function webOriginsOf(client: object): string[] {
  const source = client as OriginSource;
  const explicit = source[ALLOWED_ORIGINS];
  if (explicit?.length && allowedOriginsProblem(explicit) === undefined) return [...explicit];
  const uris = source.redirectUris ?? source.redirect_uris ?? [];
  return [...new Set(uris.map(originOf).filter((origin): origin is string => origin !== undefined))];
}

/**
 * oidc-provider's clientBasedCORS: may a browser at `origin` call the token, userinfo or
 * revocation endpoint for this client? Only public clients (`none`), which hold no secret, and
 * only from their own web origins, echoed back, never `*`. A confidential client's secret must
 * never be in a browser (OAuth 2.1 §2.1, RFC 9700 §2.5), so no origin is allowed for one.
 */
export function corsAllowed(origin: string, client: { clientAuthMethod?: string } & object): boolean {
  if (client.clientAuthMethod !== 'none') return false;
  return webOriginsOf(client).includes(origin);
}
