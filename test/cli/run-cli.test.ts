import { useCliDatabase } from '../support/use-cli-database.js';
import { gatehouse } from '../support/run-gatehouse.js';

const cli = useCliDatabase();

describe('gatehouse (the admin CLI)', () => {
  it('lists every command in --help, and each command has its own --help', async () => {
    const help = await gatehouse(cli.env, '--help');
    expect(help.code).toBe(0);
    for (const command of [
      'migrate',
      'user add',
      'user list',
      'client add',
      'client list',
      'client remove',
      'keys rotate',
      'keys list',
    ]) {
      expect(help.stdout).toContain(command);
      const own = await gatehouse(cli.env, ...command.split(' '), '--help');
      expect({ command, code: own.code }).toEqual({ command, code: 0 });
      expect(own.stdout).toMatch(/Usage: gatehouse/);
    }
  });

  it('migrates, and says so in one JSON object', async () => {
    const result = await gatehouse(cli.env, 'migrate', '--json');
    expect(result.code).toBe(0);
    expect(result.json()).toMatchObject({ store: cli.database.store, applied: expect.any(Array) });
  });

  it('adds a user and prints exactly {id, email}', async () => {
    const result = await gatehouse(
      cli.env,
      'user',
      'add',
      '--email',
      'Ada@Example.com',
      '--password',
      'analytical engine',
      '--name',
      'Ada',
      '--json',
    );
    expect(result.code).toBe(0);
    expect(Object.keys(result.json()).sort()).toEqual(['email', 'id']);
    expect(result.json()).toMatchObject({ email: 'ada@example.com' });
    const list = await gatehouse(cli.env, 'user', 'list', '--json');
    expect(list.json<{ users: { email: string }[] }>().users.map((u) => u.email)).toContain('ada@example.com');
  });

  it('refuses a duplicate email whatever its case, and a too-short password', async () => {
    const dup = await gatehouse(
      cli.env,
      'user',
      'add',
      '--email',
      'ADA@example.com',
      '--password',
      'another password',
      '--json',
    );
    expect(dup.code).toBe(1);
    expect(dup.json()).toEqual({
      error: { code: 'ERR_EMAIL_TAKEN', message: expect.stringMatching(/already exists/) },
    });
    const short = await gatehouse(cli.env, 'user', 'add', '--email', 'bob@example.com', '--password', 'short');
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/at least 8 characters/);
  });

  it('registers a confidential client with a 256-bit secret by default', async () => {
    const result = await gatehouse(
      cli.env,
      'client',
      'add',
      '--name',
      'Shop',
      '--redirect-uri',
      'https://shop.example/cb',
      '--json',
    );
    expect(result.code).toBe(0);
    const { client_id, client_secret } = result.json<{ client_id: string; client_secret: string }>();
    expect(Buffer.from(client_secret, 'base64url')).toHaveLength(32);
    const list = await gatehouse(cli.env, 'client', 'list', '--json');
    expect(list.json<{ clients: unknown[] }>().clients).toContainEqual(
      expect.objectContaining({
        client_id,
        client_name: 'Shop',
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_basic',
      }),
    );
    expect(list.stdout).not.toContain(client_secret);
  });

  it('gives a public client no secret, and removes clients by id', async () => {
    const created = await gatehouse(
      cli.env,
      'client',
      'add',
      '--name',
      'SPA',
      '--auth-method',
      'none',
      '--redirect-uri',
      'https://spa.example/cb',
      '--json',
    );
    const { client_id, ...rest } = created.json<{ client_id: string }>();
    expect(rest).toEqual({});
    expect((await gatehouse(cli.env, 'client', 'remove', '--client-id', client_id, '--json')).json()).toEqual({
      client_id,
      removed: true,
      revoked: 0,
    });
    const again = await gatehouse(cli.env, 'client', 'remove', '--client-id', client_id, '--json');
    expect(again.code).toBe(1);
    expect(again.json()).toMatchObject({ error: { code: 'ERR_CLIENT_NOT_FOUND' } });
  });

  it("refuses invalid client metadata with the provider's own reason", async () => {
    const result = await gatehouse(
      cli.env,
      'client',
      'add',
      '--name',
      'Broken',
      '--redirect-uri',
      'not a url',
      '--json',
    );
    expect(result.code).toBe(1);
    expect(result.json()).toMatchObject({
      error: { code: 'ERR_CLIENT_INVALID', message: expect.stringMatching(/redirect_uris/) },
    });
  });

  it('lists keys without their secrets, and rotates them', async () => {
    const before = (await gatehouse(cli.env, 'keys', 'list', '--json')).json<{
      keys: { kid: string; status: string }[];
    }>().keys;
    expect(before.filter((k) => k.status === 'active')).toHaveLength(3);
    const rotated = await gatehouse(cli.env, 'keys', 'rotate', '--json');
    expect(rotated.json<{ created: string[] }>().created).toHaveLength(2);
    const after = await gatehouse(cli.env, 'keys', 'list', '--json');
    expect(after.json<{ keys: { status: string }[] }>().keys.filter((k) => k.status === 'retired')).toHaveLength(2);
    expect(after.stdout).not.toMatch(/"d"|material/);
  });

  it.each([
    [['frobnicate'], /unknown command: frobnicate/],
    [['user', 'add', '--email', 'x@y.z'], /no password: pipe it in with --password-stdin/],
    [['client', 'add', '--name', 'X', '--auth-method', 'magic'], /--auth-method must be one of/],
    [['user', 'list', '--bogus'], /Unknown option '--bogus'/],
  ])('exits 2 with a clear message on bad arguments: %j', async (argv, message) => {
    const result = await gatehouse(cli.env, ...argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('prints a JSON error object, and nothing else, on bad arguments with --json', async () => {
    const result = await gatehouse(cli.env, 'user', 'add', '--json');
    expect(result.code).toBe(2);
    expect(result.json()).toEqual({ error: { code: 'ERR_USAGE', message: '--email is required' } });
  });

  it('names the bad variable when the configuration is wrong', async () => {
    const result = await gatehouse({ ...cli.env, PORT: 'x' }, 'user', 'list');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/PORT: must be a number/);
  });
});
