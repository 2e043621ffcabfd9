import { createHash, randomInt } from 'node:crypto';

/** How many codes a person gets at a time. */
export const RECOVERY_CODE_COUNT = 10;

// Crockford-style alphabet without look-alikes (no 0/O, 1/I/L, U): read off paper and typed back.
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
const GROUPS = 4;
const GROUP_LENGTH = 4;

/**
 * One recovery code: 16 symbols of a 30-letter alphabet (about 78 bits from the CSPRNG), shown in
 * groups of four. That is far past what online guessing could reach, and enough that a fast hash
 * keeps a leaked table useless, so a salted slow hash would buy nothing here.
 */
export function newRecoveryCode(): string {
  const symbols = Array.from({ length: GROUPS * GROUP_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]);
  return Array.from({ length: GROUPS }, (_, g) =>
    symbols.slice(g * GROUP_LENGTH, (g + 1) * GROUP_LENGTH).join(''),
  ).join('-');
}

export const newRecoveryCodes = (count = RECOVERY_CODE_COUNT) => Array.from({ length: count }, newRecoveryCode);

/** Case, spaces and dashes do not matter when a code is typed back. */
export function normalizeRecoveryCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]+/g, '');
}

/** What is stored: SHA-256 of the normalised code, hex. */
export function hashRecoveryCode(input: string): string {
  return createHash('sha256').update(normalizeRecoveryCode(input)).digest('hex');
}
