/** A logo as read at start: its bytes and what they are (from the bytes, never the file name). */
export interface BrandLogo {
  readonly type: 'svg' | 'png';
  readonly body: Buffer;
}

/** A header logo needs no more; a bigger file is a mistake (a photo), and it is held in memory. */
export const MAX_LOGO_BYTES = 256 * 1024;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * What an SVG may not hold. Shown through <img> a script never runs, but the file is also served
 * at its own URL, where a browser opening it would run it on our origin; and a logo has no reason
 * to fetch anything (an external href or url() would tell another site who views our pages).
 */
const UNSAFE_SVG: ReadonlyArray<readonly [RegExp, string]> = [
  [/<script\b/i, 'a <script> element'],
  [/\son[a-z]+\s*=/i, 'an event handler attribute (on…=)'],
  [/<foreignObject\b/i, 'a <foreignObject> element'],
  [/<!(DOCTYPE|ENTITY)\b/i, 'a DOCTYPE or entity declaration'],
  [/javascript:/i, 'a javascript: URL'],
  [/\bhref\s*=\s*["']\s*(?!#)/i, 'an external reference (an href not starting with #)'],
  [/url\(\s*["']?\s*(?!#)/i, 'an external reference (a url() not starting with #)'],
  [/@import\b/i, 'an @import'],
];

/** The file's logo, or a message saying why it cannot be one. */
export function brandLogoOf(body: Buffer): BrandLogo | { readonly refusal: string } {
  if (body.length > MAX_LOGO_BYTES)
    return { refusal: `is ${body.length} bytes; a logo may be at most ${MAX_LOGO_BYTES} bytes (256 KiB)` };
  if (body.subarray(0, 8).equals(PNG_SIGNATURE)) return { type: 'png', body };
  const text = body.toString('utf8').replace(/^\uFEFF/, '');
  const neither = { refusal: 'is neither a PNG nor an SVG image: give a .png or .svg file' };
  if (!/<svg[\s>]/i.test(text)) return neither;
  const unsafe = UNSAFE_SVG.find(([pattern]) => pattern.test(text));
  if (unsafe) return { refusal: `is an SVG with ${unsafe[1]}: remove it (a logo must be a plain drawing)` };
  // An SVG's root element comes after at most an XML declaration and comments.
  const start = text.replace(/^\s*(<\?xml[^>]*\?>\s*)?(<!--[\s\S]*?-->\s*)*/, '');
  return /^<svg[\s>]/i.test(start) ? { type: 'svg', body } : neither;
}
