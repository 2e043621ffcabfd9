import {
  acrReached,
  acrSatisfies,
  authenticationContext,
  MFA_ACR,
  PASSWORD_ACR,
  PHISHING_RESISTANT_ACR,
} from '../../src/mfa/authentication-context.js';

const deviceBound = (userVerified: boolean) => ({ passkey: { synced: false, userVerified } });
const synced = (userVerified: boolean) => ({ passkey: { synced: true, userVerified } });

describe('what tokens say about the factors used (RFC 8176 amr, OIDC acr)', () => {
  it('says pwd and the password ACR for a password alone, and pwd otp mfa with the MFA ACR after an app or recovery code', () => {
    expect(authenticationContext(['password'])).toEqual({ amr: ['pwd'], acr: PASSWORD_ACR });
    expect(authenticationContext(['password', 'totp'])).toEqual({ amr: ['pwd', 'otp', 'mfa'], acr: MFA_ACR });
    expect(authenticationContext(['password', 'recovery_code'])).toEqual({ amr: ['pwd', 'otp', 'mfa'], acr: MFA_ACR });
  });

  it('says hwk for a device-bound passkey and swk for a synced one, with user, and mfa and the phishing-resistant ACR when the authenticator verified the person', () => {
    expect(authenticationContext([deviceBound(true)])).toEqual({
      amr: ['hwk', 'user', 'mfa'],
      acr: PHISHING_RESISTANT_ACR,
    });
    expect(authenticationContext([synced(true)])).toEqual({ amr: ['swk', 'user', 'mfa'], acr: PHISHING_RESISTANT_ACR });
  });

  it('counts a passkey without user verification as one factor: alone it is no MFA, after the password it is', () => {
    expect(authenticationContext([synced(false)])).toEqual({ amr: ['swk', 'user'], acr: PASSWORD_ACR });
    expect(authenticationContext(['password', deviceBound(false)])).toEqual({
      amr: ['pwd', 'hwk', 'user', 'mfa'],
      acr: PHISHING_RESISTANT_ACR,
    });
  });

  it('reads the ACR back from a session amr, and each ACR meets itself and every weaker one', () => {
    expect(acrReached(['pwd'])).toBe(PASSWORD_ACR);
    expect(acrReached(['pwd', 'otp', 'mfa'])).toBe(MFA_ACR);
    expect(acrReached(['swk', 'user', 'mfa'])).toBe(PHISHING_RESISTANT_ACR);
    expect(acrReached(['hwk', 'user'])).toBe(PASSWORD_ACR);
    expect(acrSatisfies(PHISHING_RESISTANT_ACR, MFA_ACR)).toBe(true);
    expect(acrSatisfies(MFA_ACR, PHISHING_RESISTANT_ACR)).toBe(false);
    expect(acrSatisfies(MFA_ACR, PASSWORD_ACR)).toBe(true);
  });
});
