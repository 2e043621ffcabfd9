import { decideSecondStep } from '../../src/second-step/decide-second-step.js';
import type { SignInFacts } from '../../src/second-step/risk/signals.js';

/** A sign-in with no risk at all: known browser, known network, no failures, no demands. */
const calm: SignInFacts = {
  deviceRemembered: true,
  networkKnown: true,
  failuresSinceLastSignIn: 0,
  clientRequires: false,
  acrRequested: false,
  passkeyRequested: false,
};

describe('the adaptive second-step policy', () => {
  test('a calm sign-in skips the second step', () => {
    expect(decideSecondStep('adaptive', true, calm)).toEqual({
      ask: false,
      enrol: false,
      reasons: [],
      mode: 'adaptive',
      passkey: false,
    });
  });

  test.each([
    ['a browser that is not remembered', { deviceRemembered: false }, 'new_device'],
    ['a network not seen in 90 days', { networkKnown: false }, 'new_network'],
    ['failed attempts since the last sign-in', { failuresSinceLastSignIn: 2 }, 'failed_attempts'],
    ['a client that requires it', { clientRequires: true }, 'client_requires'],
    ['acr_values naming the MFA ACR', { acrRequested: true }, 'acr_requested'],
  ] as const)('%s alone asks, and says why', (_name, change, reason) => {
    expect(decideSecondStep('adaptive', true, { ...calm, ...change })).toEqual({
      ask: true,
      enrol: false,
      reasons: [reason],
      mode: 'adaptive',
      passkey: false,
    });
  });

  test('every signal that holds is listed', () => {
    const decision = decideSecondStep('adaptive', true, {
      ...calm,
      deviceRemembered: false,
      networkKnown: false,
      acrRequested: true,
    });
    expect(decision.reasons).toEqual(['acr_requested', 'new_device', 'new_network']);
  });

  test('"always" asks every enrolled person; "off" asks nobody unless the app demands it', () => {
    expect(decideSecondStep('always', true, calm)).toMatchObject({ ask: true, reasons: ['policy_always'] });
    expect(decideSecondStep('off', true, { ...calm, deviceRemembered: false })).toMatchObject({ ask: false });
    expect(decideSecondStep('off', true, { ...calm, acrRequested: true })).toMatchObject({
      ask: true,
      reasons: ['acr_requested'],
    });
  });

  test('a person without an authenticator is only asked (to enrol) when it is demanded', () => {
    expect(decideSecondStep('adaptive', false, { ...calm, deviceRemembered: false })).toEqual({
      ask: false,
      enrol: false,
      reasons: [],
      mode: 'adaptive',
      passkey: false,
    });
    expect(decideSecondStep('adaptive', false, { ...calm, clientRequires: true })).toEqual({
      ask: true,
      enrol: true,
      reasons: ['client_requires'],
      mode: 'adaptive',
      passkey: false,
    });
    expect(decideSecondStep('always', false, calm)).toMatchObject({ ask: true, enrol: true });
  });

  test('a demand for the phishing-resistant ACR asks for a passkey, says so, and is met by set-up if need be', () => {
    const phr = { ...calm, acrRequested: true, passkeyRequested: true };
    expect(decideSecondStep('off', true, phr)).toEqual({
      ask: true,
      enrol: false,
      reasons: ['passkey_requested'],
      mode: 'off',
      passkey: true,
    });
    expect(decideSecondStep('adaptive', false, phr)).toMatchObject({ ask: true, enrol: true, passkey: true });
  });

  test('a link to another provider waiting for the step asks it even in a remembered browser, or with the policy off', () => {
    const linking = { ...calm, linkPending: true };
    for (const mode of ['adaptive', 'off', 'always'] as const)
      expect(decideSecondStep(mode, true, linking)).toMatchObject({ ask: true, enrol: false });
    expect(decideSecondStep('adaptive', true, linking).reasons).toEqual(['link']);
  });
});
