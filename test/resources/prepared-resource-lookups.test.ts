import { createMigratedDatabase } from '../support/test-database.js';
import type { Db, DriverConnection } from '../../src/db/create-prisma.js';
import { createResourceQueries } from '../../src/resources/resource-queries.js';
import { createPreparedResourceLookups } from '../../src/resources/prepared-resource-lookups.js';

// Token requests look APIs up through prepared statements on Prisma's connection; what they read
// must be exactly what Prisma reads, column by column, on the store DATABASE_URL selects.

let store: Awaited<ReturnType<typeof createMigratedDatabase>>;
let db: Db;
let driver: DriverConnection;

beforeAll(async () => {
  store = await createMigratedDatabase();
  ({ db, driver } = store);
});

afterAll(() => store.close());

describe('prepared Resource lookups', () => {
  it('read every column of a row Prisma wrote exactly as Prisma reads it (integer and timestamp included)', async () => {
    const viaPrisma = createResourceQueries(db);
    const viaPrepared = createResourceQueries(db, createPreparedResourceLookups(driver));
    await viaPrisma.insert({ identifier: 'https://api.example/', scopes: 'read write', tokenFormat: 'jwt', accessTokenTtl: 86_400, clientId: 'api-client' });
    const expected = await viaPrisma.find('https://api.example/');
    expect(expected?.createdAt).toBeInstanceOf(Date);
    expect(await viaPrepared.find('https://api.example/')).toEqual(expected);
    expect(await viaPrepared.findByClientId('api-client')).toEqual(expected);
    expect(typeof (await viaPrepared.find('https://api.example/'))?.accessTokenTtl).toBe('number');
  });

  it('find nothing for an API nobody registered, or one just removed (no cache to go stale)', async () => {
    const viaPrisma = createResourceQueries(db);
    const viaPrepared = createResourceQueries(db, createPreparedResourceLookups(driver));
    expect(await viaPrepared.find('https://nobody.example/')).toBeNull();
    expect(await viaPrepared.findByClientId('nobody')).toBeNull();
    await viaPrisma.insert({ identifier: 'https://gone.example/', scopes: 'read', tokenFormat: 'opaque', accessTokenTtl: 60, clientId: 'gone-client' });
    expect(await viaPrepared.find('https://gone.example/')).not.toBeNull();
    await viaPrisma.delete('https://gone.example/');
    expect(await viaPrepared.find('https://gone.example/')).toBeNull();
    expect(await viaPrepared.findByClientId('gone-client')).toBeNull();
  });
});
