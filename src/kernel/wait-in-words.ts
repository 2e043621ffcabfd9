const count = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

/**
 * A wait in seconds (what a 429's `Retry-After` says, RFC 6585 §4) as the words a page shows, so the
 * page and the header agree: under a minute in seconds, under an hour in minutes, then in hours.
 * Always rounded up: a person told "1 minute" who comes back after 61 seconds must not be refused again.
 */
export function waitInWords(seconds: number): string {
  const { unit, count: n } = waitOf(seconds);
  return count(n, unit);
}

/** The same wait as a unit and a whole count, for a message catalogue to put in words (ICU select and plural). */
export function waitOf(seconds: number): { readonly unit: 'second' | 'minute' | 'hour'; readonly count: number } {
  const whole = Math.max(1, Math.ceil(Number.isFinite(seconds) ? seconds : 1));
  if (whole < 60) return { unit: 'second', count: whole };
  if (whole < 3600) return { unit: 'minute', count: Math.ceil(whole / 60) };
  return { unit: 'hour', count: Math.ceil(whole / 3600) };
}
