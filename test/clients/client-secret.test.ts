import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse, gatehouseJson } from '../support/run-gatehouse.js';
import { postForm, type Credentials } from '../support/token-endpoint.js';
import { createPrisma, type Db } from '../../src/db/create-prisma.js';

/**
 * Client secrets are kept only as hashes (ASVS 13.3.1, no secret readable from the store) and are
 * compared in constant time; `client rotate-secret` replaces one at once.
 */
const API = 'https://api.example.com/';

let server: TestServer;
let env: Record<string, string>;
let db: Db;

const cli = <T = Credentials>(...argv: string[]) => gatehouseJson<T>(env, ...argv);
const storedPayload = async (clientId: string) =>
  (await db.oidcRecord.findUniqueOrThrow({ where: { model_id: { model: 'Client', id: clientId } } })).payload;

/** client_credentials with the secret in the Authorization header (client_secret_basic). */
const basicToken = (client: Credentials) =>
  postForm(server.url, '/token', client, { grant_type: 'client_credentials', resource: API, scope: 'read' });

/** client_credentials with the secret in the body (client_secret_post, RFC 6749 §2.3.1). */
async function postToken(client: Required<Credentials>) {
  const res = await fetch(`${server.url}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', resource: API, scope: 'read', ...client }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  server = await startTestServer();
  env = { DATABASE_URL: server.database.url };
  db = createPrisma(server.database.url);
  await cli('resource', 'add', '--identifier', API, '--scope', 'read');
});

afterAll(async () => {
  await db.$disconnect();
  await server.close();
});

describe('client secrets at rest (ASVS 13.3.1)', () => {
  it('stores only a hash of the secret, and client_secret_basic works with the secret shown once', async () => {
    const client = await cli<Required<Credentials>>(
      'client',
      'add',
      '--name',
      'Basic',
      '--grant-type',
      'client_credentials',
      '--resource',
      API,
    );
    const payload = await storedPayload(client.client_id);
    expect(payload).not.toContain(client.client_secret);
    expect(JSON.parse(payload).client_secret).toMatch(/^sha256:[\w-]{43}$/);
    expect((await basicToken(client)).status).toBe(200);
  });

  it('authenticates client_secret_post against the hash too, and refuses a wrong secret', async () => {
    const client = await cli<Required<Credentials>>(
      'client',
      'add',
      '--name',
      'Post',
      '--grant-type',
      'client_credentials',
      '--auth-method',
      'client_secret_post',
      '--resource',
      API,
    );
    expect(await storedPayload(client.client_id)).not.toContain(client.client_secret);
    expect((await postToken(client)).status).toBe(200);
    // One character off (never the same one: a secret may well end in "A").
    const last = client.client_secret.slice(-1) === 'A' ? 'B' : 'A';
    const wrong = await postToken({ ...client, client_secret: `${client.client_secret.slice(0, -1)}${last}` });
    expect(wrong).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
  });

  it('refuses the stored hash itself as a secret', async () => {
    const client = await cli<Required<Credentials>>(
      'client',
      'add',
      '--name',
      'Leaked',
      '--grant-type',
      'client_credentials',
      '--resource',
      API,
    );
    const hash = JSON.parse(await storedPayload(client.client_id)).client_secret as string;
    expect((await basicToken({ ...client, client_secret: hash })).body.error).toBe('invalid_client');
  });

  it("keeps a resource server's own secret hashed, and it still authenticates at introspection (RFC 7662 §2.1)", async () => {
    const api = await cli<Required<Credentials>>(
      'resource',
      'add',
      '--identifier',
      'https://ledger.example.com',
      '--scope',
      'ledger:read',
      '--token-format',
      'opaque',
    );
    expect(await storedPayload(api.client_id)).not.toContain(api.client_secret);
    const worker = await cli<Required<Credentials>>(
      'client',
      'add',
      '--name',
      'Ledger worker',
      '--grant-type',
      'client_credentials',
      '--resource',
      'https://ledger.example.com',
    );
    const issued = await postForm(server.url, '/token', worker, {
      grant_type: 'client_credentials',
      resource: 'https://ledger.example.com',
      scope: 'ledger:read',
    });
    const answer = await postForm(server.url, '/token/introspection', api, {
      token: issued.body.access_token as string,
    });
    expect(answer.body).toMatchObject({ active: true, aud: 'https://ledger.example.com' });
  });

  it('advertises no HMAC (HS*) algorithm, since no secret is kept to key one with', async () => {
    const discovery = (await (await fetch(`${server.url}/.well-known/openid-configuration`)).json()) as Record<
      string,
      unknown
    >;
    const algs = Object.entries(discovery)
      .filter(([name]) => name.endsWith('_alg_values_supported'))
      .flatMap(([, values]) => values as string[]);
    expect(algs.length).toBeGreaterThan(0);
    expect(algs.filter((alg) => alg.startsWith('HS'))).toEqual([]);
    expect(discovery.token_endpoint_auth_methods_supported).not.toContain('client_secret_jwt');
  });
});

describe('gatehouse client rotate-secret', () => {
  it('shows a new secret once, which works, while the old one stops working at once', async () => {
    const client = await cli<Required<Credentials>>(
      'client',
      'add',
      '--name',
      'Rotating',
      '--grant-type',
      'client_credentials',
      '--resource',
      API,
    );
    const rotated = await cli<Required<Credentials>>('client', 'rotate-secret', '--client-id', client.client_id);
    expect(rotated.client_id).toBe(client.client_id);
    expect(Buffer.from(rotated.client_secret, 'base64url')).toHaveLength(32);
    expect(rotated.client_secret).not.toBe(client.client_secret);
    expect(await storedPayload(client.client_id)).not.toContain(rotated.client_secret);

    expect((await basicToken(rotated)).status).toBe(200);
    const old = await basicToken(client);
    expect(old).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
  });

  it('refuses a client that has no secret, and an unknown client', async () => {
    const pub = await cli(
      'client',
      'add',
      '--name',
      'Public',
      '--auth-method',
      'none',
      '--redirect-uri',
      'https://spa.example/cb',
    );
    expect(
      (await gatehouse(env, 'client', 'rotate-secret', '--client-id', pub.client_id, '--json')).json(),
    ).toMatchObject({ error: { code: 'ERR_CLIENT_INVALID', message: expect.stringMatching(/not a secret/) } });
    expect((await gatehouse(env, 'client', 'rotate-secret', '--client-id', 'nobody', '--json')).json()).toMatchObject({
      error: { code: 'ERR_CLIENT_NOT_FOUND' },
    });
  });
});

describe('upgrading clients registered before secrets were hashed', () => {
  it('still accepts a secret stored in the clear, and `gatehouse migrate` hashes it in place', async () => {
    const client = await cli<Required<Credentials>>(
      'client',
      'add',
      '--name',
      'Legacy',
      '--grant-type',
      'client_credentials',
      '--resource',
      API,
    );
    // What an earlier release stored: the secret itself.
    const legacy = { ...JSON.parse(await storedPayload(client.client_id)), client_secret: client.client_secret };
    await db.oidcRecord.update({
      where: { model_id: { model: 'Client', id: client.client_id } },
      data: { payload: JSON.stringify(legacy) },
    });
    expect((await basicToken(client)).status).toBe(200);
    expect((await basicToken({ ...client, client_secret: 'wrong' })).status).toBe(401);

    const migrated = await cli<{ hashed_client_secrets: string[] }>('migrate');
    expect(migrated.hashed_client_secrets).toEqual([client.client_id]);
    expect(await storedPayload(client.client_id)).not.toContain(client.client_secret);
    expect((await basicToken(client)).status).toBe(200);
    expect((await cli<{ hashed_client_secrets: string[] }>('migrate')).hashed_client_secrets).toEqual([]);
  });
});
