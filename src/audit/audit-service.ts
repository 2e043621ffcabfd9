import { createHash, randomUUID } from 'node:crypto';
import type { AuditFilter, AuditQueries, AuditRow } from './audit-queries.js';
import type { Logger } from '../kernel/logger.js';
import { isPlausibleEmail } from '../kernel/normalize-email.js';
import type { Clock } from '../kernel/clock.js';

/** Every kind of event Gatehouse records (the admin console's Audit log offers them as a filter). */
export const AUDIT_TYPES = [
  'signin',
  'signin.throttled',
  'reauth',
  'reauth.throttled',
  'logout',
  'session.revoked',
  'grant.revoked',
  'password.changed',
  'refresh_token.reused',
  'admin.user.created',
  'admin.user.disabled',
  'admin.user.enabled',
  'admin.user.updated',
  'admin.user.password_set',
  'admin.user.deleted',
  'admin.session.revoked',
  'admin.keys.rotated',
  'admin.client.created',
  'admin.client.updated',
  'admin.client.deleted',
  'admin.client.secret_rotated',
  'admin.client.grant_set',
  'admin.client.grant_revoked',
  'admin.resource.created',
  'admin.resource.updated',
  'admin.resource.deleted',
  'mfa.enrolled',
  'mfa.verify',
  'mfa.removed',
  'mfa.recovery_codes.regenerated',
  'mfa.device.remembered',
  'mfa.device.forgotten',
  'mfa.decision',
  'admin.mfa.reset',
  'passkey.registered',
  'passkey.verify',
  'passkey.renamed',
  'passkey.removed',
  'password_reset.requested',
  'password.reset',
  'backchannel_logout',
  'mail.delivery',
  'email.verification_sent',
  'email.verified',
  'email.change_requested',
  'email.changed',
  'registration.requested',
  'registration.completed',
  'admin.role.added',
  'admin.role.updated',
  'admin.role.removed',
  'admin.role.permitted',
  'admin.role.unpermitted',
  'admin.group.added',
  'admin.group.removed',
  'admin.attribute.added',
  'admin.attribute.removed',
  'admin.scope.added',
  'admin.scope.removed',
  'admin.user.directory_changed',
  'account.attributes.changed',
  'device.approved',
  'device.denied',
  'device.throttled',
  'admin.registration_token.created',
  'client.registered',
  'client.registration_throttled',
  'client.registration_updated',
  'client.registration_deleted',
  'client.idle_removed',
  'admin.connection.added',
  'admin.connection.updated',
  'admin.connection.removed',
  'upstream.signin',
  'upstream.linked',
  'upstream.unlinked',
] as const;
export type AuditType = (typeof AUDIT_TYPES)[number];

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

export interface AuditEvent extends Omit<AuditRow, 'at' | 'lastAt' | 'detail'> {
  readonly at: string;
  readonly lastAt: string;
  readonly detail: Record<string, unknown> | null;
}

const toEvent = (row: AuditRow): AuditEvent => ({
  ...row,
  at: row.at.toISOString(),
  lastAt: row.lastAt.toISOString(),
  detail: row.detail ? (JSON.parse(row.detail) as Record<string, unknown>) : null,
});

/** Stored instead of whatever was typed into the email field when it is not an email (it may be a password). */
export const NOT_AN_EMAIL = '[not an email]';

/**
 * Throttle events repeat once per refused attempt; within this window the repeats of one
 * (type, email, address, reason) are counted on one row instead of flooding the trail.
 */
export const FOLD_WINDOW_MS = 15 * 60 * 1000;
const FOLDED_TYPES: ReadonlySet<AuditType> = new Set(['signin.throttled', 'reauth.throttled', 'device.throttled']);

/** ASVS 4.0 §7.1.1: never log credentials. People type passwords into the email field. */
const safeEmail = (email: string | null | undefined) =>
  email == null ? null : isPlausibleEmail(email) ? email : NOT_AN_EMAIL;

export function createAuditService(
  audit: AuditQueries,
  logger: Logger | undefined,
  clock: Clock,
  /** Told about every event before it is stored (src/metrics/audit-metrics.ts counts sign-ins from them). */
  observe?: (event: AuditEventInput) => void,
) {
  const foldKey = (row: AuditRow) => {
    const window = Math.floor(row.at.getTime() / FOLD_WINDOW_MS);
    return createHash('sha256')
      .update(JSON.stringify([row.type, row.email, row.ip, row.reason, window]))
      .digest('base64url');
  };

  return {
    /** Records an event; a failure to record is logged, never allowed to break the request. */
    async record(event: AuditEventInput): Promise<void> {
      observe?.(event);
      const at = new Date(clock());
      const row: AuditRow = {
        id: randomUUID(),
        at,
        type: event.type,
        outcome: event.outcome,
        reason: event.reason ?? null,
        accountId: event.accountId ?? null,
        email: safeEmail(event.email),
        clientId: event.clientId ?? null,
        ip: event.ip ?? null,
        userAgent: event.userAgent?.slice(0, 512) ?? null,
        detail: event.detail ? JSON.stringify(event.detail) : null,
        count: 1,
        lastAt: at,
      };
      try {
        if (FOLDED_TYPES.has(event.type)) await audit.fold(row, foldKey(row));
        else await audit.insert(row);
      } catch (error) {
        logger?.error({ err: error, audit: { type: row.type, outcome: row.outcome } }, 'could not record audit event');
      }
    },

    async list(filter: { email?: string; accountId?: string; limit?: number } = {}): Promise<AuditEvent[]> {
      const rows = await audit.list({ ...filter, limit: filter.limit ?? 50 });
      return rows.map(toEvent);
    },

    /** A page of events, newest first, after `before` (the last event of the previous page). */
    async page(filter: AuditFilter & { before?: { lastAt: Date; id: string }; limit: number }): Promise<AuditEvent[]> {
      return (await audit.page(filter)).map(toEvent);
    },

    /** Deletes events whose last occurrence is older than `retentionDays`; returns how many went. */
    async deleteExpired(retentionDays: number, batch = 500): Promise<number> {
      const cutoff = new Date(clock() - retentionDays * 24 * 3600 * 1000);
      let removed = 0;
      for (let deleted = batch; deleted === batch;) {
        deleted = await audit.deleteOlderThan(cutoff, batch);
        removed += deleted;
      }
      return removed;
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
