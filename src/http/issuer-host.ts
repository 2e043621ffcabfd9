import type { Middleware } from 'koa';

/**
 * Paths answered whatever the Host: orchestrator probes address the pod by IP (kubelet sends
 * `Host: <pod-ip>:<port>`), and these answers hold nothing built from the Host, so a foreign Host
 * cannot poison them.
 */
export const ANY_HOST_PATHS: readonly string[] = ['/healthz', '/readyz'];

/**
 * Answers 421 Misdirected Request (RFC 9110 §15.5.20) to any request not addressed to the issuer's
 * host: the Host header, or X-Forwarded-Host when a trusted proxy forwards it (Koa's `ctx.host`
 * honours it only with TRUST_PROXY). Whatever the provider derives from the request's URL (endpoint
 * URLs in discovery, the audiences it accepts in client assertions, DPoP `htu`) then can only name
 * the issuer, never a host an attacker chose (RFC 9700 §4.1 on mix-up; OIDC Discovery §4.3: the
 * metadata's issuer and endpoints belong to that issuer).
 */
export function issuerHost(issuer: string, anyHostPaths: readonly string[] = ANY_HOST_PATHS): Middleware {
  const expected = new URL(issuer);
  // Not async: a check, then on (every request comes by). The issuer's own host, as sent, is
  // recognised without parsing it again.
  return (ctx, next) => {
    const { host } = ctx;
    if (host !== expected.host && !anyHostPaths.includes(ctx.path) && !addressesIssuer(host, expected)) {
      ctx.throw(421, `This server answers only as ${expected.origin}. Send the request to that address.`, {
        error: 'misdirected_request',
      });
    }
    return next();
  };
}

/** Same host and port as the issuer, default ports and letter case aside (RFC 3986 §6.2.3). */
function addressesIssuer(host: string, issuer: URL): boolean {
  if (!host) return false;
  const received = URL.parse(`${issuer.protocol}//${host}`);
  return (
    received !== null &&
    received.host === issuer.host &&
    received.username === '' &&
    received.password === '' &&
    received.pathname === '/' &&
    received.search === '' &&
    received.hash === ''
  );
}
