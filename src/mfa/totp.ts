import { generate, generateSecret, generateURI, verify } from 'otplib';

/**
 * RFC 6238 TOTP as every authenticator app implements it (RFC 6238 §4, Google Authenticator's
 * key URI format): HMAC-SHA-1, 6 digits, 30-second steps counted from the Unix epoch.
 */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** RFC 4226 §4 R6 asks for at least 128 bits and recommends 160: the length of SHA-1's output. */
export const TOTP_SECRET_BYTES = 20;

/** A new shared secret from the CSPRNG (Web Crypto's getRandomValues), base32 as authenticator apps expect. */
export function newTotpSecret(): string {
  return generateSecret({ length: TOTP_SECRET_BYTES });
}

/** The `otpauth://totp/…` URI an authenticator app reads from a QR code. */
export function totpUri({ issuer, account, secret }: { issuer: string; account: string; secret: string }): string {
  return generateURI({
    issuer,
    label: account,
    secret,
    algorithm: 'sha1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
  });
}

/** The time step a Unix time in milliseconds falls in (RFC 6238 §4.2: T = floor((now − T0) / X)). */
export const stepAt = (nowMs: number) => Math.floor(nowMs / 1000 / TOTP_PERIOD_SECONDS);

/** The code for the step `nowMs` falls in; for enrolment tests and the second-step tests. */
export function totpCodeAt(secret: string, nowMs: number): Promise<string> {
  return generate({
    secret,
    epoch: Math.floor(nowMs / 1000),
    algorithm: 'sha1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
  });
}

export type TotpCheck = { readonly ok: true; readonly step: number } | { readonly ok: false };

/**
 * Checks a code against the current step and the one before it (RFC 6238 §5.2 allows a small
 * window for clock drift and typing time; a step ahead is never accepted). `afterStep` is the last
 * step this secret was used at: a code for it or an earlier step is a replay and is refused
 * (§5.2: "the verifier MUST NOT accept the second attempt of the OTP after the successful
 * validation"). The caller records the returned step atomically.
 */
export async function checkTotp(
  secret: string,
  code: string,
  nowMs: number,
  afterStep?: number | null,
): Promise<TotpCheck> {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return { ok: false };
  const result = await verify({
    secret,
    token,
    epoch: Math.floor(nowMs / 1000),
    epochTolerance: [TOTP_PERIOD_SECONDS, 0],
    algorithm: 'sha1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
    ...(afterStep != null ? { afterTimeStep: afterStep } : {}),
  });
  if (!result.valid) return { ok: false };
  return { ok: true, step: stepAt(nowMs) + result.delta };
}
