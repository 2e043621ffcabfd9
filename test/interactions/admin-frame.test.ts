import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse, gatehouseJson } from '../support/run-gatehouse.js';
import { UserAgent } from '../support/user-agent.js';
import { freezeDate } from '../support/fake-date.js';
import { totpCodeAt } from '../../src/mfa/totp.js';
import { MFA_ACR } from '../../src/mfa/authentication-context.js';

let server: TestServer;
let env: Record<string, string>;
let clock: ReturnType<typeof freezeDate>;
const PASSWORD = 'a long and careful passphrase';
const uidIn = (html: string) => /action="\/interaction\/([^/"]+)\//.exec(html)?.[1] as string;
const location = (res: Response) => new URL(res.headers.get('location') as string, server.url);
/** Every code is used once (RFC 6238 §5.2): each step to a new 30-second window. */
const nextStep = () => clock.advance(30_000);

beforeAll(async () => {
  clock = freezeDate();
  server = await startTestServer();
  env = { DATABASE_URL: server.database.url };
  await gatehouse(env, 'user', 'add', '--email', 'root@example.com', '--password', PASSWORD, '--role', 'admin');
  await gatehouse(env, 'user', 'add', '--email', 'plain@example.com', '--password', PASSWORD);
});

afterAll(async () => {
  await server.close();
  clock.restore();
});

/**
 * Opens `path` in `agent` and walks the sign-in it is sent to: the password, then the second step
 * (a code from `secret`) or, with no secret, the set-up of an authenticator (a wrong code first).
 * Returns the secret and the page the console finally shows.
 */
async function adminSignIn(agent: UserAgent, path: string, email: string, secret?: string) {
  const first = await agent.get(path);
  expect(first.status).toBe(303);
  const auth = location(first);
  expect(auth.pathname).toBe('/auth');
  // Signed in first as anywhere else; the second factor is demanded once the role is known.
  expect(auth.searchParams.get('acr_values')).toBeNull();
  const login = await agent.follow(first);
  let page = await (
    await agent.follow(
      await agent.post(`/interaction/${uidIn(await login.text())}/login`, { email, password: PASSWORD }),
    )
  ).text();
  nextStep();
  let res: Response;
  if (secret) {
    expect(page).toContain('Two-step verification');
    res = await agent.post(`/interaction/${uidIn(page)}/mfa`, { code: await totpCodeAt(secret, Date.now()) });
  } else {
    expect(page).toContain('Set up two-step verification');
    secret = /data-testid="totp-secret">([A-Z2-7]+)</.exec(page)?.[1] as string;
    const wrong = await agent.post(`/interaction/${uidIn(page)}/mfa/enrol`, { code: '000000' });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('That code is not right');
    const done = await agent.post(`/interaction/${uidIn(page)}/mfa/enrol`, {
      code: await totpCodeAt(secret, Date.now()),
    });
    page = await done.text();
    expect(page).toContain('data-testid="recovery-codes"');
    const next = /href="([^"]+)">Continue/.exec(page)?.[1] as string;
    res = await agent.get(next.replace(/&amp;/g, '&'));
  }
  const shown = await agent.follow(res);
  return { secret, page: shown };
}

let rootSecret = '';

describe('the admin console gate', () => {
  it('sends an anonymous visitor to sign in with a second factor, setting one up if need be, and back to the page asked for', async () => {
    const agent = new UserAgent(server.url);
    const { secret, page } = await adminSignIn(agent, '/admin?from=bookmark', 'root@example.com');
    rootSecret = secret;
    expect(page.status).toBe(200);
    expect(page.url).toBe(`${server.url}/admin?from=bookmark`);
    const html = await page.text();
    expect(html).toContain('<h1>Overview</h1>');
    expect(html).toMatch(/<a href="\/admin" aria-current="page">Overview<\/a>/);
    expect(html).toContain('Signed in as root@example.com');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
  });

  it('answers a signed-in person without the admin role with the same 403 page on every console URL', async () => {
    const agent = new UserAgent(server.url);
    const login = await agent.follow(await agent.get('/account'));
    await agent.follow(
      await agent.post(`/interaction/${uidIn(await login.text())}/login`, {
        email: 'plain@example.com',
        password: PASSWORD,
      }),
    );
    expect((await agent.get('/account')).status).toBe(200);
    const answers = await Promise.all(
      ['/admin', '/admin/', '/admin/people', '/admin/people?q=a', '/admin/applications', '/admin/no-such-page'].map(
        (path) => agent.get(path),
      ),
    );
    const posted = await agent.post('/admin/people/whoever/disable', {});
    // The language switcher brings the person back to the address they asked for: that part may differ.
    const withoutReturn = (page: string) => page.replace(/name="return_to" value="[^"]*"/, 'name="return_to"');
    const bodies = await Promise.all(
      [...answers, posted].map(async (res) => [res.status, withoutReturn(await res.text())]),
    );
    for (const [status, body] of bodies) {
      expect(status).toBe(403);
      expect(body).toBe(bodies[0]?.[1]);
    }
    expect(bodies[0]?.[1]).toContain('Not an administrator');
  });

  it('signs a visitor without the role in with the password alone and refuses them, never asking them to set up a factor', async () => {
    const agent = new UserAgent(server.url);
    const login = await agent.follow(await agent.get('/admin/people'));
    const refused = await agent.follow(
      await agent.post(`/interaction/${uidIn(await login.text())}/login`, {
        email: 'plain@example.com',
        password: PASSWORD,
      }),
    );
    expect(refused.status).toBe(403);
    expect(refused.url).toBe(`${server.url}/admin/people`);
    expect(await refused.text()).toContain('Not an administrator');
  });

  it('asks an administrator whose session has only a password for the second factor before the console opens', async () => {
    const agent = new UserAgent(server.url);
    const login = await agent.follow(await agent.get('/account'));
    nextStep();
    await agent.follow(
      await agent.post(`/interaction/${uidIn(await login.text())}/login`, {
        email: 'root@example.com',
        password: PASSWORD,
      }),
    );
    const res = await agent.get('/admin');
    expect(res.status).toBe(303);
    expect(location(res).searchParams.get('acr_values')).toBe(MFA_ACR);
  });

  it('refuses a change posted from another site', async () => {
    nextStep();
    const agent = new UserAgent(server.url);
    await adminSignIn(agent, '/admin', 'root@example.com', rootSecret);
    const res = await agent.post(
      '/admin/nothing-here',
      {},
      { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
    );
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('submitted from another site');
  });

  it('takes a change only from a recent sign-in: an older one signs in again and comes back to the page that had the form', async () => {
    nextStep();
    const agent = new UserAgent(server.url);
    await adminSignIn(agent, '/admin', 'root@example.com', rootSecret);
    // Fresh: the change reaches its route (here, none: 404 behind the gate).
    expect((await agent.post('/admin/nothing-here', {})).status).toBe(404);
    clock.advance(16 * 60_000);
    // Reading still works on the older sign-in.
    expect((await agent.get('/admin')).status).toBe(200);
    const stale = await agent.post('/admin/nothing-here', {}, { referer: `${server.url}/admin?after=here` });
    expect(stale.status).toBe(303);
    const auth = location(stale);
    expect(auth.searchParams.get('prompt')).toBe('login');
    expect(auth.searchParams.get('max_age')).toBe('900');
    expect(auth.searchParams.get('acr_values')).toBe(MFA_ACR);
    const login = await agent.follow(stale);
    const second = await (
      await agent.follow(
        await agent.post(`/interaction/${uidIn(await login.text())}/login`, {
          email: 'root@example.com',
          password: PASSWORD,
        }),
      )
    ).text();
    nextStep();
    const back = await agent.follow(
      await agent.post(`/interaction/${uidIn(second)}/mfa`, { code: await totpCodeAt(rootSecret, Date.now()) }),
    );
    expect(back.url).toBe(`${server.url}/admin?after=here`);
    expect((await agent.post('/admin/nothing-here', {})).status).toBe(404);
  });

  it('shuts an administrator out at once when the CLI takes the role away, and lets them in when it gives it back', async () => {
    nextStep();
    const agent = new UserAgent(server.url);
    await adminSignIn(agent, '/admin', 'root@example.com', rootSecret);
    await gatehouse(env, 'user', 'update', '--email', 'root@example.com', '--role', 'none');
    expect((await agent.get('/admin')).status).toBe(403);
    await gatehouse(env, 'user', 'update', '--email', 'root@example.com', '--role', 'admin');
    expect((await agent.get('/admin')).status).toBe(200);
    const audit = await gatehouseJson<{ events: { type: string; detail: Record<string, unknown> }[] }>(
      env,
      'audit',
      '--email',
      'root@example.com',
    );
    const roleChanges = audit.events.filter((e) => e.type === 'admin.user.directory_changed');
    expect(roleChanges.map((e) => [e.detail.rolesAdded, e.detail.rolesRemoved, e.detail.actor])).toEqual(
      expect.arrayContaining([
        [['admin'], [], 'cli'],
        [[], ['admin'], 'cli'],
      ]),
    );
  });

  it('leaves the management API under /admin/api/v1 to answer in its own way', async () => {
    const res = await fetch(`${server.url}/admin/api/v1/no-such-thing`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });

  it('refuses an unknown --role at the CLI and says what it takes', async () => {
    const res = await gatehouse(env, 'user', 'update', '--email', 'plain@example.com', '--role', 'owner');
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('--role takes admin or none');
  });
});
