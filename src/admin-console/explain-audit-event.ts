import type { AuditEvent } from '../audit/audit-service.js';
import { REASON_TEXT } from '../second-step/risk/signals.js';

const reasonText = (reasons: unknown): string[] =>
  Array.isArray(reasons) ? reasons.map((r) => REASON_TEXT[r as keyof typeof REASON_TEXT] ?? String(r)) : [];

/** Who made an admin change: the console's administrator, a management API client, or the CLI. */
function actorText(event: AuditEvent): string | undefined {
  const actor = event.detail?.actor;
  if (actor === 'console')
    return `by ${String(event.detail?.adminEmail ?? event.email ?? 'an administrator')} in the admin console`;
  if (actor === 'api') return `by management API client ${event.clientId ?? ''}`.trim();
  if (actor === 'cli') return 'by the command line';
  return undefined;
}

/**
 * One event as a sentence an operator reads: for a second-step decision, why it was asked or
 * skipped (the same words the person sees in their console, risk/signals.ts); for an admin's
 * change, who made it; else the refusal's reason, if any.
 */
export function explainAuditEvent(event: AuditEvent): string {
  const detail = event.detail ?? {};
  if (event.type === 'mfa.decision') {
    const why = reasonText(detail.reasons);
    const mode = typeof detail.mode === 'string' ? ` (policy ${detail.mode})` : '';
    if (event.reason === 'asked')
      return `Second step asked${why.length ? ` because: ${why.join(', ')}` : ''}${mode}${typeof detail.method === 'string' ? `; answered with ${detail.method}` : ''}.`;
    if (detail.method === 'passkey') return 'No second step: the sign-in was with a passkey.';
    return `Second step not asked${why.length ? ` although: ${why.join(', ')}` : ': nothing unusual about this sign-in'}${mode}.`;
  }
  const parts: string[] = [];
  if (event.reason) parts.push(event.reason.replace(/_/g, ' '));
  const by = actorText(event);
  if (by) parts.push(by);
  const subject = [
    detail.client && `application ${String(detail.client)}`,
    detail.resource && `API ${String(detail.resource)}`,
  ]
    .filter(Boolean)
    .join(', ');
  if (subject) parts.push(subject);
  if (Array.isArray(detail.changed) && detail.changed.length) parts.push(`changed ${detail.changed.join(', ')}`);
  if (event.count > 1) parts.push(`${event.count} times, the last at ${event.lastAt.slice(11, 19)} UTC`);
  return parts.join('; ');
}
