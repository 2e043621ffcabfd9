import type { Context } from 'koa';
import { ATTEMPT_TTL_MS } from '../../src/connections/upstream-sign-in.js';

/**
 * Binds a trip to another provider to the browser that left (RFC 9700 §4.7, login CSRF): set when
 * leaving, required on the way back. Path / since both the sign-in (/interaction) and the console
 * (/account/identities) finish trips; HttpOnly, SameSite=Lax (the way back is a top-level GET from
 * the provider's site), Secure with a `__Secure-` name on https. Written by hand, like the device cookie.
 */
export function upstreamBindingCookie(issuer: string) {
  const secure = issuer.startsWith('https:');
  const name = `${secure ? '__Secure-' : ''}gatehouse.upstream`;
  return {
    // Not signed (its value is a random secret whose hash the attempt keeps): read as such, also
    // where the app has cookie keys (the provider's own requests, src/boot/container.ts).
    read: (ctx: Pick<Context, 'cookies'>) => ctx.cookies.get(name, { signed: false }),
    set: (ctx: Context, value: string) =>
      ctx.append(
        'Set-Cookie',
        `${name}=${value}; Path=/; Max-Age=${ATTEMPT_TTL_MS / 1000}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`,
      ),
  };
}
