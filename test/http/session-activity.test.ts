import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse, gatehouseJson } from '../support/run-gatehouse.js';
import { UserAgent } from '../support/user-agent.js';
import { relyingParty } from '../support/relying-party.js';
import { walkAuthorization } from '../support/sign-in-flow.js';
import { totpCodeAt } from '../../src/mfa/totp.js';

let server: TestServer;
let env: Record<string, string>;
const REDIRECT = 'https://payroll.example/callback';
const EMAIL = 'annie.easley@example.com';
const PASSWORD = 'centaur upper stage software';
let payroll: Awaited<ReturnType<typeof relyingParty>>;

beforeAll(async () => {
  server = await startTestServer();
  env = { DATABASE_URL: server.database.url };
  await gatehouse(env, 'user', 'add', '--email', EMAIL, '--password', PASSWORD);
  const client = await gatehouseJson<{ client_id: string; client_secret: string }>(
    env,
    'client',
    'add',
    '--name',
    'Payroll',
    '--redirect-uri',
    REDIRECT,
    '--first-party',
    '--mfa',
    'always',
  );
  payroll = await relyingParty(server.config.issuer, client, REDIRECT);
});

afterAll(async () => {
  await server.close();
});

/** The sessions table of the console: one revoke form per other session, and this browser's row. */
const sessionRows = (page: string) => {
  const table = /<h2>Where you are signed in<\/h2>([\s\S]*?)<\/table>/.exec(page)?.[1] ?? '';
  return [...table.matchAll(/<tr>/g)].length - 1; // less the header row
};
const listed = async () =>
  (await gatehouseJson<{ sessions: unknown[] }>(env, 'session', 'list', '--email', EMAIL, '--json')).sessions.length;

describe('session activity: only a finished sign-in is a signed-in session', () => {
  it('leaves out a browser that typed the password but not the second step, and lists it once that step is done', async () => {
    const laptop = new UserAgent(server.url);
    await walkAuthorization(laptop, '/account', { email: EMAIL, password: PASSWORD });
    expect(sessionRows(await (await laptop.get('/account')).text())).toBe(1);
    expect(await listed()).toBe(1);

    // Another browser passes the password step of an app that always asks for a second factor, and stops there.
    const phone = new UserAgent(server.url);
    const first = await walkAuthorization(phone, (await payroll.authorizationRequest()).url, {
      email: EMAIL,
      password: PASSWORD,
    });
    expect(await first.page?.text()).toContain('Set up two-step verification');
    // Coming back to the app in that browser (no password asked again) does not make it signed in either.
    const { page } = await walkAuthorization(phone, (await payroll.authorizationRequest()).url);
    const enrol = (await page?.text()) ?? '';
    expect(enrol).toContain('Set up two-step verification');

    const console = await (await laptop.get('/account')).text();
    expect(sessionRows(console)).toBe(1);
    expect(console).not.toContain('Sign out all other sessions');
    expect(await listed()).toBe(1);

    // The phone finishes the second step (a wrong code first): now it is a signed-in session.
    const uid = /action="\/interaction\/([^/"]+)\/mfa\/enrol"/.exec(enrol)?.[1] ?? '';
    const secret = /data-testid="totp-secret">([A-Z2-7]+)</.exec(enrol)?.[1] ?? '';
    const wrong = await phone.post(`/interaction/${uid}/mfa/enrol`, { code: '000000' });
    expect(wrong.status).toBe(401);
    expect(await listed()).toBe(1);
    const right = await phone.post(`/interaction/${uid}/mfa/enrol`, { code: await totpCodeAt(secret, Date.now()) });
    expect(right.status).toBe(200);
    const onward = /href="([^"]+)">Continue to Payroll/.exec(await right.text())?.[1] ?? '';
    expect((await phone.get(onward.replace(/&amp;/g, '&'))).status).toBe(303);

    expect(await listed()).toBe(2);
    // The phone, signed in with both factors, sees both browsers in its console.
    const phoneConsole = await phone.follow(await phone.get('/account'));
    expect(phoneConsole.status).toBe(200);
    expect(sessionRows(await phoneConsole.text())).toBe(2);
  });
});
