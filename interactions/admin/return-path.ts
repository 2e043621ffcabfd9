import { randomBytes } from 'node:crypto';

/** Where the console may send someone back to: one of its own pages (never the callback itself). */
const CONSOLE_PATH = /^\/admin(?:\/[A-Za-z0-9\-._~%!$&'()*+,;=:@/]*)?(?:\?[A-Za-z0-9\-._~%!$&'()*+,;=:@/?]*)?$/;

export function isConsolePath(path: string): boolean {
  return CONSOLE_PATH.test(path) && !path.includes('//') && !path.toLowerCase().startsWith('/admin/callback');
}

/**
 * The authorization request's `state` carries the console page to return to after sign-in (RFC
 * 6749 §4.1.1 lets the client keep its own state there), after a random part so every request's
 * state differs. Only a console path is ever followed back, so a forged state can at worst open
 * another console page, behind the same gate.
 */
export function stateFor(path: string): string {
  const target = isConsolePath(path) ? path : '/admin';
  return `${randomBytes(12).toString('base64url')}.${Buffer.from(target).toString('base64url')}`;
}

/** The console path a `state` carries, or the Overview when it carries none we would follow. */
export function returnPathOf(state: unknown): string {
  if (typeof state !== 'string') return '/admin';
  const encoded = state.split('.')[1];
  if (!encoded || !/^[A-Za-z0-9_-]{1,2048}$/.test(encoded)) return '/admin';
  const path = Buffer.from(encoded, 'base64url').toString('utf8');
  return isConsolePath(path) ? path : '/admin';
}

/**
 * A change (POST) sent to sign in again comes back to the page that had its form, never replays
 * the change: the Referer (same-origin: our Referrer-Policy sends it) when it is a console page.
 */
export function formPageOf(referer: string, issuerOrigin: string): string {
  try {
    const url = new URL(referer);
    const path = `${url.pathname}${url.search}`;
    return url.origin === issuerOrigin && isConsolePath(path) ? path : '/admin';
  } catch {
    return '/admin';
  }
}
