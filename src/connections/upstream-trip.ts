import { createHash } from 'node:crypto';
import type { Clock } from '../kernel/clock.js';
import type { AuditService } from '../audit/audit-service.js';
import type { Acr } from '../mfa/authentication-context.js';
import type { Connection } from './connection-service.js';
import type { AttemptQueries } from './attempt-queries.js';
import { UpstreamError } from './upstream-profile.js';

/** How long a person has to sign in upstream and come back (and prove an existing account). */
export const ATTEMPT_TTL_MS = 10 * 60 * 1000;
export const hash = (value: string) => createHash('sha256').update(value).digest('base64url');

export interface RequestInfo {
  readonly ip?: string;
  readonly userAgent?: string;
  readonly clientId?: string;
}

export type Resolution =
  | { kind: 'signed_in'; accountId: string; amr: string[]; acr: Acr; connection: Connection }
  /** An account has this address: it is linked only once the person signs in to it here. */
  | { kind: 'prove'; email: string; connection: Connection }
  | { kind: 'refused'; message: string; connection: Connection };

/** Failed to come back from the upstream: the interaction (if any) it can be retried from. */
export class UpstreamTripError extends UpstreamError {
  constructor(
    cause: UpstreamError,
    readonly uid: string | undefined,
    readonly connectionName: string | undefined,
  ) {
    super(cause.reason, cause.message, { cause });
  }
}

/** What the sign-in and the linking of a trip share: its clock, its audit events, its live attempt. */
export function tripTools({ attempts, audit, clock }: { attempts: AttemptQueries; audit: AuditService; clock: Clock }) {
  const now = () => new Date(clock());
  const record = (
    type: 'upstream.signin' | 'upstream.linked',
    outcome: 'success' | 'failure',
    connection: Pick<Connection, 'id' | 'name'> | undefined,
    info: RequestInfo,
    extra: { reason?: string; accountId?: string; email?: string; detail?: Record<string, unknown> } = {},
  ) =>
    audit.record({
      type,
      outcome,
      reason: extra.reason,
      accountId: extra.accountId,
      email: extra.email,
      clientId: info.clientId,
      ip: info.ip,
      userAgent: info.userAgent,
      detail: { connection: connection?.name, connectionId: connection?.id, ...extra.detail },
    });

  async function liveAttempt(attemptId: string, binding: string | undefined, status: string) {
    const attempt = await attempts.findById(attemptId);
    if (
      !attempt ||
      attempt.status !== status ||
      attempt.expiresAt <= now() ||
      !binding ||
      hash(binding) !== attempt.bindingHash
    )
      return undefined;
    return attempt;
  }

  return { now, record, liveAttempt };
}

export type TripTools = ReturnType<typeof tripTools>;
