import type { AuditService } from '../audit/audit-service.js';
import type { Actor } from '../sessions/session-service.js';
import { operatorDetail } from '../sessions/operator-actor.js';

/** The operator on the server's machine: the CLI. */
export const CLI_OPERATOR: Actor = { by: 'admin' };

/**
 * A change Gatehouse makes as part of another one (a resource server's own client, made and
 * removed with its resource): the change it belongs to is the one audited.
 */
export const AS_PART_OF_ANOTHER_CHANGE: Actor = { by: 'system' };

export type AdminAuditType = Parameters<AuditService['record']>[0]['type'];

/**
 * Records an admin's change to a client or a resource, as account-admin-service.ts does for
 * accounts: the calling client (a management API caller) in the event's client column, so the
 * trail can be queried by it, and who made it in its detail (operator-actor.ts) with what changed.
 * A change names no person of its own, so a console administrator is also the event's person
 * (account and email columns): the Audit log's person filter finds what they did.
 */
export async function recordOperatorChange(
  audit: Pick<AuditService, 'record'> | undefined,
  actor: Actor,
  type: AdminAuditType,
  detail: Record<string, unknown>,
): Promise<void> {
  if (!audit || actor.by !== 'admin') return;
  await audit.record({
    type,
    outcome: 'success',
    clientId: actor.clientId ?? null,
    ...(actor.admin ? { accountId: actor.admin.accountId, email: actor.admin.email } : {}),
    ip: actor.ip,
    userAgent: actor.userAgent,
    detail: { ...detail, ...operatorDetail(actor) },
  });
}
