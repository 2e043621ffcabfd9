import { Readable } from 'node:stream';
import type { AuditEvent, AuditService } from '../../src/audit/audit-service.js';
import type { AccountService } from '../../src/accounts/account-service.js';
import { auditEventRecord, matchingEvents } from '../../src/audit/audit-export.js';
import type { AdminPageModule } from './admin-frame.js';
import { adminPagination, ADMIN_PAGE_SIZE } from './admin-pagination.js';
import { readAuditFilter } from './audit-filter-form.js';
import { auditLogPage } from './audit-log-page.js';

/** The Audit log: filtered, newest first, a page at a time; the filtered set exported as NDJSON. */
export const auditLogSection =
  ({
    audit,
    accounts,
  }: {
    readonly audit: AuditService;
    readonly accounts: Pick<AccountService, 'findById'>;
  }): AdminPageModule =>
  (router, kit) => {
    /**
     * The addresses of the people a page names only by account (a second-step decision, a session
     * ended): one prepared look-up per distinct account, at most a page's worth.
     */
    const addressesOf = async (events: readonly AuditEvent[]) => {
      const ids = [...new Set(events.filter((e) => !e.email && e.accountId).map((e) => e.accountId as string))];
      const found = await Promise.all(ids.map(async (id) => [id, (await accounts.findById(id))?.email] as const));
      return new Map(found.filter((pair): pair is readonly [string, string] => Boolean(pair[1])));
    };

    router.get('/audit', async (ctx) => {
      const { values, filter, errors } = readAuditFilter(ctx.query);
      const after = adminPagination.after<[string, string]>(ctx.query);
      const before = Array.isArray(after) ? { lastAt: new Date(after[0]), id: String(after[1]) } : undefined;
      const rows = await audit.page({
        ...filter,
        before: before && !Number.isNaN(before.lastAt.getTime()) ? before : undefined,
        limit: ADMIN_PAGE_SIZE + 1,
      });
      const { items, next } = adminPagination.page(rows, (e) => [e.lastAt, e.id]);
      if (Object.keys(errors).length) ctx.status = 400;
      kit.render(
        ctx,
        auditLogPage({
          values,
          errors,
          events: items,
          addresses: await addressesOf(items),
          pager: adminPagination.links('/admin/audit', { ...values }, next, Boolean(after)),
        }),
      );
    });

    // Every matching event, one JSON object a line (NDJSON), streamed in batches; a bad filter is
    // refused, never silently widened to more events than were asked for.
    router.get('/audit/export', async (ctx) => {
      const { filter, errors } = readAuditFilter(ctx.query);
      if (Object.keys(errors).length) {
        ctx.status = 400;
        ctx.type = 'text/plain; charset=utf-8';
        ctx.body = `The export was not made: ${Object.values(errors).join(' ')}\n`;
        return;
      }
      ctx.type = 'application/x-ndjson; charset=utf-8';
      ctx.set('Content-Disposition', 'attachment; filename="audit.ndjson"');
      ctx.body = Readable.from(
        (async function* () {
          for await (const event of matchingEvents(audit, filter)) yield `${JSON.stringify(auditEventRecord(event))}\n`;
        })(),
      );
    });
  };
