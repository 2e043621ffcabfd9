/** NIST SP 800-63B §5.1.1.2: length limits only, no composition rules, no truncation. */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

/** Counts code points, not UTF-16 units, so any script counts the same. */
export function passwordLength(password: string): number {
  return [...password.normalize('NFC')].length;
}

/** Returns why a new password is refused, or undefined when it is acceptable. */
export function checkPasswordPolicy(password: string): string | undefined {
  const length = passwordLength(password);
  if (length < PASSWORD_MIN_LENGTH) return `password must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (length > PASSWORD_MAX_LENGTH) return `password must be at most ${PASSWORD_MAX_LENGTH} characters`;
  return undefined;
}
