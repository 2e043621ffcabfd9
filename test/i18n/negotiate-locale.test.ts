import { acceptLanguageTags, negotiateLocale, uiLocaleTags } from '../../src/i18n/negotiate-locale.js';

describe("choosing a page's language", () => {
  it('takes ui_locales from the authorization request first, whatever the person picked or the browser says', () => {
    expect(negotiateLocale({ uiLocales: 'de', picked: 'fr', acceptLanguage: 'ja', fallback: 'en' })).toBe('de');
  });

  it("reads ui_locales' tags in order and takes the first one shipped (OIDC Core §3.1.2.1)", () => {
    expect(negotiateLocale({ uiLocales: 'it ko fr-CA de', fallback: 'en' })).toBe('fr');
    expect(negotiateLocale({ uiLocales: '  zh-TW   zh-CN ', fallback: 'en' })).toBe('zh-Hans');
  });

  it('passes on to the next source when no ui_locales tag is shipped, or ui_locales is not text', () => {
    expect(negotiateLocale({ uiLocales: 'it ko', picked: 'es', fallback: 'en' })).toBe('es');
    expect(negotiateLocale({ uiLocales: ['de'], acceptLanguage: 'ja', fallback: 'en' })).toBe('ja');
  });

  it('takes the language the person picked over the browser', () => {
    expect(negotiateLocale({ picked: 'pt-BR', acceptLanguage: 'ja,en;q=0.5', fallback: 'en' })).toBe('pt-BR');
  });

  it('ignores a picked language that is not shipped (an old or forged cookie)', () => {
    expect(negotiateLocale({ picked: 'tlh', acceptLanguage: 'fr', fallback: 'en' })).toBe('fr');
    expect(negotiateLocale({ picked: '"><script>', fallback: 'de' })).toBe('de');
  });

  it("takes the browser's most wanted shipped language from Accept-Language (RFC 9110 §12.5.4)", () => {
    expect(negotiateLocale({ acceptLanguage: 'it;q=0.9, ja;q=0.8, en;q=0.1', fallback: 'en' })).toBe('ja');
    expect(negotiateLocale({ acceptLanguage: 'de-CH', fallback: 'en' })).toBe('de');
  });

  it("falls back to the operator's DEFAULT_LOCALE when nothing matches", () => {
    expect(negotiateLocale({ fallback: 'es' })).toBe('es');
    expect(negotiateLocale({ uiLocales: 'ko', picked: 'it', acceptLanguage: 'ru, *;q=0.1', fallback: 'fr' })).toBe(
      'fr',
    );
  });
});

describe('reading the sources', () => {
  it("splits ui_locales at spaces, keeping the client's order", () => {
    expect(uiLocaleTags('fr-CA  fr en')).toEqual(['fr-CA', 'fr', 'en']);
    expect(uiLocaleTags(undefined)).toEqual([]);
  });

  it('orders Accept-Language by weight, keeping the header order for equal weights', () => {
    expect(acceptLanguageTags('en;q=0.5, de, fr;q=0.5, ja;q=1')).toEqual(['de', 'ja', 'en', 'fr']);
  });

  it('drops tags weighted 0 (not acceptable) and tags with a malformed weight', () => {
    expect(acceptLanguageTags('de;q=0, fr;q=high, es;q=1.5, ja;Q=0.3')).toEqual(['ja']);
    expect(acceptLanguageTags('')).toEqual([]);
  });
});
