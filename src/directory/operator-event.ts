import type { Actor } from '../sessions/session-service.js';
import { operatorDetail } from '../sessions/operator-actor.js';

/**
 * Who made an operator's change to the directory, recorded as account-admin-service.ts and
 * clients/operator-audit.ts record theirs: a management API caller's client in the event's client
 * column (so the trail can be queried by it) and `actor` ('cli' or 'api') in its detail.
 */
export const operatorEvent = (actor: Actor, detail: Record<string, unknown>) => ({
  outcome: 'success' as const,
  clientId: actor.clientId ?? null,
  ip: actor.ip,
  userAgent: actor.userAgent,
  detail: { ...detail, ...operatorDetail(actor) },
});
