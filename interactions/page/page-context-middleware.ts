import type { Middleware } from 'koa';
import { withPageContext, type PageBrand } from './page-context.js';

export interface PageContextDeps {
  readonly brand: PageBrand;
}

/**
 * Sets the current page's context for the rest of the request, error pages and the provider's own
 * screens included (it runs before the error handler). The language is negotiated here too once
 * the catalogues exist; until then every page is English.
 */
export function pageContextMiddleware({ brand }: PageContextDeps): Middleware {
  return (ctx, next) => withPageContext({ brand, locale: 'en' }, next);
}
