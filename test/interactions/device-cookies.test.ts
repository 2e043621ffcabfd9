import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse } from '../support/run-gatehouse.js';
import { UserAgent } from '../support/user-agent.js';
import { walkAuthorization } from '../support/sign-in-flow.js';

let server: TestServer;
const PASSWORD = 'frances allen compilers';
const OWNER = 'frances@example.com';

beforeAll(async () => {
  // Behind a proxy, so the test can speak from many addresses (the proxy's entry, TRUST_PROXY_HOPS=1).
  server = await startTestServer({ TRUST_PROXY: 'true' });
  const env = { DATABASE_URL: server.database.url };
  await gatehouse(env, 'user', 'add', '--email', OWNER, '--password', PASSWORD);
  await gatehouse(env, 'user', 'add', '--email', 'john@example.com', '--password', PASSWORD);
});

afterAll(async () => {
  await server.close();
});

const from = (address: string) => ({ 'x-forwarded-for': address });

/** A browser's sign-in form (for the account console); the browser keeps its other cookies. */
async function loginUid(agent: UserAgent): Promise<string> {
  const page = await agent.follow(await agent.get('/account'));
  return /action="\/interaction\/([^/]+)\/login"/.exec(await page.text())?.[1] as string;
}

/** Signs `agent` in; then ends its session as if the person came back days later (the device cookie stays). */
async function signInOnce(agent: UserAgent, email: string) {
  const { page } = await walkAuthorization(agent, '/account', { email, password: PASSWORD });
  expect(page?.status).toBe(200);
  for (const name of agent.cookieNames()) if (!name.endsWith('gatehouse.device')) agent.forget(name);
}

describe('device cookies (OWASP "Slow Down Online Guessing Attacks with Device Cookies")', () => {
  let laptop: UserAgent;

  it('are issued on a successful sign-in: long-lived, HttpOnly, SameSite=Lax', async () => {
    laptop = new UserAgent(server.url);
    await signInOnce(laptop, OWNER);
    const attributes =
      laptop.setCookies
        .get('gatehouse.device')
        ?.split(';')
        .map((a) => a.trim().toLowerCase()) ?? [];
    expect(attributes).toEqual(
      expect.arrayContaining(['httponly', 'samesite=lax', 'path=/', `max-age=${365 * 24 * 3600}`]),
    );
  });

  it('keep the owner signing in from a browser used before while an attacker on many addresses is held to the limits', async () => {
    const attacker = new UserAgent(server.url);
    const uid = await loginUid(attacker);
    const statuses: number[] = [];
    // 30 addresses, two guesses each: never more than five per (account, address) nor twenty per address.
    for (let i = 0; i < 60; i += 1) {
      const res = await attacker.post(
        `/interaction/${uid}/login`,
        { email: OWNER, password: `guess ${i}` },
        from(`203.0.113.${Math.floor(i / 2) + 1}`),
      );
      statuses.push(res.status);
      if (res.status === 429) expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    // Twenty failures for the account across all unknown browsers, then every further guess is refused.
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(401));
    expect(statuses.slice(20)).toEqual(Array(40).fill(429));

    // The owner's laptop is let in, from anywhere.
    const ok = await laptop.post(
      `/interaction/${await loginUid(laptop)}/login`,
      { email: OWNER, password: PASSWORD },
      from('198.51.100.77'),
    );
    expect(ok.status).toBe(303);

    // An unknown browser waits, even with the right password; so do a forged device cookie and
    // one issued to another account.
    const stranger = new UserAgent(server.url);
    expect(
      (await stranger.post(`/interaction/${await loginUid(stranger)}/login`, { email: OWNER, password: PASSWORD }))
        .status,
    ).toBe(429);
    const forger = new UserAgent(server.url);
    const [version, accountId, , issued] = (laptop.cookie('gatehouse.device') as string).split('.');
    forger.plant('gatehouse.device', `${version}.${accountId}.forgedDeviceId.${issued}.AAAA`);
    expect(
      (await forger.post(`/interaction/${await loginUid(forger)}/login`, { email: OWNER, password: PASSWORD })).status,
    ).toBe(429);
    const neighbour = new UserAgent(server.url);
    await signInOnce(neighbour, 'john@example.com');
    expect(
      (await neighbour.post(`/interaction/${await loginUid(neighbour)}/login`, { email: OWNER, password: PASSWORD }))
        .status,
    ).toBe(429);
  });

  it('throttle a known browser on a counter of its own, so a stolen device cookie guesses no faster', async () => {
    await signInOnce(laptop, OWNER);
    const uid = await loginUid(laptop);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1)
      statuses.push(
        (await laptop.post(`/interaction/${uid}/login`, { email: OWNER, password: `laptop guess ${i}` })).status,
      );
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });
});
