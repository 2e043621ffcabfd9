import { html, type SafeHtml } from './html.js';
import type { PageScript } from '../../src/http/page-scripts.js';
import { currentPage, type PageBrand } from '../page/page-context.js';

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
function footer({ links = {} }: PageBrand) {
  const items = [
    [links.support, 'Help'],
    [links.privacy, 'Privacy policy'],
    [links.terms, 'Terms of use'],
  ].filter((item): item is [string, string] => Boolean(item[0]));
  if (items.length === 0) return '';
  return html`<footer class="page-links"><ul>${items.map(([href, label]) => html`<li><a href="${href}">${label}</a></li>`)}</ul></footer>`;
}

/**
 * The frame of every page Gatehouse renders: one same-origin stylesheet, and no scripts but the
 * ones a page names (deferred: they enhance a page that works without them).
 */
export function layout({ title, body, wide = false, full = false, scripts = [] }: LayoutOptions): string {
  const { brand, locale } = currentPage();
  return html`<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title} · ${brand.productName}</title>
<link rel="stylesheet" href="/assets/gatehouse.css">
${brand.stylesheetHref ? html`<link rel="stylesheet" href="${brand.stylesheetHref}">` : ''}
${scripts.map((s) => html`<script src="${s.src}" integrity="${s.integrity}" defer></script>`)}
</head>
<body>
<main class="${full ? 'card full' : wide ? 'card wide' : 'card'}">
<p class="brand">${brand.logoHref ? html`<img class="brand-logo" src="${brand.logoHref}" alt="${brand.productName}">` : brand.productName}</p>
${body}
</main>
${footer(brand)}
</body>
</html>
`.value;
}
