import { createMigratedDatabase } from '../support/test-database.js';
import type { Db, DriverConnection } from '../../src/db/create-prisma.js';
import { Prisma } from '../../src/generated/sqlite/client.js';
import { createPreparedConnectionList } from '../../src/connections/prepared-connection-list.js';

// The sign-in page lists the connections through this prepared select, the only implementation of
// the list: it must read every row as Prisma's model API reads it (booleans, defaults, nullable
// and timestamps), oldest first, on the store DATABASE_URL selects.

let store: Awaited<ReturnType<typeof createMigratedDatabase>>;
let db: Db;
let driver: DriverConnection;

beforeAll(async () => {
  store = await createMigratedDatabase();
  ({ db, driver } = store);
});

afterAll(() => store.close());

describe('prepared Connection list', () => {
  it("reads every column of every connection, oldest first, as Prisma's findMany does", async () => {
    const list = createPreparedConnectionList(driver);
    expect(await list.list()).toEqual([]);
    const base = {
      type: 'oidc',
      issuer: 'https://upstream.example',
      clientId: 'client',
      clientSecretSealed: 'sealed',
      scope: 'openid email',
    };
    // Created out of order: the list follows createdAt, not the insertion order.
    await db.connection.create({
      data: {
        ...base,
        id: 'newer',
        name: 'github',
        type: 'github',
        buttonLabel: 'Continue with GitHub ✓',
        autoCreate: true,
        domains: 'example.com,example.org',
        trustUpstreamMfa: true,
        mfaAcr: 'urn:example:mfa',
        createdAt: new Date(Date.UTC(2030, 1, 2, 3, 4, 5, 6)),
        updatedAt: new Date(Date.UTC(2030, 2, 3, 4, 5, 6, 7)),
      },
    });
    await db.connection.create({
      data: {
        ...base,
        id: 'older',
        name: 'corp',
        buttonLabel: 'Continue with Corp',
        createdAt: new Date(Date.UTC(2029, 0, 1)),
        updatedAt: new Date(Date.UTC(2029, 0, 1)),
      },
    });
    const rows = await list.list();
    expect(rows).toEqual(await db.connection.findMany({ orderBy: { createdAt: 'asc' } }));
    expect(rows.map((row) => row.id)).toEqual(['older', 'newer']);
    for (const row of rows)
      expect(Object.keys(row).sort()).toEqual(Object.keys(Prisma.ConnectionScalarFieldEnum).sort());
    expect(rows[0]).toMatchObject({ autoCreate: false, trustUpstreamMfa: false, domains: '', mfaAcr: null });
    expect(rows[1]).toMatchObject({ autoCreate: true, trustUpstreamMfa: true, mfaAcr: 'urn:example:mfa' });
  });
});
