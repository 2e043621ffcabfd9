import { readFileSync } from 'node:fs';
import IntlMessageFormat, { type FormatXMLElementFn, type PrimitiveType } from 'intl-messageformat';
import { FALLBACK_LOCALE, type Locale } from '../kernel/supported-locales.js';
import { GatehouseError } from '../kernel/gatehouse-error.js';
import type englishCatalogue from './catalogues/en.json';

/** Every message's key: English is the reference catalogue, so a key it lacks does not compile. */
export type MessageKey = keyof typeof englishCatalogue;

/**
 * What a message's placeholders take: text and numbers (ICU `{name}`, `{count, plural, …}`), dates,
 * and for rich-text tags (`<strong>…</strong>`) a function of the tag's contents.
 */
export type MessageValues<T = never> = Record<string, PrimitiveType | T | FormatXMLElementFn<T, T>>;

/** A catalogue's messages in one language, formatted with that language's rules (plurals, numbers, dates). */
export interface Translator {
  readonly locale: Locale;
  /** The message as plain text. It may carry no rich-text tags. */
  format(key: MessageKey, values?: MessageValues): string;
  /**
   * The message as parts: literal text and plain values are strings, the rest is what `values`
   * gave (a tag function's result, say): the caller decides how each kind is written out.
   */
  formatParts<T>(key: MessageKey, values: MessageValues<T>): Array<string | T>;
  /** A list of words joined the language's way ("a, b and c", "a、b、c"; "a, b or c" as a disjunction). */
  formatList(items: readonly string[], type?: 'conjunction' | 'disjunction'): string;
  formatDate(date: Date, options?: Intl.DateTimeFormatOptions): string;
  formatNumber(value: number, options?: Intl.NumberFormatOptions): string;
}

export interface MessageCatalogue {
  translator(locale: Locale): Translator;
}

export interface MessageCatalogueOptions {
  /**
   * A key missing from English throws (ERR_MESSAGE_MISSING): unit tests of views and of the
   * catalogue run so. Off, the key itself is shown and `onMissing` hears of it, so a page still
   * renders in production; MessageKey's type keeps that from happening in typed code.
   */
  readonly strict: boolean;
  readonly onMissing?: (key: string, locale: Locale) => void;
  /** Where a catalogue's messages come from: its file beside this module unless given. */
  readonly read?: (locale: Locale) => Readonly<Record<string, string>>;
}

/** One catalogue's file: flat, dotted keys namespaced by page (`signIn.title`), ICU MessageFormat values. */
export function readCatalogueFile(locale: Locale): Readonly<Record<string, string>> {
  // Beside this module, in src/ and in dist/ alike (scripts/build.js copies the folder).
  const parsed: unknown = JSON.parse(readFileSync(new URL(`./catalogues/${locale}.json`, import.meta.url), 'utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new GatehouseError('ERR_INTERNAL', `The ${locale} catalogue is not a JSON object of messages.`);
  }
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value !== 'string') {
      throw new GatehouseError('ERR_INTERNAL', `The ${locale} catalogue's "${key}" is not a string.`);
    }
  }
  return Object.freeze(parsed as Record<string, string>);
}

/**
 * The message catalogues, built once at boot. A catalogue file is read when its language is first
 * asked for, and each message is compiled (parsed into ICU's syntax tree) once per locale and key:
 * the rest of a page's rendering is formatting only, and a message without values (most of a
 * page's words) is formatted once per locale and then read back: the sign-in page's thirty-odd
 * `t()` calls were its largest cost of ours after the statements. A message missing in a catalogue
 * is written in English, with English's rules, never as its key.
 */
export function createMessageCatalogue({
  strict,
  onMissing,
  read = readCatalogueFile,
}: MessageCatalogueOptions): MessageCatalogue {
  const files = new Map<Locale, Readonly<Record<string, string>>>();
  // Per locale, by key: no key string is built per look-up.
  const compiled = new Map<Locale, Map<string, IntlMessageFormat>>();
  const translators = new Map<Locale, Translator>();

  const messagesOf = (locale: Locale) => {
    let found = files.get(locale);
    if (!found) files.set(locale, (found = read(locale)));
    return found;
  };

  const compile = (locale: Locale, key: string): IntlMessageFormat | undefined => {
    let ofLocale = compiled.get(locale);
    if (!ofLocale) compiled.set(locale, (ofLocale = new Map()));
    let found = ofLocale.get(key);
    if (found) return found;
    const source = messagesOf(locale)[key];
    if (source !== undefined) {
      found = new IntlMessageFormat(source, locale);
    } else if (locale !== FALLBACK_LOCALE) {
      found = compile(FALLBACK_LOCALE, key);
    } else if (strict) {
      throw new GatehouseError('ERR_MESSAGE_MISSING', `No English message "${key}" in src/i18n/catalogues/en.json.`);
    }
    if (found) ofLocale.set(key, found);
    return found;
  };

  const messageOf = (locale: Locale, key: string) => {
    const found = compile(locale, key);
    if (!found) onMissing?.(key, locale);
    return found;
  };

  const build = (locale: Locale): Translator => {
    const lists = {
      conjunction: new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' }),
      disjunction: new Intl.ListFormat(locale, { style: 'long', type: 'disjunction' }),
    };
    // A missing message is not kept: each use tells onMissing again.
    const plain = new Map<string, string>();
    return Object.freeze({
      locale,
      format(key: MessageKey, values?: MessageValues) {
        if (values === undefined) {
          const known = plain.get(key);
          if (known !== undefined) return known;
        }
        const message = messageOf(locale, key);
        if (!message) return key;
        const text = String(message.format(values));
        if (values === undefined) plain.set(key, text);
        return text;
      },
      formatParts<T>(key: MessageKey, values: MessageValues<T>): Array<string | T> {
        const message = messageOf(locale, key);
        if (!message) return [key];
        const out = message.format<T>(values);
        return Array.isArray(out) ? out : [out];
      },
      formatList: (items: readonly string[], type: 'conjunction' | 'disjunction' = 'conjunction') =>
        lists[type].format(items),
      formatDate: (date: Date, options?: Intl.DateTimeFormatOptions) =>
        new Intl.DateTimeFormat(locale, options).format(date),
      formatNumber: (value: number, options?: Intl.NumberFormatOptions) =>
        new Intl.NumberFormat(locale, options).format(value),
    });
  };

  return {
    translator(locale) {
      let found = translators.get(locale);
      if (!found) translators.set(locale, (found = build(locale)));
      return found;
    },
  };
}
