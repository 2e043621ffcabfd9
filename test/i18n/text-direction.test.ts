import { textDirection } from '../../src/i18n/text-direction.js';
import { SUPPORTED_LOCALES } from '../../src/kernel/supported-locales.js';

describe("a language's writing direction", () => {
  it('is left to right for every shipped locale', () => {
    for (const locale of SUPPORTED_LOCALES) expect([locale, textDirection(locale)]).toEqual([locale, 'ltr']);
  });

  it('is right to left for Arabic, Hebrew and Persian, so such a catalogue would need no code change', () => {
    expect(['ar', 'he', 'fa'].map(textDirection)).toEqual(['rtl', 'rtl', 'rtl']);
  });
});
