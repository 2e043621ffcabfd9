import { z } from 'zod';
import type { AccountService } from '../accounts/account-service.js';
import type { AuditService } from '../audit/audit-service.js';
import { normalizeEmail } from '../kernel/normalize-email.js';
import { auditEventRecord, matchingEvents } from '../audit/audit-export.js';
import { defineRoute, type AnyApiRoute } from './api-route.js';
import { pageOf, pageQuery } from './common-schemas.js';
import type { PageCursors } from './page-cursor.js';

const AuditEventSchema = z
  .object({
    id: z.string(),
    at: z.string(),
    last_at: z.string(),
    count: z.number().int(),
    type: z.string(),
    outcome: z.string(),
    reason: z.string().nullable(),
    account_id: z.string().nullable(),
    email: z.string().nullable(),
    client_id: z.string().nullable(),
    ip: z.string().nullable(),
    user_agent: z.string().nullable(),
    detail: z.record(z.string(), z.unknown()).nullable(),
  })
  .meta({ id: 'AuditEvent' });

const isoTime = z.iso.datetime({ offset: true });

const AuditQuery = z.strictObject({
  ...pageQuery,
  email: z.string().max(320).optional().meta({ description: 'Events of this address' }),
  account: z.string().max(100).optional().meta({ description: 'Events of this account id' }),
  type: z.string().max(100).optional().meta({ description: 'e.g. signin, admin.user.created' }),
  client: z
    .string()
    .max(200)
    .optional()
    .meta({ description: 'Events of this client (for admin.* events: the caller)' }),
  outcome: z.enum(['success', 'failure', 'blocked']).optional(),
  since: isoTime.optional().meta({ description: 'Last occurrence at or after (RFC 3339)' }),
  until: isoTime.optional().meta({ description: 'Last occurrence before (RFC 3339)' }),
  format: z.enum(['json', 'ndjson']).default('json').meta({ description: 'ndjson streams every match, one per line' }),
});

const view = auditEventRecord;

/** The audit trail, newest first: a page at a time, or (`?format=ndjson`) all of it, streamed. */
export function auditRoutes({
  audit,
  cursors,
}: {
  audit: AuditService;
  accounts: AccountService;
  cursors: PageCursors;
}): AnyApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/audit',
      operationId: 'listAuditEvents',
      summary: 'Search the audit trail, newest first',
      tag: 'audit',
      scope: 'admin:read',
      query: AuditQuery,
      success: {
        status: 200,
        description: 'A page of events, or with ?format=ndjson every match',
        schema: pageOf(AuditEventSchema, 'AuditEventPage'),
        ndjson: true,
      },
      errors: ['ERR_CURSOR_INVALID'],
      async handle({ query }) {
        const filter = {
          email: query.email === undefined ? undefined : normalizeEmail(query.email),
          accountId: query.account,
          type: query.type,
          clientId: query.client,
          outcome: query.outcome,
          since: query.since === undefined ? undefined : new Date(query.since),
          until: query.until === undefined ? undefined : new Date(query.until),
        };
        const scope = `audit:${JSON.stringify(filter)}`;
        const start = query.cursor ? cursors.open<[string, string]>(scope, query.cursor) : undefined;
        const before = start && { lastAt: new Date(start[0]), id: start[1] };
        if (query.format === 'ndjson') {
          return {
            ndjson: (async function* () {
              for await (const event of matchingEvents(audit, filter, before)) yield view(event);
            })(),
          };
        }
        const rows = await audit.page({ ...filter, before, limit: query.limit + 1 });
        const items = rows.slice(0, query.limit);
        const last = items.at(-1);
        return {
          body: {
            items: items.map(view),
            next_cursor: rows.length > query.limit && last ? cursors.seal(scope, [last.lastAt, last.id]) : null,
          },
        };
      },
    }),
  ];
}
