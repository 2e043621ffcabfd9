import { readdirSync } from 'node:fs';
import { readCatalogueFile } from '../../src/i18n/message-catalogue.js';
import { messageArguments } from '../../src/i18n/message-arguments.js';
import { SUPPORTED_LOCALES } from '../../src/kernel/supported-locales.js';

const english = readCatalogueFile('en');
const translations = SUPPORTED_LOCALES.filter((locale) => locale !== 'en');
const sorted = (items: Iterable<string>) => [...items].sort();

describe('the message catalogues', () => {
  it('are one file per supported locale, and no other', () => {
    const files = readdirSync(new URL('../../src/i18n/catalogues/', import.meta.url));
    expect(sorted(files)).toEqual(sorted(SUPPORTED_LOCALES.map((locale) => `${locale}.json`)));
  });

  it.each(translations)('%s has exactly the keys English has (a missing or extra key is named)', (locale) => {
    const keys = Object.keys(readCatalogueFile(locale));
    expect({ missing: Object.keys(english).filter((key) => !keys.includes(key)) }).toEqual({ missing: [] });
    expect({ extra: keys.filter((key) => !(key in english)) }).toEqual({ extra: [] });
  });

  it.each(SUPPORTED_LOCALES)('%s parses as ICU MessageFormat, message by message', (locale) => {
    const unparsable = Object.entries(readCatalogueFile(locale)).flatMap(([key, message]) => {
      try {
        messageArguments(message, locale);
        return [];
      } catch (error) {
        return [`${key}: ${(error as Error).message}`];
      }
    });
    expect(unparsable).toEqual([]);
  });

  it.each(translations)('%s uses every placeholder, plural argument and tag of English, and no other', (locale) => {
    const catalogue = readCatalogueFile(locale);
    const differences = Object.entries(english).flatMap(([key, message]) => {
      const translation = catalogue[key];
      if (translation === undefined) return [];
      const want = messageArguments(message, 'en');
      const got = messageArguments(translation, locale);
      const wanted = { values: sorted(want.values), tags: sorted(want.tags) };
      const found = { values: sorted(got.values), tags: sorted(got.tags) };
      return JSON.stringify(wanted) === JSON.stringify(found) ? [] : [{ key, english: wanted, [locale]: found }];
    });
    expect(differences).toEqual([]);
  });

  it('keys every message by the page it belongs to (page.part), in English alphabetical order', () => {
    const keys = Object.keys(english);
    expect(keys.filter((key) => !/^[a-z][A-Za-z]*(\.[A-Za-z_]+)+$/.test(key))).toEqual([]);
    expect(keys).toEqual(sorted(keys));
  });
});
