import { checkTotp, newTotpSecret, stepAt, totpCodeAt, totpUri } from '../../src/mfa/totp.js';

// RFC 6238 Appendix B, SHA-1 column, with the key "12345678901234567890" (ASCII). The RFC prints
// 8-digit codes; a 6-digit code is the same value modulo 10^6 (RFC 4226 §5.3).
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const RFC_VECTORS: Array<[number, string]> = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('TOTP (RFC 6238)', () => {
  test.each(RFC_VECTORS)('at T=%i the code is the last six digits of %s (Appendix B)', async (seconds, eight) => {
    expect(await totpCodeAt(RFC_SECRET, seconds * 1000)).toBe(eight.slice(2));
    expect(await checkTotp(RFC_SECRET, eight.slice(2), seconds * 1000)).toEqual({
      ok: true,
      step: stepAt(seconds * 1000),
    });
  });

  const now = Date.UTC(2026, 10, 27, 12, 0, 15);
  const secret = newTotpSecret();

  test('a new secret is 160 bits of base32 (RFC 4226 §4 R6)', () => {
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(newTotpSecret()).not.toBe(secret);
  });

  test('the code of the current step and of the step before are accepted, with the step they belong to', async () => {
    expect(await checkTotp(secret, await totpCodeAt(secret, now), now)).toEqual({ ok: true, step: stepAt(now) });
    expect(await checkTotp(secret, await totpCodeAt(secret, now - 30_000), now)).toEqual({
      ok: true,
      step: stepAt(now) - 1,
    });
  });

  test('a code two steps old or one step ahead is refused', async () => {
    expect(await checkTotp(secret, await totpCodeAt(secret, now - 60_000), now)).toEqual({ ok: false });
    expect(await checkTotp(secret, await totpCodeAt(secret, now + 30_000), now)).toEqual({ ok: false });
  });

  test('a code for a step already used, or an earlier one, is a replay and is refused (RFC 6238 §5.2)', async () => {
    const code = await totpCodeAt(secret, now);
    expect(await checkTotp(secret, code, now, stepAt(now))).toEqual({ ok: false });
    const previous = await totpCodeAt(secret, now - 30_000);
    expect(await checkTotp(secret, previous, now, stepAt(now) - 1)).toEqual({ ok: false });
    expect(await checkTotp(secret, code, now, stepAt(now) - 1)).toEqual({ ok: true, step: stepAt(now) });
  });

  test('anything but six digits is refused without a computation; spaces are forgiven', async () => {
    const code = await totpCodeAt(secret, now);
    for (const bad of ['', '12345', '1234567', 'abcdef', `${code}0`])
      expect(await checkTotp(secret, bad, now)).toEqual({ ok: false });
    expect(await checkTotp(secret, `${code.slice(0, 3)} ${code.slice(3)}`, now)).toEqual({
      ok: true,
      step: stepAt(now),
    });
  });

  test('the otpauth URI names the issuer and account, and leaves algorithm, digits and period at the SHA-1/6/30 every app assumes', () => {
    const uri = new URL(totpUri({ issuer: 'Gatehouse', account: 'ada@example.com', secret }));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/Gatehouse:ada@example.com');
    expect(Object.fromEntries(uri.searchParams)).toMatchObject({ secret, issuer: 'Gatehouse' });
    expect(uri.searchParams.get('algorithm') ?? 'SHA1').toBe('SHA1');
    expect(uri.searchParams.get('digits') ?? '6').toBe('6');
    expect(uri.searchParams.get('period') ?? '30').toBe('30');
  });
});
