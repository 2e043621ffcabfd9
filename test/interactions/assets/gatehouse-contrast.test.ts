import { readFileSync } from 'node:fs';

/**
 * WCAG 2.2 SC 1.4.3 (contrast, minimum, AA): text and its background at least 4.5:1. The colours
 * are read from the shipped stylesheet itself, light (`:root`) and dark (`prefers-color-scheme: dark`),
 * and each pair from the rule that paints it, so a changed rule or colour is measured, not assumed.
 */
const CSS = readFileSync(new URL('../../../interactions/assets/gatehouse.css', import.meta.url), 'utf8');

type Palette = Record<string, string>;

function propertiesIn(block: string): Palette {
  return Object.fromEntries([...block.matchAll(/(--[\w-]+):\s*([^;}]+)/g)].map((m) => [m[1], (m[2] ?? '').trim()]));
}

const light = propertiesIn(/^:root\s*\{([^}]*)\}/m.exec(CSS)?.[1] ?? '');
const dark = {
  ...light,
  ...propertiesIn(/@media \(prefers-color-scheme: dark\)\s*\{\s*:root\s*\{([^}]*)\}/.exec(CSS)?.[1] ?? ''),
};

/** The declarations of the rule whose selector is exactly `selector`. */
function rule(selector: string): Record<string, string> {
  const escaped = selector.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const body = new RegExp(`(?:^|\\n)${escaped}\\s*\\{([^}]*)\\}`).exec(CSS)?.[1];
  if (body === undefined) throw new Error(`No rule for ${selector} in gatehouse.css`);
  return Object.fromEntries(
    body
      .split(';')
      .map((d) => d.split(':').map((s) => s.trim()))
      .filter((d) => d.length === 2 && d[0])
      .map(([k, v]) => [k, v]),
  );
}

function resolve(value: string, palette: Palette): string {
  const named = /^var\((--[\w-]+)\)$/.exec(value);
  const colour = named ? palette[named[1] as string] : value;
  if (!colour) throw new Error(`Unknown colour ${value}`);
  return colour;
}

function channels(hex: string): number[] {
  const full = hex.length === 4 ? `#${[...hex.slice(1)].map((c) => c + c).join('')}` : hex;
  if (!/^#[0-9a-f]{6}$/i.test(full)) throw new Error(`Not a #rrggbb colour: ${hex}`);
  return [1, 3, 5].map((i) => parseInt(full.slice(i, i + 2), 16) / 255);
}

/** Relative luminance, WCAG 2.2 definition (sRGB). */
function luminance(hex: string): number {
  const [r = 0, g = 0, b = 0] = channels(hex).map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi = 0, lo = 0] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** Selectors whose text sits on their own background; a transparent one shows the card (and the page) behind. */
const PAINTED = ['button', 'a.button', 'ul.admin-nav a[aria-current="page"]'];
const ON_CARD = ['button.secondary', 'button.danger', '.alert', 'a', '.muted', '.field-error', 'body'];

describe('the stylesheet reaches WCAG AA contrast (4.5:1) in light and dark mode', () => {
  it('reads the same colours for both schemes, each a #rrggbb value', () => {
    for (const palette of [light, dark]) {
      for (const name of ['--accent', '--on-accent', '--fg', '--muted', '--bg', '--card', '--danger']) {
        expect(palette[name]).toMatch(/^#[0-9a-f]{3}([0-9a-f]{3})?$/i);
      }
    }
    expect(dark['--accent']).not.toBe(light['--accent']);
  });

  it('computes the ratio as WCAG does: black on white is 21:1, and white on the old dark accent failed', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#ffffff', '#7aa2ff')).toBeLessThan(4.5);
  });

  for (const [mode, palette] of [
    ['light', light],
    ['dark', dark],
  ] as const) {
    it.each(PAINTED)(`gives "%s" its own text a readable contrast on its background in ${mode} mode`, (selector) => {
      const { color = 'missing', background = 'missing' } = rule(selector);
      expect(contrast(resolve(color, palette), resolve(background, palette))).toBeGreaterThanOrEqual(4.5);
    });

    it.each(ON_CARD)(`keeps "%s" readable on the card and on the page in ${mode} mode`, (selector) => {
      const declared = rule(selector).color ?? 'missing';
      const text = resolve(declared, palette);
      expect(contrast(text, resolve('var(--card)', palette))).toBeGreaterThanOrEqual(4.5);
      expect(contrast(text, resolve('var(--bg)', palette))).toBeGreaterThanOrEqual(4.5);
    });
  }
});
