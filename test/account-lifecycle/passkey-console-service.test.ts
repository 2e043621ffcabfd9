import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse } from '../support/run-gatehouse.js';
import { prepareDatabase } from '../../src/boot/prepare-database.js';
import { createContainer, type Container } from '../../src/boot/container.js';
import { totpCodeAt } from '../../src/mfa/totp.js';
import { frozenClock } from '../support/frozen-clock.js';
import { createSoftwareAuthenticator } from '../support/software-authenticator.js';
import { relyingPartyOf } from '../../src/passkeys/relying-party.js';

// The console's passkey rules on a server with MFA_POLICY=always: every sign-in needs a second factor.
let server: TestServer;
let container: Container;
let clock: ReturnType<typeof frozenClock>;
const actor = { by: 'user' as const, ip: '203.0.113.9', userAgent: 'test' };
const PASSWORD = 'a long and careful passphrase';

beforeAll(async () => {
  server = await startTestServer({ MFA_POLICY: 'always' });
  const env = { DATABASE_URL: server.database.url };
  for (const email of [
    'ada@example.com',
    'grace@example.com',
    'hedy@example.com',
    'katherine@example.com',
    'lise@example.com',
    'mary@example.com',
  ])
    await gatehouse(env, 'user', 'add', '--email', email, '--password', PASSWORD);
  clock = frozenClock(Date.now());
  const { kek } = await prepareDatabase(server.config, clock);
  container = await createContainer(server.config, kek.key, clock);
});

afterAll(async () => {
  await container.close();
  await server.close();
});

/** Adds a passkey the way the console does (signed in a minute ago: no password asked). */
async function addPasskey(email: string, name: string) {
  const account = await container.accounts.requireByEmail(email);
  const device = createSoftwareAuthenticator(relyingPartyOf(server.config.issuer));
  const options = await container.passkeyConsole.beginRegistration(account, 60, undefined, 'console', actor);
  return container.passkeyConsole.finishRegistration(account, 'console', device.register(options), actor, name);
}

const remove = async (email: string, id: string) =>
  container.passkeyConsole.remove(await container.accounts.requireByEmail(email), id, 60, undefined, 'this', actor);

describe('passkeys in the console under MFA_POLICY=always', () => {
  it('refuses to remove the only second factor, allows it once another passkey is there, and counts the recovery codes that came with the first', async () => {
    const first = await addPasskey('ada@example.com', 'Laptop');
    expect(first.recoveryCodes).toHaveLength(10);
    const ada = await container.accounts.requireByEmail('ada@example.com');
    expect(await container.mfa.status(ada.id)).toEqual({ totp: false, recoveryCodesLeft: 10 });

    await expect(remove('ada@example.com', first.passkey.id)).rejects.toMatchObject({
      code: 'ERR_PASSKEY_LAST_FACTOR',
      message: expect.stringContaining('Add another passkey or an authenticator app first.'),
    });
    expect((await container.passkeyConsole.list(ada.id)).map((p) => p.name)).toEqual(['Laptop']);

    clock.advance(60_000);
    const second = await addPasskey('ada@example.com', 'Phone');
    expect(second.recoveryCodes).toBeUndefined();
    await remove('ada@example.com', first.passkey.id);
    expect((await container.passkeyConsole.list(ada.id)).map((p) => p.name)).toEqual(['Phone']);
    // The phone is now the only factor again: the codes stay, and it cannot go.
    expect((await container.mfa.status(ada.id)).recoveryCodesLeft).toBe(10);
    await expect(remove('ada@example.com', second.passkey.id)).rejects.toMatchObject({
      code: 'ERR_PASSKEY_LAST_FACTOR',
    });
  });

  it('lets the last passkey go when an authenticator app remains', async () => {
    const grace = await container.accounts.requireByEmail('grace@example.com');
    const { secret } = await container.mfa.beginTotpEnrolment(grace, 'test');
    await container.mfa.confirmTotpEnrolment(grace, await totpCodeAt(secret, clock()), 'test', actor);
    const { passkey } = await addPasskey('grace@example.com', 'Laptop');
    await remove('grace@example.com', passkey.id);
    expect(await container.passkeyConsole.list(grace.id)).toEqual([]);
    expect(await container.mfa.status(grace.id)).toEqual({ totp: true, recoveryCodesLeft: 10 });
  });

  it('removes exactly one of the last two passkeys when both are removed at once (the count is taken after the removal, under a lock)', async () => {
    const laptop = await addPasskey('hedy@example.com', 'Laptop');
    const phone = await addPasskey('hedy@example.com', 'Phone');
    const results = await Promise.allSettled([
      remove('hedy@example.com', laptop.passkey.id),
      remove('hedy@example.com', phone.passkey.id),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r.reason as { code: string }).code)).toEqual([
      'ERR_PASSKEY_LAST_FACTOR',
    ]);
    const hedy = await container.accounts.requireByEmail('hedy@example.com');
    expect(await container.passkeyConsole.list(hedy.id)).toHaveLength(1);
    expect((await container.mfa.status(hedy.id)).recoveryCodesLeft).toBe(10);
  });

  it('keeps the recovery codes when the authenticator app is turned off and a passkey remains, so the passkey-only account still has a way back', async () => {
    await addPasskey('katherine@example.com', 'Laptop');
    const katherine = await container.accounts.requireByEmail('katherine@example.com');
    const { secret } = await container.mfa.beginTotpEnrolment(katherine, 'test');
    await container.mfa.confirmTotpEnrolment(katherine, await totpCodeAt(secret, clock()), 'test', actor);
    clock.advance(30_000);
    // A wrong code is the person's mistake; the right one turns the app off.
    await expect(container.mfaConsole.disable(katherine, { totp: '000000' }, 'this', actor)).rejects.toMatchObject({
      code: 'ERR_MFA_CODE_INVALID',
    });
    await container.mfaConsole.disable(katherine, { totp: await totpCodeAt(secret, clock()) }, 'this', actor);
    expect(await container.mfa.status(katherine.id)).toEqual({ totp: false, recoveryCodesLeft: 10 });
    expect((await container.passkeyConsole.list(katherine.id)).map((p) => p.name)).toEqual(['Laptop']);
  });

  it('keeps the authenticator app while it is the only second factor, and lets it go once a passkey is there', async () => {
    const lise = await container.accounts.requireByEmail('lise@example.com');
    const { secret } = await container.mfa.beginTotpEnrolment(lise, 'test');
    await container.mfa.confirmTotpEnrolment(lise, await totpCodeAt(secret, clock()), 'test', actor);
    clock.advance(30_000);
    const code = await totpCodeAt(secret, clock());
    await expect(container.mfaConsole.disable(lise, { totp: code }, 'this', actor)).rejects.toMatchObject({
      code: 'ERR_MFA_LAST_FACTOR',
      message: expect.stringContaining('Add a passkey first'),
    });
    expect(await container.mfa.status(lise.id)).toEqual({ totp: true, recoveryCodesLeft: 10 });

    // The refusal spent nothing: the same code still works once a passkey is there.
    await addPasskey('lise@example.com', 'Laptop');
    await container.mfaConsole.disable(lise, { totp: code }, 'this', actor);
    expect(await container.mfa.status(lise.id)).toEqual({ totp: false, recoveryCodesLeft: 10 });
  });

  it('removes only one of the app and the last passkey when both are turned off at once (both take the account lock)', async () => {
    const mary = await container.accounts.requireByEmail('mary@example.com');
    const { secret } = await container.mfa.beginTotpEnrolment(mary, 'test');
    await container.mfa.confirmTotpEnrolment(mary, await totpCodeAt(secret, clock()), 'test', actor);
    const { passkey } = await addPasskey('mary@example.com', 'Laptop');
    clock.advance(30_000);
    const results = await Promise.allSettled([
      container.mfaConsole.disable(mary, { totp: await totpCodeAt(secret, clock()) }, 'this', actor),
      remove('mary@example.com', passkey.id),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as { code: string }).code] : []));
    expect(refused).toEqual([expect.stringMatching(/^ERR_(MFA|PASSKEY)_LAST_FACTOR$/)]);
    const status = await container.mfa.status(mary.id);
    const passkeys = await container.passkeyConsole.list(mary.id);
    expect(Number(status.totp) + passkeys.length).toBe(1);
    expect(status.recoveryCodesLeft).toBe(10);
  });

  it('answers a passkey of another account as not found, before asking for anything', async () => {
    const ada = await container.accounts.requireByEmail('ada@example.com');
    const [phone] = await container.passkeyConsole.list(ada.id);
    await expect(remove('grace@example.com', phone?.id as string)).rejects.toMatchObject({
      code: 'ERR_PASSKEY_NOT_FOUND',
    });
  });
});
