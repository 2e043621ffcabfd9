import { federatedContext } from '../../src/connections/federated-context.js';
import { MFA_ACR, PASSWORD_ACR } from '../../src/mfa/authentication-context.js';

const trusting = { trustUpstreamMfa: true, mfaAcr: 'http://schemas.openid.net/pape/policies/2007/06/multi-factor' };
const untrusting = { trustUpstreamMfa: false, mfaAcr: null };

describe('what tokens say about a sign-in at another provider', () => {
  it('says fed, one factor, when the upstream is not trusted for MFA (the default), whatever it claims', () => {
    expect(federatedContext(untrusting, { amr: ['pwd', 'mfa'], acr: 'anything' })).toEqual({
      amr: ['fed'],
      acr: PASSWORD_ACR,
    });
  });

  it('counts the upstream MFA when the connection trusts it: its amr says mfa, or its acr is the configured one', () => {
    expect(federatedContext(trusting, { amr: ['pwd', 'otp', 'mfa'] })).toEqual({ amr: ['fed', 'mfa'], acr: MFA_ACR });
    expect(federatedContext(trusting, { amr: [], acr: trusting.mfaAcr })).toEqual({
      amr: ['fed', 'mfa'],
      acr: MFA_ACR,
    });
    expect(federatedContext(trusting, { amr: ['pwd'], acr: 'urn:other' })).toEqual({ amr: ['fed'], acr: PASSWORD_ACR });
  });

  it('says pwd and fed, still one factor, when the password was proven here to link the account (the second step stays due)', () => {
    expect(federatedContext(untrusting, { amr: [] }, ['password'])).toEqual({
      amr: ['pwd', 'fed'],
      acr: PASSWORD_ACR,
    });
  });
});
