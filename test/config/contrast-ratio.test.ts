import { contrastRatio, normalizeHexColor, relativeLuminance } from '../../src/config/contrast-ratio.js';

describe('the WCAG contrast ratio', () => {
  it('is 21:1 for black on white and 1:1 for a colour on itself, whichever comes first', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#000000')).toBeCloseTo(21, 5);
    expect(contrastRatio('#2b59c3', '#2b59c3')).toBe(1);
  });

  it('matches the figures the issue measured: white on #7aa2ff is 2.49:1, below AA', () => {
    expect(contrastRatio('#7aa2ff', '#ffffff').toFixed(2)).toBe('2.49');
    expect(relativeLuminance('#767676')).toBeCloseTo(0.1812, 3);
  });

  it('reads #rgb and #rrggbb in either case, and nothing else', () => {
    expect(normalizeHexColor('#0A5')).toBe('#00aa55');
    expect(normalizeHexColor('#1B2A6B')).toBe('#1b2a6b');
    expect(normalizeHexColor('blue')).toBeUndefined();
    expect(normalizeHexColor('#12345')).toBeUndefined();
  });
});
