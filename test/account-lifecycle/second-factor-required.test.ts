import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse } from '../support/run-gatehouse.js';
import { prepareDatabase } from '../../src/boot/prepare-database.js';
import { createContainer, type Container } from '../../src/boot/container.js';
import { frozenClock } from '../support/frozen-clock.js';
import { createSoftwareAuthenticator } from '../support/software-authenticator.js';
import { relyingPartyOf } from '../../src/passkeys/relying-party.js';

// Under the default policy (adaptive), the last second factor may go, unless an app the person
// uses demands one at every sign-in (a client registered with --mfa always).
let server: TestServer;
let container: Container;
let clock: ReturnType<typeof frozenClock>;
const actor = { by: 'user' as const, ip: '203.0.113.9', userAgent: 'test' };
const PASSWORD = 'a long and careful passphrase';

beforeAll(async () => {
  server = await startTestServer();
  const env = { DATABASE_URL: server.database.url };
  for (const email of ['ada@example.com', 'grace@example.com'])
    await gatehouse(env, 'user', 'add', '--email', email, '--password', PASSWORD);
  clock = frozenClock(Date.now());
  const { kek } = await prepareDatabase(server.config, clock);
  container = await createContainer(server.config, kek.key, clock);
});

afterAll(async () => {
  await container.close();
  await server.close();
});

async function onlyPasskey(email: string) {
  const account = await container.accounts.requireByEmail(email);
  const device = createSoftwareAuthenticator(relyingPartyOf(server.config.issuer));
  const options = await container.passkeyConsole.beginRegistration(account, 60, undefined, 'console', actor);
  const { passkey } = await container.passkeyConsole.finishRegistration(
    account,
    'console',
    device.register(options),
    actor,
  );
  return { account, passkey };
}

/** The grant a completed sign-in at the app leaves (what "connected apps" lists). */
async function connect(accountId: string, clientId: string) {
  const grantId = `grant-${accountId}-${clientId}`;
  await container.records.upsert({
    model: 'Grant',
    id: grantId,
    payload: JSON.stringify({ kind: 'Grant', jti: grantId, accountId, clientId, openid: { scope: 'openid' } }),
    grantId: null,
    userCode: null,
    uid: null,
    accountId,
    expiresAt: new Date(clock() + 3600_000),
  });
}

const remove = (account: { id: string; email: string }, id: string) =>
  container.passkeyConsole.remove(account, id, 60, undefined, 'this', actor);

it('lets the only passkey go when no app demands a second factor', async () => {
  const { client_id } = await container.clients.add({ name: 'Wiki', redirectUris: ['https://wiki.example.com/cb'] });
  const { account, passkey } = await onlyPasskey('grace@example.com');
  await connect(account.id, client_id);
  await remove(account, passkey.id);
  expect(await container.passkeyConsole.list(account.id)).toEqual([]);
});

it('keeps the only passkey of someone who uses an app registered with --mfa always, and says why', async () => {
  const { client_id } = await container.clients.add({
    name: 'Payroll',
    redirectUris: ['https://payroll.example.com/cb'],
    mfaPolicy: 'always',
  });
  const { account, passkey } = await onlyPasskey('ada@example.com');
  await connect(account.id, client_id);
  await expect(remove(account, passkey.id)).rejects.toMatchObject({
    code: 'ERR_PASSKEY_LAST_FACTOR',
    message: expect.stringContaining('or to an app you use'),
  });
  expect((await container.passkeyConsole.list(account.id)).map((p) => p.id)).toEqual([passkey.id]);
});
