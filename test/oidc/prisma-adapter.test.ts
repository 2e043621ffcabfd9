import { errors } from 'oidc-provider';
import { createMigratedDatabase } from '../support/test-database.js';
import { frozenClock } from '../support/frozen-clock.js';
import type { Db } from '../../src/db/create-prisma.js';
import { createPreparedOidcRecords } from '../../src/db/prepared-oidc-records.js';
import { createOidcRecordQueries } from '../../src/db/oidc-record-queries.js';
import { createPrismaAdapter } from '../../src/oidc/prisma-adapter.js';

// The hot statements run prepared on Prisma's own connection (src/db/prepared-oidc-records.ts),
// the rest through Prisma's model API, as in the server and the CLI.
describe('the Prisma adapter, on the store DATABASE_URL selects', () => {
  let store: Awaited<ReturnType<typeof createMigratedDatabase>>;
  let db: Db;
  const clock = frozenClock();
  let adapterFor: ReturnType<typeof createPrismaAdapter>;
  let records: ReturnType<typeof createOidcRecordQueries>;

  beforeAll(async () => {
    store = await createMigratedDatabase();
    ({ db } = store);
    records = createOidcRecordQueries(db, createPreparedOidcRecords(store.driver, clock));
    adapterFor = createPrismaAdapter(records, clock);
  });

  afterAll(() => store.close());

  it('finds what it stored, with every property of the payload', async () => {
    const codes = adapterFor('AuthorizationCode');
    await codes.upsert(
      'code-1',
      { kind: 'AuthorizationCode', grantId: 'g1', scope: 'openid', extra: { nested: [1, 2] } },
      60,
    );
    expect(await codes.find('code-1')).toEqual({
      kind: 'AuthorizationCode',
      grantId: 'g1',
      scope: 'openid',
      extra: { nested: [1, 2] },
    });
  });

  it('returns nothing for an id it never stored', async () => {
    expect(await adapterFor('AccessToken').find('never-stored')).toBeUndefined();
  });

  it('returns nothing once a record has expired', async () => {
    const tokens = adapterFor('AccessToken');
    await tokens.upsert('short', { kind: 'AccessToken' }, 30);
    clock.advance(29_000);
    expect(await tokens.find('short')).toBeDefined();
    clock.advance(2_000);
    expect(await tokens.find('short')).toBeUndefined();
  });

  it('keeps records without an expiry (registered clients) forever', async () => {
    const clients = adapterFor('Client');
    await clients.upsert('forever', { client_id: 'forever' });
    clock.advance(10 * 365 * 24 * 3600 * 1000);
    expect(await clients.find('forever')).toEqual({ client_id: 'forever' });
  });

  it('scopes every lookup by model: the same id in two models is two records', async () => {
    await adapterFor('Session').upsert('shared-id', { kind: 'Session', uid: 'u-1' }, 60);
    await adapterFor('Interaction').upsert('shared-id', { kind: 'Interaction' }, 60);
    expect(await adapterFor('Session').find('shared-id')).toMatchObject({ kind: 'Session' });
    expect(await adapterFor('Interaction').find('shared-id')).toMatchObject({ kind: 'Interaction' });
    await adapterFor('Interaction').destroy('shared-id');
    expect(await adapterFor('Interaction').find('shared-id')).toBeUndefined();
    expect(await adapterFor('Session').find('shared-id')).toMatchObject({ kind: 'Session' });
  });

  it('finds sessions by uid and device codes by user code, within their model only', async () => {
    await adapterFor('Session').upsert('sess-jti', { kind: 'Session', uid: 'uid-42' }, 60);
    await adapterFor('DeviceCode').upsert('dc-1', { kind: 'DeviceCode', userCode: 'ABCD-EFGH' }, 60);
    expect(await adapterFor('Session').findByUid('uid-42')).toMatchObject({ uid: 'uid-42' });
    expect(await adapterFor('Interaction').findByUid('uid-42')).toBeUndefined();
    expect(await adapterFor('DeviceCode').findByUserCode('ABCD-EFGH')).toMatchObject({ userCode: 'ABCD-EFGH' });
    clock.advance(61_000);
    expect(await adapterFor('Session').findByUid('uid-42')).toBeUndefined();
  });

  it('marks a consumed record so that later finds carry a truthy `consumed`', async () => {
    const codes = adapterFor('AuthorizationCode');
    await codes.upsert('to-consume', { kind: 'AuthorizationCode' }, 60);
    await codes.consume('to-consume');
    const found = await codes.find('to-consume');
    expect(found?.consumed).toBe(Math.floor(clock() / 1000));
  });

  it('lets exactly one of many concurrent consumes of one code win', async () => {
    const codes = adapterFor('AuthorizationCode');
    await codes.upsert('raced', { kind: 'AuthorizationCode', grantId: 'raced-grant' }, 60);
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => codes.consume('raced')));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const losers = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(losers).toHaveLength(7);
    for (const loser of losers) expect(loser.reason).toBeInstanceOf(errors.InvalidGrant);
  });

  it('revokes what hangs off the grant when a consume loses the race', async () => {
    const tokens = adapterFor('AccessToken');
    await adapterFor('Grant').upsert('g-race', { kind: 'Grant' }, 600);
    await tokens.upsert('at-of-winner', { kind: 'AccessToken', grantId: 'g-race' }, 600);
    await adapterFor('RefreshToken').upsert('rt', { kind: 'RefreshToken', grantId: 'g-race' }, 600);
    await adapterFor('RefreshToken').consume('rt');
    await expect(adapterFor('RefreshToken').consume('rt')).rejects.toBeInstanceOf(errors.InvalidGrant);
    expect(await tokens.find('at-of-winner')).toBeUndefined();
    expect(await adapterFor('Grant').find('g-race')).toBeUndefined();
  });

  it('keeps a spent code past its own lifetime, and ends its grant when it is found again after it', async () => {
    const retaining = createPrismaAdapter(records, clock, undefined, 3600);
    await retaining('Grant').upsert('g-late', { kind: 'Grant' }, 7200);
    await retaining('AccessToken').upsert('at-late', { kind: 'AccessToken', grantId: 'g-late' }, 3600);
    await retaining('AuthorizationCode').upsert(
      'late-code',
      { kind: 'AuthorizationCode', grantId: 'g-late', exp: Math.floor(clock() / 1000) + 60 },
      60,
    );
    await retaining('AuthorizationCode').consume('late-code');
    // Within its lifetime the provider sees the reuse itself: finding it revokes nothing.
    expect(await retaining('AuthorizationCode').find('late-code')).toMatchObject({ consumed: expect.any(Number) });
    expect(await retaining('AccessToken').find('at-late')).toBeDefined();

    clock.advance(61_000);
    expect(await retaining('AuthorizationCode').find('late-code')).toMatchObject({ consumed: expect.any(Number) });
    expect(await retaining('AccessToken').find('at-late')).toBeUndefined();
    expect(await retaining('Grant').find('g-late')).toBeUndefined();

    clock.advance(3600_000);
    expect(await retaining('AuthorizationCode').find('late-code')).toBeUndefined();
  });

  it('never shortens a record it consumes, and keeps an unused code to its own lifetime', async () => {
    const retaining = createPrismaAdapter(records, clock, undefined, 3600);
    await retaining('RefreshToken').upsert('long-rt', { kind: 'RefreshToken' }, 7200);
    await retaining('RefreshToken').consume('long-rt');
    await retaining('AuthorizationCode').upsert('unused-code', { kind: 'AuthorizationCode' }, 60);
    clock.advance(61_000);
    expect(await retaining('AuthorizationCode').find('unused-code')).toBeUndefined();
    clock.advance(7000_000);
    expect(await retaining('RefreshToken').find('long-rt')).toBeDefined();
  });

  it('revokes by grant id within its own model only', async () => {
    await adapterFor('AccessToken').upsert('at-1', { kind: 'AccessToken', grantId: 'grant-x' }, 600);
    await adapterFor('AccessToken').upsert('at-2', { kind: 'AccessToken', grantId: 'grant-x' }, 600);
    await adapterFor('AccessToken').upsert('at-other', { kind: 'AccessToken', grantId: 'grant-y' }, 600);
    await adapterFor('RefreshToken').upsert('rt-1', { kind: 'RefreshToken', grantId: 'grant-x' }, 600);
    await adapterFor('AccessToken').revokeByGrantId('grant-x');
    expect(await adapterFor('AccessToken').find('at-1')).toBeUndefined();
    expect(await adapterFor('AccessToken').find('at-2')).toBeUndefined();
    expect(await adapterFor('AccessToken').find('at-other')).toBeDefined();
    expect(await adapterFor('RefreshToken').find('rt-1')).toBeDefined();
  });

  it('starts a re-saved record over as unconsumed and with its new expiry', async () => {
    const sessions = adapterFor('Session');
    await sessions.upsert('resaved', { kind: 'Session', v: 1 }, 10);
    await sessions.upsert('resaved', { kind: 'Session', v: 2 }, 100);
    clock.advance(50_000);
    expect(await sessions.find('resaved')).toEqual({ kind: 'Session', v: 2 });
  });

  it('sweeps expired rows so the table stays bounded', async () => {
    await adapterFor('Interaction').upsert('old', { kind: 'Interaction' }, 1);
    await adapterFor('Interaction').upsert('fresh', { kind: 'Interaction' }, 3600);
    clock.advance(5_000);
    const removed = await records.sweepExpired(new Date(clock()), 500);
    expect(removed).toBeGreaterThanOrEqual(1);
    expect(await db.oidcRecord.count({ where: { model: 'Interaction', id: 'old' } })).toBe(0);
    expect(await db.oidcRecord.count({ where: { model: 'Interaction', id: 'fresh' } })).toBe(1);
  });
});
