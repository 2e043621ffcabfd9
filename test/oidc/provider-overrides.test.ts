import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OIDC_PROVIDER_CHECKED_VERSION } from '../../src/oidc/provider-overrides.js';

const installedVersion = () =>
  (
    JSON.parse(readFileSync(join(process.cwd(), 'node_modules/oidc-provider/package.json'), 'utf8')) as {
      version: string;
    }
  ).version;

describe('the oidc-provider overrides', () => {
  it('were checked against the oidc-provider that is installed (an upgrade means reading each override again)', () => {
    // On failure: read every override in src/oidc/provider-overrides.ts against the new upstream
    // code it names, then set OIDC_PROVIDER_CHECKED_VERSION to the installed version.
    expect(installedVersion()).toBe(OIDC_PROVIDER_CHECKED_VERSION);
  });
});
