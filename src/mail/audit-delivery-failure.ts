import type { AuditService } from '../audit/audit-service.js';
import type { DeliveryFailure } from './outbox-delivery.js';

/**
 * Failed outbox deliveries are logged by the delivery loop; the first failure and the last (when
 * it gives up) are audited too, so an operator sees a notice that never arrived without every
 * retry filling the audit log. A back-channel logout notice is audited as one (OIDC Back-Channel
 * Logout §2.8 lets the OP retry), every other kind as mail.
 */
export function createDeliveryFailureAudit(audit: AuditService): (failure: DeliveryFailure) => Promise<void> {
  return async ({ row, payload, error, attempts, gaveUp }) => {
    if (attempts !== 1 && !gaveUp) return;
    const reason = gaveUp ? 'gave_up' : 'will_retry';
    const detail = { attempts, error: error.slice(0, 300), outboxId: row.id };
    if (row.kind === 'backchannel_logout') {
      // The fields a back-channel notice carries (sessions/backchannel-notifier.ts) that name who it was for.
      const notice = (payload ?? {}) as { sub?: string; clientId?: string; sid?: string };
      await audit.record({
        type: 'backchannel_logout',
        outcome: 'failure',
        reason,
        accountId: notice.sub,
        clientId: notice.clientId,
        detail: { ...detail, sid: notice.sid },
      });
    } else {
      await audit.record({ type: 'mail.delivery', outcome: 'failure', reason, detail: { ...detail, kind: row.kind } });
    }
  };
}
