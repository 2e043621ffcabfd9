import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouseJson } from '../support/run-gatehouse.js';
import { UserAgent } from '../support/user-agent.js';
import { relyingParty } from '../support/relying-party.js';
import { walkAuthorization } from '../support/sign-in-flow.js';
import type { Credentials } from '../support/token-endpoint.js';
import { openDirectoryRows } from '../support/directory-rows.js';
import { claimsConfiguration } from '../../src/oidc/claim-scopes.js';

// Issue 19: discovery lists the scopes and claims that exist (OIDC Discovery §3), and a custom scope
// added while the server runs (`gatehouse scope add`, from any process) works from the next refresh
// tick (KEY_REFRESH_SECONDS), which rebuilds the provider as a key rotation does.

const PASSWORD = 'lisp garbage collector';
const REDIRECT = 'https://app.example/cb';

let server: TestServer;
let rows: ReturnType<typeof openDirectoryRows>;
let app: Required<Credentials>;
let ada: string;

beforeAll(async () => {
  server = await startTestServer();
  const env = { DATABASE_URL: server.database.url };
  ada = (await gatehouseJson<{ id: string }>(env, 'user', 'add', '--email', 'ada@example.com', '--password', PASSWORD))
    .id;
  app = await gatehouseJson(env, 'client', 'add', '--name', 'Badge printer', '--redirect-uri', REDIRECT);
  rows = openDirectoryRows(server.database.url);
  await rows.attribute('employee_id', 'string', { [ada]: 'E-1001' });
});

afterAll(async () => {
  await rows?.close();
  await server?.close();
});

const discovery = async () =>
  (await (await fetch(`${server.url}/.well-known/openid-configuration`)).json()) as {
    scopes_supported: string[];
    claims_supported: string[];
  };

async function idTokenFor(scope: string): Promise<Record<string, unknown>> {
  const rp = await relyingParty(server.config.issuer, app, REDIRECT);
  const request = await rp.authorizationRequest({ scope });
  const { callback } = await walkAuthorization(new UserAgent(server.url), request.url, {
    email: 'ada@example.com',
    password: PASSWORD,
    consent: 'allow',
  });
  return (await rp.redeem(callback as URL, request)).claims() ?? {};
}

describe('discovery', () => {
  it('lists the standard scopes and claims we hold, roles and groups among them', async () => {
    const { scopes_supported, claims_supported } = await discovery();
    expect(scopes_supported).toEqual(
      expect.arrayContaining(['openid', 'email', 'profile', 'phone', 'roles', 'groups']),
    );
    expect(claims_supported).toEqual(
      expect.arrayContaining(['given_name', 'family_name', 'locale', 'picture', 'phone_number', 'roles', 'groups']),
    );
  });
});

describe('a custom scope added while the server runs', () => {
  it('is unknown until the next refresh tick (an app asking for it gets none of its claims), then is in discovery and releases its claims', async () => {
    await rows.claimScope('badge', ['employee_id', 'given_name']);
    expect((await discovery()).scopes_supported).not.toContain('badge');
    // Asked for too early: the provider ignores a scope it does not know (OIDC Core §3.1.2.1).
    expect(await idTokenFor('openid badge')).not.toHaveProperty('employee_id');

    expect(await server.running.refreshKeys()).toBe(true);
    const { scopes_supported, claims_supported } = await discovery();
    expect(scopes_supported).toContain('badge');
    expect(claims_supported).toContain('employee_id');
    expect(await idTokenFor('openid badge')).toMatchObject({ employee_id: 'E-1001' });
    // Nothing changed since: the next tick keeps the provider.
    expect(await server.running.refreshKeys()).toBe(false);
  });

  it('is described on the consent page in the words the operator gave it', async () => {
    await rows.claimScope('payroll', ['employee_id'], 'See your employee number');
    await server.running.refreshKeys();
    const rp = await relyingParty(server.config.issuer, app, REDIRECT);
    const request = await rp.authorizationRequest({ scope: 'openid payroll', prompt: 'consent' });
    const { page } = await walkAuthorization(new UserAgent(server.url), request.url, {
      email: 'ada@example.com',
      password: PASSWORD,
    });
    const html = (await page?.text()) ?? '';
    expect(html).toContain('>Allow<');
    expect(html).toContain('See your employee number');
    expect(html).not.toContain('Use the &quot;payroll&quot; permission');
  });

  it('can never take over a scope of ours: one named roles or offline_access is ignored', () => {
    const claims = claimsConfiguration([
      { name: 'roles', claims: ['employee_id'], description: '' },
      { name: 'offline_access', claims: ['employee_id'], description: '' },
    ]);
    expect(claims.roles).toEqual(['roles']);
    expect(claims).not.toHaveProperty('offline_access');
  });
});
