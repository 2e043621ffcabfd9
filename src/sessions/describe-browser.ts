import UAParser from 'ua-parser-js';

/** "Chrome 156 on Linux" from a User-Agent header, for people to recognise their devices. */
export function describeBrowser(userAgent: string | null | undefined): string {
  if (!userAgent) return 'Unknown browser';
  const { browser, os } = new UAParser(userAgent).getResult();
  const name = [browser.name, browser.major].filter(Boolean).join(' ') || 'Unknown browser';
  const system = [os.name, os.version].filter(Boolean).join(' ');
  return system ? `${name} on ${system}` : name;
}
