import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import type { Context } from 'koa';
import type { EmailAddressService } from '../../src/accounts/email-address-service.js';
import { formGuard } from '../form-guard.js';
import { mailRequired } from '../mail-required.js';
import { confirmEmailPage, emailConfirmedPage, emailLinkInvalidPage } from '../views/email-pages.js';
import { currentPage } from '../page/page-context.js';

export interface EmailRouteDeps {
  readonly issuer: string;
  readonly emailAddress: EmailAddressService;
  readonly mailEnabled: boolean;
}

/** The links of verification and change mails (/email/verify). */
export function emailRoutes({ issuer, emailAddress, mailEnabled }: EmailRouteDeps): Router {
  const router = new Router({ prefix: '/email' });
  const form = bodyParser({ enableTypes: ['form'], formLimit: '16kb' });
  const guard = formGuard(new URL(issuer).origin);
  const invalid = (ctx: Context, taken = false) => {
    ctx.status = 400;
    ctx.type = 'html';
    ctx.body = emailLinkInvalidPage({ taken });
  };

  router.use(mailRequired(mailEnabled));

  router.get('/verify', async (ctx) => {
    const token = typeof ctx.query.token === 'string' ? ctx.query.token : '';
    const opened = await emailAddress.open(token);
    if (!opened) return invalid(ctx);
    ctx.type = 'html';
    ctx.body = confirmEmailPage({ token, ...opened });
  });

  router.post('/verify', guard, form, async (ctx) => {
    const token = (ctx.request.body as { token?: unknown } | undefined)?.token;
    try {
      const done = await emailAddress.confirm(typeof token === 'string' ? token.slice(0, 64) : '', {
        ip: ctx.ip,
        userAgent: ctx.get('User-Agent') || undefined,
        locale: currentPage().language.locale,
      });
      ctx.type = 'html';
      ctx.body = emailConfirmedPage(done);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'ERR_LINK_INVALID') return invalid(ctx);
      if (code === 'ERR_EMAIL_TAKEN') return invalid(ctx, true);
      throw error;
    }
  });

  return router;
}
