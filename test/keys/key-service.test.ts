import { randomBytes } from 'node:crypto';
import { createMigratedDatabase } from '../support/test-database.js';
import { frozenClock } from '../support/frozen-clock.js';
import { createPrisma, type Db } from '../../src/db/create-prisma.js';
import { createKeyQueries } from '../../src/keys/key-queries.js';
import { createKeyService, RETIRED_KEY_PUBLISHED_MS } from '../../src/keys/key-service.js';

/** Time stands still at the start of the file; the tests here are about keys, not their ages. */
const now = frozenClock(Date.now());

let store: Awaited<ReturnType<typeof createMigratedDatabase>>;
let db: Db;

beforeAll(async () => {
  store = await createMigratedDatabase();
  ({ db } = store);
});

beforeEach(async () => {
  await db.key.deleteMany();
});

afterAll(async () => {
  await store.close();
});

describe('the key service', () => {
  it('creates an RS256 key, an ES256 key and a cookie secret once, and nothing on later starts', async () => {
    const keys = createKeyService(createKeyQueries(db), { clock: now });
    expect(await keys.ensureKeys()).toHaveLength(3);
    expect(await keys.ensureKeys()).toEqual([]);
    const jwks = await keys.signingJwks();
    expect(jwks.keys.map((k) => k.alg).sort()).toEqual(['ES256', 'RS256']);
    expect(jwks.keys.every((k) => typeof k.d === 'string' && typeof k.kid === 'string')).toBe(true);
    expect(await keys.cookieKeys()).toHaveLength(1);
  });

  it('gives a second instance on the same database the very same keys', async () => {
    await createKeyService(createKeyQueries(db), { clock: now }).ensureKeys();
    const other = createPrisma(store.database.url);
    try {
      const first = await createKeyService(createKeyQueries(db), { clock: now }).signingJwks();
      const second = await createKeyService(createKeyQueries(other), { clock: now }).signingJwks();
      expect(second).toEqual(first);
    } finally {
      await other.$disconnect();
    }
  });

  it('seals private material with GATEHOUSE_KEK, and refuses to open it without the right key', async () => {
    const kek = randomBytes(32);
    await createKeyService(createKeyQueries(db), { kek, clock: now }).ensureKeys();
    const rows = await db.key.findMany();
    expect(rows.every((row) => row.sealed && !row.material.includes('"d"'))).toBe(true);
    expect((await createKeyService(createKeyQueries(db), { kek, clock: now }).signingJwks()).keys).toHaveLength(2);
    await expect(createKeyService(createKeyQueries(db), { clock: now }).signingJwks()).rejects.toMatchObject({
      code: 'ERR_KEK_REQUIRED',
    });
    await expect(
      createKeyService(createKeyQueries(db), { kek: randomBytes(32), clock: now }).signingJwks(),
    ).rejects.toMatchObject({ code: 'ERR_KEK_MISMATCH' });
  });

  it('rotates: new keys sign first, old ones stay published until their tokens have expired', async () => {
    const clock = frozenClock();
    const keys = createKeyService(createKeyQueries(db), { clock });
    await keys.ensureKeys();
    const before = (await keys.signingJwks()).keys.map((k) => k.kid);
    clock.advance(1000);
    const created = await keys.rotate();
    const after = (await keys.signingJwks()).keys.map((k) => k.kid);
    expect(after.slice(0, 2).sort()).toEqual([...created].sort());
    expect(after.slice(2).sort()).toEqual([...before].sort());
    expect((await keys.list()).filter((k) => k.status === 'retired')).toHaveLength(2);

    clock.advance(RETIRED_KEY_PUBLISHED_MS + 1);
    expect((await keys.signingJwks()).keys.map((k) => k.kid).sort()).toEqual([...created].sort());
    expect(await keys.pruneRetired()).toBe(2);
    expect((await keys.list()).filter((k) => k.use === 'sig')).toHaveLength(2);
  });
});
