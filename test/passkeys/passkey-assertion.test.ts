import { passkeySetup, user } from './passkey-setup.js';
import { counterWentBack } from '../../src/passkeys/passkey-assertion.js';

let setup: Awaited<ReturnType<typeof passkeySetup>>;
beforeAll(async () => {
  setup = await passkeySetup();
});
afterAll(() => setup.store.close());

const passwordless = { requireUserVerification: true, actor: user };
let b = 0;
/** A fresh sign-in interaction's binding, and the options it gets. */
async function prompt(accountId?: string) {
  const binding = `interaction-${(b += 1)}`;
  return { binding, options: await setup.passkeys.beginAuthentication(binding, accountId) };
}

describe('passwordless sign-in with a passkey', () => {
  test('a discoverable passkey with user verification names its account, and its use is recorded', async () => {
    const { owner, device, passkey } = await setup.withPasskey();
    const { binding, options } = await prompt();
    expect(options).toMatchObject({ rpId: 'id.example.com', userVerification: 'required', allowCredentials: [] });
    setup.clock.advance(1000);
    const result = await setup.passkeys.finishAuthentication(binding, device.authenticate(options), passwordless);
    expect(result).toMatchObject({ accountId: owner.id, userVerified: true, passkey: { id: passkey.id } });
    expect(result.passkey.lastUsedAt).toEqual(new Date(setup.clock()));
    expect((await setup.passkeys.list(owner.id))[0]?.lastUsedAt).toEqual(new Date(setup.clock()));
  });

  test('without user verification it is refused with its own message; as a second step it is accepted', async () => {
    const { owner, device } = await setup.withPasskey({ userVerified: false });
    const first = await prompt();
    await expect(
      setup.passkeys.finishAuthentication(first.binding, device.authenticate(first.options), passwordless),
    ).rejects.toMatchObject({ code: 'ERR_PASSKEY_USER_VERIFICATION', message: expect.stringMatching(/PIN/) });
    const second = await prompt(owner.id);
    const result = await setup.passkeys.finishAuthentication(second.binding, device.authenticate(second.options), {
      accountId: owner.id,
      requireUserVerification: false,
      actor: user,
    });
    expect(result).toMatchObject({ accountId: owner.id, userVerified: false });
  });

  test('an assertion for another RP ID or from another origin is refused', async () => {
    const { device } = await setup.withPasskey();
    const { binding, options } = await prompt();
    for (const tampered of [{ rpId: 'evil.test' }, { origin: 'https://id.example.com.evil.test' }]) {
      await expect(
        setup.passkeys.finishAuthentication(binding, device.authenticate(options, tampered), passwordless),
      ).rejects.toMatchObject({ code: 'ERR_PASSKEY_INVALID' });
    }
    // The failed tries did not spend the challenge: the genuine answer still works.
    await setup.passkeys.finishAuthentication(binding, device.authenticate(options), passwordless);
  });

  test('an unknown credential gets the same answer as a bad signature, and both count toward the throttle', async () => {
    const { owner, device } = await setup.withPasskey();
    const stranger = setup.authenticator();
    await stranger.register(await setup.passkeys.beginRegistration(await setup.account(), 'not-kept'));
    const { binding, options } = await prompt(owner.id);
    const forged = device.authenticate(options);
    forged.response.signature = Buffer.from('not a signature').toString('base64url');
    const unknown = { ...stranger.authenticate(options, { credentialId: stranger.credentialIds()[0] }) };
    const answers = await Promise.allSettled(
      [forged, unknown, forged, unknown, forged, unknown].map((response) =>
        setup.passkeys.finishAuthentication(binding, response, {
          accountId: owner.id,
          requireUserVerification: false,
          actor: user,
        }),
      ),
    );
    const reasons = answers.map((a) =>
      a.status === 'rejected' ? (a.reason as { code: string; message: string }) : { code: 'none', message: '' },
    );
    expect(new Set(reasons.slice(0, 5).map((r) => `${r.code}: ${r.message}`))).toEqual(
      new Set([`ERR_PASSKEY_INVALID: ${reasons[0]?.message}`]),
    );
    expect(reasons[5]).toMatchObject({ code: 'ERR_MFA_THROTTLED' });
    await expect(
      setup.passkeys.finishAuthentication(binding, device.authenticate(options), {
        accountId: owner.id,
        requireUserVerification: false,
        actor: user,
      }),
    ).rejects.toMatchObject({ code: 'ERR_MFA_THROTTLED' });
  });

  test('as the second step only the account’s own passkeys are asked for and accepted', async () => {
    const { owner, passkey } = await setup.withPasskey();
    const other = await setup.withPasskey();
    const { binding, options } = await prompt(owner.id);
    expect(options.allowCredentials).toEqual([expect.objectContaining({ id: passkey.id })]);
    await expect(
      setup.passkeys.finishAuthentication(
        binding,
        other.device.authenticate(options, { credentialId: other.passkey.id }),
        { accountId: owner.id, requireUserVerification: false, actor: user },
      ),
    ).rejects.toMatchObject({ code: 'ERR_PASSKEY_INVALID' });
  });
});

describe('the challenge (frozen clock)', () => {
  test('it expires after five minutes', async () => {
    const { device } = await setup.withPasskey();
    const live = await prompt();
    setup.clock.advance(5 * 60_000 - 1);
    await setup.passkeys.finishAuthentication(live.binding, device.authenticate(live.options), passwordless);
    const late = await prompt();
    setup.clock.advance(5 * 60_000);
    await expect(
      setup.passkeys.finishAuthentication(late.binding, device.authenticate(late.options), passwordless),
    ).rejects.toMatchObject({ code: 'ERR_PASSKEY_CHALLENGE' });
  });

  test('it is single use: of six parallel submissions of one assertion exactly one signs in', async () => {
    const { device } = await setup.withPasskey({ backedUp: true });
    const { binding, options } = await prompt();
    const response = device.authenticate(options);
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, () => setup.passkeys.finishAuthentication(binding, response, passwordless)),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    await expect(setup.passkeys.finishAuthentication(binding, response, passwordless)).rejects.toMatchObject({
      code: 'ERR_PASSKEY_CHALLENGE',
    });
  });

  test('it answers only in the interaction that asked for it', async () => {
    const { device } = await setup.withPasskey();
    const { options } = await prompt();
    await expect(
      setup.passkeys.finishAuthentication('another-interaction', device.authenticate(options), passwordless),
    ).rejects.toMatchObject({ code: 'ERR_PASSKEY_CHALLENGE' });
  });
});

describe('signature counters', () => {
  test('a device-bound counter must go up: one that does not is refused and audited as a cloned authenticator', async () => {
    const { owner, device, passkey } = await setup.withPasskey();
    for (const counter of [1, 7]) {
      const { binding, options } = await prompt();
      await setup.passkeys.finishAuthentication(binding, device.authenticate(options, { counter }), passwordless);
    }
    for (const counter of [7, 3, 0]) {
      const { binding, options } = await prompt();
      await expect(
        setup.passkeys.finishAuthentication(binding, device.authenticate(options, { counter }), passwordless),
      ).rejects.toMatchObject({ code: 'ERR_PASSKEY_CLONED' });
    }
    const audited = (await setup.events('passkey.verify')).filter(
      (e) => e.accountId === owner.id && e.reason === 'cloned',
    );
    expect(audited.length).toBeGreaterThan(0);
    expect(JSON.parse(audited[0]?.detail ?? '{}')).toMatchObject({ passkey: passkey.id, storedCounter: 7 });
  });

  test('synced passkeys that always say zero keep working', async () => {
    const { device } = await setup.withPasskey({ backedUp: true });
    for (let i = 0; i < 3; i += 1) {
      const { binding, options } = await prompt();
      await setup.passkeys.finishAuthentication(binding, device.authenticate(options), passwordless);
    }
  });

  test('the rule', () => {
    expect(counterWentBack(0n, 0)).toBe(false);
    expect(counterWentBack(0n, 1)).toBe(false);
    expect(counterWentBack(5n, 6)).toBe(false);
    expect(counterWentBack(5n, 5)).toBe(true);
    expect(counterWentBack(5n, 0)).toBe(true);
    expect(counterWentBack(0n, 0)).toBe(false);
  });
});
