import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import type { Context } from 'koa';
import { z } from 'zod';
import type { RegistrationService } from '../../src/accounts/registration-service.js';
import type { ReturnToAppCookie } from '../sign-in/return-to-app.js';
import { formGuard } from '../form-guard.js';
import { answerRefusal } from '../answer-refusal.js';
import {
  confirmRegistrationPage,
  registerPage,
  registrationDonePage,
  registrationLinkInvalidPage,
  registrationSentPage,
  registrationUnavailablePage,
  type RegistrationUnavailable,
} from '../views/registration-pages.js';
import { t } from '../page/translate.js';
import { refusalText } from '../refusal-text.js';
import { currentPage } from '../page/page-context.js';

export interface RegistrationRouteDeps {
  readonly issuer: string;
  readonly registration: RegistrationService;
  /** Why registration is off, when it is: shown plainly instead of the form, in the page's language. */
  readonly unavailable?: RegistrationUnavailable;
  readonly domains: readonly string[];
  /** The app's sign-in this browser left to create an account, to return to once it is confirmed. */
  readonly returnTo: ReturnToAppCookie;
}

const uidOf = (value: unknown) =>
  typeof value === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(value) ? value : undefined;
const registerForm = z.object({
  email: z.string().trim().min(1).max(320),
  name: z.string().max(200).optional(),
  password: z.string().min(1).max(4096),
});

/** "Create account" (/register), when REGISTRATION is open or domain and mail is on. */
export function registrationRoutes({
  issuer,
  registration,
  unavailable,
  domains,
  returnTo,
}: RegistrationRouteDeps): Router {
  const router = new Router({ prefix: '/register' });
  const form = bodyParser({ enableTypes: ['form'], formLimit: '16kb' });
  const guard = formGuard(new URL(issuer).origin);

  router.use(async (ctx, next) => {
    ctx.set('Cache-Control', 'no-store');
    if (unavailable) {
      ctx.status = 404;
      ctx.type = 'html';
      ctx.body = registrationUnavailablePage({ reason: unavailable });
      return;
    }
    await next();
  });

  router.get('/', async (ctx) => {
    const uid = uidOf(ctx.query.uid);
    currentPage().preferUiLocales(await returnTo.remember(ctx, uid));
    ctx.type = 'html';
    ctx.body = registerPage({ uid, domains });
  });

  router.post('/', guard, form, async (ctx) => {
    const body = (ctx.request.body ?? {}) as Record<string, unknown>;
    const uid = uidOf(body.uid);
    currentPage().preferUiLocales(await returnTo.uiLocalesOf(uid));
    const parsed = registerForm.safeParse(body);
    ctx.type = 'html';
    if (!parsed.success) {
      ctx.status = 400;
      ctx.body = registerPage({ uid, domains, error: t('register.error.missing') });
      return;
    }
    try {
      await registration.register({
        ...parsed.data,
        ip: ctx.ip,
        userAgent: ctx.get('User-Agent') || undefined,
        // The mail is written in the language of the page the person asked from.
        locale: currentPage().language.locale,
      });
    } catch (error) {
      // register() refuses only for what was typed (never for whether an account exists).
      const message = answerRefusal(ctx, error);
      if (message === undefined) throw error;
      ctx.body = registerPage({
        uid,
        domains,
        name: parsed.data.name,
        email: parsed.data.email,
        error: refusalText(error, message, { password: parsed.data.password, domains }),
      });
      return;
    }
    ctx.body = registrationSentPage({ uid });
  });

  const invalid = (ctx: Context, taken = false) => {
    ctx.status = 400;
    ctx.type = 'html';
    ctx.body = registrationLinkInvalidPage({ taken });
  };

  router.get('/confirm', async (ctx) => {
    const token = typeof ctx.query.token === 'string' ? ctx.query.token : '';
    const opened = await registration.open(token);
    if (!opened) return invalid(ctx);
    ctx.type = 'html';
    ctx.body = confirmRegistrationPage({ token, ...opened });
  });

  router.post('/confirm', guard, form, async (ctx) => {
    const token = (ctx.request.body as { token?: unknown } | undefined)?.token;
    try {
      const done = await registration.confirm(typeof token === 'string' ? token.slice(0, 64) : '', {
        ip: ctx.ip,
        userAgent: ctx.get('User-Agent') || undefined,
      });
      ctx.type = 'html';
      ctx.body = registrationDonePage({ ...done, returnTo: await returnTo.find(ctx) });
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'ERR_LINK_INVALID' || code === 'ERR_EMAIL_TAKEN') return invalid(ctx, code === 'ERR_EMAIL_TAKEN');
      throw error;
    }
  });

  return router;
}
