import { html, type SafeHtml } from './html.js';
import type { PageScript } from '../../src/http/page-scripts.js';
import { currentPage, type PageBrand } from '../page/page-context.js';
import type { PageLanguage } from '../page/page-language.js';
import type { MessageKey } from '../../src/i18n/message-catalogue.js';
import { SUPPORTED_LOCALES } from '../../src/kernel/supported-locales.js';

export interface LayoutOptions {
  readonly title: string;
  readonly body: SafeHtml;
  /** Wider card for tables (the account console). */
  readonly wide?: boolean;
  /** The widest card, for the admin console's tables and navigation. */
  readonly full?: boolean;
  /**
   * Our own scripts this page runs, each already allowed in the response's CSP by its hash
   * (allowPageScript, src/http/page-scripts.ts); the browser checks the file against `integrity`.
   */
  readonly scripts?: ReadonlyArray<Pick<PageScript, 'src' | 'integrity'>>;
}

/** The operator's links (SUPPORT_URL, PRIVACY_POLICY_URL, TERMS_URL) under the card, when any is set. */
function footer({ links = {} }: PageBrand, language: PageLanguage) {
  const t = (key: MessageKey) => language.translator.format(key);
  const items = [
    [links.support, t('layout.footer.support')],
    [links.privacy, t('layout.footer.privacy')],
    [links.terms, t('layout.footer.terms')],
  ].filter((item): item is [string, string] => Boolean(item[0]));
  if (items.length === 0) return '';
  return html`<footer class="page-links"><ul>${items.map(([href, label]) => html`<li><a href="${href}">${label}</a></li>`)}</ul></footer>`;
}

/**
 * The language switcher: each language named in itself (its catalogue's `language.name`), so a
 * person who cannot read the current page still finds theirs. A form, not links: picking a
 * language sets a cookie, a change that takes a POST (language-routes.ts).
 */
function languageSwitcher(language: PageLanguage): SafeHtml {
  const { returnTo } = currentPage();
  const t = (key: MessageKey) => language.translator.format(key);
  return html`<form method="post" action="/language" class="language">
<label for="language-switcher">${t('layout.language.label')}</label>
<select id="language-switcher" name="locale">
${SUPPORTED_LOCALES.map(
  (locale) =>
    html`<option value="${locale}" lang="${locale}"${locale === language.locale ? html` selected` : ''}>${language.nameOf(locale)}</option>`,
)}
</select>
<input type="hidden" name="return_to" value="${returnTo}">
<button type="submit" class="secondary">${t('layout.language.submit')}</button>
</form>`;
}

/**
 * The frame of every page Gatehouse renders: one same-origin stylesheet, and no scripts but the
 * ones a page names (deferred: they enhance a page that works without them). `lang` and `dir` are
 * the page's language (page-language.ts).
 */
export function layout({ title, body, wide = false, full = false, scripts = [] }: LayoutOptions): string {
  // Read after the body was made: whether it was written from the catalogues decides the language.
  const { brand, writtenIn: language } = currentPage();
  return html`<!doctype html>
<html lang="${language.locale}" dir="${language.dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${language.translator.format('layout.title', { page: title, productName: brand.productName })}</title>
<link rel="stylesheet" href="/assets/gatehouse.css">
${brand.stylesheetHref ? html`<link rel="stylesheet" href="${brand.stylesheetHref}">` : ''}
${scripts.map((s) => html`<script src="${s.src}" integrity="${s.integrity}" defer></script>`)}
</head>
<body>
<main class="${full ? 'card full' : wide ? 'card wide' : 'card'}">
<p class="brand">${brand.logoHref ? html`<img class="brand-logo" src="${brand.logoHref}" alt="${brand.productName}">` : brand.productName}</p>
${body}
${languageSwitcher(language)}
</main>
${footer(brand, language)}
</body>
</html>
`.value;
}
