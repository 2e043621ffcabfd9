/** Shared wording for console pages: dates and audit events. */

/** A moment as people read it, in UTC (the server's one zone), or a dash. */
export const when = (at: Date | string | null | undefined): string =>
  at ? new Date(at).toISOString().slice(0, 16).replace('T', ' ') + ' UTC' : '—';

const EVENT_WORDS: Record<string, string> = {
  'signin.throttled': 'Sign-in throttled',
  'reauth.throttled': 'Password confirmation throttled',
  'refresh_token.reused': 'Refresh token reused (the chain was revoked)',
  signin: 'Sign-in',
  'mfa.decision': 'Second-step decision',
};

/** "Sign-in throttled (×12)", "Sign-in: blocked (disabled)", or the event type itself. */
export function eventLine(type: string, outcome: string, reason: string | null, count = 1): string {
  const name = EVENT_WORDS[type] ?? type;
  const tail = outcome === 'success' ? '' : `: ${outcome}${reason ? ` (${reason.replace(/_/g, ' ')})` : ''}`;
  return `${name}${type.endsWith('throttled') || type === 'refresh_token.reused' ? '' : tail}${count > 1 ? ` (×${count})` : ''}`;
}
