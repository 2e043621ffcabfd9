import { AsyncLocalStorage } from 'node:async_hooks';

/** What every page shows of the operator's brand (issue 24, Brand): extended by the brand settings. */
export interface PageBrand {
  readonly productName: string;
  /** BRAND_LOGO_FILE's URL (hashed, src/http/brand-assets.ts), shown in every page's header. */
  readonly logoHref?: string;
  /** The brand's stylesheet (BRAND_PRIMARY_COLOR, BRAND_CSS_FILE), after gatehouse.css. */
  readonly stylesheetHref?: string;
  /** SUPPORT_URL, PRIVACY_POLICY_URL and TERMS_URL: every page's footer. */
  readonly links?: { readonly support?: string; readonly privacy?: string; readonly terms?: string };
}

/**
 * Who a page is rendered for, set once per request (page-context-middleware.ts) so that the views,
 * pure functions of their view model, need not thread the brand and language through every call.
 */
export interface PageContext {
  readonly brand: PageBrand;
  /** The BCP 47 tag of the language the page is written in (`<html lang>`). */
  readonly locale: string;
}

const storage = new AsyncLocalStorage<PageContext>();

// Outside a request (a unit test rendering a view) pages are plain English under our own name.
const standalone: PageContext = Object.freeze({ brand: Object.freeze({ productName: 'Gatehouse' }), locale: 'en' });

/** The context of the page being rendered now. */
export function currentPage(): PageContext {
  return storage.getStore() ?? standalone;
}

/** Runs `render` (and everything it awaits) with `context` as the current page's. */
export function withPageContext<T>(context: PageContext, render: () => T): T {
  return storage.run(context, render);
}
