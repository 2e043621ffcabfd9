import { createHash } from 'node:crypto';
import { pageScript } from '../../src/http/page-scripts.js';
import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse, gatehouseJson } from '../support/run-gatehouse.js';
import { UserAgent } from '../support/user-agent.js';
import { freezeDate } from '../support/fake-date.js';
import { createSoftwareAuthenticator, type SoftwareAuthenticator } from '../support/software-authenticator.js';

let server: TestServer;
let env: Record<string, string>;
let clock: ReturnType<typeof freezeDate>;
const PASSWORD = 'a long and careful passphrase';

beforeAll(async () => {
  clock = freezeDate();
  server = await startTestServer();
  env = { DATABASE_URL: server.database.url };
  for (const email of ['ada@example.com', 'grace@example.com', 'hedy@example.com'])
    await gatehouse(env, 'user', 'add', '--email', email, '--password', PASSWORD);
});

afterAll(async () => {
  await server.close();
  clock.restore();
});

const uidIn = (html: string) => /action="\/interaction\/([^/"]+)\//.exec(html)?.[1] as string;
const authenticatorFor = (options: { backedUp?: boolean } = {}) =>
  createSoftwareAuthenticator({ origin: server.url, rpId: new URL(server.url).hostname, ...options });

/** The passkeys each person has added in these tests: a new browser of theirs is asked for one. */
const keysOf = new Map<string, SoftwareAuthenticator[]>();

async function consoleSignIn(agent: UserAgent, email: string) {
  const login = await agent.follow(await agent.get('/account'));
  let res = await agent.follow(
    await agent.post(`/interaction/${uidIn(await login.text())}/login`, { email, password: PASSWORD }),
  );
  let page = await res.text();
  const [key] = keysOf.get(email) ?? [];
  if (key && page.includes('Use a passkey')) {
    // A passkey is a second factor: the policy asks a browser it has not seen for one.
    const uid = uidIn(page);
    const options = await agent.post(`/interaction/${uid}/passkey/options`, {}, { accept: 'application/json' });
    const response = key.authenticate((await options.json()) as PublicKeyCredentialRequestOptionsJSON);
    res = await agent.follow(
      await agent.post(`/interaction/${uid}/mfa/passkey`, { response: JSON.stringify(response) }),
    );
    page = await res.text();
  }
  expect(res.status).toBe(200);
  expect(page).toContain('Your account');
}

/** What the page's script does: options from the JSON endpoint, the authenticator's answer posted with the form. */
async function addPasskey(agent: UserAgent, authenticator: SoftwareAuthenticator, form: Record<string, string> = {}) {
  const options = await agent.post('/account/passkeys/options', form);
  expect(options.status).toBe(200);
  const json = (await options.json()) as PublicKeyCredentialCreationOptionsJSON;
  const response = await authenticator.register(json);
  return agent.post('/account/passkeys/add', { ...form, response: JSON.stringify(response) });
}

const rowsOf = (page: string) =>
  [
    ...page.matchAll(
      /<tr data-testid="passkey">\s*<td>([^<]*)<\/td>[\s\S]*?<td[^>]*>(?:<time[^>]*>)?([^<]*)(?:<\/time>)?<\/td>\s*<td[^>]*>(?:<time[^>]*>)?([^<]*)(?:<\/time>)?<\/td>\s*<td[^>]*>([^<]*)<\/td>/g,
    ),
  ].map((m) => ({ name: m[1], lastUsed: m[3], kind: m[4] }));
const idsOf = (page: string) =>
  [...page.matchAll(/action="\/account\/passkeys\/([^/"]+)\/remove"/g)].map((m) => m[1] as string);

describe('/account/passkeys', () => {
  it('is linked from the account page and runs exactly its own script, by hash', async () => {
    const agent = new UserAgent(server.url);
    await consoleSignIn(agent, 'ada@example.com');
    expect(await (await agent.get('/account')).text()).toContain('<a href="/account/passkeys">Passkeys</a>');
    const res = await agent.get('/account/passkeys');
    const page = await res.text();
    expect(page).toContain('You have no passkeys yet.');
    const [, src, integrity] = /<script src="([^"]+)" integrity="([^"]+)" defer>/.exec(page) ?? [];
    const script = await (await fetch(new URL(src as string, server.url))).text();
    expect(integrity).toBe(`sha384-${createHash('sha384').update(script).digest('base64')}`);
    expect(res.headers.get('content-security-policy')).toContain(`script-src '${integrity}'`);
    expect(res.headers.get('content-security-policy')).toContain(`'${pageScript('local-time.js').integrity}'`);
    // The account page runs only the script that shows its times in the browser's zone.
    expect((await agent.get('/account')).headers.get('content-security-policy')).toMatch(
      new RegExp(`script-src '${pageScript('local-time.js').integrity.replace(/[+/]/g, '\\$&')}';`),
    );
  });

  it('adds a first passkey with recovery codes, lists it (device-bound), and a second one without codes', async () => {
    const agent = new UserAgent(server.url);
    await consoleSignIn(agent, 'ada@example.com');
    const laptop = authenticatorFor();
    const first = await addPasskey(agent, laptop, { name: 'Work laptop' });
    expect(first.status).toBe(200);
    const shown = await first.text();
    expect(shown).toContain('Your passkey is ready');
    expect([...shown.matchAll(/<li><code>/g)]).toHaveLength(10);

    // A minute later: the list is in the order the passkeys were added.
    clock.advance(60_000);
    const phone = authenticatorFor({ backedUp: true });
    const second = await agent.follow(await addPasskey(agent, phone, { name: 'Phone' }));
    keysOf.set('ada@example.com', [laptop, phone]);
    const page = await second.text();
    expect(page).toContain('Your passkey has been added.');
    expect(page).not.toContain('<li><code>');
    expect(rowsOf(page)).toEqual([
      expect.objectContaining({ name: 'Work laptop', lastUsed: 'Never', kind: 'This device only' }),
      expect.objectContaining({ name: 'Phone', lastUsed: 'Never', kind: 'Synced' }),
    ]);
  });

  it('explains that adding needs JavaScript when the form comes without a credential, and refuses a credential that is not one', async () => {
    const agent = new UserAgent(server.url);
    await consoleSignIn(agent, 'grace@example.com');
    const bare = await agent.post('/account/passkeys/add', { name: 'Laptop' });
    expect(bare.status).toBe(400);
    expect(await bare.text()).toContain('Adding a passkey needs JavaScript');
    const junk = await agent.post('/account/passkeys/add', { response: '{"id":' });
    expect(junk.status).toBe(400);
    expect(await junk.text()).toContain('The passkey could not be read');
  });

  it('asks for the password when the sign-in is older than five minutes; a wrong one is refused, the right one works', async () => {
    const agent = new UserAgent(server.url);
    await consoleSignIn(agent, 'grace@example.com');
    clock.advance(6 * 60_000);
    expect(await (await agent.get('/account/passkeys')).text()).toContain('id="add-password"');
    const wrong = await agent.post('/account/passkeys/options', { password: 'not the password' });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toEqual({ error: 'The password is not correct.' });
    const added = await addPasskey(agent, authenticatorFor(), { password: PASSWORD });
    expect(added.status).toBe(200);
    expect(await added.text()).toContain('Your passkey is ready');
  });

  it('renames a passkey, refusing an empty name on the page', async () => {
    const agent = new UserAgent(server.url);
    await consoleSignIn(agent, 'ada@example.com');
    const [id] = idsOf(await (await agent.get('/account/passkeys')).text());
    const empty = await agent.post(`/account/passkeys/${id}/rename`, { name: '  ' });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('Enter a name of at most 64 characters.');
    const renamed = await agent.follow(await agent.post(`/account/passkeys/${id}/rename`, { name: 'Old laptop' }));
    const page = await renamed.text();
    expect(page).toContain('The passkey has been renamed.');
    expect(rowsOf(page)[0]?.name).toBe('Old laptop');
    expect((await agent.post('/account/passkeys/not-mine/rename', { name: 'x' })).status).toBe(404);
  });

  it('removes a passkey after a fresh sign-in and signs out the other sessions, with an audit trail', async () => {
    const here = new UserAgent(server.url);
    const elsewhere = new UserAgent(server.url);
    await consoleSignIn(here, 'ada@example.com');
    await consoleSignIn(elsewhere, 'ada@example.com');
    clock.advance(6 * 60_000);
    const [id] = idsOf(await (await here.get('/account/passkeys')).text());
    const wrong = await here.post(`/account/passkeys/${id}/remove`, { password: 'nope' });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('The password is not correct.');
    const removed = await here.follow(await here.post(`/account/passkeys/${id}/remove`, { password: PASSWORD }));
    const page = await removed.text();
    expect(page).toContain('The passkey has been removed.');
    expect(rowsOf(page).map((r) => r.name)).toEqual(['Phone']);
    expect((await elsewhere.get('/account')).status).toBe(303);
    const audit = await gatehouseJson<{ events: { type: string }[] }>(
      env,
      'audit',
      '--email',
      'ada@example.com',
      '--json',
    );
    expect(audit.events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['passkey.registered', 'passkey.renamed', 'passkey.removed']),
    );
  });
});
