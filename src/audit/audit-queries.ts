import type { Db } from '../db/create-prisma.js';

export interface AuditRow {
  readonly id: string;
  readonly at: Date;
  readonly type: string;
  readonly outcome: string;
  readonly reason: string | null;
  readonly accountId: string | null;
  readonly email: string | null;
  readonly clientId: string | null;
  readonly ip: string | null;
  readonly userAgent: string | null;
  readonly detail: string | null;
}

export function createAuditQueries(db: Db) {
  return {
    async insert(row: AuditRow): Promise<void> {
      await db.auditEvent.create({ data: row });
    },
    list(filter: { email?: string; accountId?: string; limit: number }): Promise<AuditRow[]> {
      const where = filter.email || filter.accountId
        ? { OR: [...(filter.email ? [{ email: filter.email }] : []), ...(filter.accountId ? [{ accountId: filter.accountId }] : [])] }
        : {};
      return db.auditEvent.findMany({ where, orderBy: [{ at: 'desc' }, { id: 'desc' }], take: filter.limit });
    },
    /** Failed or refused events of these types for an account after a moment. */
    countFailures(accountId: string, types: readonly string[], after: Date): Promise<number> {
      return db.auditEvent.count({ where: { accountId, type: { in: [...types] }, outcome: { in: ['failure', 'blocked'] }, at: { gt: after } } });
    },
    /** An account's events of one type, newest first. */
    listByType(accountId: string, type: string, limit: number): Promise<AuditRow[]> {
      return db.auditEvent.findMany({ where: { accountId, type }, orderBy: [{ at: 'desc' }, { id: 'desc' }], take: limit });
    },
  };
}

export type AuditQueries = ReturnType<typeof createAuditQueries>;
