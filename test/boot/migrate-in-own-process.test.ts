import { mkdirSync } from 'node:fs';
import { migrateInOwnProcess } from '../../src/boot/migrate-in-own-process.js';
import { pendingMigrations } from '../../src/db/migrate.js';
import { readMigrationHistory } from '../../src/db/migration-history.js';
import { createTestDatabase, createTestDatabaseOn, type TestDatabase } from '../support/test-database.js';

/** The built CLI, as `gatehouse serve` runs it: node bin/gatehouse.js. */
const GATEHOUSE = ['bin/gatehouse.js'];

let database: TestDatabase;

beforeEach(async () => {
  database = await createTestDatabase();
});
afterEach(async () => {
  await database.drop();
});

describe('migrateInOwnProcess', () => {
  it('applies every pending migration in a `gatehouse migrate` process of its own, and says which', async () => {
    const { migrationDirectories } = await readMigrationHistory(database.store);
    const applied = await migrateInOwnProcess(database.config(), GATEHOUSE);
    expect(applied).toEqual(migrationDirectories.map((dir) => dir.path));
    expect(await pendingMigrations(database.url)).toEqual([]);
  });

  it('starts no process when nothing is pending', async () => {
    await migrateInOwnProcess(database.config(), GATEHOUSE);
    // A process of this program could not run: only not starting one resolves.
    await expect(migrateInOwnProcess(database.config(), ['bin/no-such-program.js'])).resolves.toEqual([]);
  });

  it('never migrates in this process: a process that cannot run leaves the migrations pending', async () => {
    const before = await pendingMigrations(database.url);
    await expect(migrateInOwnProcess(database.config(), ['bin/no-such-program.js'])).rejects.toMatchObject({
      code: 'ERR_INTERNAL',
      message: expect.stringContaining('gatehouse migrate did not run'),
    });
    expect(await pendingMigrations(database.url)).toEqual(before);
  });

  it('refuses an answer that is not the JSON `gatehouse migrate --json` prints', async () => {
    await expect(
      migrateInOwnProcess(database.config(), ['--eval', "console.log('migrated, probably')"]),
    ).rejects.toMatchObject({
      code: 'ERR_INTERNAL',
      message: 'gatehouse migrate answered something other than JSON: migrated, probably',
    });
  });

  it("answers the migration's own error, in its words", async () => {
    const sqlite = await createTestDatabaseOn('sqlite');
    const path = sqlite.url.slice('file:'.length);
    // A folder where the database file should be: SQLite cannot open it.
    mkdirSync(path);
    try {
      await expect(migrateInOwnProcess(sqlite.config(), GATEHOUSE)).rejects.toMatchObject({
        message: expect.stringContaining(`cannot open the SQLite database ${path} for writing (SQLITE_CANTOPEN)`),
      });
    } finally {
      await sqlite.drop();
    }
  });
});
