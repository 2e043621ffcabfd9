import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { gatehouse, gatehouseWithStdin, pipedStdin } from '../../support/run-gatehouse.js';
import { createDatabase } from '../../../src/db/create-prisma.js';

let database: TestDatabase;
let env: Record<string, string>;

interface Listed {
  name: string;
  type: string;
  issuer: string;
  clientId: string;
  scope: string;
  buttonLabel: string;
  autoCreate: boolean;
  domains: string[];
  trustUpstreamMfa: boolean;
}

const list = async () =>
  (await gatehouse(env, 'connection', 'list', '--json')).json<{ connections: Listed[]; redirectUri: string }>();

beforeAll(async () => {
  database = await createTestDatabase();
  env = { DATABASE_URL: database.url };
});

afterAll(async () => {
  await database.drop();
});

describe('gatehouse connection (other identity providers people sign in with)', () => {
  it('has --help for add, update, list and remove, naming the redirect URI to register', async () => {
    const help = await gatehouse(env, '--help');
    for (const command of ['connection add', 'connection update', 'connection list', 'connection remove']) {
      expect(help.stdout).toContain(command);
      expect((await gatehouse(env, ...command.split(' '), '--help')).code).toBe(0);
    }
    expect((await gatehouse(env, 'connection', 'add', '--help')).stdout).toContain('/interaction/upstream/callback');
  });

  it('adds a provider with its secret from stdin, sealed with the KEK, and lists it without the secret', async () => {
    const added = await gatehouseWithStdin(
      env,
      pipedStdin('upstream-secret-value\n'),
      'connection',
      'add',
      '--name',
      'Acme SSO',
      '--issuer',
      'https://sso.acme.example',
      '--client-id',
      'gatehouse',
      '--client-secret-stdin',
      '--domains',
      'Acme.example,acme.test',
      '--json',
    );
    expect(added.code).toBe(0);
    expect(added.stdout).not.toContain('upstream-secret-value');
    expect(added.json()).toMatchObject({
      name: 'Acme SSO',
      type: 'oidc',
      scope: 'openid email profile',
      buttonLabel: 'Acme SSO',
      autoCreate: false,
      trustUpstreamMfa: false,
      domains: ['acme.example', 'acme.test'],
      redirectUri: expect.stringMatching(/\/interaction\/upstream\/callback$/),
    });

    const listed = await list();
    expect(listed.connections).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain('upstream-secret-value');

    // At rest the secret is sealed (AES-GCM, bound to the row), not stored as given.
    const { db, close } = createDatabase(database.url);
    try {
      const row = await db.connection.findFirstOrThrow({ where: { name: 'Acme SSO' } });
      expect(row.clientSecretSealed).not.toContain('upstream-secret-value');
      expect(row.clientSecretSealed.startsWith('v1.')).toBe(true);
      const events = await db.auditEvent.findMany({ where: { type: 'admin.connection.added' } });
      expect(events).toHaveLength(1);
    } finally {
      await close();
    }
  });

  it('refuses a plain-http issuer off loopback, an OIDC scope without openid and a second connection of the same name', async () => {
    const add = (...args: string[]) =>
      gatehouseWithStdin(
        env,
        pipedStdin('s\n'),
        'connection',
        'add',
        '--client-id',
        'x',
        '--client-secret-stdin',
        ...args,
      );
    const http = await add('--name', 'Plain', '--issuer', 'http://sso.example');
    expect(http.code).not.toBe(0);
    expect(http.stderr).toContain('must use https');
    const scope = await add('--name', 'NoOpenid', '--issuer', 'https://sso.example', '--scope', 'email');
    expect(scope.stderr).toContain('--scope must include openid');
    const twice = await add('--name', 'Acme SSO', '--issuer', 'https://sso.example');
    expect(twice.stderr).toContain('already exists');
    const noSecret = await gatehouse(
      env,
      'connection',
      'add',
      '--name',
      'N',
      '--issuer',
      'https://a.example',
      '--client-id',
      'x',
    );
    expect(noSecret.code).toBe(2);
  });

  it('updates what is given (GitHub preset defaults to github.com) and removes a connection, audited', async () => {
    const github = await gatehouseWithStdin(
      env,
      pipedStdin('gh-secret\n'),
      'connection',
      'add',
      '--name',
      'GitHub',
      '--type',
      'github',
      '--client-id',
      'Iv1.abc',
      '--client-secret-stdin',
      '--json',
    );
    expect(github.json()).toMatchObject({ issuer: 'https://github.com', scope: 'read:user user:email' });

    const updated = await gatehouse(
      env,
      'connection',
      'update',
      '--name',
      'Acme SSO',
      '--button-label',
      'Acme',
      '--auto-create',
      'on',
      '--trust-upstream-mfa',
      'on',
      '--json',
    );
    expect(updated.json()).toMatchObject({ buttonLabel: 'Acme', autoCreate: true, trustUpstreamMfa: true });

    const removed = await gatehouse(env, 'connection', 'remove', '--name', 'GitHub', '--json');
    expect(removed.json()).toMatchObject({ name: 'GitHub', removed: true, identities: 0 });
    expect((await list()).connections.map((c) => c.name)).toEqual(['Acme SSO']);
    expect((await gatehouse(env, 'connection', 'remove', '--name', 'GitHub')).stderr).toContain('no connection named');

    const audit = await gatehouse(env, 'audit', '--json');
    const types = audit.json<{ events: { type: string }[] }>().events.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['admin.connection.updated', 'admin.connection.removed']));
  });

  it("user delete erases the person's identities at other providers, and user show lists them", async () => {
    await gatehouse(env, 'user', 'add', '--email', 'grace@example.com', '--password', 'a long enough password');
    const { db, close } = createDatabase(database.url);
    try {
      const account = await db.account.findUniqueOrThrow({ where: { email: 'grace@example.com' } });
      const connection = await db.connection.findFirstOrThrow({ where: { name: 'Acme SSO' } });
      await db.upstreamIdentity.create({
        data: {
          id: 'identity-1',
          connectionId: connection.id,
          issuer: 'https://sso.acme.example',
          subject: 'g-1',
          accountId: account.id,
          email: 'grace@acme.example',
          createdAt: new Date(),
        },
      });
      const shown = await gatehouse(env, 'user', 'show', '--email', 'grace@example.com');
      expect(shown.stdout).toContain('Acme SSO: https://sso.acme.example sub g-1 (grace@acme.example)');
      expect((await gatehouse(env, 'user', 'delete', '--email', 'grace@example.com')).code).toBe(0);
      expect(await db.upstreamIdentity.count({ where: { accountId: account.id } })).toBe(0);
    } finally {
      await close();
    }
  });
});
