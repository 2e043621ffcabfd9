import { createMigratedDatabase } from '../support/test-database.js';
import { storedRows } from '../support/stored-rows.js';
import type { Db, DriverConnection } from '../../src/db/create-prisma.js';
import { Prisma } from '../../src/generated/sqlite/client.js';
import type { SessionActivityRow } from '../../src/sessions/session-activity-queries.js';
import { createPreparedSessionActivity } from '../../src/sessions/prepared-session-activity.js';

// Every sign-in writes its session's activity through this prepared upsert, the only
// implementation of that write: the row must be the one Prisma's model-API upsert wrote, every
// column in the same format, on the store DATABASE_URL selects.

let store: Awaited<ReturnType<typeof createMigratedDatabase>>;
let db: Db;
let driver: DriverConnection;

beforeAll(async () => {
  store = await createMigratedDatabase();
  ({ db, driver } = store);
});

afterAll(() => store.close());

/** What session-activity-queries.ts's touch ran before. */
const viaPrisma = (row: Omit<SessionActivityRow, 'createdAt'>) =>
  db.sessionActivity.upsert({
    where: { sessionUid: row.sessionUid },
    create: { ...row, createdAt: row.lastSeenAt },
    update: { accountId: row.accountId, userAgent: row.userAgent, ip: row.ip, lastSeenAt: row.lastSeenAt },
  });

const stored = async (sessionUid: string) => {
  const [row] = await storedRows(driver, 'SELECT * FROM "SessionActivity" WHERE "sessionUid" = $1', sessionUid);
  return { ...row, sessionUid: 'x' };
};

describe('prepared SessionActivity upsert', () => {
  it('creates the row at its first sighting, then updates every column but createdAt, as Prisma did', async () => {
    const prepared = createPreparedSessionActivity(driver);
    const first = new Date(Date.UTC(2030, 0, 1, 2, 3, 4, 5));
    const later = new Date(Date.UTC(2030, 0, 1, 5, 6, 7, 8));
    const sightings = [
      { accountId: 'acct-1', userAgent: 'Mozilla/5.0 (ü ✓)', ip: '203.0.113.9', lastSeenAt: first },
      { accountId: 'acct-2', userAgent: null, ip: null, lastSeenAt: later },
    ];
    for (const sighting of sightings) {
      await prepared.upsert({ sessionUid: 'ours', ...sighting });
      await viaPrisma({ sessionUid: 'theirs', ...sighting });
      const ours = await db.sessionActivity.findUniqueOrThrow({ where: { sessionUid: 'ours' } });
      const theirs = await db.sessionActivity.findUniqueOrThrow({ where: { sessionUid: 'theirs' } });
      expect(Object.keys(ours).sort()).toEqual(Object.keys(Prisma.SessionActivityScalarFieldEnum).sort());
      expect({ ...ours, sessionUid: 'x' }).toEqual({ ...theirs, sessionUid: 'x' });
      expect(ours).toEqual({ sessionUid: 'ours', ...sighting, createdAt: first });
      expect(await stored('ours')).toEqual(await stored('theirs'));
    }
  });
});
