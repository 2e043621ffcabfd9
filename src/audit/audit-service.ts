import { randomUUID } from 'node:crypto';
import type { AuditQueries, AuditRow } from './audit-queries.js';
import type { Logger } from '../http/logger.js';

/** Every kind of event Gatehouse records. */
export type AuditType =
  | 'signin' | 'signin.throttled' | 'logout'
  | 'session.revoked' | 'grant.revoked' | 'password.changed'
  | 'refresh_token.reused'
  | 'admin.user.disabled' | 'admin.user.enabled' | 'admin.session.revoked'
  | 'mfa.enrolled' | 'mfa.verify' | 'mfa.removed' | 'mfa.recovery_codes.regenerated'
  | 'mfa.device.remembered' | 'mfa.device.forgotten' | 'mfa.decision' | 'admin.mfa.reset';

export interface AuditEventInput {
  readonly type: AuditType;
  readonly outcome: 'success' | 'failure' | 'blocked';
  readonly reason?: string;
  readonly accountId?: string | null;
  readonly email?: string | null;
  readonly clientId?: string | null;
  readonly ip?: string | null;
  readonly userAgent?: string | null;
  /** Event details. Never a password, a token or a cookie. */
  readonly detail?: Record<string, unknown>;
}

export interface AuditEvent extends Omit<AuditRow, 'at' | 'detail'> {
  readonly at: string;
  readonly detail: Record<string, unknown> | null;
}

export function createAuditService(audit: AuditQueries, logger?: Logger, clock: () => number = () => Date.now()) {
  return {
    /** Records an event; a failure to record is logged, never allowed to break the request. */
    async record(event: AuditEventInput): Promise<void> {
      const row: AuditRow = {
        id: randomUUID(),
        at: new Date(clock()),
        type: event.type,
        outcome: event.outcome,
        reason: event.reason ?? null,
        accountId: event.accountId ?? null,
        email: event.email ?? null,
        clientId: event.clientId ?? null,
        ip: event.ip ?? null,
        userAgent: event.userAgent?.slice(0, 512) ?? null,
        detail: event.detail ? JSON.stringify(event.detail) : null,
      };
      try {
        await audit.insert(row);
      } catch (error) {
        logger?.error({ err: error, audit: { type: row.type, outcome: row.outcome } }, 'could not record audit event');
      }
    },

    async list(filter: { email?: string; accountId?: string; limit?: number } = {}): Promise<AuditEvent[]> {
      const rows = await audit.list({ ...filter, limit: filter.limit ?? 50 });
      return rows.map((row) => ({ ...row, at: row.at.toISOString(), detail: row.detail ? JSON.parse(row.detail) as Record<string, unknown> : null }));
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
