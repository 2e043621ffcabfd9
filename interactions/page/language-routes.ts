import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import { z } from 'zod';
import { SUPPORTED_LOCALES } from '../../src/kernel/supported-locales.js';
import { formGuard } from '../form-guard.js';
import { LANGUAGE_COOKIE, LANGUAGE_COOKIE_MAX_AGE_MS } from './language-cookie.js';

export interface LanguageRouteDeps {
  readonly issuer: string;
}

const pick = z.object({
  locale: z.enum(SUPPORTED_LOCALES),
  return_to: z.string().max(2048).optional(),
});

/**
 * Only a path of our own: an absolute or scheme-relative URL (`//evil.example`, `/\evil.example`,
 * which browsers read as another host) would make the switcher an open redirect.
 */
const ownPath = (target: string | undefined) => (target && /^\/(?![/\\])/.test(target) ? target : '/');

/** POST /language: the switcher on every page (layout.ts) remembers the language picked and goes back. */
export function languageRoutes({ issuer }: LanguageRouteDeps): Router {
  const router = new Router();
  const form = bodyParser({ enableTypes: ['form'], formLimit: '4kb' });
  router.post('/language', formGuard(new URL(issuer).origin), form, (ctx) => {
    const parsed = pick.safeParse(ctx.request.body);
    if (!parsed.success) return ctx.throw(400, `Choose one of the languages offered: ${SUPPORTED_LOCALES.join(', ')}.`);
    ctx.cookies.set(LANGUAGE_COOKIE, parsed.data.locale, {
      maxAge: LANGUAGE_COOKIE_MAX_AGE_MS,
      sameSite: 'lax',
      httpOnly: false,
      secure: ctx.secure,
      overwrite: true,
      // Not signed: a language tag is no secret, and a forged one is ignored when read.
      signed: false,
    });
    ctx.status = 303;
    ctx.redirect(ownPath(parsed.data.return_to));
  });
  return router;
}
