import pg from 'pg';
import { startTestServer } from '../support/test-server.js';
import { createTestDatabaseOn, postgresBase } from '../support/test-database.js';

describe('/readyz', () => {
  // A database that vanishes is easiest to produce with PostgreSQL, which CI always runs, so this
  // test uses it whichever store the rest of the suite is on.
  it('answers 503 once the database is unreachable, while /healthz still says the process lives', async () => {
    const database = await createTestDatabaseOn('postgresql');
    const server = await startTestServer({}, database);
    try {
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      const name = new URL(database.url).pathname.slice(1);
      const admin = new pg.Client({ connectionString: postgresBase() });
      await admin.connect();
      await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
      await admin.end();

      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ status: 'unavailable', reason: 'database not reachable' });
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
