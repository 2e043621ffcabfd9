import type { Locale } from '../kernel/supported-locales.js';
import { matchLocale } from './match-locale.js';

/** What a request says about the language a page should be in, in the order it is asked. */
export interface LocaleChoices {
  /** The authorization request's `ui_locales` (OIDC Core §3.1.2.1): tags separated by spaces, preferred first. */
  readonly uiLocales?: unknown;
  /** The language the person picked with the switcher, remembered in the `gatehouse_locale` cookie. */
  readonly picked?: string;
  /** The browser's `Accept-Language` header (RFC 9110 §12.5.4). */
  readonly acceptLanguage?: string;
  /** DEFAULT_LOCALE: when nothing above matches. */
  readonly fallback: Locale;
}

// A header of hundreds of tags is no browser's; reading the first few is enough and stays cheap.
const MOST_TAGS = 20;

/** `ui_locales`' tags in the order given; anything but a string gives none. */
export function uiLocaleTags(uiLocales: unknown): string[] {
  return typeof uiLocales === 'string' ? uiLocales.split(' ').filter(Boolean).slice(0, MOST_TAGS) : [];
}

/**
 * `Accept-Language`'s tags, most wanted first (RFC 9110 §12.4.2: q from 0 to 1, default 1, 0 means
 * "not acceptable"; equal weights keep the header's order). Malformed weights drop their tag.
 */
export function acceptLanguageTags(header: string | undefined): string[] {
  if (!header) return [];
  const weighted: Array<{ tag: string; q: number; at: number }> = [];
  for (const [at, entry] of header.split(',').slice(0, MOST_TAGS).entries()) {
    const [tag = '', ...params] = entry.split(';').map((part) => part.trim());
    const qParam = params.find((p) => /^q=/i.test(p));
    const q =
      qParam === undefined ? 1 : /^q=(0(\.\d{0,3})?|1(\.0{0,3})?)$/i.test(qParam) ? Number(qParam.slice(2)) : NaN;
    if (tag && q > 0) weighted.push({ tag, q, at });
  }
  return weighted.sort((a, b) => b.q - a.q || a.at - b.at).map((w) => w.tag);
}

/**
 * The page's language (issue 24's choice order): the client's `ui_locales` first, as the app the
 * person came from knows its own language; then the person's own pick; then the browser's; then the
 * operator's default. Each source's tags are matched in order (match-locale.ts); a source whose
 * tags match nothing we ship passes to the next.
 */
export function negotiateLocale({ uiLocales, picked, acceptLanguage, fallback }: LocaleChoices): Locale {
  for (const tag of uiLocaleTags(uiLocales)) {
    const found = matchLocale(tag);
    if (found) return found;
  }
  const pickedLocale = picked ? matchLocale(picked) : undefined;
  if (pickedLocale) return pickedLocale;
  for (const tag of acceptLanguageTags(acceptLanguage)) {
    const found = matchLocale(tag);
    if (found) return found;
  }
  return fallback;
}
