import type { Context } from 'koa';
import { DEVICE_COOKIE_MAX_AGE_SECONDS, type DeviceCookies, type KnownDevice } from '../src/throttle/device-cookies.js';

/**
 * The device cookie on the wire: HttpOnly, SameSite=Lax, long-lived, and `Secure` with a `__Host-`
 * name whenever the issuer is https (like the session cookie). Written by hand rather than through
 * ctx.cookies, which refuses `Secure` on a request it believes to be plain http.
 */
export function deviceCookie(issuer: string, cookies: DeviceCookies) {
  const secure = issuer.startsWith('https:');
  const name = `${secure ? '__Host-' : ''}gatehouse.device`;
  return {
    /** The browser's known device, when it holds a valid device cookie. */
    read: (ctx: Context): Promise<KnownDevice | undefined> => cookies.verify(ctx.cookies.get(name)),

    /** Marks this browser as one `accountId` signed in from (OWASP device cookies: issued on success). */
    async remember(ctx: Context, accountId: string): Promise<void> {
      const token = await cookies.issue(accountId);
      ctx.append(
        'Set-Cookie',
        `${name}=${token}; Path=/; Max-Age=${DEVICE_COOKIE_MAX_AGE_SECONDS}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`,
      );
    },
  };
}
