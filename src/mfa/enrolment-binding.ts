import { createHash } from 'node:crypto';

/**
 * What a pending authenticator secret is bound to: an opaque hash of the console session or the
 * sign-in interaction that started the set-up. Only a request of that same session or interaction
 * is shown the secret and may confirm it, so a secret is never shown to someone who merely knows
 * the password and signs in elsewhere meanwhile (ASVS 4.0 §2.8.4: the secret reaches only its
 * holder). A hash, so the stored row does not hold a live session or interaction id.
 */
export function enrolmentBinding(startedIn: 'console' | 'interaction', id: string): string {
  return createHash('sha256').update(`totp-enrolment:${startedIn}:${id}`).digest('base64url');
}
