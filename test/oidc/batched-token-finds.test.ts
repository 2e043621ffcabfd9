import { createMigratedDatabase } from '../support/test-database.js';
import { frozenClock } from '../support/frozen-clock.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { freePort } from '../support/free-port.js';
import { gatehouseJson } from '../support/run-gatehouse.js';
import { relyingParty } from '../support/relying-party.js';
import { walkAuthorization } from '../support/sign-in-flow.js';
import { UserAgent } from '../support/user-agent.js';
import { postForm, type Credentials } from '../support/token-endpoint.js';
import { createPrisma, type Db } from '../../src/db/create-prisma.js';
import { observeQueries } from '../../src/db/query-metrics.js';
import { instrumentPrepared } from '../../src/db/instrument-prepared.js';
import { createPreparedOidcRecords } from '../../src/db/prepared-oidc-records.js';
import { createOidcRecordQueries, type OidcRecordInput } from '../../src/db/oidc-record-queries.js';
import { batchTokenFinds } from '../../src/oidc/batched-token-finds.js';
import { createPrismaAdapter } from '../../src/oidc/prisma-adapter.js';

// oidc-provider looks a presented token up as AccessToken, ClientCredentials and RefreshToken at
// once (introspection, revocation without a hint): one statement answers the three, each still
// getting only its own model's live record. On the store DATABASE_URL selects.

describe('token look-ups of one id in the same turn, through the adapter', () => {
  let store: Awaited<ReturnType<typeof createMigratedDatabase>>;
  const clock = frozenClock(Date.now());
  let statements: string[] = [];
  let adapterFor: ReturnType<typeof createPrismaAdapter>;
  const upsert = (record: Partial<OidcRecordInput> & Pick<OidcRecordInput, 'model' | 'id'>) =>
    createOidcRecordQueries(store.db, createPreparedOidcRecords(store.driver, clock)).upsert({
      payload: JSON.stringify({ kind: record.model, jti: record.id }),
      grantId: null,
      userCode: null,
      uid: null,
      accountId: null,
      expiresAt: null,
      ...record,
    });
  const asProviderDoes = (id: string) =>
    Promise.all(['AccessToken', 'ClientCredentials', 'RefreshToken'].map((model) => adapterFor(model).find(id)));

  beforeAll(async () => {
    store = await createMigratedDatabase();
    observeQueries(store.db, (operation) => statements.push(operation));
    const records = createOidcRecordQueries(
      store.db,
      batchTokenFinds(instrumentPrepared(store.db, 'OidcRecord', createPreparedOidcRecords(store.driver, clock))),
    );
    adapterFor = createPrismaAdapter(records, clock);
  });

  beforeEach(() => {
    statements = [];
  });

  afterAll(() => store.close());

  it("answers the three in one statement, each with its own model's record only", async () => {
    const later = new Date(clock() + 60_000);
    await upsert({ model: 'AccessToken', id: 'shared', expiresAt: later });
    await upsert({ model: 'RefreshToken', id: 'shared', expiresAt: later });
    statements = [];
    const [access, credentials, refresh] = await asProviderDoes('shared');
    expect(access).toEqual({ kind: 'AccessToken', jti: 'shared' });
    expect(credentials).toBeUndefined();
    expect(refresh).toEqual({ kind: 'RefreshToken', jti: 'shared' });
    expect(statements).toEqual(['OidcRecord.findLiveAmong']);
  });

  it('leaves out an expired record and marks a consumed one, as a single look-up does', async () => {
    await upsert({ model: 'ClientCredentials', id: 'spent', expiresAt: new Date(clock() + 1000) });
    await upsert({ model: 'RefreshToken', id: 'spent', expiresAt: new Date(clock() + 60_000) });
    await adapterFor('RefreshToken').consume('spent');
    clock.advance(1000);
    statements = [];
    const [access, credentials, refresh] = await asProviderDoes('spent');
    expect(access).toBeUndefined();
    expect(credentials).toBeUndefined();
    expect(refresh).toEqual({ kind: 'RefreshToken', jti: 'spent', consumed: Math.floor(clock() / 1000) - 1 });
    expect(statements).toEqual(['OidcRecord.findLiveAmong']);
  });

  it('answers an unknown token with nothing for every kind, in one statement', async () => {
    expect(await asProviderDoes('never-issued')).toEqual([undefined, undefined, undefined]);
    expect(statements).toEqual(['OidcRecord.findLiveAmong']);
  });

  it('keeps different ids apart, and runs a look-up alone as the single-model statement', async () => {
    await upsert({ model: 'AccessToken', id: 'one' });
    await upsert({ model: 'ClientCredentials', id: 'two' });
    statements = [];
    const [one, two] = await Promise.all([asProviderDoes('one'), asProviderDoes('two')]);
    expect(one).toEqual([{ kind: 'AccessToken', jti: 'one' }, undefined, undefined]);
    expect(two).toEqual([undefined, { kind: 'ClientCredentials', jti: 'two' }, undefined]);
    expect(statements).toEqual(['OidcRecord.findLiveAmong', 'OidcRecord.findLiveAmong']);

    statements = [];
    expect(await adapterFor('AccessToken').find('one')).toEqual({ kind: 'AccessToken', jti: 'one' });
    expect(statements).toEqual(['OidcRecord.findLive']);
  });

  it('answers in one statement when the three ask about instants a millisecond apart, as of the latest', async () => {
    await upsert({ model: 'AccessToken', id: 'edge', expiresAt: new Date(clock() + 1) });
    await upsert({ model: 'RefreshToken', id: 'edge', expiresAt: new Date(clock() + 60_000) });
    statements = [];
    const access = adapterFor('AccessToken').find('edge');
    clock.advance(1);
    const others = Promise.all([adapterFor('ClientCredentials').find('edge'), adapterFor('RefreshToken').find('edge')]);
    // The access token expired between the first look-up's instant and the others': not found.
    expect([await access, ...(await others)]).toEqual([undefined, undefined, { kind: 'RefreshToken', jti: 'edge' }]);
    expect(statements).toEqual(['OidcRecord.findLiveAmong']);
  });

  it('never batches other models (a grant, a session) with the token kinds', async () => {
    await upsert({ model: 'Grant', id: 'g1' });
    statements = [];
    const [grant, access] = await Promise.all([adapterFor('Grant').find('g1'), adapterFor('AccessToken').find('g1')]);
    expect(grant).toEqual({ kind: 'Grant', jti: 'g1' });
    expect(access).toBeUndefined();
    expect(statements).toEqual(['OidcRecord.findLive', 'OidcRecord.findLive']);
  });
});

describe('introspection (RFC 7662) of each token kind, on a running server', () => {
  const API = 'https://ledger.example.com';
  const EMAIL = 'grace@example.com';
  const PASSWORD = 'compiler nanosecond 1952';
  const REDIRECT = 'https://app.example/cb';
  let server: TestServer;
  let db: Db;
  let api: Credentials;
  let env: Record<string, string>;

  const introspect = async (token: string, as: Credentials = api) =>
    (await postForm(server.url, '/token/introspection', as, { token })).body;
  /**
   * The OidcRecord look-ups by id the server ran, by statement, from its metrics (background jobs,
   * such as the expiry sweep, run other statements). Look-ups of clients the cache did not answer
   * (a miss, or a bypass while its LISTEN connection reconnects under load) are single `findLive`s
   * too: they are counted apart, as `clientLoads`, so what is left is the token look-ups.
   */
  const oidcStatements = async () => {
    const text = await (await fetch(server.running.metricsUrl as string)).text();
    const counts: Record<string, number> = {};
    for (const [, operation, count] of text.matchAll(
      /^gatehouse_db_query_duration_seconds_count\{operation="(OidcRecord\.findLive(?:Among)?)"\} (\d+)/gm,
    ))
      counts[operation as string] = Number(count);
    for (const [, count] of text.matchAll(/^gatehouse_client_cache_lookups_total\{result="(?:miss|bypass)"\} (\d+)/gm))
      counts.clientLoads = (counts.clientLoads ?? 0) + Number(count);
    return counts;
  };
  /** The token look-ups `run` made: `findLive`s beyond the client loads, and `findLiveAmong`s. */
  const statementsDuring = async (run: () => Promise<unknown>) => {
    const before = await oidcStatements();
    await run();
    const after = await oidcStatements();
    const delta = (operation: string) => (after[operation] ?? 0) - (before[operation] ?? 0);
    const tokenFinds = {
      'OidcRecord.findLive': delta('OidcRecord.findLive') - delta('clientLoads'),
      'OidcRecord.findLiveAmong': delta('OidcRecord.findLiveAmong'),
    };
    return Object.fromEntries(Object.entries(tokenFinds).filter(([, count]) => count !== 0));
  };

  beforeAll(async () => {
    server = await startTestServer({ METRICS_PORT: String(await freePort()), METRICS_HOST: '127.0.0.1' });
    env = { DATABASE_URL: server.database.url };
    db = createPrisma(server.database.url);
    await gatehouseJson(env, 'user', 'add', '--email', EMAIL, '--password', PASSWORD);
    api = await gatehouseJson<Credentials>(
      env,
      'resource',
      'add',
      '--identifier',
      API,
      '--scope',
      'ledger:read',
      '--token-format',
      'opaque',
    );
  }, 60_000);

  afterAll(async () => {
    await db.$disconnect();
    await server.close();
  });

  it('answers a client-credentials token active, in one token look-up', async () => {
    const worker = await gatehouseJson<Credentials>(
      env,
      'client',
      'add',
      '--name',
      'Worker',
      '--grant-type',
      'client_credentials',
      '--resource',
      API,
    );
    const issued = await postForm(server.url, '/token', worker, {
      grant_type: 'client_credentials',
      resource: API,
      scope: 'ledger:read',
    });
    const token = issued.body.access_token as string;
    let answer: Record<string, unknown> = {};
    expect(
      await statementsDuring(async () => {
        answer = await introspect(token);
      }),
    ).toEqual({ 'OidcRecord.findLiveAmong': 1 });
    expect(answer).toMatchObject({
      active: true,
      client_id: worker.client_id,
      scope: 'ledger:read',
      token_type: 'Bearer',
    });
  });

  it('answers an access token and a refresh token active, a spent refresh token and an unknown one inactive', async () => {
    const app = await gatehouseJson<Required<Credentials>>(
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
      '--resource',
      API,
    );
    const rp = await relyingParty(server.config.issuer, app, REDIRECT);
    const request = await rp.authorizationRequest({
      scope: 'openid offline_access ledger:read',
      resource: API,
      prompt: 'consent',
    });
    const { callback } = await walkAuthorization(new UserAgent(server.url), request.url, {
      email: EMAIL,
      password: PASSWORD,
      consent: 'allow',
    });
    const tokens = await rp.redeem(callback as URL, request, { resource: API });

    expect(await introspect(tokens.access_token)).toMatchObject({
      active: true,
      client_id: app.client_id,
      token_type: 'Bearer',
    });
    // A refresh token is its client's business only (token-configuration.ts): the app asks.
    const refresh = await introspect(tokens.refresh_token as string, app);
    expect(refresh).toMatchObject({ active: true, client_id: app.client_id });
    expect(String(refresh.scope).split(' ')).toContain('offline_access');
    expect(refresh.token_type).toBeUndefined();
    expect(await statementsDuring(() => introspect(tokens.access_token))).toMatchObject({
      'OidcRecord.findLiveAmong': 1,
    });

    // Rotation spends the refresh token: introspection then calls it inactive (RFC 7662 §2.2).
    const refreshed = await postForm(server.url, '/token', app, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token as string,
      resource: API,
    });
    expect(refreshed.status).toBe(200);
    expect(await introspect(tokens.refresh_token as string, app)).toEqual({ active: false });
    expect(await introspect(refreshed.body.refresh_token as string, app)).toMatchObject({ active: true });
    expect(await introspect('no-such-token-was-ever-issued')).toEqual({ active: false });
  }, 30_000);

  it('answers an expired token inactive', async () => {
    const worker = await gatehouseJson<Credentials>(
      env,
      'client',
      'add',
      '--name',
      'Expiring',
      '--grant-type',
      'client_credentials',
      '--resource',
      API,
    );
    const issued = await postForm(server.url, '/token', worker, {
      grant_type: 'client_credentials',
      resource: API,
      scope: 'ledger:read',
    });
    const token = issued.body.access_token as string;
    expect(await introspect(token)).toMatchObject({ active: true });
    // Its record's lifetime ends now (the clock of the stored row, not the token's exp claim).
    await db.oidcRecord.updateMany({
      where: { model: 'ClientCredentials', id: token },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect(await introspect(token)).toEqual({ active: false });
  });
});
