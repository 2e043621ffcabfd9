import type { MessageKey, MessageValues } from '../../src/i18n/message-catalogue.js';
import { escapeHtml, html, SafeHtml } from '../views/html.js';
import { currentPage } from './page-context.js';

/**
 * A message of the current page's language (src/i18n/catalogues), as plain text: the html`` tag
 * escapes it where it is put, like any other value.
 */
export function t(key: MessageKey, values?: MessageValues): string {
  return currentPage().language.translator.format(key, values);
}

// The markup a message may carry itself: emphasis only. Anything else (a link) is a tag the
// calling view gives a function for, so its attributes are written by code, never by a translator.
const INLINE_TAGS = {
  strong: (chunks: Array<string | SafeHtml>) => html`<strong>${chunks}</strong>`,
  em: (chunks: Array<string | SafeHtml>) => html`<em>${chunks}</em>`,
};

/**
 * A message with markup, as HTML. A sentence that contains markup keeps it in the catalogue as ICU
 * rich-text tags (`to continue to <strong>{clientName}</strong>`, `New here? <link>Create
 * account</link>`), so a translator can move it within the sentence; no sentence is assembled from
 * pieces. Every text part (the message's own words and every string value) is escaped; only tags
 * and SafeHtml values give markup.
 */
export function tHtml(key: MessageKey, values: MessageValues<SafeHtml> = {}): SafeHtml {
  const parts = currentPage().language.translator.formatParts<SafeHtml>(key, { ...INLINE_TAGS, ...values });
  return new SafeHtml(parts.map((part) => (part instanceof SafeHtml ? part.value : escapeHtml(part))).join(''));
}

/** A date (and time) written the current page's way. */
export function formatDate(date: Date, options?: Intl.DateTimeFormatOptions): string {
  return currentPage().language.translator.formatDate(date, options);
}

/** A list of words joined the current page's way ("a, b and c"; "a, b or c" as a disjunction). */
export function formatList(items: readonly string[], type?: 'conjunction' | 'disjunction'): string {
  return currentPage().language.translator.formatList(items, type);
}
