import type { Context, Middleware } from 'koa';
import type { Locale } from '../../src/kernel/supported-locales.js';
import type { MessageCatalogue } from '../../src/i18n/message-catalogue.js';
import { pageContextOf, withLazyPageContext, type PageBrand } from './page-context.js';
import { RequestLanguage } from './page-language.js';
import { LANGUAGE_COOKIE } from './language-cookie.js';

export interface PageContextDeps {
  readonly brand: PageBrand;
  readonly messages: MessageCatalogue;
  /** DEFAULT_LOCALE. */
  readonly defaultLocale: Locale;
}

/**
 * Where the switcher brings the person back: this page when it was opened with GET; after a form
 * post, the page the form was on (its Referer, when it is ours), else the start.
 */
function returnToOf(ctx: Context): string {
  if (ctx.method === 'GET' || ctx.method === 'HEAD') return ctx.originalUrl;
  const referer = URL.parse(ctx.get('Referer'));
  return referer && referer.origin === ctx.origin ? `${referer.pathname}${referer.search}` : '/';
}

/**
 * Sets the current page's context for the rest of the request, error pages and the provider's own
 * screens included (it runs before the error handler). It only sets it up: the context is made,
 * and the language negotiated (page-language.ts), when a page is rendered, so protocol endpoints
 * pay next to nothing for it.
 */
export function pageContextMiddleware({ brand, messages, defaultLocale }: PageContextDeps): Middleware {
  return (ctx, next) =>
    withLazyPageContext(() => {
      const language = new RequestLanguage(messages, defaultLocale, () => ({
        picked: ctx.cookies.get(LANGUAGE_COOKIE, { signed: false }),
        acceptLanguage: ctx.get('Accept-Language'),
      }));
      return pageContextOf(brand, language, () => returnToOf(ctx));
    }, next);
}
