import type { AuditFilter } from './audit-queries.js';
import type { AuditEvent, AuditService } from './audit-service.js';

/** The export reads in batches of this many: memory stays flat however long the trail. */
export const EXPORT_BATCH = 500;

/**
 * Every event that matches, newest first, read a batch at a time by keyset (last occurrence,
 * then id) so an export of the whole trail never holds it in memory.
 */
export async function* matchingEvents(
  audit: Pick<AuditService, 'page'>,
  filter: AuditFilter,
  before?: { lastAt: Date; id: string },
): AsyncGenerator<AuditEvent> {
  let after = before;
  for (;;) {
    const batch = await audit.page({ ...filter, before: after, limit: EXPORT_BATCH });
    yield* batch;
    const last = batch.at(-1);
    if (batch.length < EXPORT_BATCH || !last) return;
    after = { lastAt: new Date(last.lastAt), id: last.id };
  }
}

/**
 * One event as the management API and the console's export write it: snake_case field names,
 * the detail as JSON (GET /admin/api/v1/audit, /admin/audit/export).
 */
export const auditEventRecord = (e: AuditEvent) => ({
  id: e.id,
  at: e.at,
  last_at: e.lastAt,
  count: e.count,
  type: e.type,
  outcome: e.outcome,
  reason: e.reason,
  account_id: e.accountId,
  email: e.email,
  client_id: e.clientId,
  ip: e.ip,
  user_agent: e.userAgent,
  detail: e.detail,
});
