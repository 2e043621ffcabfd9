import { startTestServer, type TestServer } from '../../support/test-server.js';
import { gatehouse, gatehouseJson, gatehouseWithStdin, pipedStdin } from '../../support/run-gatehouse.js';
import { UserAgent } from '../../support/user-agent.js';
import { relyingParty } from '../../support/relying-party.js';
import { walkAuthorization } from '../../support/sign-in-flow.js';
import { postForm, type Credentials } from '../../support/token-endpoint.js';
import { createPrisma } from '../../../src/db/create-prisma.js';

const REDIRECT = 'https://app.example/cb';

let server: TestServer;
let env: Record<string, string>;
let app: Credentials;

beforeAll(async () => {
  server = await startTestServer();
  env = { DATABASE_URL: server.database.url };
  app = await gatehouseJson(
    env,
    'client',
    'add',
    '--name',
    'App',
    '--redirect-uri',
    REDIRECT,
    '--grant-type',
    'authorization_code',
    '--grant-type',
    'refresh_token',
  );
});

afterAll(async () => {
  await server.close();
});

/** Signs in with openid-client; the browser, tokens and whether the sign-in worked. */
async function signIn(email: string, password: string) {
  const rp = await relyingParty(server.config.issuer, app as Required<Credentials>, REDIRECT);
  const request = await rp.authorizationRequest({ scope: 'openid email offline_access', prompt: 'consent' });
  const agent = new UserAgent(server.url);
  const { callback } = await walkAuthorization(agent, request.url, { email, password, consent: 'allow' });
  return { agent, tokens: callback ? await rp.redeem(callback, request) : undefined };
}

const introspect = (token: string) => postForm(server.url, '/token/introspection', app, { token });

describe('gatehouse user set-password (ASVS 4.0 §3.3.3: sessions end with a new password)', () => {
  it('reads the password from stdin, applies the policy, and ends every session and refresh token', async () => {
    await gatehouseJson(env, 'user', 'add', '--email', 'ada@example.com', '--password', 'analytical engine notes');
    const { tokens } = await signIn('ada@example.com', 'analytical engine notes');
    const weak = await gatehouseWithStdin(
      env,
      pipedStdin('password\n'),
      'user',
      'set-password',
      '--email',
      'ada@example.com',
      '--password-stdin',
    );
    expect(weak.code).toBe(1);

    const set = await gatehouseWithStdin(
      env,
      pipedStdin('bernoulli numbers program\n'),
      'user',
      'set-password',
      '--email',
      'ada@example.com',
      '--password-stdin',
      '--json',
    );
    expect(set.code).toBe(0);
    expect(set.json()).toMatchObject({ email: 'ada@example.com', sessionsEnded: 1 });
    expect((await introspect(tokens?.refresh_token as string)).body).toEqual({ active: false });
    expect((await signIn('ada@example.com', 'analytical engine notes')).tokens).toBeUndefined();
    expect((await signIn('ada@example.com', 'bernoulli numbers program')).tokens?.access_token).toEqual(
      expect.any(String),
    );
    const { events } = await gatehouseJson<{ events: { type: string }[] }>(env, 'audit', '--email', 'ada@example.com');
    expect(events.map((e) => e.type)).toContain('admin.user.password_set');
  });
});

describe('gatehouse user update', () => {
  it('refuses, like user add, an address mail systems would split or route elsewhere (a comma, %, !)', async () => {
    await gatehouseJson(env, 'user', 'add', '--email', 'kathleen@example.com', '--password', 'booth multiplier notes');
    for (const email of ['x11,y@example.com', 'y%evil.example@example.com', 'evil.example!y@example.com']) {
      const added = await gatehouse(env, 'user', 'add', '--email', email, '--password', 'booth multiplier notes');
      expect(added.code).toBe(1);
      expect(added.stderr).toContain('is not an email address');
      const moved = await gatehouse(env, 'user', 'update', '--email', 'kathleen@example.com', '--new-email', email);
      expect(moved.code).toBe(1);
      expect(moved.stderr).toContain('is not an email address');
    }
    expect(await gatehouseJson(env, 'user', 'show', '--email', 'kathleen@example.com')).toMatchObject({
      email: 'kathleen@example.com',
    });
  });

  it('changes name, email and email verified; a new email is unverified unless said otherwise', async () => {
    await gatehouseJson(
      env,
      'user',
      'add',
      '--email',
      'alan@example.com',
      '--password',
      'turing machine tape',
      '--email-verified',
    );
    const renamed = await gatehouseJson<{ email: string; name: string; emailVerified: boolean }>(
      env,
      'user',
      'update',
      '--email',
      'alan@example.com',
      '--name',
      'Alan Turing',
    );
    expect(renamed).toMatchObject({ email: 'alan@example.com', name: 'Alan Turing', emailVerified: true });
    const moved = await gatehouseJson<{ email: string; emailVerified: boolean }>(
      env,
      'user',
      'update',
      '--email',
      'alan@example.com',
      '--new-email',
      'Alan@Bletchley.example',
    );
    expect(moved).toMatchObject({ email: 'alan@bletchley.example', emailVerified: false });
    const verified = await gatehouseJson<{ emailVerified: boolean }>(
      env,
      'user',
      'update',
      '--email',
      'alan@bletchley.example',
      '--email-verified',
    );
    expect(verified.emailVerified).toBe(true);
    const { tokens } = await signIn('alan@bletchley.example', 'turing machine tape');
    expect(tokens?.claims()).toMatchObject({ email: 'alan@bletchley.example', email_verified: true });

    const taken = await gatehouse(
      env,
      'user',
      'update',
      '--email',
      'alan@bletchley.example',
      '--new-email',
      'ada@example.com',
      '--json',
    );
    expect(taken.json()).toEqual({ error: { code: 'ERR_EMAIL_TAKEN', message: expect.any(String) } });
    const nothing = await gatehouse(env, 'user', 'update', '--email', 'alan@bletchley.example');
    expect(nothing.code).toBe(2);
  });
});

describe('gatehouse user delete (GDPR Art. 17, ASVS 4.0 §8.3.2)', () => {
  it("ends sessions, revokes every token, removes the person's data, keeps the audit trail without their email, and is audited", async () => {
    await gatehouseJson(env, 'user', 'add', '--email', 'grace@example.com', '--password', 'nanosecond wire length');
    const { tokens } = await signIn('grace@example.com', 'nanosecond wire length');
    await signIn('grace@example.com', 'wrong password entirely');
    const { id } = await gatehouseJson<{ id: string }>(env, 'user', 'show', '--email', 'grace@example.com');

    const deleted = await gatehouseJson<{ id: string; deleted: boolean; sessionsEnded: number; grantsRevoked: number }>(
      env,
      'user',
      'delete',
      '--email',
      'grace@example.com',
    );
    expect(deleted).toEqual({ id, deleted: true, sessionsEnded: 1, grantsRevoked: 1 });
    for (const token of [tokens?.access_token, tokens?.refresh_token])
      expect((await introspect(token as string)).body).toEqual({ active: false });

    const db = createPrisma(server.database.url);
    try {
      expect(await db.account.count({ where: { id } })).toBe(0);
      expect(await db.oidcRecord.count({ where: { accountId: id } })).toBe(0);
      expect(await db.sessionActivity.count({ where: { accountId: id } })).toBe(0);
      expect(await db.auditEvent.findMany({ where: { email: 'grace@example.com' } })).toEqual([]);
      const trail = await db.auditEvent.findMany({ where: { accountId: id } });
      expect(trail.map((e) => e.type)).toEqual(
        expect.arrayContaining(['signin', 'admin.session.revoked', 'grant.revoked', 'admin.user.deleted']),
      );
      expect(trail.every((e) => e.email === null && e.ip === null && e.userAgent === null)).toBe(true);
    } finally {
      await db.$disconnect();
    }
    expect((await signIn('grace@example.com', 'nanosecond wire length')).tokens).toBeUndefined();
  });
});

describe('gatehouse resource update', () => {
  it('changes scopes, format and lifetime, keeping the identifier and credentials; clients lose a scope that is gone', async () => {
    const api = await gatehouseJson<Credentials & { identifier: string }>(
      env,
      'resource',
      'add',
      '--identifier',
      'https://api.example.com',
      '--scope',
      'read write',
    );
    const worker = await gatehouseJson<Credentials>(
      env,
      'client',
      'add',
      '--name',
      'Worker',
      '--grant-type',
      'client_credentials',
      '--resource',
      'https://api.example.com',
    );
    const updated = await gatehouseJson(
      env,
      'resource',
      'update',
      '--identifier',
      'https://api.example.com',
      '--scope',
      'read',
      '--token-format',
      'opaque',
      '--ttl',
      '600',
    );
    expect(updated).toMatchObject({
      identifier: 'https://api.example.com',
      scopes: ['read'],
      tokenFormat: 'opaque',
      accessTokenTtl: 600,
      clientId: api.client_id,
    });
    const token = await postForm(server.url, '/token', worker, {
      grant_type: 'client_credentials',
      resource: 'https://api.example.com',
      scope: 'read',
    });
    const gone = await postForm(server.url, '/token', worker, {
      grant_type: 'client_credentials',
      resource: 'https://api.example.com',
      scope: 'write',
    });
    expect(String(gone.body.scope ?? '')).not.toContain('write');
    expect(token.body).toMatchObject({ expires_in: 600 });
    expect(String(token.body.access_token).split('.')).toHaveLength(1);
    const seen = await postForm(server.url, '/token/introspection', api, { token: token.body.access_token as string });
    expect(seen.body).toMatchObject({ active: true, scope: 'read', aud: 'https://api.example.com' });
    const bad = await gatehouse(
      env,
      'resource',
      'update',
      '--identifier',
      'https://api.example.com',
      '--scope',
      'openid',
    );
    expect(bad.code).toBe(1);
    const missing = await gatehouse(
      env,
      'resource',
      'update',
      '--identifier',
      'https://nope.example.com',
      '--ttl',
      '600',
      '--json',
    );
    expect(missing.json()).toEqual({ error: { code: 'ERR_RESOURCE_NOT_FOUND', message: expect.any(String) } });
  });
});
