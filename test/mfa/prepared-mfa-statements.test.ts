import { createMigratedDatabase } from '../support/test-database.js';
import { storedRows } from '../support/stored-rows.js';
import type { Db, DriverConnection } from '../../src/db/create-prisma.js';
import { Prisma } from '../../src/generated/sqlite/client.js';
import { createPreparedTotpLookup } from '../../src/mfa/prepared-totp-lookup.js';
import { createPreparedNetworkRecord } from '../../src/mfa/prepared-network-record.js';
import { createPreparedPasskeyCount } from '../../src/passkeys/prepared-passkey-count.js';
import { passkeyRow } from '../support/passkey-row.js';

// A sign-in's second-step policy looks up the authenticator app, counts passkeys and records the
// network, each through a prepared statement that is the only implementation of its query: they
// must read and write the rows exactly as Prisma's model API does, on the store DATABASE_URL selects.

let store: Awaited<ReturnType<typeof createMigratedDatabase>>;
let db: Db;
let driver: DriverConnection;

beforeAll(async () => {
  store = await createMigratedDatabase();
  ({ db, driver } = store);
});

afterAll(() => store.close());

describe('prepared TotpFactor look-up', () => {
  it('reads every column of a pending and of a confirmed factor as Prisma reads them, and null for none', async () => {
    const lookup = createPreparedTotpLookup(driver);
    await db.totpFactor.create({
      data: {
        accountId: 'pending',
        secret: 'sealed ✓',
        binding: 'b1',
        createdAt: new Date(Date.UTC(2030, 0, 1, 2, 3, 4, 5)),
      },
    });
    await db.totpFactor.create({
      data: {
        accountId: 'confirmed',
        secret: 'sealed-2',
        confirmedAt: new Date(Date.UTC(2030, 1, 2, 3, 4, 5, 6)),
        lastUsedStep: 63_000_000,
      },
    });
    for (const accountId of ['pending', 'confirmed']) {
      const found = await lookup.findByAccount(accountId);
      expect(found).toEqual(await db.totpFactor.findUniqueOrThrow({ where: { accountId } }));
      expect(Object.keys(found ?? {}).sort()).toEqual(Object.keys(Prisma.TotpFactorScalarFieldEnum).sort());
    }
    expect(await lookup.findByAccount('pending')).toMatchObject({
      confirmedAt: null,
      lastUsedStep: null,
      binding: 'b1',
    });
    expect(await lookup.findByAccount('confirmed')).toMatchObject({ lastUsedStep: 63_000_000, binding: null });
    expect(await lookup.findByAccount('nobody')).toBeNull();
  });
});

describe('prepared SignInNetwork upsert', () => {
  const stored = async (accountId: string) =>
    (await storedRows(driver, 'SELECT * FROM "SignInNetwork" WHERE "accountId" = $1', accountId)).map((row) => ({
      ...row,
      accountId: 'x',
    }));

  it("inserts, then moves lastSeenAt of the same network only, storing what Prisma's upsert stores", async () => {
    const record = createPreparedNetworkRecord(driver);
    const first = new Date(Date.UTC(2030, 0, 1, 0, 0, 0, 1));
    const later = new Date(Date.UTC(2030, 0, 2, 0, 0, 0, 2));
    const viaPrisma = (accountId: string, network: string, at: Date) =>
      db.signInNetwork.upsert({
        where: { accountId_network: { accountId, network } },
        create: { accountId, network, lastSeenAt: at },
        update: { lastSeenAt: at },
      });
    for (const [network, at] of [
      ['203.0.113.0/24', first],
      ['2001:db8::/48', first],
      ['203.0.113.0/24', later],
    ] as const) {
      await record.upsert('ours', network, at);
      await viaPrisma('theirs', network, at);
    }
    const rows = await db.signInNetwork.findMany({ where: { accountId: 'ours' }, orderBy: { network: 'asc' } });
    expect(rows).toEqual([
      { accountId: 'ours', network: '2001:db8::/48', lastSeenAt: first },
      { accountId: 'ours', network: '203.0.113.0/24', lastSeenAt: later },
    ]);
    const sort = (xs: Record<string, unknown>[]) =>
      [...xs].sort((a, b) => String(a.network).localeCompare(String(b.network)));
    expect(sort(await stored('ours'))).toEqual(sort(await stored('theirs')));
  });
});

describe('prepared Passkey count', () => {
  it("counts an account's passkeys as Prisma's count does, as a number", async () => {
    const count = createPreparedPasskeyCount(driver);
    await db.account.create({ data: { id: 'with-keys', email: 'keys@example.com', passwordHash: 'h' } });
    await db.account.create({ data: { id: 'no-keys', email: 'none@example.com', passwordHash: 'h' } });
    for (const id of ['k1', 'k2'])
      await db.passkey.create({ data: passkeyRow('with-keys', id, new Date(Date.UTC(2030, 0, 1)), { name: id }) });
    for (const accountId of ['with-keys', 'no-keys', 'nobody'])
      expect(await count.countByAccount(accountId)).toBe(await db.passkey.count({ where: { accountId } }));
    expect(await count.countByAccount('with-keys')).toBe(2);
    expect(await count.countByAccount('no-keys')).toBe(0);
  });
});
