import { readFileSync } from 'node:fs';

/** NIST SP 800-63B §5.1.1.2: length limits and a blocklist; no composition rules, no truncation. */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

const COMMON = new Set(
  readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line && !line.startsWith('#')),
);

/** Counts code points, not UTF-16 units, so any script counts the same. */
export function passwordLength(password: string): number {
  return [...password.normalize('NFC')].length;
}

/** True when a submitted password is too long to be worth hashing (checked before any hashing). */
export function isOverlong(password: string): boolean {
  return password.length > PASSWORD_MAX_LENGTH * 2 || passwordLength(password) > PASSWORD_MAX_LENGTH;
}

/** Returns why a new password is refused, or undefined when it is acceptable. */
export function checkPasswordPolicy(password: string): string | undefined {
  const length = passwordLength(password);
  if (length < PASSWORD_MIN_LENGTH) return `password must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (length > PASSWORD_MAX_LENGTH) return `password must be at most ${PASSWORD_MAX_LENGTH} characters`;
  if (COMMON.has(password.toLowerCase())) return 'this password is one of the most commonly used; choose another';
  return undefined;
}
