import { createTestDatabase, type TestDatabase } from './test-database.js';

/**
 * A fresh database for one test file, made before its tests and dropped after them, with the
 * environment the CLI runner needs. Read `env` inside tests (it is set in beforeAll).
 */
export function useCliDatabase(): { database: TestDatabase; env: Record<string, string> } {
  const state = {} as { database: TestDatabase; env: Record<string, string> };
  beforeAll(async () => {
    state.database = await createTestDatabase();
    state.env = { DATABASE_URL: state.database.url };
  });
  afterAll(() => state.database.drop());
  return state;
}
