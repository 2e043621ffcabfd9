import { SUPPORTED_LOCALES, type Locale } from '../kernel/supported-locales.js';

/** A tag's language and script once the likely subtags are added (Unicode TR 35 §4.3, "Likely Subtags"). */
function languageAndScript(tag: string): string {
  const likely = new Intl.Locale(tag).maximize();
  return `${likely.language}-${likely.script ?? ''}`;
}

// The supported tags, canonical and maximized once: matching then compares strings.
const CANONICAL = new Map(SUPPORTED_LOCALES.map((locale) => [locale.toLowerCase(), locale]));
const BY_LANGUAGE_AND_SCRIPT = new Map(SUPPORTED_LOCALES.map((locale) => [languageAndScript(locale), locale]));

/**
 * The supported locale a BCP 47 tag (RFC 5646) asks for, or undefined. First the tag itself, then
 * any tag written in the same language and script: `de-AT` reads `de`, `pt` and `pt-PT` read
 * `pt-BR`, and `zh`, `zh-CN` and `zh-SG` (likely script Hans) read `zh-Hans`, while `zh-TW`,
 * `zh-HK` and `zh-Hant` (Hant) find nothing: a reader of Traditional Chinese is better served by the
 * next choice than by the other script. Malformed tags, wildcards and private use find nothing.
 */
export function matchLocale(tag: string): Locale | undefined {
  // Every page request matches its browser's tags, and browsers send few distinct ones: each
  // answer is kept, within bounds on both count and length, since the tags come from requests (a
  // header of long junk must not pin megabytes).
  const known = answers.get(tag);
  if (known !== undefined || answers.has(tag)) return known;
  const found = matchUncached(tag);
  if (answers.size < MOST_ANSWERS && tag.length <= LONGEST_KEPT) answers.set(tag, found);
  return found;
}

const MOST_ANSWERS = 512;
/** RFC 5646 §4.4.1: 35 characters hold any tag a registry can give (language, extlang, script, region). */
const LONGEST_KEPT = 35;
const answers = new Map<string, Locale | undefined>();

function matchUncached(tag: string): Locale | undefined {
  let canonical: string;
  try {
    [canonical = ''] = Intl.getCanonicalLocales(tag.trim());
  } catch {
    return undefined; // RangeError: not a well-formed tag
  }
  if (!canonical) return undefined;
  const exact = CANONICAL.get(canonical.toLowerCase());
  if (exact) return exact;
  return BY_LANGUAGE_AND_SCRIPT.get(languageAndScript(canonical));
}
