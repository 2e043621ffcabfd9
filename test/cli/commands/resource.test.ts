import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { gatehouse } from '../../support/run-gatehouse.js';

let database: TestDatabase;
let env: Record<string, string>;

interface Listed {
  identifier: string;
  scopes: string[];
  tokenFormat: string;
  accessTokenTtl: number;
  clientId: string;
}
interface ListedClient {
  client_id: string;
  grant_types: string[];
  token_endpoint_auth_method: string;
}

const resources = async () =>
  (await gatehouse(env, 'resource', 'list', '--json')).json<{ resources: Listed[] }>().resources;
const clients = async () =>
  (await gatehouse(env, 'client', 'list', '--json')).json<{ clients: ListedClient[] }>().clients;

beforeAll(async () => {
  database = await createTestDatabase();
  env = { DATABASE_URL: database.url };
});

afterAll(async () => {
  await database.drop();
});

describe('gatehouse resource (APIs that accept our access tokens)', () => {
  it('has --help for add, list and remove, and shows them in the command list', async () => {
    const help = await gatehouse(env, '--help');
    for (const command of ['resource add', 'resource list', 'resource remove']) {
      expect(help.stdout).toContain(command);
      const own = await gatehouse(env, ...command.split(' '), '--help');
      expect({ command, code: own.code }).toEqual({ command, code: 0 });
      expect(own.stdout).toMatch(/Usage: gatehouse resource/);
    }
  });

  it('registers an API and prints exactly its identifier and its own 256-bit credentials', async () => {
    const result = await gatehouse(
      env,
      'resource',
      'add',
      '--identifier',
      'https://api.example.com/',
      '--scope',
      'read write',
      '--json',
    );
    expect(result.code).toBe(0);
    const created = result.json<{ identifier: string; client_id: string; client_secret: string }>();
    expect(Object.keys(created).sort()).toEqual(['client_id', 'client_secret', 'identifier']);
    expect(created.identifier).toBe('https://api.example.com/');
    expect(Buffer.from(created.client_secret, 'base64url')).toHaveLength(32);

    expect(await resources()).toContainEqual(
      expect.objectContaining({
        identifier: 'https://api.example.com/',
        scopes: ['read', 'write'],
        tokenFormat: 'jwt',
        accessTokenTtl: 3600,
        clientId: created.client_id,
      }),
    );
    // Its client can authenticate (client_secret_basic) but obtain nothing: no grant types at all.
    expect(await clients()).toContainEqual(
      expect.objectContaining({
        client_id: created.client_id,
        grant_types: [],
        token_endpoint_auth_method: 'client_secret_basic',
      }),
    );
    const list = await gatehouse(env, 'resource', 'list');
    expect(list.stdout).toContain('https://api.example.com/');
    expect(list.stdout).not.toContain(created.client_secret);
  });

  it('takes an opaque token format, a lifetime, and an http identifier on localhost', async () => {
    const result = await gatehouse(
      env,
      'resource',
      'add',
      '--identifier',
      'http://localhost:8080/api',
      '--scope',
      'ledger:read',
      '--token-format',
      'opaque',
      '--ttl',
      '600',
      '--json',
    );
    expect(result.code).toBe(0);
    expect(await resources()).toContainEqual(
      expect.objectContaining({
        identifier: 'http://localhost:8080/api',
        scopes: ['ledger:read'],
        tokenFormat: 'opaque',
        accessTokenTtl: 600,
      }),
    );
  });

  it('refuses a second API with the same identifier, and leaves no client behind', async () => {
    const before = (await clients()).length;
    const again = await gatehouse(
      env,
      'resource',
      'add',
      '--identifier',
      'https://api.example.com/',
      '--scope',
      'read',
      '--json',
    );
    expect(again.code).toBe(1);
    expect(again.json()).toEqual({
      error: { code: 'ERR_RESOURCE_EXISTS', message: expect.stringMatching(/already exists/) },
    });
    expect(await clients()).toHaveLength(before);
  });

  it.each([
    [['--identifier', 'api.example.com', '--scope', 'read'], /not an absolute URL/],
    [['--identifier', 'http://api.example.com', '--scope', 'read'], /https URL \(http only for localhost\)/],
    [['--identifier', 'https://api.example.com/#v1', '--scope', 'read'], /fragment/],
    [['--identifier', 'https://api.example.com/v2', '--scope', '   '], /at least one scope/],
    [['--identifier', 'https://api.example.com/v2', '--scope', 'read "quoted"'], /RFC 6749 §3.3/],
    [['--identifier', 'https://api.example.com/v2', '--scope', 'read offline_access'], /reserved/],
    [['--identifier', 'https://api.example.com/v2', '--scope', 'read', '--ttl', '59'], /between 60 and 86400/],
    [['--identifier', 'https://api.example.com/v2', '--scope', 'read', '--ttl', '86401'], /between 60 and 86400/],
  ])('refuses invalid input %j with ERR_RESOURCE_INVALID and registers nothing', async (argv, message) => {
    const before = [(await resources()).length, (await clients()).length];
    const result = await gatehouse(env, 'resource', 'add', ...argv, '--json');
    expect(result.code).toBe(1);
    expect(result.json()).toEqual({ error: { code: 'ERR_RESOURCE_INVALID', message: expect.stringMatching(message) } });
    expect([(await resources()).length, (await clients()).length]).toEqual(before);
  });

  it.each([
    [['resource', 'add', '--scope', 'read'], /--identifier is required/],
    [['resource', 'add', '--identifier', 'https://x.example'], /--scope is required/],
    [
      ['resource', 'add', '--identifier', 'https://x.example', '--scope', 'read', '--token-format', 'paseto'],
      /--token-format must be one of jwt, opaque/,
    ],
    [
      ['resource', 'add', '--identifier', 'https://x.example', '--scope', 'read', '--ttl', 'soon'],
      /--ttl must be a positive whole number/,
    ],
    [['resource', 'remove'], /--identifier is required/],
  ])('exits 2 on bad arguments: %j', async (argv, message) => {
    const result = await gatehouse(env, ...argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('removes an API together with its client, and says so once', async () => {
    const { client_id } = (
      await gatehouse(env, 'resource', 'add', '--identifier', 'https://gone.example.com', '--scope', 'x', '--json')
    ).json<{ client_id: string }>();
    const removed = await gatehouse(env, 'resource', 'remove', '--identifier', 'https://gone.example.com', '--json');
    expect(removed.code).toBe(0);
    expect(removed.json()).toEqual({ identifier: 'https://gone.example.com', client_id, removed: true });
    expect((await resources()).map((r) => r.identifier)).not.toContain('https://gone.example.com');
    expect((await clients()).map((c) => c.client_id)).not.toContain(client_id);

    const again = await gatehouse(env, 'resource', 'remove', '--identifier', 'https://gone.example.com', '--json');
    expect(again.code).toBe(1);
    expect(again.json()).toMatchObject({ error: { code: 'ERR_RESOURCE_NOT_FOUND' } });
  });
});

describe("a server's management API, seen from a shell without its ISSUER", () => {
  const SERVER = 'https://id.example.com';
  const MANAGEMENT = `${SERVER}/admin/api`;

  it('cannot be removed, re-scoped or granted to a public client, and the refusal says to set ISSUER', async () => {
    // `gatehouse migrate` with the server's ISSUER makes its management API, as the server's start does.
    expect((await gatehouse({ ...env, ISSUER: SERVER }, 'migrate')).code).toBe(0);
    expect((await resources()).map((r) => r.identifier)).toContain(MANAGEMENT);

    const removed = await gatehouse(env, 'resource', 'remove', '--identifier', MANAGEMENT, '--json');
    expect(removed.code).toBe(1);
    expect(removed.json()).toEqual({
      error: {
        code: 'ERR_RESOURCE_BUILT_IN',
        message: `${MANAGEMENT} may be a server's built-in management API: set ISSUER to your server's issuer URL and run this again`,
      },
    });
    const rescoped = await gatehouse(env, 'resource', 'update', '--identifier', MANAGEMENT, '--scope', 'everything');
    expect(rescoped.code).toBe(1);
    expect(rescoped.stderr).toContain('set ISSUER');
    const granted = await gatehouse(
      env,
      ...['client', 'add', '--name', 'SPA', '--auth-method', 'none', '--redirect-uri', 'https://spa.example/cb'],
      ...['--resource', MANAGEMENT, '--json'],
    );
    expect(granted.code).toBe(1);
    expect(granted.json()).toMatchObject({ error: { code: 'ERR_CLIENT_GRANT_REFUSED' } });
    expect((await resources()).find((r) => r.identifier === MANAGEMENT)?.scopes).toEqual(['admin:read', 'admin:write']);

    // With the server's ISSUER it is the built-in one by name; an API of the operator's stays theirs either way.
    const named = await gatehouse({ ...env, ISSUER: SERVER }, 'resource', 'remove', '--identifier', MANAGEMENT);
    expect(named.stderr).toContain(`${MANAGEMENT} is the built-in management API`);
    const notes = ['--identifier', 'https://notes.example.com'];
    expect((await gatehouse(env, 'resource', 'add', ...notes, '--scope', 'read')).code).toBe(0);
    expect((await gatehouse(env, 'resource', 'remove', ...notes)).code).toBe(0);
  });
});
