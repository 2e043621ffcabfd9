/** The part of Koa's cookie jar this needs (signing uses the app's keys: the provider's cookie keys). */
interface CookieJar {
  get(name: string, options?: { signed?: boolean }): string | undefined;
  set(name: string, value: string, options?: Record<string, unknown>): unknown;
}

/**
 * The remembered-device cookie: its own long-lived cookie, apart from the session's, so signing
 * out keeps the browser remembered. It holds a TrustedDevice id, signed with the cookie keys;
 * the row (bound to one account, revocable, expiring) is what makes it count.
 */
export function rememberedDeviceCookie(secure: boolean) {
  // `__Host-` (RFC 6265bis §4.1.3.2): only set by this origin over HTTPS, path /, no Domain.
  const name = secure ? '__Host-gatehouse.remembered' : 'gatehouse.remembered';
  return {
    name,
    read(cookies: Pick<CookieJar, 'get'>): string | undefined {
      return cookies.get(name, { signed: true }) || undefined;
    },
    write(cookies: Pick<CookieJar, 'set'>, deviceId: string, expiresAt: Date): void {
      cookies.set(name, deviceId, {
        signed: true,
        httpOnly: true,
        sameSite: 'lax',
        secure,
        path: '/',
        expires: expiresAt,
        overwrite: true,
      });
    },
  };
}

export type RememberedDeviceCookie = ReturnType<typeof rememberedDeviceCookie>;
