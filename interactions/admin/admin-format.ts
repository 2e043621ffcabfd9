import { html, type SafeHtml } from '../views/html.js';

/** Shared wording for console pages: dates and audit events. */

/**
 * A moment as people read it, or a dash: `<time datetime>` around the UTC text (the server's one
 * zone), which local-time.js (run on every admin page, admin-frame.ts) rewrites in the browser's
 * own zone with the zone named. The admin console is English only, so the text is not formatted by
 * the page's language (that would make the page claim a language it is not written in).
 */
export const when = (at: Date | string | null | undefined): SafeHtml | string => {
  if (!at) return '—';
  const moment = new Date(at);
  return html`<time datetime="${moment.toISOString()}">${moment.toISOString().slice(0, 16).replace('T', ' ')} UTC</time>`;
};

const EVENT_WORDS: Record<string, string> = {
  'signin.throttled': 'Sign-in throttled',
  'reauth.throttled': 'Password confirmation throttled',
  'refresh_token.reused': 'Refresh token reused (the chain was revoked)',
  signin: 'Sign-in',
  reauth: 'Password confirmed',
  logout: 'Signed out',
  'mfa.decision': 'Second-step decision',
  'mfa.verify': 'Second-step code',
  'mfa.enrolled': 'Authenticator app set up',
  'mfa.removed': 'Authenticator app removed',
  'passkey.registered': 'Passkey added',
  'passkey.removed': 'Passkey removed',
  'password.changed': 'Password changed',
  'password.reset': 'Password reset',
  'session.revoked': 'Session ended',
  'grant.revoked': 'App access revoked',
  'admin.user.created': 'Account created',
  'admin.user.updated': 'Profile changed',
  'admin.user.disabled': 'Account disabled',
  'admin.user.enabled': 'Account enabled',
  'admin.user.password_set': 'Password set by an administrator',
  'admin.user.directory_changed': 'Roles, groups or attributes changed',
  'admin.session.revoked': 'Session ended by an administrator',
  'admin.mfa.reset': 'Two-step verification reset',
};

/** "Sign-in throttled (×12)", "Sign-in: blocked (disabled)", or the event type itself. */
export function eventLine(type: string, outcome: string, reason: string | null, count = 1): string {
  const name = EVENT_WORDS[type] ?? type;
  const tail = outcome === 'success' ? '' : `: ${outcome}${reason ? ` (${reason.replace(/_/g, ' ')})` : ''}`;
  return `${name}${type.endsWith('throttled') || type === 'refresh_token.reused' ? '' : tail}${count > 1 ? ` (×${count})` : ''}`;
}
