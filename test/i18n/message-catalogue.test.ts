import { createMessageCatalogue, readCatalogueFile } from '../../src/i18n/message-catalogue.js';
import type { Locale } from '../../src/kernel/supported-locales.js';
import { GatehouseError } from '../../src/kernel/gatehouse-error.js';

const catalogue = createMessageCatalogue({ strict: true });

describe('formatting a message in a language', () => {
  it('puts values into the sentence', () => {
    expect(catalogue.translator('de').format('signIn.cancel', { clientName: 'Notizen' })).toBe(
      'Abbrechen und zu Notizen zurückkehren',
    );
  });

  it("chooses the plural form by the language's rules (CLDR)", () => {
    const en = catalogue.translator('en');
    expect(en.format('signIn.error.throttled', { unit: 'minute', count: 1 })).toBe(
      'Too many failed attempts. Try again in 1 minute.',
    );
    expect(en.format('signIn.error.throttled', { unit: 'second', count: 30 })).toBe(
      'Too many failed attempts. Try again in 30 seconds.',
    );
    expect(catalogue.translator('fr').format('signIn.error.throttled', { unit: 'minute', count: 1 })).toContain(
      '1 minute.',
    );
    expect(catalogue.translator('de').format('signIn.error.throttled', { unit: 'hour', count: 2 })).toContain(
      '2 Stunden',
    );
    expect(catalogue.translator('ja').format('signIn.error.throttled', { unit: 'minute', count: 2 })).toContain(
      '2 分後',
    );
  });

  it("writes numbers, dates and lists the language's way", () => {
    expect(catalogue.translator('de').format('signIn.error.passwordTooLong', { max: 1024 })).toContain('1.024 Zeichen');
    const date = new Date(Date.UTC(2026, 11, 5, 12));
    expect(catalogue.translator('fr').formatDate(date, { dateStyle: 'long', timeZone: 'UTC' })).toBe('5 décembre 2026');
    expect(catalogue.translator('es').formatNumber(1234.5)).toBe('1234,5');
    expect(catalogue.translator('en').formatList(['new browser', 'new network'])).toBe('new browser and new network');
    expect(catalogue.translator('zh-Hans').formatList(['新的浏览器', '新的网络'])).toBe('新的浏览器和新的网络');
  });

  it('writes a message without values the same at every use, in each language its own', () => {
    const [en, de] = [catalogue.translator('en'), catalogue.translator('de')];
    expect([en.format('signIn.title'), de.format('signIn.title'), en.format('signIn.title')]).toEqual([
      'Sign in',
      'Anmelden',
      'Sign in',
    ]);
    // A message with values is written anew at each use: the values count, not the last answer.
    expect(de.format('signIn.cancel', { clientName: 'Notizen' })).toBe('Abbrechen und zu Notizen zurückkehren');
    expect(de.format('signIn.cancel', { clientName: 'Fotos' })).toBe('Abbrechen und zu Fotos zurückkehren');
  });

  it('gives rich-text tags to the caller as parts, to write out as it sees fit', () => {
    const parts = catalogue
      .translator('en')
      .formatParts<{ bold: unknown }>('signIn.lead', { clientName: 'Notes', strong: (chunks) => ({ bold: chunks }) });
    expect(parts).toEqual(['to continue to ', { bold: ['Notes'] }]);
  });
});

describe('a message missing from a catalogue', () => {
  const files: Partial<Record<Locale, Record<string, string>>> = {
    en: {
      'signIn.title': 'Sign in',
      'signIn.error.throttled': readCatalogueFile('en')['signIn.error.throttled'] ?? '',
    },
    de: { 'signIn.title': 'Anmelden' },
  };
  const read = (locale: Locale) => files[locale] ?? {};

  it('is written in English, with English plural rules, never as its key', () => {
    const de = createMessageCatalogue({ strict: true, read }).translator('de');
    expect(de.format('signIn.title')).toBe('Anmelden');
    expect(de.format('signIn.error.throttled', { unit: 'minute', count: 2 })).toBe(
      'Too many failed attempts. Try again in 2 minutes.',
    );
  });

  it('throws in strict mode (tests) when English lacks it too, naming the key', () => {
    const de = createMessageCatalogue({ strict: true, read }).translator('de');
    expect(() => de.format('signIn.submit')).toThrow(GatehouseError);
    expect(() => de.format('signIn.submit')).toThrow('No English message "signIn.submit"');
  });

  it('shows the key and says so outside strict mode, so a page still renders', () => {
    const heard: string[] = [];
    const de = createMessageCatalogue({
      strict: false,
      read,
      onMissing: (key, locale) => heard.push(`${locale} ${key}`),
    });
    expect(de.translator('de').format('signIn.submit')).toBe('signIn.submit');
    expect(heard).toEqual(['de signIn.submit']);
  });

  it('says so at every use, not only the first', () => {
    const heard: string[] = [];
    const de = createMessageCatalogue({ strict: false, read, onMissing: (key) => heard.push(key) }).translator('de');
    expect([de.format('signIn.submit'), de.format('signIn.submit')]).toEqual(['signIn.submit', 'signIn.submit']);
    expect(heard).toEqual(['signIn.submit', 'signIn.submit']);
  });

  it('reads each catalogue file once, whatever the number of messages formatted', () => {
    const reads: string[] = [];
    const counted = createMessageCatalogue({ strict: true, read: (locale) => (reads.push(locale), read(locale)) });
    for (let i = 0; i < 3; i++) counted.translator('de').format('signIn.error.throttled', { unit: 'second', count: i });
    expect(reads).toEqual(['de', 'en']);
  });
});
