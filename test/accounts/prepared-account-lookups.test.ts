import { createMigratedDatabase } from '../support/test-database.js';
import type { Db, DriverConnection } from '../../src/db/create-prisma.js';
import { Prisma } from '../../src/generated/sqlite/client.js';
import { createPreparedAccountLookups } from '../../src/accounts/prepared-account-lookups.js';
import type { PreparedAccountLookups } from '../../src/accounts/account-queries.js';

// Refresh, userinfo and sign-in look accounts up through prepared statements on Prisma's
// connection, the only implementation of those lookups: they must read a row Prisma's model API
// wrote exactly as Prisma reads it, every column of the model, on the store DATABASE_URL selects.

let store: Awaited<ReturnType<typeof createMigratedDatabase>>;
let db: Db;
let driver: DriverConnection;
let lookups: PreparedAccountLookups;

beforeAll(async () => {
  store = await createMigratedDatabase();
  ({ db, driver } = store);
  lookups = createPreparedAccountLookups(driver);
});

afterAll(() => store.close());

describe('prepared Account lookups', () => {
  it('read every column of the model as Prisma reads it (booleans, nullable and set timestamps included), by id and by email', async () => {
    await db.account.create({
      data: {
        id: 'acct-1',
        email: 'ada@example.com',
        name: null,
        passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$x$y',
        emailVerified: true,
      },
    });
    await db.account.create({
      data: {
        id: 'acct-2',
        email: 'grace@example.com',
        name: 'Grace ✓',
        passwordHash: 'h',
        emailVerified: false,
        disabled: true,
        passwordChangedAt: new Date(Date.UTC(2030, 1, 2, 3, 4, 5, 6)),
        givenName: 'Grace',
        familyName: 'Hopper',
        zoneinfo: 'America/New_York',
        locale: 'en-US',
        phoneNumber: '+12025550123',
        phoneNumberVerified: true,
      },
    });
    for (const [id, email] of [
      ['acct-1', 'ada@example.com'],
      ['acct-2', 'grace@example.com'],
    ] as const) {
      const expected = await db.account.findUniqueOrThrow({ where: { id } });
      const found = await lookups.findById(id);
      expect(found).toEqual(expected);
      expect(Object.keys(found ?? {}).sort()).toEqual(Object.keys(Prisma.AccountScalarFieldEnum).sort());
      expect(await lookups.findByEmail(email)).toEqual(expected);
    }
    expect(await lookups.findById('acct-1')).toMatchObject({
      name: null,
      emailVerified: true,
      disabled: false,
      passwordChangedAt: null,
    });
    expect(await lookups.findById('acct-2')).toMatchObject({
      disabled: true,
      emailVerified: false,
      passwordChangedAt: new Date(Date.UTC(2030, 1, 2, 3, 4, 5, 6)),
    });
  });

  it('read the accounts asked for by id in one turn each as Prisma reads it (on PostgreSQL in one statement)', async () => {
    const ids = ['acct-1', 'acct-2', 'nobody', 'acct-1'];
    const query = driver.store === 'postgresql' ? driver.pool.query : undefined;
    let sent = 0;
    if (driver.store === 'postgresql' && query) {
      const { pool } = driver;
      pool.query = ((...args: Parameters<typeof query>) => {
        sent += 1;
        return query.apply(pool, args);
      }) as typeof query;
    }
    let found: unknown[];
    try {
      found = await Promise.all(ids.map((id) => lookups.findById(id)));
    } finally {
      if (driver.store === 'postgresql' && query) driver.pool.query = query;
    }
    if (driver.store === 'postgresql') expect(sent).toBe(1);
    expect(found).toEqual(await Promise.all(ids.map((id) => db.account.findUnique({ where: { id } }))));
  });

  it('see a change at once (no cache): an account disabled is read disabled on the next lookup', async () => {
    await db.account.create({ data: { id: 'acct-3', email: 'linus@example.com', passwordHash: 'h' } });
    expect((await lookups.findById('acct-3'))?.disabled).toBe(false);
    await db.account.update({ where: { id: 'acct-3' }, data: { disabled: true } });
    expect((await lookups.findById('acct-3'))?.disabled).toBe(true);
    expect(await lookups.findByEmail('nobody@example.com')).toBeNull();
    expect(await lookups.findById('nobody')).toBeNull();
  });
});
