import * as oidc from 'openid-client';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouseJson } from '../support/run-gatehouse.js';
import { postForm, type Credentials } from '../support/token-endpoint.js';

const REPORTS = 'https://reports.example.com/';
const LEDGER = 'https://ledger.example.com/';

let server: TestServer;
let env: Record<string, string>;
let reportsApi: Credentials;
let reporter: Credentials;
let narrow: Credentials;
let both: Credentials;
let none: Credentials;

const cli = <T = Credentials>(...argv: string[]) => gatehouseJson<T>(env, ...argv);
const token = (client: Credentials, form: Record<string, string>) =>
  postForm(server.url, '/token', client, { grant_type: 'client_credentials', ...form });
const introspect = (token: string) => postForm(server.url, '/token/introspection', reportsApi, { token });

beforeAll(async () => {
  server = await startTestServer();
  env = { DATABASE_URL: server.database.url };
  reportsApi = await cli(
    'resource',
    'add',
    '--identifier',
    REPORTS,
    '--scope',
    'reports:read reports:write',
    '--token-format',
    'opaque',
  );
  await cli('resource', 'add', '--identifier', LEDGER, '--scope', 'ledger:read');
  reporter = await cli(
    'client',
    'add',
    '--name',
    'Reporter',
    '--grant-type',
    'client_credentials',
    '--resource',
    REPORTS,
  );
  narrow = await cli('client', 'add', '--name', 'Narrow', '--grant-type', 'client_credentials');
  await cli('client', 'grant', '--client-id', narrow.client_id, '--resource', REPORTS, '--scope', 'reports:read');
  both = await cli(
    'client',
    'add',
    '--name',
    'Both',
    '--grant-type',
    'client_credentials',
    '--resource',
    REPORTS,
    '--resource',
    LEDGER,
  );
  none = await cli('client', 'add', '--name', 'None', '--grant-type', 'client_credentials');
});

afterAll(async () => {
  await server.close();
});

describe('client_credentials without scope gets the scopes the client is granted for the API (RFC 6749 §3.3)', () => {
  it('gives every granted scope of the API it names, and the API sees them at introspection', async () => {
    const res = await token(reporter, { resource: REPORTS });
    expect(res.status).toBe(200);
    expect(res.body.scope).toBe('reports:read reports:write');
    expect((await introspect(res.body.access_token as string)).body).toMatchObject({
      active: true,
      aud: REPORTS,
      scope: 'reports:read reports:write',
    });
  });

  it('gives only what was granted when the client was granted part of the API', async () => {
    const res = await token(narrow, { resource: REPORTS });
    expect(res.body.scope).toBe('reports:read');
  });

  it("defaults to the client's one granted API when the request names none (openid-client clientCredentialsGrant with no parameters)", async () => {
    const metadata = (await (
      await fetch(`${server.url}/.well-known/openid-configuration`)
    ).json()) as oidc.ServerMetadata;
    const config = new oidc.Configuration(
      metadata,
      reporter.client_id,
      undefined,
      oidc.ClientSecretBasic(reporter.client_secret as string),
    );
    oidc.allowInsecureRequests(config);
    const tokens = await oidc.clientCredentialsGrant(config);
    expect(tokens.scope).toBe('reports:read reports:write');
    expect((await introspect(tokens.access_token)).body).toMatchObject({
      active: true,
      aud: REPORTS,
      scope: 'reports:read reports:write',
    });
  });

  it('still narrows to the scope asked for when there is one', async () => {
    const res = await token(reporter, { scope: 'reports:read' });
    expect(res.body.scope).toBe('reports:read');
  });

  it('asks a client granted several APIs to name one, with invalid_target', async () => {
    const res = await token(both, {});
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'invalid_target', error_description: expect.stringContaining('resource') });
    expect((await token(both, { resource: LEDGER })).body.scope).toBe('ledger:read');
  });

  it('refuses a client granted no API with invalid_target rather than a token no API accepts', async () => {
    const res = await token(none, {});
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_target');
  });
});
