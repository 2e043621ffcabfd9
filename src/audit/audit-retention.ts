import type { AuditService } from './audit-service.js';
import type { Logger } from '../http/logger.js';

/**
 * Keeps the audit trail to `AUDIT_RETENTION_DAYS` (ASVS 4.0 §8.3.8: personal data such as
 * addresses is kept no longer than needed). Wired like the expiry sweeper: every instance may run
 * it, the deletes are idempotent.
 */
export function startAuditRetention(audit: AuditService, retentionDays: number, intervalMs: number, logger: Logger): () => void {
  let running = false;
  const sweep = async () => {
    if (running) return;
    running = true;
    try {
      const removed = await audit.deleteExpired(retentionDays);
      if (removed) logger.info({ removed }, 'deleted audit events past retention');
    } catch (error) {
      logger.warn({ err: error }, 'audit retention sweep failed; will retry');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(sweep, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
