import { decodeJwt } from 'jose';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse, gatehouseJson } from '../support/run-gatehouse.js';
import { UserAgent } from '../support/user-agent.js';
import { relyingParty } from '../support/relying-party.js';
import { walkAuthorization } from '../support/sign-in-flow.js';
import { postForm, type Credentials } from '../support/token-endpoint.js';

/**
 * RFC 8707 §2 and RFC 9700 §2.3 (least privilege): a client gets tokens only for the APIs granted
 * to it (`client add --resource`, `client grant`), and only with the scopes granted for each.
 */
const API = 'https://api.example.com/';
const LEDGER = 'https://ledger.example.com';
const EMAIL = 'grace@example.com';
const PASSWORD = 'nanoseconds are 30 cm';
const REDIRECT = 'https://app.example/cb';

interface ClientRow {
  client_id: string;
  resources: Record<string, string[]>;
}

let server: TestServer;
let env: Record<string, string>;

const cli = <T = Credentials>(...argv: string[]) => gatehouseJson<T>(env, ...argv);
const token = (client: Credentials, form: Record<string, string>) => postForm(server.url, '/token', client, form);
const machine = (client: Credentials, resource: string, scope?: string) =>
  token(client, { grant_type: 'client_credentials', resource, ...(scope ? { scope } : {}) });
const scopesOf = (jwt: string) => String(decodeJwt(jwt).scope ?? '');
const listed = async (clientId: string) =>
  (await cli<{ clients: ClientRow[] }>('client', 'list')).clients.find((c) => c.client_id === clientId);

/** Runs the code flow for `client` with this scope and resource; the callback's error, or the tokens. */
async function codeFlow(client: Credentials, scope: string, extra: Record<string, string> = {}) {
  const rp = await relyingParty(server.config.issuer, client as Required<Credentials>, REDIRECT);
  const request = await rp.authorizationRequest({ scope, resource: API, ...extra });
  const { callback, page } = await walkAuthorization(new UserAgent(server.url), request.url, {
    email: EMAIL,
    password: PASSWORD,
    consent: 'allow',
  });
  if (!callback) throw new Error(`the flow stopped at a page: ${await page?.text()}`);
  const error = callback.searchParams.get('error');
  return error ? { error } : { error: undefined, tokens: await rp.redeem(callback, request, { resource: API }) };
}

beforeAll(async () => {
  server = await startTestServer();
  env = { DATABASE_URL: server.database.url };
  await cli('user', 'add', '--email', EMAIL, '--password', PASSWORD);
  await cli('resource', 'add', '--identifier', API, '--scope', 'read write admin');
  await cli('resource', 'add', '--identifier', LEDGER, '--scope', 'ledger:read', '--token-format', 'opaque');
});

afterAll(async () => {
  await server.close();
});

describe('client credentials for granted APIs only (RFC 8707 §2, RFC 9700 §2.3)', () => {
  it('refuses an unrelated client any registered API with invalid_target, worded as for an unknown API', async () => {
    const stranger = await cli('client', 'add', '--name', 'Stranger', '--grant-type', 'client_credentials');
    const refused = await machine(stranger, API, 'read write admin');
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('invalid_target');
    const unknown = await machine(stranger, 'https://nobody.example.com', 'read');
    expect(unknown.body).toEqual(refused.body);
  });

  it('gives a client added with --resource every scope of that API, and no other API', async () => {
    const worker = await cli(
      'client',
      'add',
      '--name',
      'Worker',
      '--grant-type',
      'client_credentials',
      '--resource',
      API,
    );
    const res = await machine(worker, API, 'read write admin');
    expect(res.status).toBe(200);
    expect(scopesOf(res.body.access_token as string)).toBe('read write admin');
    expect((await machine(worker, LEDGER, 'ledger:read')).body.error).toBe('invalid_target');
    expect((await listed(worker.client_id))?.resources).toEqual({ [API]: ['read', 'write', 'admin'] });
  });

  it('refuses with invalid_scope a request naming a scope the client was not granted, and serves the granted ones', async () => {
    const reader = await cli('client', 'add', '--name', 'Reader', '--grant-type', 'client_credentials');
    const granted = await cli<{ scopes: string[] }>(
      'client',
      'grant',
      '--client-id',
      reader.client_id,
      '--resource',
      API,
      '--scope',
      'read',
    );
    expect(granted.scopes).toEqual(['read']);

    const refused = await machine(reader, API, 'read write admin');
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('invalid_scope');
    const ok = await machine(reader, API, 'read');
    expect(ok.status).toBe(200);
    expect(scopesOf(ok.body.access_token as string)).toBe('read');
  });

  it('stops issuing once the grant is revoked, and widens or narrows with client grant', async () => {
    const worker = await cli(
      'client',
      'add',
      '--name',
      'Adjusted',
      '--grant-type',
      'client_credentials',
      '--resource',
      LEDGER,
    );
    expect((await machine(worker, LEDGER, 'ledger:read')).status).toBe(200);
    await cli('client', 'grant', '--client-id', worker.client_id, '--resource', API, '--scope', 'read write');
    expect((await machine(worker, API, 'write')).status).toBe(200);
    expect((await machine(worker, API, 'admin')).body.error).toBe('invalid_scope');

    expect(await cli('client', 'revoke-grant', '--client-id', worker.client_id, '--resource', LEDGER)).toMatchObject({
      revoked: true,
    });
    expect((await machine(worker, LEDGER, 'ledger:read')).body.error).toBe('invalid_target');
    expect((await listed(worker.client_id))?.resources).toEqual({ [API]: ['read', 'write'] });
  });
});

describe('user-facing apps: what is granted to the app and consented to by the user', () => {
  it('sends invalid_target back to an app asking for an API it was not granted', async () => {
    const app = await cli('client', 'add', '--name', 'Ungranted app', '--redirect-uri', REDIRECT);
    expect((await codeFlow(app, 'openid read')).error).toBe('invalid_target');
  });

  it('sends invalid_scope back to an app asking for a scope of the API it was not granted', async () => {
    const app = await cli('client', 'add', '--name', 'Reader app', '--redirect-uri', REDIRECT);
    await cli('client', 'grant', '--client-id', app.client_id, '--resource', API, '--scope', 'read');
    expect((await codeFlow(app, 'openid read write')).error).toBe('invalid_scope');
    const { tokens } = await codeFlow(app, 'openid read');
    expect(scopesOf(tokens?.access_token as string)).toBe('read');
  });

  it('narrows refreshed tokens to the grant as it is now, and refuses the refresh once the API is revoked', async () => {
    const app = await cli(
      'client',
      'add',
      '--name',
      'Offline app',
      '--redirect-uri',
      REDIRECT,
      '--grant-type',
      'authorization_code',
      '--grant-type',
      'refresh_token',
      '--resource',
      API,
    );
    // OIDC Core §11: offline_access needs prompt=consent.
    const { tokens } = await codeFlow(app, 'openid offline_access read write', { prompt: 'consent' });
    expect(scopesOf(tokens?.access_token as string)).toBe('read write');

    await cli('client', 'grant', '--client-id', app.client_id, '--resource', API, '--scope', 'read');
    const narrowed = await token(app, {
      grant_type: 'refresh_token',
      refresh_token: tokens?.refresh_token as string,
      resource: API,
    });
    expect(narrowed.status).toBe(200);
    expect(scopesOf(narrowed.body.access_token as string)).toBe('read');

    await cli('client', 'revoke-grant', '--client-id', app.client_id, '--resource', API);
    const refused = await token(app, {
      grant_type: 'refresh_token',
      refresh_token: narrowed.body.refresh_token as string,
      resource: API,
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('invalid_target');
  });
});

describe('gatehouse client grant / revoke-grant', () => {
  it.each([
    [['--resource', 'https://nobody.example.com'], /no resource with identifier/],
    [['--resource', API, '--scope', 'read delete'], /has no scope delete/],
  ])('refuses a grant of an unknown API or scope: %j', async (argv, message) => {
    const app = await cli('client', 'add', '--name', 'Refused', '--grant-type', 'client_credentials');
    const result = await gatehouse(env, 'client', 'grant', '--client-id', app.client_id, ...argv, '--json');
    expect(result.code).toBe(1);
    expect(result.json()).toEqual({ error: { code: 'ERR_CLIENT_INVALID', message: expect.stringMatching(message) } });
  });

  it('refuses to add a client with an unknown --resource', async () => {
    const result = await gatehouse(
      env,
      'client',
      'add',
      '--name',
      'X',
      '--grant-type',
      'client_credentials',
      '--resource',
      'https://nobody.example.com',
      '--json',
    );
    expect(result.json()).toMatchObject({ error: { code: 'ERR_CLIENT_INVALID' } });
  });

  it('says when there is no grant to revoke', async () => {
    const app = await cli('client', 'add', '--name', 'Nothing', '--grant-type', 'client_credentials');
    const result = await gatehouse(
      env,
      'client',
      'revoke-grant',
      '--client-id',
      app.client_id,
      '--resource',
      API,
      '--json',
    );
    expect(result.json()).toMatchObject({ error: { code: 'ERR_CLIENT_GRANT_NOT_FOUND' } });
  });

  it('shows the grants in the client list, and forgets them when the API is removed', async () => {
    const temp = 'https://temp.example.com';
    await cli('resource', 'add', '--identifier', temp, '--scope', 'x y');
    const app = await cli('client', 'add', '--name', 'Temp', '--grant-type', 'client_credentials', '--resource', temp);
    const text = await gatehouse(env, 'client', 'list');
    expect(text.stdout).toContain(`${temp} (x y)`);
    await cli('resource', 'remove', '--identifier', temp);
    await cli('resource', 'add', '--identifier', temp, '--scope', 'x y');
    expect((await listed(app.client_id))?.resources).toEqual({});
    expect((await machine(app, temp, 'x')).body.error).toBe('invalid_target');
  });
});
