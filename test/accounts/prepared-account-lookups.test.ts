import { createMigratedDatabase } from '../support/test-database.js';
import type { Db, DriverConnection } from '../../src/db/create-prisma.js';
import { createAccountQueries } from '../../src/accounts/account-queries.js';
import { createPreparedAccountLookups } from '../../src/accounts/prepared-account-lookups.js';

// Refresh, userinfo and sign-in look accounts up through prepared statements on Prisma's
// connection; they must read exactly what Prisma reads, every column, on the store DATABASE_URL selects.

let store: Awaited<ReturnType<typeof createMigratedDatabase>>;
let db: Db;
let driver: DriverConnection;

beforeAll(async () => {
  store = await createMigratedDatabase();
  ({ db, driver } = store);
});

afterAll(() => store.close());

describe('prepared Account lookups', () => {
  it('read every column as Prisma does (booleans, nullable and set timestamps included), by id and by email', async () => {
    const viaPrisma = createAccountQueries(db);
    const viaPrepared = createAccountQueries(db, createPreparedAccountLookups(driver));
    await viaPrisma.insert({ id: 'acct-1', email: 'ada@example.com', name: null, passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$x$y', emailVerified: true });
    await viaPrisma.insert({ id: 'acct-2', email: 'grace@example.com', name: 'Grace ✓', passwordHash: 'h', emailVerified: false });
    await viaPrisma.update('acct-2', { disabled: true, passwordChangedAt: new Date(Date.UTC(2030, 1, 2, 3, 4, 5, 6)) });
    for (const [id, email] of [['acct-1', 'ada@example.com'], ['acct-2', 'grace@example.com']] as const) {
      const expected = await viaPrisma.findById(id);
      expect(await viaPrepared.findById(id)).toEqual(expected);
      expect(await viaPrepared.findByEmail(email)).toEqual(expected);
    }
    expect(await viaPrepared.findById('acct-2')).toMatchObject({ disabled: true, emailVerified: false, passwordChangedAt: new Date(Date.UTC(2030, 1, 2, 3, 4, 5, 6)) });
  });

  it('see a change at once (no cache): an account disabled is read disabled on the next lookup', async () => {
    const viaPrisma = createAccountQueries(db);
    const viaPrepared = createAccountQueries(db, createPreparedAccountLookups(driver));
    await viaPrisma.insert({ id: 'acct-3', email: 'linus@example.com', name: null, passwordHash: 'h', emailVerified: false });
    expect((await viaPrepared.findById('acct-3'))?.disabled).toBe(false);
    await viaPrisma.update('acct-3', { disabled: true });
    expect((await viaPrepared.findById('acct-3'))?.disabled).toBe(true);
    expect(await viaPrepared.findByEmail('nobody@example.com')).toBeNull();
  });
});
