import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as oidcProvider from 'oidc-provider';

// src/oidc/guarded-fetch.ts reuses oidc-provider's SSRF guard through an internal module path
// (no public export offers it). These pin that path: an upgrade that moves or renames it fails here
// rather than in an upstream sign-in.
describe("oidc-provider's SSRF guard, reused from its internals", () => {
  it('is still at lib/helpers/fetch_request.js, with both helpers guarded-fetch.ts imports', async () => {
    const internals = await import('oidc-provider/lib/helpers/fetch_request.js');
    expect(typeof internals.applySSRFProtection).toBe('function');
    expect(typeof internals.isSpecialUseIP).toBe('function');
  });

  it('still tells special-use addresses from public ones', async () => {
    const { isSpecialUseIP } = await import('oidc-provider/lib/helpers/fetch_request.js');
    for (const address of ['127.0.0.1', '10.1.2.3', '169.254.169.254', '192.168.0.1', '::1', 'fd00::1'])
      expect(isSpecialUseIP(address)).toBe(true);
    for (const address of ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'])
      expect(isSpecialUseIP(address)).toBe(false);
  });

  it('is reachable by that path (no `exports` map) and not yet offered publicly (else use the public export)', () => {
    const manifest = JSON.parse(
      readFileSync(join(process.cwd(), 'node_modules/oidc-provider/package.json'), 'utf8'),
    ) as { exports?: unknown };
    expect(manifest.exports).toBeUndefined();
    expect(Object.keys(oidcProvider)).not.toEqual(expect.arrayContaining(['applySSRFProtection']));
    expect(Object.keys(oidcProvider)).not.toEqual(expect.arrayContaining(['isSpecialUseIP']));
  });
});
