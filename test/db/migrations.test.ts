import { execFileSync } from 'node:child_process';
import { createTestDatabase, createTestDatabaseOn, type TestDatabase } from '../support/test-database.js';
import { migrate } from '../../src/db/migrate.js';
import { createPrisma } from '../../src/db/create-prisma.js';
import { readMigrationHistory, readSchema } from '../../src/db/migration-history.js';
import { openSchemaEngine } from '../../src/db/schema-engine.js';
import { executeScript, schemaFingerprint } from '../support/schema-fingerprint.js';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database.drop();
});

describe('migrations', () => {
  it('replaying the history yields exactly the current data model (no drift)', async () => {
    // One database built by replaying the migration history, one built straight from the data
    // model; the catalogs of the two must agree column for column and index for index.
    const replayed = await createTestDatabaseOn(database.store);
    const direct = await createTestDatabaseOn(database.store);
    const schema = await readSchema(database.store);
    const { engine, close } = await openSchemaEngine(direct.url, schema);
    const [a, b] = [createPrisma(replayed.url), createPrisma(direct.url)];
    try {
      await migrate(replayed.url);
      const { stdout } = await engine.diff({
        from: { tag: 'empty' },
        to: { tag: 'schemaDatamodel', files: [schema] },
        script: true,
        exitCode: null,
        filters: { externalTables: [], externalEnums: [] },
      });
      await executeScript(direct.url, stdout ?? '');
      const [fromHistory, fromModel] = [
        await schemaFingerprint(a, database.store),
        await schemaFingerprint(b, database.store),
      ];
      expect(JSON.stringify(fromHistory).length).toBeGreaterThan(100);
      expect(fromHistory).toEqual(fromModel);
    } finally {
      await close();
      await Promise.all([a.$disconnect(), b.$disconnect()]);
      await Promise.all([replayed.drop(), direct.drop()]);
    }
  });

  it('applies the history once, records it in _prisma_migrations, and is a no-op the second time', async () => {
    const history = await readMigrationHistory(database.store);
    const names = history.migrationDirectories.map((d) => d.path);
    expect(await migrate(database.url)).toEqual(names);
    expect(await migrate(database.url)).toEqual([]);
    const db = createPrisma(database.url);
    try {
      const rows = await db.$queryRawUnsafe<{ migration_name: string }[]>(
        'SELECT migration_name FROM _prisma_migrations ORDER BY migration_name',
      );
      expect(rows.map((r) => r.migration_name)).toEqual(names);
    } finally {
      await db.$disconnect();
    }
  });

  it('is safe when several instances migrate one fresh database at once', async () => {
    const fresh = await createTestDatabaseOn(database.store);
    try {
      const runs = await Promise.all([migrate(fresh.url), migrate(fresh.url), migrate(fresh.url)]);
      const history = await readMigrationHistory(database.store);
      expect(runs.flat().sort()).toEqual(history.migrationDirectories.map((d) => d.path).sort());
    } finally {
      await fresh.drop();
    }
  });

  it('keeps the PostgreSQL schema derived from the single source of truth', () => {
    expect(() =>
      execFileSync(process.execPath, ['scripts/derive-schema.js', '--check'], { stdio: 'pipe' }),
    ).not.toThrow();
  });
});
