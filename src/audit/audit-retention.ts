import type { AuditService } from './audit-service.js';
import type { Logger } from '../kernel/logger.js';
import { startPeriodicJob, type PeriodicJobOptions } from '../background/start-periodic-job.js';

/**
 * Keeps the audit trail to `AUDIT_RETENTION_DAYS` (ASVS 4.0 §8.3.8: personal data such as
 * addresses is kept no longer than needed). In a cluster one instance runs it at a time (the background-job lease).
 */
export function startAuditRetention(
  audit: AuditService,
  retentionDays: number,
  intervalMs: number,
  logger: Logger,
  options?: PeriodicJobOptions,
): () => void {
  return startPeriodicJob(
    { name: 'audit retention', intervalMs, run: () => audit.deleteExpired(retentionDays) },
    logger,
    options,
  );
}
