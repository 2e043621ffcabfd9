import type { CookiesSetOptions, KoaContextWithOIDC, Session } from 'oidc-provider';

/** How long a session lives from now (session-ttl.ts): the provider's `ttl.Session`. */
export type SessionTtl = (ctx: KoaContextWithOIDC, session: Session) => number;

/** The session cookie's options, the provider's `cookies.long` (provider-configuration.ts). */
export const SESSION_COOKIE = { httpOnly: true, sameSite: 'lax', signed: true } as const;

/**
 * Saves a session that this request made and touched but the provider will not save, and sets its
 * cookie, as oidc-provider's session middleware does (lib/shared/session.js).
 *
 * The case: the code page's error handler (lib/shared/error_handler.js) puts a fresh anti-CSRF
 * value in the session after the session middleware has finished. A browser without a session (a
 * first visit to a mistyped link such as /device/x, or a session that expired while the code page
 * was open) then has one that was never saved, and the provider's last step, `persist()`, throws
 * for it ("persist can only be called on previously persisted Sessions"): a 500 in place of the
 * page, and a form whose anti-CSRF value no cookie leads back to. Saved here, the page answers and
 * the person's second try goes through.
 */
export async function saveUnsavedSession(ctx: KoaContextWithOIDC, ttl: SessionTtl): Promise<void> {
  const session = ctx.oidc.session as (Session & { touched?: boolean }) | undefined;
  // A session read from storage, or saved earlier in this request, has its expiry.
  const saved = (session?.exp as number | undefined) !== undefined;
  if (!session?.touched || saved) return;
  await session.save(ttl(ctx, session));
  // `expires` as the session middleware gives it (the `cookies` package takes it; the types omit it).
  const options = { ...SESSION_COOKIE, expires: new Date(session.exp * 1000) } as CookiesSetOptions;
  ctx.oidc.cookies.set(ctx.oidc.provider.cookieName('session'), session.jti, options);
}
