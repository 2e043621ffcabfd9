import type { Actor } from './session-service.js';

/**
 * How an operator's change names who made it, in the event's detail: `actor` says through what
 * ('console' for the admin console, 'api' for a management API client, 'cli' for the server's
 * shell) and, from the console, which administrator (their account id and email at the time), so
 * the trail answers "who did this" for every change (issue 21).
 */
export function operatorDetail(actor: Actor): Record<string, unknown> {
  if (actor.admin) return { actor: 'console', adminId: actor.admin.accountId, adminEmail: actor.admin.email };
  return { actor: actor.clientId ? 'api' : 'cli' };
}
