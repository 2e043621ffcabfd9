import { formPageOf, isConsolePath, returnPathOf, stateFor } from '../../interactions/admin/return-path.js';

const ORIGIN = 'https://id.example.com';

describe("the admin console's way back after sign-in", () => {
  it('carries a console page and its query through the state, behind a random part', () => {
    const a = stateFor('/admin/people?q=ada&after=abc');
    const b = stateFor('/admin/people?q=ada&after=abc');
    expect(a).not.toBe(b);
    expect(returnPathOf(a)).toBe('/admin/people?q=ada&after=abc');
  });

  it('follows back only console pages: never another site, another part of this server or the callback', () => {
    const forged = (path: string) => `x.${Buffer.from(path).toString('base64url')}`;
    for (const path of [
      'https://evil.example/admin',
      '//evil.example/admin',
      '/admin//evil.example',
      '/administrator',
      '/account',
      '/admin/callback?code=x',
      '/admin\\evil',
      '/admin/people\nSet-Cookie: x',
    ]) {
      expect([path, isConsolePath(path)]).toEqual([path, false]);
      expect(returnPathOf(forged(path))).toBe('/admin');
    }
    expect(returnPathOf(undefined)).toBe('/admin');
    expect(returnPathOf(['a', 'b'])).toBe('/admin');
    expect(returnPathOf('no-dot')).toBe('/admin');
    expect(stateFor('https://evil.example').endsWith(Buffer.from('/admin').toString('base64url'))).toBe(true);
  });

  it('sends a refused change back to the page that had the form, from a same-origin Referer only', () => {
    expect(formPageOf(`${ORIGIN}/admin/people/abc?done=saved`, ORIGIN)).toBe('/admin/people/abc?done=saved');
    expect(formPageOf('https://evil.example/admin/people', ORIGIN)).toBe('/admin');
    expect(formPageOf(`${ORIGIN}/account`, ORIGIN)).toBe('/admin');
    expect(formPageOf('', ORIGIN)).toBe('/admin');
  });
});
