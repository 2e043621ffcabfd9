import { ERROR_CODES, type ErrorCode } from '../../src/kernel/error-codes.js';

const codes = Object.keys(ERROR_CODES) as ErrorCode[];

describe('the one registry of error codes', () => {
  it('gives every code an ERR_ name and an HTTP error status', () => {
    for (const code of codes) {
      expect(code).toMatch(/^ERR_[A-Z0-9]+(_[A-Z0-9]+)*$/);
      const { status } = ERROR_CODES[code];
      expect([code, status >= 400 && status <= 599]).toEqual([code, true]);
    }
  });

  it('answers a wrong secret with 401 only while someone is proving who they are, and 400 to a person signed in', () => {
    const special = codes.filter((code) => 'whileAuthenticating' in ERROR_CODES[code]);
    expect(special.sort()).toEqual([
      'ERR_MFA_CODE_INVALID',
      'ERR_PASSKEY_CLONED',
      'ERR_PASSKEY_INVALID',
      'ERR_PASSKEY_USER_VERIFICATION',
      'ERR_PASSWORD_MISMATCH',
    ]);
    for (const code of special) expect(ERROR_CODES[code]).toEqual({ status: 400, whileAuthenticating: 401 });
  });

  it('marks as shown only the 5xx whose message is written for people: busy and database unavailable', () => {
    const shown = codes.filter((code) => 'expose' in ERROR_CODES[code]);
    expect(shown.sort()).toEqual(['ERR_BUSY', 'ERR_DATABASE_UNAVAILABLE']);
    for (const code of shown) expect(ERROR_CODES[code].status).toBe(503);
  });
});
