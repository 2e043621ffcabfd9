import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { frozenClock } from '../support/frozen-clock.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { prepareDatabase } from '../../src/boot/prepare-database.js';
import { migrate } from '../../src/db/migrate.js';
import { createPrisma, sqlitePath } from '../../src/db/create-prisma.js';
import { createKeyQueries } from '../../src/keys/key-queries.js';
import { createKeyService } from '../../src/keys/key-service.js';

/** Time stands still at the start of the file; the tests here are about keys, not their ages. */
const now = frozenClock(Date.now());

let database: TestDatabase;
let kekDir: string;

beforeEach(async () => {
  database = await createTestDatabase();
  kekDir = mkdtempSync(join(tmpdir(), 'gatehouse-kek-'));
});

afterEach(async () => {
  await database.drop();
  rmSync(kekDir, { recursive: true, force: true });
});

/** SQLite keeps its KEK beside the database by default; PostgreSQL is given a file of its own here. */
const config = (env: Record<string, string> = {}) =>
  database.config(database.store === 'sqlite' ? env : { GATEHOUSE_KEK_FILE: join(kekDir, 'gatehouse.kek'), ...env });

async function keyRows() {
  const db = createPrisma(database.url);
  try {
    return await db.key.findMany();
  } finally {
    await db.$disconnect();
  }
}

async function signingJwks(kek: Buffer) {
  const db = createPrisma(database.url);
  try {
    return await createKeyService(createKeyQueries(db), { kek, clock: now }).signingJwks();
  } finally {
    await db.$disconnect();
  }
}

describe('preparing the database without GATEHOUSE_KEK (ASVS 4.0 §6.4.1: keys encrypted at rest)', () => {
  it('generates a 0600 KEK file of 32 random bytes and seals every private key with it', async () => {
    const prepared = await prepareDatabase(config(), now);
    const file = config().kekFile;
    if (database.store === 'sqlite') expect(dirname(file)).toBe(dirname(sqlitePath(database.url)));
    expect(prepared.kek).toMatchObject({ source: 'file', file, created: true });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')).toEqual(prepared.kek.key);
    expect(prepared.kek.key).toHaveLength(32);

    const rows = await keyRows();
    expect(rows).toHaveLength(3);
    expect(rows.every((row) => row.sealed && !row.material.includes('"d"'))).toBe(true);
  });

  it('reuses the same KEK and the same keys on the next start', async () => {
    const first = await prepareDatabase(config(), now);
    const jwks = await signingJwks(first.kek.key);
    const again = await prepareDatabase(config(), now);
    expect(again.kek).toMatchObject({ created: false, file: first.kek.file });
    expect(again.kek.key).toEqual(first.kek.key);
    expect(again.createdKeys).toEqual([]);
    expect(await signingJwks(again.kek.key)).toEqual(jwks);
  });

  it('seals keys an earlier version stored in the clear, and they keep working', async () => {
    await migrate(database.url);
    const db = createPrisma(database.url);
    try {
      await createKeyService(createKeyQueries(db), { clock: now }).ensureKeys(); // no KEK: what older versions wrote
    } finally {
      await db.$disconnect();
    }
    const legacy = await keyRows();
    expect(legacy.every((row) => !row.sealed && row.material.includes('"d"') === (row.use === 'sig'))).toBe(true);
    const clearJwks = await signingJwks(randomBytes(32)); // clear rows open with any key

    const prepared = await prepareDatabase(config(), now);
    expect([...prepared.sealedKeys].sort()).toEqual(legacy.map((row) => row.kid).sort());
    expect(prepared.createdKeys).toEqual([]);
    expect((await keyRows()).every((row) => row.sealed && !row.material.includes('"d"'))).toBe(true);
    expect(await signingJwks(prepared.kek.key)).toEqual(clearJwks);
    expect((await prepareDatabase(config(), now)).sealedKeys).toEqual([]);
  });

  it('uses GATEHOUSE_KEK when it is set, and writes no KEK file', async () => {
    const kek = randomBytes(32);
    const prepared = await prepareDatabase(config({ GATEHOUSE_KEK: kek.toString('base64') }), now);
    expect(prepared.kek).toMatchObject({ source: 'GATEHOUSE_KEK', created: false });
    expect(prepared.kek.key).toEqual(kek);
    expect(() => statSync(config().kekFile)).toThrow(/ENOENT/);
    expect((await keyRows()).every((row) => row.sealed)).toBe(true);
  });
});

describe('the management API, named after the issuer', () => {
  async function managementApis() {
    const db = createPrisma(database.url);
    try {
      return (await db.resource.findMany()).map((r) => r.identifier).filter((id) => id.endsWith('/admin/api'));
    } finally {
      await db.$disconnect();
    }
  }

  it('is not made by a command run without ISSUER, whose issuer is only a guess; the server makes it', async () => {
    await prepareDatabase(config(), now, 'command');
    expect(await managementApis()).toEqual([]);
    await prepareDatabase(config(), now, 'server');
    expect(await managementApis()).toEqual([`${config().issuer}/admin/api`]);
  });

  it('is made by a command given ISSUER, under that issuer', async () => {
    await prepareDatabase(config({ ISSUER: 'https://id.example.com' }), now, 'command');
    expect(await managementApis()).toEqual(['https://id.example.com/admin/api']);
  });
});
