import type { DriverConnection } from '../db/create-prisma.js';
import { preparedStatement } from '../db/prepared-statements.js';
import type { PreparedSessionActivity } from './session-activity-queries.js';

/**
 * A session's activity row, written on every sign-in (and each time the session is seen), as one
 * INSERT … ON CONFLICT DO UPDATE on the primary key, a prepared statement on Prisma's connection
 * (src/db/prepared-statements.ts). A new row's `createdAt` is its first `lastSeenAt`, as the
 * model-API upsert set it; an existing row keeps its `createdAt`.
 * test/sessions/prepared-session-activity.test.ts pins the row to the one Prisma writes.
 */
export function createPreparedSessionActivity(driver: DriverConnection): PreparedSessionActivity {
  const upsert = preparedStatement(
    driver,
    'gatehouse_session_activity_upsert',
    `INSERT INTO "SessionActivity" ("sessionUid", "accountId", "userAgent", "ip", "createdAt", "lastSeenAt")
      VALUES ($1, $2, $3, $4, $5, $5)
      ON CONFLICT ("sessionUid") DO UPDATE SET "accountId" = excluded."accountId", "userAgent" = excluded."userAgent",
        "ip" = excluded."ip", "lastSeenAt" = excluded."lastSeenAt"`,
  );
  return {
    async upsert(row) {
      await upsert.run(row.sessionUid, row.accountId, row.userAgent, row.ip, row.lastSeenAt);
    },
  };
}
