import {
  hashRecoveryCode,
  newRecoveryCode,
  newRecoveryCodes,
  normalizeRecoveryCode,
  RECOVERY_CODE_COUNT,
} from '../../src/mfa/recovery-codes.js';

describe('recovery codes', () => {
  test('a set has ten distinct codes of sixteen symbols without look-alike letters', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(codes).size).toBe(RECOVERY_CODE_COUNT);
    for (const code of codes) expect(code).toMatch(/^[2-9A-HJKMNP-TV-Z]{4}(-[2-9A-HJKMNP-TV-Z]{4}){3}$/);
  });

  test('typing a code back in lower case, with spaces or without dashes gives the same hash', () => {
    const code = newRecoveryCode();
    const hash = hashRecoveryCode(code);
    expect(hashRecoveryCode(code.toLowerCase())).toBe(hash);
    expect(hashRecoveryCode(code.replace(/-/g, ' '))).toBe(hash);
    expect(hashRecoveryCode(code.replace(/-/g, ''))).toBe(hash);
    expect(normalizeRecoveryCode(' ab-cd ')).toBe('ABCD');
  });

  test('the stored hash does not contain the code', () => {
    const code = newRecoveryCode();
    expect(hashRecoveryCode(code)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashRecoveryCode(code)).not.toContain(normalizeRecoveryCode(code));
  });
});
