/**
 * The one place that turns the factors a person used into what tokens say about it: `amr`
 * (RFC 8176 §2) and `acr` (OIDC Core §2), in ID tokens, userinfo, introspection and JWT access tokens.
 */
export const PASSWORD_ACR = 'urn:gatehouse:acr:password';
/** Password and a second factor; the name says `mfa` so RPs can read it without a table. */
export const MFA_ACR = 'urn:gatehouse:acr:mfa';
/**
 * Multi-factor with a passkey (`phr`: phishing-resistant): the key signs the origin it was made
 * for, so a look-alike site cannot relay it (NIST SP 800-63B §5.2.5, verifier impersonation
 * resistance). It meets every request for the MFA ACR as well.
 */
export const PHISHING_RESISTANT_ACR = 'urn:gatehouse:acr:phr';
/** What discovery advertises (`acr_values_supported`), weakest first, strongest last. */
export const SUPPORTED_ACRS = [PASSWORD_ACR, MFA_ACR, PHISHING_RESISTANT_ACR] as const;
export type Acr = (typeof SUPPORTED_ACRS)[number];

/** A WebAuthn assertion that was accepted: how the key is kept, and whether the authenticator verified the person. */
export interface PasskeyFactor {
  readonly passkey: {
    /** A synced (multi-device, backed-up) passkey rather than one bound to a single device. */
    readonly synced: boolean;
    /** The authenticator checked a PIN or biometric (the UV flag, WebAuthn §6.1). */
    readonly userVerified: boolean;
  };
}

/**
 * `federated`: a sign-in at another identity provider (src/connections). RFC 8176 has no value for
 * it, so tokens say `fed` (README, "Sign in with another provider"); it is a first factor, like the password.
 */
export type Factor = 'password' | 'federated' | 'totp' | 'recovery_code' | PasskeyFactor;

const isPasskey = (factor: Factor): factor is PasskeyFactor => typeof factor === 'object';

/**
 * `pwd` for the password; `otp` for a code from the app or a one-time recovery code; for a passkey
 * `hwk` (a device-bound key) or `swk` (a synced one, kept in software by the platform) and `user`
 * (the presence test every assertion carries); `mfa` when two factors were proven. A passkey with
 * user verification is two factors on its own: the key held and the PIN or biometric that unlocks
 * it (NIST SP 800-63B §5.1.9, multi-factor cryptographic authenticator). A multi-factor sign-in
 * that includes a passkey is phishing-resistant.
 */
export function authenticationContext(factors: readonly Factor[]): { amr: string[]; acr: Acr } {
  const amr = new Set<string>();
  let proven = 0;
  if (factors.includes('password')) amr.add('pwd');
  if (factors.includes('federated')) amr.add('fed');
  // The password and a sign-in at another provider are one first factor between them, even together
  // (the upstream's own is most often a password too): linking an account with both must not skip
  // the second step the policy asks for.
  if (factors.includes('password') || factors.includes('federated')) proven += 1;
  if (factors.includes('totp') || factors.includes('recovery_code')) {
    amr.add('otp');
    proven += 1;
  }
  const passkey = factors.find(isPasskey)?.passkey;
  if (passkey) {
    amr.add(passkey.synced ? 'swk' : 'hwk');
    amr.add('user');
    proven += passkey.userVerified ? 2 : 1;
  }
  const multi = proven > 1;
  if (multi) amr.add('mfa');
  // A lone passkey without user verification is one factor, like a password (and passwordless
  // sign-in refuses it, so no token says so).
  const acr = !multi ? PASSWORD_ACR : passkey ? PHISHING_RESISTANT_ACR : MFA_ACR;
  return { amr: [...amr], acr };
}

/** The first step's factors a session's `amr` records (the second step adds to them): the password, a federated sign-in, or both. */
export function firstStepFactors(amr: readonly string[] | undefined): Factor[] {
  const factors: Factor[] = [];
  if (amr?.includes('pwd')) factors.push('password');
  if (amr?.includes('fed')) factors.push('federated');
  return factors.length ? factors : ['password'];
}

/** Whether a session's `amr` already includes a second factor. */
export const hasSecondFactor = (amr: readonly string[] | undefined) => Boolean(amr?.includes('mfa'));

/** The ACR a session's `amr` reached: the inverse of authenticationContext, for sessions made earlier. */
export function acrReached(amr: readonly string[] | undefined): Acr {
  if (!hasSecondFactor(amr)) return PASSWORD_ACR;
  return amr?.includes('hwk') || amr?.includes('swk') ? PHISHING_RESISTANT_ACR : MFA_ACR;
}

/** Whether an ACR reached meets one asked for: each ACR meets itself and every weaker one. */
export const acrSatisfies = (reached: Acr, asked: Acr) =>
  SUPPORTED_ACRS.indexOf(reached) >= SUPPORTED_ACRS.indexOf(asked);
