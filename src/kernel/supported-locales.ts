/**
 * The languages Gatehouse's pages and mails are written in (BCP 47 tags, RFC 5646), English first:
 * the fallback for a message missing in another catalogue. One catalogue per tag lives in
 * src/i18n/catalogues/. Kept in the kernel because the config (DEFAULT_LOCALE) is checked against it
 * and stands below src/i18n.
 *
 * Simplified Chinese is `zh-Hans` (script subtag), not `zh-CN` (region): the catalogue is about the
 * writing system, read in mainland China and Singapore alike, and a region tag would wrongly say
 * it is for China only. Browsers send `zh-CN` or `zh-SG`; match-locale.ts maps them here.
 */
export const SUPPORTED_LOCALES = ['en', 'de', 'fr', 'es', 'pt-BR', 'ja', 'zh-Hans'] as const;

export type Locale = (typeof SUPPORTED_LOCALES)[number];

/** The language every other catalogue falls back to, message by message. */
export const FALLBACK_LOCALE: Locale = 'en';

export function isSupportedLocale(tag: unknown): tag is Locale {
  return typeof tag === 'string' && (SUPPORTED_LOCALES as readonly string[]).includes(tag);
}
