import { matchLocale } from '../../src/i18n/match-locale.js';

describe('matching a language tag to a shipped catalogue', () => {
  it('takes a supported tag as it is, in any letter case', () => {
    expect(matchLocale('de')).toBe('de');
    expect(matchLocale('PT-br')).toBe('pt-BR');
    expect(matchLocale('zh-hans')).toBe('zh-Hans');
  });

  it('reads a regional variant as its language: de-AT is German, en-GB English, fr-CA French', () => {
    expect(matchLocale('de-AT')).toBe('de');
    expect(matchLocale('en-GB')).toBe('en');
    expect(matchLocale('fr-CA')).toBe('fr');
    expect(matchLocale('es-419')).toBe('es');
    expect(matchLocale('ja-JP')).toBe('ja');
  });

  it('reads Portuguese from anywhere as the Brazilian catalogue', () => {
    expect(matchLocale('pt')).toBe('pt-BR');
    expect(matchLocale('pt-PT')).toBe('pt-BR');
  });

  it('reads Chinese written in Simplified characters as zh-Hans, and Traditional as nothing we ship', () => {
    for (const tag of ['zh', 'zh-CN', 'zh-SG', 'zh-Hans-CN']) expect([tag, matchLocale(tag)]).toEqual([tag, 'zh-Hans']);
    for (const tag of ['zh-TW', 'zh-HK', 'zh-Hant', 'zh-Hant-CN'])
      expect([tag, matchLocale(tag)]).toEqual([tag, undefined]);
  });

  it('finds nothing for a language we do not ship, a wildcard, or a malformed tag', () => {
    for (const tag of ['it', 'ko-KR', '*', '', ' ', 'en_US', 'x-klingon', 'de-', '12', 'a'.repeat(300)]) {
      expect([tag, matchLocale(tag)]).toEqual([tag, undefined]);
    }
  });
});
