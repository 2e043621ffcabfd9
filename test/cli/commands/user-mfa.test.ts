import { startTestServer, type TestServer } from '../../support/test-server.js';
import { gatehouse, gatehouseJson } from '../../support/run-gatehouse.js';
import { prepareDatabase } from '../../../src/boot/prepare-database.js';
import { createContainer, type Container } from '../../../src/boot/container.js';
import { totpCodeAt } from '../../../src/mfa/totp.js';
import { frozenClock } from '../../support/frozen-clock.js';
import { createSoftwareAuthenticator } from '../../support/software-authenticator.js';
import { relyingPartyOf } from '../../../src/passkeys/relying-party.js';

let server: TestServer;
let env: Record<string, string>;
let container: Container;

interface Shown {
  factors: string[];
  recoveryCodesLeft: number;
  rememberedDevices: unknown[];
  passkeys: Array<{ name: string; aaguid: string; createdAt: string; lastUsedAt: string | null }>;
}

const AAGUID = 'ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4';

beforeAll(async () => {
  server = await startTestServer();
  env = { DATABASE_URL: server.database.url };
  await gatehouse(env, 'user', 'add', '--email', 'lost@example.com', '--password', 'phone fell in the lake');
  const clock = frozenClock(Date.now());
  const { kek } = await prepareDatabase(server.config, clock);
  container = await createContainer(server.config, kek.key, clock);
  // The person set up an authenticator and remembered one browser (as the console would).
  const account = await container.accounts.requireByEmail('lost@example.com');
  const { secret } = await container.mfa.beginTotpEnrolment(account, 'test');
  await container.mfa.confirmTotpEnrolment(account, await totpCodeAt(secret, clock()), 'test', { by: 'user' });
  // …and a passkey on a phone.
  const phone = createSoftwareAuthenticator({ ...relyingPartyOf(server.config.issuer), aaguid: AAGUID });
  const options = await container.passkeys.beginRegistration(account, 'console');
  await container.passkeys.finishRegistration(account, 'console', phone.register(options), { by: 'user' }, 'Phone');
  await container.mfa.rememberDevice(account.id, 3600, {
    by: 'user',
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0 Safari/537.36',
  });
});

afterAll(async () => {
  await container.close();
  await server.close();
});

describe('gatehouse user show and user mfa reset', () => {
  it('shows the factors, the passkeys, the recovery codes left and the remembered devices', async () => {
    const shown = await gatehouseJson<Shown>(env, 'user', 'show', '--email', 'lost@example.com');
    expect(shown).toMatchObject({ factors: ['password', 'totp', 'passkey'], recoveryCodesLeft: 10 });
    expect(shown.passkeys).toEqual([
      expect.objectContaining({ name: 'Phone', aaguid: AAGUID, createdAt: expect.any(String), lastUsedAt: null }),
    ]);
    expect(shown.rememberedDevices).toEqual([expect.objectContaining({ browser: 'Chrome 156 on Linux' })]);
    const text = await gatehouse(env, 'user', 'show', '--email', 'lost@example.com');
    expect(text.stdout).toContain('factors:            password, totp, passkey');
    expect(text.stdout).toMatch(new RegExp(`Phone \\(AAGUID ${AAGUID}\\) created \\S+, last used never`));
  });

  it('removes the authenticator, the passkeys, the recovery codes and remembered devices for a lost phone, audited', async () => {
    const reset = await gatehouseJson<{ removed: boolean; passkeys: number; devices: number }>(
      env,
      'user',
      'mfa',
      'reset',
      '--email',
      'lost@example.com',
    );
    expect(reset).toMatchObject({ removed: true, passkeys: 1, devices: 1 });
    expect(await gatehouseJson<Shown>(env, 'user', 'show', '--email', 'LOST@example.com')).toMatchObject({
      factors: ['password'],
      recoveryCodesLeft: 0,
      rememberedDevices: [],
      passkeys: [],
    });
    const audit = await gatehouseJson<{ events: Array<{ type: string }> }>(env, 'audit', '--email', 'lost@example.com');
    expect(audit.events.map((e) => e.type)).toContain('admin.mfa.reset');
  });

  it('says so, with exit code 1, for an unknown account', async () => {
    const res = await gatehouse(env, 'user', 'mfa', 'reset', '--email', 'nobody@example.com', '--json');
    expect(res.code).toBe(1);
    expect(res.json()).toEqual({
      error: { code: 'ERR_ACCOUNT_NOT_FOUND', message: 'no account with email nobody@example.com' },
    });
  });
});
