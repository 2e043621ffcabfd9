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
  /** How many occurrences this row stands for (more than 1 only for folded events). */
  readonly count: number;
  /** When the last of them happened. */
  readonly lastAt: Date;
}

/** One string entry of an event's detail, to narrow a count to the events that hold it. */
export interface DetailEntry {
  readonly key: string;
  readonly value: string;
}

/** What the audit trail can be searched by (the management API's GET /audit). */
export interface AuditFilter {
  readonly email?: string;
  readonly accountId?: string;
  readonly type?: string;
  readonly clientId?: string;
  readonly outcome?: string;
  /** Last occurrence at or after. */
  readonly since?: Date;
  /** Last occurrence before. */
  readonly until?: Date;
}

/** The insert every event not folded takes (prepared-audit-insert.ts implements it). */
export interface PreparedAuditInsert {
  insert(row: AuditRow): Promise<void>;
}

/** The plain insert is `prepared`'s, its only implementation; the rest go through Prisma's model API. */
export function createAuditQueries(db: Db, prepared: PreparedAuditInsert) {
  return {
    insert(row: AuditRow): Promise<void> {
      return prepared.insert(row);
    },

    /**
     * Inserts the row, or counts one more occurrence on the row already holding `foldKey`. With a
     * unique `foldKey` in `where` and `create` and nothing nested, Prisma issues this as one
     * INSERT … ON CONFLICT DO UPDATE on both stores, so concurrent instances never lose a count
     * or insert a duplicate.
     */
    async fold(row: AuditRow, foldKey: string): Promise<void> {
      await db.auditEvent.upsert({
        where: { foldKey },
        create: { ...row, foldKey },
        update: { count: { increment: 1 }, lastAt: row.lastAt, detail: row.detail },
      });
    },

    list(filter: { email?: string; accountId?: string; limit: number }): Promise<AuditRow[]> {
      const where =
        filter.email || filter.accountId
          ? {
              OR: [
                ...(filter.email ? [{ email: filter.email }] : []),
                ...(filter.accountId ? [{ accountId: filter.accountId }] : []),
              ],
            }
          : {};
      return db.auditEvent.findMany({
        where,
        orderBy: [{ lastAt: 'desc' }, { id: 'desc' }],
        take: filter.limit,
        omit: { foldKey: true },
      });
    },

    /**
     * Newest first (by last occurrence, then id: a total order for keyset paging), filtered by any of
     * these together, `limit` rows at most after the `before` position.
     */
    page(filter: AuditFilter & { before?: { lastAt: Date; id: string }; limit: number }): Promise<AuditRow[]> {
      const { before } = filter;
      return db.auditEvent.findMany({
        where: {
          ...(filter.email !== undefined ? { email: filter.email } : {}),
          ...(filter.accountId !== undefined ? { accountId: filter.accountId } : {}),
          ...(filter.type !== undefined ? { type: filter.type } : {}),
          ...(filter.clientId !== undefined ? { clientId: filter.clientId } : {}),
          ...(filter.outcome !== undefined ? { outcome: filter.outcome } : {}),
          AND: [
            ...(filter.since ? [{ lastAt: { gte: filter.since } }] : []),
            ...(filter.until ? [{ lastAt: { lt: filter.until } }] : []),
            // The bound on lastAt alone lets the store walk the (lastAt, id) index from that point.
            ...(before
              ? [
                  { lastAt: { lte: before.lastAt } },
                  { OR: [{ lastAt: { lt: before.lastAt } }, { lastAt: before.lastAt, id: { lt: before.id } }] },
                ]
              : []),
          ],
        },
        orderBy: [{ lastAt: 'desc' }, { id: 'desc' }],
        take: filter.limit,
        omit: { foldKey: true },
      });
    },

    /** Deletes up to `batch` events whose last occurrence is before `cutoff`; returns how many. */
    async deleteOlderThan(cutoff: Date, batch: number): Promise<number> {
      const rows = await db.auditEvent.findMany({
        where: { lastAt: { lt: cutoff } },
        select: { id: true },
        take: batch,
      });
      if (!rows.length) return 0;
      const { count } = await db.auditEvent.deleteMany({ where: { id: { in: rows.map((r) => r.id) } } });
      return count;
    },
    /** Failed or refused events of these types for an account after a moment; with `only`, just those whose detail holds that entry. */
    countFailures(accountId: string, types: readonly string[], after: Date, only?: DetailEntry): Promise<number> {
      return db.auditEvent.count({
        where: {
          accountId,
          type: { in: [...types] },
          outcome: { in: ['failure', 'blocked'] },
          at: { gt: after },
          // The detail column holds JSON.stringify of the event's detail (audit-service.ts): one string entry reads `"key":"value"` there.
          ...(only ? { detail: { contains: JSON.stringify({ [only.key]: only.value }).slice(1, -1) } } : {}),
        },
      });
    },
    /** An account's events of one type, newest first. */
    listByType(accountId: string, type: string, limit: number): Promise<AuditRow[]> {
      return db.auditEvent.findMany({
        where: { accountId, type },
        orderBy: [{ at: 'desc' }, { id: 'desc' }],
        take: limit,
      });
    },
  };
}

export type AuditQueries = ReturnType<typeof createAuditQueries>;
