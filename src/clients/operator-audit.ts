import type { AuditService } from '../audit/audit-service.js';
import type { Actor } from '../sessions/session-service.js';

/** The operator on the server's machine: the CLI. */
export const CLI_OPERATOR: Actor = { by: 'admin' };

/**
 * A change Gatehouse makes as part of another one (a resource server's own client, made and
 * removed with its resource): the change it belongs to is the one audited.
 */
export const AS_PART_OF_ANOTHER_CHANGE: Actor = { by: 'system' };

export type AdminAuditType = Parameters<AuditService['record']>[0]['type'];

/** Where an admin's change came from: the CLI, a management API client, or the admin console. */
export const actorKind = (actor: Actor): 'cli' | 'api' | 'console' =>
  actor.administrator ? 'console' : actor.clientId ? 'api' : 'cli';

/**
 * Records an admin's change to a client or a resource, as account-admin-service.ts does for
 * accounts: the calling client (a management API caller) in the event's client column, so the
 * trail can be queried by it, and `actor` ('cli', 'api' or 'console') in its detail with what
 * changed. A console administrator is the event's person (account, email, address, browser), so
 * the Audit log's person filter finds what they did.
 */
export async function recordOperatorChange(
  audit: Pick<AuditService, 'record'> | undefined,
  actor: Actor,
  type: AdminAuditType,
  detail: Record<string, unknown>,
): Promise<void> {
  if (!audit || actor.by !== 'admin') return;
  const admin = actor.administrator;
  await audit.record({
    type,
    outcome: 'success',
    clientId: actor.clientId ?? null,
    ...(admin ? { accountId: admin.accountId, email: admin.email, ip: actor.ip, userAgent: actor.userAgent } : {}),
    detail: { ...detail, actor: actorKind(actor) },
  });
}
