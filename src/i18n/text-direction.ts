/**
 * Which way a locale's script runs, for `<html dir>` (HTML §3.2.6.4): every locale shipped today is
 * left to right, but a catalogue in Arabic or Hebrew needs no code change. The engine knows the
 * direction from CLDR (Intl Locale Info: `getTextInfo()`, `textInfo` in older engines).
 */
export function textDirection(locale: string): 'ltr' | 'rtl' {
  const found = new Intl.Locale(locale) as Intl.Locale & {
    getTextInfo?: () => { direction?: string };
    textInfo?: { direction?: string };
  };
  const info = found.getTextInfo?.() ?? found.textInfo;
  return info?.direction === 'rtl' ? 'rtl' : 'ltr';
}
