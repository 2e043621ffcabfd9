import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { gatehouse } from '../support/run-gatehouse.js';
import { pendingMigrations } from '../../src/db/migrate.js';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database.drop();
});

describe('read-only commands never migrate (issue: "Migrations don\'t run before read-only commands")', () => {
  it('report a database that is not up to date, change nothing, and work once it is migrated', async () => {
    const env = { DATABASE_URL: database.url };
    for (const argv of [['user', 'list'], ['client', 'list'], ['resource', 'list'], ['keys', 'list'], ['audit']]) {
      const result = await gatehouse(env, ...argv, '--json');
      expect({ argv, code: result.code }).toEqual({ argv, code: 1 });
      expect(result.json()).toEqual({
        error: { code: 'ERR_DATABASE_NOT_READY', message: expect.stringMatching(/run `gatehouse migrate`/) },
      });
    }
    expect((await pendingMigrations(database.url)).length).toBeGreaterThan(0);

    expect((await gatehouse(env, 'migrate')).code).toBe(0);
    expect(await pendingMigrations(database.url)).toEqual([]);
    const listed = await gatehouse(env, 'user', 'list', '--json');
    expect(listed.json()).toEqual({ users: [] });
  });
});
