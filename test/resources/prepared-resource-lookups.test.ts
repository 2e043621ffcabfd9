import { createMigratedDatabase } from '../support/test-database.js';
import type { Db, DriverConnection } from '../../src/db/create-prisma.js';
import { Prisma } from '../../src/generated/sqlite/client.js';
import { createPreparedResourceLookups } from '../../src/resources/prepared-resource-lookups.js';
import type { PreparedResourceLookups } from '../../src/resources/resource-queries.js';

// Token requests look APIs up through prepared statements on Prisma's connection, the only
// implementation of those lookups: they must read a row Prisma's model API wrote exactly as Prisma
// reads it, every column of the model, on the store DATABASE_URL selects.

let store: Awaited<ReturnType<typeof createMigratedDatabase>>;
let db: Db;
let driver: DriverConnection;
let lookups: PreparedResourceLookups;

beforeAll(async () => {
  store = await createMigratedDatabase();
  ({ db, driver } = store);
  lookups = createPreparedResourceLookups(driver);
});

afterAll(() => store.close());

describe('prepared Resource lookups', () => {
  it('read every column of the model as Prisma reads it (integer, boolean and timestamp included), by identifier and by client', async () => {
    await db.resource.create({
      data: {
        identifier: 'https://api.example/',
        scopes: 'read write',
        tokenFormat: 'jwt',
        accessTokenTtl: 86_400,
        clientId: 'api-client',
        rbac: true,
        tokenClaims: 'roles groups',
      },
    });
    const expected = await db.resource.findUniqueOrThrow({ where: { identifier: 'https://api.example/' } });
    const found = await lookups.find('https://api.example/');
    expect(found).toEqual(expected);
    expect(Object.keys(found ?? {}).sort()).toEqual(Object.keys(Prisma.ResourceScalarFieldEnum).sort());
    expect(await lookups.findByClientId('api-client')).toEqual(expected);
    expect(typeof found?.accessTokenTtl).toBe('number');
    expect(found?.createdAt).toBeInstanceOf(Date);
    expect(found?.rbac).toBe(true);
  });

  it('find nothing for an API nobody registered, or one just removed (no cache to go stale)', async () => {
    expect(await lookups.find('https://nobody.example/')).toBeNull();
    expect(await lookups.findByClientId('nobody')).toBeNull();
    await db.resource.create({
      data: {
        identifier: 'https://gone.example/',
        scopes: 'read',
        tokenFormat: 'opaque',
        accessTokenTtl: 60,
        clientId: 'gone-client',
      },
    });
    expect(await lookups.find('https://gone.example/')).not.toBeNull();
    await db.resource.delete({ where: { identifier: 'https://gone.example/' } });
    expect(await lookups.find('https://gone.example/')).toBeNull();
    expect(await lookups.findByClientId('gone-client')).toBeNull();
  });
});
