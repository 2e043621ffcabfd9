import { passkeySetup, user } from './passkey-setup.js';
import { hashRecoveryCode } from '../../src/mfa/recovery-codes.js';

let setup: Awaited<ReturnType<typeof passkeySetup>>;
beforeAll(async () => {
  setup = await passkeySetup();
});
afterAll(() => setup.store.close());

describe('registering a passkey', () => {
  test('attestation "none" is accepted; the passkey is stored with its RP ID, AAGUID, flags and a name from the AAGUID', async () => {
    const { owner, passkey } = await setup.withPasskey({
      backedUp: true,
      aaguid: 'ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4',
    });
    expect(passkey).toMatchObject({
      name: 'Google Password Manager',
      deviceType: 'multiDevice',
      backedUp: true,
      aaguid: 'ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4',
      transports: ['hybrid', 'internal'],
      createdAt: new Date(setup.clock()),
      lastUsedAt: null,
    });
    const row = await setup.store.db.passkey.findUniqueOrThrow({ where: { id: passkey.id } });
    expect(row).toMatchObject({ accountId: owner.id, rpId: 'id.example.com', counter: 0n });
    expect(await setup.passkeys.hasPasskey(owner.id)).toBe(true);
    expect(await setup.events('passkey.registered')).toContainEqual(
      expect.objectContaining({ accountId: owner.id, outcome: 'success' }),
    );
  });

  test('the options ask for a discoverable credential, attestation "none", and exclude the passkeys the account has', async () => {
    const { owner, passkey } = await setup.withPasskey();
    const options = await setup.passkeys.beginRegistration(owner, 'console-2');
    expect(options).toMatchObject({
      rp: { id: 'id.example.com', name: 'Gatehouse' },
      user: { name: owner.email, displayName: owner.name, id: Buffer.from(owner.id).toString('base64url') },
      attestation: 'none',
      authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'preferred' },
      excludeCredentials: [expect.objectContaining({ id: passkey.id })],
    });
  });

  test('the first second factor comes with recovery codes; a second passkey, or one after the app, does not', async () => {
    const first = await setup.withPasskey();
    expect(first.recoveryCodes).toHaveLength(10);
    const options = await setup.passkeys.beginRegistration(first.owner, 'console-1');
    const second = await setup.passkeys.finishRegistration(
      first.owner,
      'console-1',
      setup.authenticator().register(options),
      user,
      '  Work   laptop ',
    );
    expect(second.recoveryCodes).toBeUndefined();
    expect(second.passkey.name).toBe('Work laptop');
    expect(await setup.passkeys.list(first.owner.id)).toHaveLength(2);

    const withApp = await setup.account();
    await setup.mfaQueries.putPendingTotp(withApp.id, 'sealed', 'b', new Date(setup.clock()));
    await setup.mfaQueries.confirmTotp(withApp.id, { secret: 'sealed', binding: 'b' }, 1, new Date(setup.clock()));
    const afterApp = await setup.passkeys.finishRegistration(
      withApp,
      'console-3',
      setup.authenticator().register(await setup.passkeys.beginRegistration(withApp, 'console-3')),
      user,
    );
    expect(afterApp.recoveryCodes).toBeUndefined();
  });

  test('of six first passkeys added at once, exactly one shows recovery codes, and those are the ones kept', async () => {
    const owner = await setup.account();
    const prompts = await Promise.all(
      ['tab-1', 'tab-2', 'tab-3', 'tab-4', 'tab-5', 'tab-6'].map(async (binding) => ({
        binding,
        options: await setup.passkeys.beginRegistration(owner, binding),
      })),
    );
    const added = await Promise.all(
      prompts.map(({ binding, options }) =>
        setup.passkeys.finishRegistration(owner, binding, setup.authenticator().register(options), user),
      ),
    );
    const shown = added.flatMap((a) => (a.recoveryCodes ? [a.recoveryCodes] : []));
    expect(shown).toHaveLength(1);
    const stored = await setup.store.db.recoveryCode.findMany({ where: { accountId: owner.id } });
    expect(stored.map((r) => r.codeHash).sort()).toEqual((shown[0] as string[]).map(hashRecoveryCode).sort());
  });

  test('a response made for another RP ID or origin is refused, and the person can try again with the same prompt', async () => {
    const owner = await setup.account();
    const options = await setup.passkeys.beginRegistration(owner, 'console-4');
    const device = setup.authenticator();
    await expect(
      setup.passkeys.finishRegistration(owner, 'console-4', device.register(options, { rpId: 'evil.test' }), user),
    ).rejects.toMatchObject({ code: 'ERR_PASSKEY_INVALID' });
    await expect(
      setup.passkeys.finishRegistration(
        owner,
        'console-4',
        device.register(options, { origin: 'https://id.example.com.evil.test' }),
        user,
      ),
    ).rejects.toMatchObject({ code: 'ERR_PASSKEY_INVALID' });
    expect(await setup.passkeys.hasPasskey(owner.id)).toBe(false);
    const retried = await setup.passkeys.finishRegistration(owner, 'console-4', device.register(options), user);
    expect(retried.recoveryCodes).toHaveLength(10);
  });

  test('a challenge answers only where it was asked, for its account, once, and for five minutes', async () => {
    const owner = await setup.account();
    const other = await setup.account();
    const device = setup.authenticator();
    const options = await setup.passkeys.beginRegistration(owner, 'console-5');
    const response = device.register(options);
    await expect(setup.passkeys.finishRegistration(owner, 'elsewhere', response, user)).rejects.toMatchObject({
      code: 'ERR_PASSKEY_CHALLENGE',
    });
    await expect(setup.passkeys.finishRegistration(other, 'console-5', response, user)).rejects.toMatchObject({
      code: 'ERR_PASSKEY_CHALLENGE',
    });
    await setup.passkeys.finishRegistration(owner, 'console-5', response, user);
    await expect(setup.passkeys.finishRegistration(owner, 'console-5', response, user)).rejects.toMatchObject({
      code: 'ERR_PASSKEY_CHALLENGE',
    });

    const late = await setup.passkeys.beginRegistration(owner, 'console-5');
    setup.clock.advance(5 * 60_000);
    await expect(
      setup.passkeys.finishRegistration(owner, 'console-5', setup.authenticator().register(late), user),
    ).rejects.toMatchObject({ code: 'ERR_PASSKEY_CHALLENGE' });
  });
});

describe('managing passkeys', () => {
  test('rename and remove act on the owner’s passkey only; removing the last factor drops the recovery codes', async () => {
    const { owner, passkey } = await setup.withPasskey();
    const stranger = await setup.account();
    await expect(setup.passkeys.rename(stranger.id, passkey.id, 'Mine', user)).rejects.toMatchObject({
      code: 'ERR_PASSKEY_NOT_FOUND',
    });
    await expect(setup.passkeys.rename(owner.id, passkey.id, '   ', user)).rejects.toMatchObject({
      code: 'ERR_FORM_INVALID',
    });
    await setup.passkeys.rename(owner.id, passkey.id, 'Phone', user);
    expect((await setup.passkeys.list(owner.id)).map((p) => p.name)).toEqual(['Phone']);
    await expect(setup.passkeys.remove(stranger.id, passkey.id, user)).rejects.toMatchObject({
      code: 'ERR_PASSKEY_NOT_FOUND',
    });
    expect(await setup.mfaQueries.countUnusedRecoveryCodes(owner.id)).toBe(10);
    await setup.passkeys.remove(owner.id, passkey.id, user);
    expect(await setup.passkeys.hasPasskey(owner.id)).toBe(false);
    expect(await setup.mfaQueries.countUnusedRecoveryCodes(owner.id)).toBe(0);
    expect(await setup.events('passkey.removed')).toContainEqual(
      expect.objectContaining({ accountId: owner.id, outcome: 'success' }),
    );
  });

  test('removeAll takes every passkey of the account', async () => {
    const { owner } = await setup.withPasskey();
    expect(await setup.passkeys.removeAll(owner.id)).toBe(1);
    expect(await setup.passkeys.list(owner.id)).toEqual([]);
  });
});
