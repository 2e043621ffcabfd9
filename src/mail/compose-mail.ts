import type { OutgoingMail } from './mail-transport.js';
import type { MessageCatalogue, MessageKey, MessageValues } from '../i18n/message-catalogue.js';
import { matchLocale } from '../i18n/match-locale.js';
import type { Locale } from '../kernel/supported-locales.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escape = (value: string) => value.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);

/**
 * Who a mail comes from, as people read it (the product's name and the issuer's host), and the
 * words it is written with: the catalogues (`mail.*` keys) and the language used when no better one
 * is known (DEFAULT_LOCALE).
 */
export interface MailBrand {
  readonly productName: string;
  readonly issuer: string;
  readonly messages: MessageCatalogue;
  readonly defaultLocale: Locale;
}

export interface MailContent {
  readonly to: string;
  readonly subject: MessageKey;
  /** Paragraphs of plain text; never a password. */
  readonly paragraphs: readonly MessageKey[];
  /** A button in HTML, the bare URL in text. */
  readonly link?: { readonly label: MessageKey; readonly url: string };
  /** Said after the link (how long it works, what to do if this was not you). */
  readonly after?: readonly MessageKey[];
  /** The messages' placeholders; `{productName}` is always given. */
  readonly values?: MessageValues;
}

/**
 * The language of a mail: the first candidate naming a language we ship (the page's language when
 * a person asked from a page, then the account's stored `locale` claim, which may be a regional tag
 * such as fr-CA), else DEFAULT_LOCALE. It is fixed here, at request time: the outbox carries the
 * mail already written.
 */
export function mailLocale(brand: MailBrand, ...candidates: ReadonlyArray<string | null | undefined>): Locale {
  for (const candidate of candidates) {
    const found = candidate ? matchLocale(candidate) : undefined;
    if (found) return found;
  }
  return brand.defaultLocale;
}

/**
 * A mail in plain text plus simple HTML (no images, no remote content), in one language, signed
 * with the product's name and host. Every sentence is one catalogue message (no glued pieces).
 */
export function composeMail(brand: MailBrand, locale: Locale, content: MailContent): OutgoingMail {
  const translator = brand.messages.translator(locale);
  const values = { ...content.values, productName: brand.productName };
  const say = (key: MessageKey) => translator.format(key, values);
  const host = new URL(brand.issuer).host;
  const signature = translator.format('mail.signature', { productName: brand.productName, host });
  const paragraphs = content.paragraphs.map(say);
  const after = (content.after ?? []).map(say);
  const link = content.link && { label: say(content.link.label), url: content.link.url };
  const text = [...paragraphs, ...(link ? [`${link.label}:\n${link.url}`] : []), ...after, `-- \n${signature}`].join(
    '\n\n',
  );
  const p = (line: string) => `<p>${escape(line)}</p>`;
  const html = `<!doctype html><html lang="${locale}"><body style="font-family:sans-serif;line-height:1.5">
${paragraphs.map(p).join('\n')}
${
  link
    ? `<p><a href="${escape(link.url)}" style="display:inline-block;padding:.5em 1em;background:#1f4fd1;color:#fff;text-decoration:none;border-radius:4px">${escape(link.label)}</a></p>
<p style="font-size:small">${escape(translator.format('mail.openAddress', { url: link.url }))}</p>`
    : ''
}
${after.map(p).join('\n')}
<p style="color:#666;font-size:small">${escape(signature)}</p>
</body></html>`;
  const subject = translator.format('mail.subjectLine', {
    subject: say(content.subject),
    productName: brand.productName,
  });
  return { to: content.to, subject, text, html, language: locale };
}
