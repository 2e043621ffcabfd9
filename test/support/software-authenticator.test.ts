import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type WebAuthnCredential,
} from '@simplewebauthn/server';
import { createSoftwareAuthenticator } from './software-authenticator.js';

const site = { origin: 'https://id.example.com', rpId: 'id.example.com' };

async function registered(settings: { userVerified?: boolean; backedUp?: boolean; aaguid?: string } = {}) {
  const authenticator = createSoftwareAuthenticator({ ...site, ...settings });
  const options = await generateRegistrationOptions({
    rpName: 'Gatehouse',
    rpID: site.rpId,
    userName: 'ada@example.com',
    attestationType: 'none',
    authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
  });
  const response = authenticator.register(options);
  const verified = await verifyRegistrationResponse({
    response,
    expectedChallenge: options.challenge,
    expectedOrigin: site.origin,
    expectedRPID: site.rpId,
    requireUserVerification: false,
  });
  if (!verified.verified) throw new Error('registration not verified');
  return { authenticator, info: verified.registrationInfo };
}

async function assertion(
  authenticator: ReturnType<typeof createSoftwareAuthenticator>,
  credential: WebAuthnCredential,
  over: { counter?: number; userVerified?: boolean } = {},
) {
  const options = await generateAuthenticationOptions({ rpID: site.rpId, userVerification: 'required' });
  return verifyAuthenticationResponse({
    response: authenticator.authenticate(options, over),
    expectedChallenge: options.challenge,
    expectedOrigin: site.origin,
    expectedRPID: site.rpId,
    credential,
    requireUserVerification: false,
  });
}

describe('the software authenticator, checked by @simplewebauthn/server itself', () => {
  test('its registration with attestation "none" verifies, with the AAGUID, flags and transports it claims', async () => {
    const { info } = await registered({ aaguid: 'ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4', backedUp: true });
    expect(info.fmt).toBe('none');
    expect(info.aaguid).toBe('ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4');
    expect(info.userVerified).toBe(true);
    expect(info.credentialDeviceType).toBe('multiDevice');
    expect(info.credentialBackedUp).toBe(true);
    expect(info.credential.transports).toEqual(['hybrid', 'internal']);
  });

  test('its assertions verify, a device-bound counter goes up and a synced one stays at zero', async () => {
    const bound = await registered();
    const first = await assertion(bound.authenticator, bound.info.credential);
    expect(first).toMatchObject({ verified: true, authenticationInfo: { newCounter: 1, userVerified: true } });
    const second = await assertion(bound.authenticator, { ...bound.info.credential, counter: 1 });
    expect(second.authenticationInfo.newCounter).toBe(2);

    const synced = await registered({ backedUp: true });
    const zero = await assertion(synced.authenticator, synced.info.credential);
    expect(zero.authenticationInfo).toMatchObject({ newCounter: 0, credentialDeviceType: 'multiDevice' });
  });

  test('it can play an authenticator without user verification and a cloned key', async () => {
    const { authenticator, info } = await registered({ userVerified: false });
    expect(info.userVerified).toBe(false);
    const unverified = await assertion(authenticator, info.credential);
    expect(unverified.authenticationInfo.userVerified).toBe(false);
    await expect(assertion(authenticator, { ...info.credential, counter: 5 }, { counter: 3 })).rejects.toThrow(
      /counter/i,
    );
  });

  test('like a browser it refuses to register twice where the server excludes its credential', async () => {
    const { authenticator, info } = await registered();
    const options = await generateRegistrationOptions({
      rpName: 'Gatehouse',
      rpID: site.rpId,
      userName: 'ada@example.com',
      excludeCredentials: [{ id: info.credential.id }],
    });
    expect(() => authenticator.register(options)).toThrow(/InvalidStateError/);
  });

  test('a phishing origin is signed as such and refused by the library', async () => {
    const { authenticator, info } = await registered();
    const options = await generateAuthenticationOptions({ rpID: site.rpId });
    const response = authenticator.authenticate(options, { origin: 'https://id.example.com.evil.test' });
    await expect(
      verifyAuthenticationResponse({
        response,
        expectedChallenge: options.challenge,
        expectedOrigin: site.origin,
        expectedRPID: site.rpId,
        credential: info.credential,
      }),
    ).rejects.toThrow(/origin/i);
  });

  test('its credentials can be handed to a Chromium virtual authenticator', async () => {
    const { authenticator, info } = await registered();
    const virtual = authenticator.virtualCredential(info.credential.id);
    expect(virtual).toMatchObject({ isResidentCredential: true, rpId: site.rpId, signCount: 0 });
    expect(Buffer.from(virtual.credentialId, 'base64').toString('base64url')).toBe(info.credential.id);
  });
});
