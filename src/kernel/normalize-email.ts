/** One spelling per mailbox: NFC, trimmed, lower case, so uniqueness is case-insensitive everywhere. */
export function normalizeEmail(email: string): string {
  return email.normalize('NFC').trim().toLowerCase();
}

/**
 * Loose on purpose: only whether typed input looks like an address at all, to key throttles and keep
 * junk out of the audit log. Whether an address is accepted for an account is isValidEmail's rule.
 */
export function isPlausibleEmail(email: string): boolean {
  return email.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email);
}
