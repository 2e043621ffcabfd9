import { FALLBACK_LOCALE, type Locale } from '../../src/kernel/supported-locales.js';
import type { MessageCatalogue, Translator } from '../../src/i18n/message-catalogue.js';
import { negotiateLocale, type LocaleChoices } from '../../src/i18n/negotiate-locale.js';
import { textDirection } from '../../src/i18n/text-direction.js';

/** The language a page is written in. */
export interface PageLanguage {
  /** Its BCP 47 tag, for `<html lang>`. */
  readonly locale: Locale;
  /** For `<html dir>`. */
  readonly dir: 'ltr' | 'rtl';
  readonly translator: Translator;
  /** A shipped language's name in that language ("Deutsch", "日本語"), for the switcher. */
  nameOf(locale: Locale): string;
}

function pageLanguageOf(catalogue: MessageCatalogue, locale: Locale): PageLanguage {
  return {
    locale,
    dir: textDirection(locale),
    translator: catalogue.translator(locale),
    nameOf: (other) => catalogue.translator(other).format('language.name'),
  };
}

/** What the request says, read only when a page is rendered (the cookie and Accept-Language). */
export type RequestChoices = () => Omit<LocaleChoices, 'uiLocales' | 'fallback'>;

/**
 * A request's page language, negotiated the first time a page reads it, not per request: the
 * page-context middleware runs for protocol endpoints too, which never render a page (issue 25).
 * The interaction routes add the authorization request's `ui_locales` when they load the
 * interaction (only they can see it), before anything is rendered.
 */
export class RequestLanguage {
  #uiLocales: unknown;
  #chosen: PageLanguage | undefined;

  constructor(
    private readonly catalogue: MessageCatalogue,
    private readonly defaultLocale: Locale,
    private readonly choices: RequestChoices,
  ) {}

  /** The authorization request's `ui_locales` (OIDC Core §3.1.2.1): it wins over every other source. */
  preferUiLocales(uiLocales: unknown): void {
    if (uiLocales === this.#uiLocales) return;
    this.#uiLocales = uiLocales;
    this.#chosen = undefined;
  }

  get current(): PageLanguage {
    if (!this.#chosen) {
      const locale = negotiateLocale({ ...this.choices(), uiLocales: this.#uiLocales, fallback: this.defaultLocale });
      this.#chosen = pageLanguageOf(this.catalogue, locale);
    }
    return this.#chosen;
  }

  /** English, which a page whose words are not in the catalogues yet is written in. */
  get fallback(): PageLanguage {
    return pageLanguageOf(this.catalogue, FALLBACK_LOCALE);
  }
}
