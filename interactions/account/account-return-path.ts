import { randomBytes } from 'node:crypto';

/** The account console pages a sign-in may come back to (the console's own callback never). */
const CONSOLE_PAGES = new Set(['/account', '/account/identities', '/account/passkeys', '/account/mfa']);

/**
 * The console's sign-in request carries the page to come back to in its `state` (RFC 6749 §4.1.1
 * leaves `state` to the client), after a random part so every request's state differs. Only one of
 * the console's own pages is ever followed back, so a forged state can at worst open another of them.
 */
export function accountStateFor(page: string): string {
  const target = CONSOLE_PAGES.has(page) ? page : '/account';
  return `${randomBytes(12).toString('base64url')}.${Buffer.from(target).toString('base64url')}`;
}

/** The console page a `state` carries, or the account page when it carries none we would follow. */
export function accountPageOf(state: unknown): string {
  if (typeof state !== 'string') return '/account';
  const encoded = state.split('.')[1];
  if (!encoded || !/^[A-Za-z0-9_-]{1,64}$/.test(encoded)) return '/account';
  const page = Buffer.from(encoded, 'base64url').toString('utf8');
  return CONSOLE_PAGES.has(page) ? page : '/account';
}
