import { AsyncLocalStorage } from 'node:async_hooks';
import { createMessageCatalogue, type MessageCatalogue } from '../../src/i18n/message-catalogue.js';
import { RequestLanguage, type PageLanguage } from './page-language.js';

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
  /** The page's language, negotiated when first read (page-language.ts). Views read it through `t`. */
  readonly language: PageLanguage;
  /**
   * The language the page is actually written in, for the layout: the page's language once the
   * view has read a message from it, else English. Pages whose words are not in the catalogues
   * yet are English, and must not claim another `<html lang>` (screen readers would read them
   * with another language's voice).
   */
  readonly writtenIn: PageLanguage;
  /** The BCP 47 tag of the language the page is written in (`<html lang>`): `writtenIn.locale`. */
  readonly locale: string;
  /** Where the language switcher brings the person back to: this page, a path of our own. */
  readonly returnTo: string;
  /** Adds the authorization request's `ui_locales` to the page's language choice (interaction routes). */
  preferUiLocales(uiLocales: unknown): void;
}

/** A page context over a request's language; `returnTo` is read when the switcher is drawn. */
export function pageContextOf(brand: PageBrand, language: RequestLanguage, returnTo: () => string): PageContext {
  let read = false;
  const writtenIn = () => (read ? language.current : language.fallback);
  return {
    brand,
    get language() {
      read = true;
      return language.current;
    },
    get writtenIn() {
      return writtenIn();
    },
    get locale() {
      return writtenIn().locale;
    },
    get returnTo() {
      return returnTo();
    },
    preferUiLocales: (uiLocales) => language.preferUiLocales(uiLocales),
  };
}

/** A request's page context: given, or made the first time something on the request asks for it. */
interface PageSlot {
  made?: PageContext;
  readonly make: () => PageContext;
}

const storage = new AsyncLocalStorage<PageSlot>();

// Outside a request (a unit test rendering a view) pages are plain English under our own name, and
// a message missing from English throws. A fresh context each time: nothing a caller does to one
// (preferUiLocales) reaches the next.
let strictCatalogue: MessageCatalogue | undefined;
const standaloneContext = () =>
  pageContextOf(
    Object.freeze({ productName: 'Gatehouse' }),
    new RequestLanguage((strictCatalogue ??= createMessageCatalogue({ strict: true })), 'en', () => ({})),
    () => '/',
  );

/** The context of the page being rendered now. */
export function currentPage(): PageContext {
  const slot = storage.getStore();
  return slot ? (slot.made ??= slot.make()) : standaloneContext();
}

/** Runs `render` (and everything it awaits) with `context` as the current page's. */
export function withPageContext<T>(context: PageContext, render: () => T): T {
  return storage.run({ made: context, make: () => context }, render);
}

/**
 * The same with the context `make` returns, made once, when a page or error page first asks:
 * most requests (every token endpoint's) render none, and making one each was among the largest
 * allocations of ours on a token request (docs/benchmarks.md, "What each rung allocates").
 */
export function withLazyPageContext<T>(make: () => PageContext, render: () => T): T {
  return storage.run({ make }, render);
}
