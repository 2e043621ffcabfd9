import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load-config.js';
import { contrastRatio } from '../../src/config/contrast-ratio.js';

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-brand-'));
const file = (name: string, body: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, body);
  return path;
};
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(32)]);
const SVG =
  '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4" fill="url(#g)"/></svg>';

describe('the brand settings', () => {
  it('are empty when none is set: no logo, colours or CSS, and no footer links', () => {
    expect(loadConfig({}).brand).toEqual({ links: {} });
  });

  it('read a PNG or an SVG logo by its content, whatever the file is called', () => {
    expect(loadConfig({ BRAND_LOGO_FILE: file('logo.svg', PNG) }).brand.logo?.type).toBe('png');
    expect(loadConfig({ BRAND_LOGO_FILE: file('logo.bin', SVG) }).brand.logo?.type).toBe('svg');
  });

  it.each([
    [
      '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
      /BRAND_LOGO_FILE: .* is an SVG with a <script> element: remove it/,
    ],
    ['<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>', /an event handler attribute/],
    [
      '<svg xmlns="http://www.w3.org/2000/svg"><image href="https://tracker.example/p.png"/></svg>',
      /an external reference \(an href/,
    ],
    [
      '<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(https://x.example/a)"/></svg>',
      /an external reference \(a url\(\)/,
    ],
    [
      '<!DOCTYPE svg [<!ENTITY a "b">]><svg xmlns="http://www.w3.org/2000/svg"></svg>',
      /a DOCTYPE or entity declaration/,
    ],
  ])('refuse an unsafe SVG at start, saying what to remove: %s', (svg, message) => {
    expect(() => loadConfig({ BRAND_LOGO_FILE: file('unsafe.svg', svg) })).toThrow(message);
  });

  it('refuse a logo that is not an image, too big, or missing, naming the file', () => {
    const text = file('logo.txt', 'hello');
    expect(() => loadConfig({ BRAND_LOGO_FILE: text })).toThrow(`BRAND_LOGO_FILE: ${text} is neither a PNG nor an SVG`);
    const big = file('big.png', Buffer.concat([PNG, Buffer.alloc(300 * 1024)]));
    expect(() => loadConfig({ BRAND_LOGO_FILE: big })).toThrow(/a logo may be at most 262144 bytes/);
    expect(() => loadConfig({ BRAND_LOGO_FILE: join(dir, 'none.png') })).toThrow(
      /BRAND_LOGO_FILE: cannot read .*none\.png \(ENOENT\)/,
    );
  });

  it('refuse a primary colour that is not a hex colour', () => {
    expect(() => loadConfig({ BRAND_PRIMARY_COLOR: 'green' })).toThrow(
      /BRAND_PRIMARY_COLOR: must be a hex colour such as #0a7d5a/,
    );
  });

  it('refuse a primary colour no button text reaches WCAG AA on, with both ratios in the message', () => {
    expect(() => loadConfig({ BRAND_PRIMARY_COLOR: '#7f7f7f' })).toThrow(
      "BRAND_PRIMARY_COLOR: #7f7f7f leaves button text unreadable: white on it reaches 4.00:1 and #1d232c 3.95:1, below WCAG AA's 4.5:1",
    );
  });

  it('pick the text colour that reaches AA, and a dark-mode colour that reads on a dark card', () => {
    const dark = loadConfig({ BRAND_PRIMARY_COLOR: '#0A5' }).brand.colors;
    expect(dark?.light).toEqual({ primary: '#00aa55', onPrimary: '#1d232c' });
    const navy = loadConfig({ BRAND_PRIMARY_COLOR: '#1b2a6b' }).brand.colors;
    expect(navy?.light).toEqual({ primary: '#1b2a6b', onPrimary: '#ffffff' });
    // Navy on the dark card would be unreadable as link text: it is lightened until it reads.
    expect(contrastRatio(navy?.dark.primary ?? '', '#1a2029')).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(navy?.dark.primary ?? '', navy?.dark.onPrimary ?? '')).toBeGreaterThanOrEqual(4.5);
  });

  it('take extra CSS and https footer links; plain http only on this machine', () => {
    const brand = loadConfig({
      BRAND_CSS_FILE: file('brand.css', '.card { border-radius: 0; }'),
      SUPPORT_URL: 'https://help.example.com',
      PRIVACY_POLICY_URL: 'http://localhost:8080/privacy',
      TERMS_URL: 'https://example.com/terms',
    }).brand;
    expect(brand.css).toBe('.card { border-radius: 0; }');
    expect(brand.links).toEqual({
      support: 'https://help.example.com',
      privacy: 'http://localhost:8080/privacy',
      terms: 'https://example.com/terms',
    });
    expect(() => loadConfig({ TERMS_URL: 'http://example.com/terms' })).toThrow(/TERMS_URL: must use https/);
    expect(() => loadConfig({ SUPPORT_URL: 'javascript:alert(1)' })).toThrow(/SUPPORT_URL: must be an https URL/);
  });
});
