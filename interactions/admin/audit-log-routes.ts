import { Readable } from 'node:stream';
import type { Context } from 'koa';
import type { AuditService } from '../../src/audit/audit-service.js';
import { matchingEvents } from '../../src/audit/audit-export.js';
import type { AdminFrame } from './admin-section.js';
import { readAuditFilter } from './audit-filter-form.js';
import { auditLogPage } from './audit-log-page.js';
import { positionOf, readPosition } from './page-position.js';

const PAGE_SIZE = 50;

/** The export's line for one event: the management API's field names (GET /admin/api/v1/audit). */
const exported = (e: Awaited<ReturnType<AuditService['page']>>[number]) => ({
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

/** The Audit log: filtered, newest first, a page at a time; the filtered set exported as NDJSON. */
export function auditLogRoutes(frame: AdminFrame, { audit }: { readonly audit: AuditService }): void {
  const { router } = frame;

  router.get('/audit', async (ctx: Context) => {
    const { values, filter, errors } = readAuditFilter(ctx.query);
    const from = readPosition(ctx.query.before);
    const rows = await audit.page({ ...filter, before: from && { lastAt: from.at, id: from.id }, limit: PAGE_SIZE + 1 });
    const events = rows.slice(0, PAGE_SIZE);
    const last = events.at(-1);
    if (Object.keys(errors).length) ctx.status = 400;
    frame.render(
      ctx,
      auditLogPage({
        values,
        errors,
        events,
        next: rows.length > PAGE_SIZE && last ? positionOf(last.lastAt, last.id) : undefined,
      }),
    );
  });

  // Every matching event, one JSON object a line (NDJSON), streamed in batches; a bad filter is refused, not widened.
  router.get('/audit/export', async (ctx: Context) => {
    const { filter, errors } = readAuditFilter(ctx.query);
    if (Object.keys(errors).length) {
      ctx.status = 400;
      ctx.type = 'text/plain; charset=utf-8';
      ctx.body = `The export was not made: ${Object.entries(errors).map(([field, message]) => `${field}: ${message}`).join(' ')}\n`;
      return;
    }
    ctx.type = 'application/x-ndjson; charset=utf-8';
    ctx.set('Content-Disposition', 'attachment; filename="audit.ndjson"');
    ctx.body = Readable.from(
      (async function* () {
        for await (const event of matchingEvents(audit, filter)) yield `${JSON.stringify(exported(event))}\n`;
      })(),
    );
  });
}
