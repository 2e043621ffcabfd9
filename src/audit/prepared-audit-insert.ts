import type { DriverConnection } from '../db/create-prisma.js';
import { preparedStatement } from '../db/prepared-statements.js';
import type { AuditRow, PreparedAuditInsert } from './audit-queries.js';

/**
 * The audit trail's plain insert, as a prepared statement on Prisma's connection
 * (src/db/prepared-statements.ts): a successful sign-in writes two events, and through Prisma's
 * model API each cost about 300 µs of CPU. Every column is the row's (the service gives the id,
 * a random UUID, and both times); `foldKey` stays NULL, as Prisma leaves it for a row created
 * without one. test/audit/prepared-audit-insert.test.ts pins the row to the one Prisma writes.
 */
export function createPreparedAuditInsert(driver: DriverConnection): PreparedAuditInsert {
  const insert = preparedStatement(
    driver,
    'gatehouse_audit_insert',
    `INSERT INTO "AuditEvent" ("id", "at", "type", "outcome", "reason", "accountId", "email", "clientId", "ip", "userAgent", "detail", "count", "lastAt")
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
  );
  return {
    async insert(row: AuditRow) {
      await insert.run(
        row.id,
        row.at,
        row.type,
        row.outcome,
        row.reason,
        row.accountId,
        row.email,
        row.clientId,
        row.ip,
        row.userAgent,
        row.detail,
        row.count,
        row.lastAt,
      );
    },
  };
}
