import { checkPasswordPolicy, isOverlong } from '../../src/accounts/password-policy.js';

describe('the password policy (NIST SP 800-63B)', () => {
  it('accepts any Unicode from 8 to 128 characters, counting characters rather than bytes', () => {
    expect(checkPasswordPolicy('🔐🔐🔐🔐🔐🔐🔐🔐')).toBeUndefined();
    expect(checkPasswordPolicy('🔐🔐🔐🔐🔐🔐🔐')).toMatch(/at least 8/);
    expect(checkPasswordPolicy('пароль на русском')).toBeUndefined();
    expect(checkPasswordPolicy('a'.repeat(127) + 'é')).toBeUndefined();
    expect(checkPasswordPolicy('a'.repeat(129))).toMatch(/at most 128/);
  });

  it('has no composition rules: a long lower-case phrase is fine', () => {
    expect(checkPasswordPolicy('correct horse battery staple')).toBeUndefined();
  });

  it('refuses the most common passwords from the shipped list, whatever their case', () => {
    for (const common of ['password', '12345678', 'Baseball', 'QWERTYUIOP', '1qaz2wsx']) {
      expect(checkPasswordPolicy(common)).toMatch(/most commonly used/);
    }
  });

  it('flags over-long input without measuring more than it must', () => {
    expect(isOverlong('x'.repeat(128))).toBe(false);
    expect(isOverlong('x'.repeat(129))).toBe(true);
    expect(isOverlong('x'.repeat(10_000_000))).toBe(true);
  });
});
