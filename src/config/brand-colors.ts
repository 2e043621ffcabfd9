import { contrastRatio, towardsWhite } from './contrast-ratio.js';

/** WCAG 2.2 §1.4.3 (level AA): normal-size text needs 4.5:1 against what is behind it. */
export const AA_TEXT_CONTRAST = 4.5;

/** The two text colours a button may carry: white, or the near-black of our light theme's text. */
export const LIGHT_TEXT = '#ffffff';
export const DARK_TEXT = '#1d232c';

/** The dark theme's card (interactions/assets/gatehouse.css): where the primary colour is also link text. */
const DARK_CARD = '#1a2029';

/** A primary colour and the text colour on it. */
export interface ColorPair {
  readonly primary: string;
  readonly onPrimary: string;
}

/** What BRAND_PRIMARY_COLOR becomes: one pair for light mode, one for dark (prefers-color-scheme). */
export interface BrandColors {
  readonly light: ColorPair;
  readonly dark: ColorPair;
}

/** The text colour that reads best on `primary`, if it reaches AA; undefined when neither does. */
function textOn(primary: string): string | undefined {
  const white = contrastRatio(primary, LIGHT_TEXT);
  const dark = contrastRatio(primary, DARK_TEXT);
  const [text, ratio] = white >= dark ? [LIGHT_TEXT, white] : [DARK_TEXT, dark];
  return ratio >= AA_TEXT_CONTRAST ? text : undefined;
}

const ratioOf = (a: string, b: string) => contrastRatio(a, b).toFixed(2);

/**
 * The brand's colours, or a message saying why `primary` cannot be used. Buttons carry their label
 * on the primary colour, so one of the two text colours must reach AA on it. In dark mode the
 * primary colour is also the links' colour on a dark card: it is kept when it reaches AA there, and
 * lightened step by step until it does otherwise (its text colour chosen again).
 */
export function brandColorsOf(primary: string): BrandColors | { readonly refusal: string } {
  const onPrimary = textOn(primary);
  if (!onPrimary) {
    return {
      refusal:
        `${primary} leaves button text unreadable: white on it reaches ${ratioOf(primary, LIGHT_TEXT)}:1 and ` +
        `${DARK_TEXT} ${ratioOf(primary, DARK_TEXT)}:1, below WCAG AA's ${AA_TEXT_CONTRAST}:1; ` +
        'choose a darker or a lighter colour',
    };
  }
  let dark = primary;
  for (let step = 1; step <= 20 && contrastRatio(dark, DARK_CARD) < AA_TEXT_CONTRAST; step += 1) {
    dark = towardsWhite(primary, step / 20);
  }
  // Lightened towards white, the near-black text always reads on it.
  return { light: { primary, onPrimary }, dark: { primary: dark, onPrimary: textOn(dark) ?? DARK_TEXT } };
}
