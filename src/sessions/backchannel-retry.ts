import type { AuditService } from '../audit/audit-service.js';
import type { Outbox } from '../mail/outbox.js';
import type { BackchannelNotice } from './backchannel-notifier.js';

/**
 * A logout token the provider's own end_session could not deliver (it tries each once and only
 * emits `backchannel.error`): audited, then queued in the outbox, which retries it under the same
 * policy as every other notice (OIDC Back-Channel Logout §2.8 lets the OP retry).
 */
export function createBackchannelRetry({ audit, outbox }: { audit: AuditService; outbox: Pick<Outbox, 'enqueue'> }) {
  return async (notice: BackchannelNotice, error: unknown): Promise<void> => {
    await audit.record({
      type: 'backchannel_logout',
      outcome: 'failure',
      reason: 'will_retry',
      accountId: notice.sub,
      clientId: notice.clientId,
      detail: { sid: notice.sid, error: String((error as Error)?.message ?? error).slice(0, 300), by: 'end_session' },
    });
    await outbox.enqueue('backchannel_logout', notice);
  };
}
