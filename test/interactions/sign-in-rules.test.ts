import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse } from '../support/run-gatehouse.js';
import { UserAgent } from '../support/user-agent.js';
import { relyingParty } from '../support/relying-party.js';
import { walkAuthorization } from '../support/sign-in-flow.js';
import { freezeDate } from '../support/fake-date.js';

let server: TestServer;
let env: Record<string, string>;
const REDIRECT = 'https://app.example/cb';
const PASSWORD = 'the quick brown fox';
let thirdParty: Awaited<ReturnType<typeof relyingParty>>;
let firstParty: Awaited<ReturnType<typeof relyingParty>>;

beforeAll(async () => {
  server = await startTestServer();
  env = { DATABASE_URL: server.database.url };
  for (const email of ['linus@example.com', 'ken@example.com', 'dennis@example.com']) {
    await gatehouse(env, 'user', 'add', '--email', email, '--password', PASSWORD);
  }
  const tp = (await gatehouse(env, 'client', 'add', '--name', 'Third', '--redirect-uri', REDIRECT, '--json')).json<{
    client_id: string;
    client_secret: string;
  }>();
  const fp = (
    await gatehouse(env, 'client', 'add', '--name', 'First', '--redirect-uri', REDIRECT, '--first-party', '--json')
  ).json<{ client_id: string; client_secret: string }>();
  thirdParty = await relyingParty(server.config.issuer, tp, REDIRECT);
  firstParty = await relyingParty(server.config.issuer, fp, REDIRECT);
});

afterAll(async () => {
  await server.close();
});

async function loginForm(agent: UserAgent, rp = thirdParty, params: Record<string, string> = {}) {
  const { url } = await rp.authorizationRequest(params);
  const page = await agent.follow(await agent.get(url));
  const uid = /action="\/interaction\/([^/]+)\/login"/.exec(await page.text())?.[1] as string;
  return uid;
}

describe('consent', () => {
  it('is skipped for first-party clients', async () => {
    const { callback } = await walkAuthorization(
      new UserAgent(server.url),
      (await firstParty.authorizationRequest()).url,
      { email: 'ken@example.com', password: PASSWORD },
    );
    expect(callback?.searchParams.get('code')).toBeTruthy();
  });

  it('is asked once per scope set, remembered across sessions, and asked again for more scopes', async () => {
    const first = await walkAuthorization(
      new UserAgent(server.url),
      (await thirdParty.authorizationRequest({ scope: 'openid email' })).url,
      { email: 'ken@example.com', password: PASSWORD },
    );
    expect(await first.page?.text()).toMatch(/See your email address/);
    const allowed = await walkAuthorization(
      new UserAgent(server.url),
      (await thirdParty.authorizationRequest({ scope: 'openid email' })).url,
      { email: 'ken@example.com', password: PASSWORD, consent: 'allow' },
    );
    expect(allowed.callback?.searchParams.get('code')).toBeTruthy();

    // A new browser, a new session: the same request goes straight back to the app.
    const again = await walkAuthorization(
      new UserAgent(server.url),
      (await thirdParty.authorizationRequest({ scope: 'openid email' })).url,
      { email: 'ken@example.com', password: PASSWORD },
    );
    expect(again.callback?.searchParams.get('code')).toBeTruthy();

    // Asking for more asks again, and only for what is new.
    const more = await walkAuthorization(
      new UserAgent(server.url),
      (await thirdParty.authorizationRequest({ scope: 'openid email profile' })).url,
      { email: 'ken@example.com', password: PASSWORD },
    );
    const page = (await more.page?.text()) ?? '';
    // Ken has no name or other profile details: the page says what the app would get, nothing.
    expect(page).toMatch(/See your profile details \(you have none yet, so the app gets none now\)/);
    expect(page).not.toMatch(/See your name/);
    expect(page).not.toMatch(/See your email address/);
  });
});

describe('prompt and max_age (OIDC Core §3.1.2.1)', () => {
  it('prompt=none without a session answers login_required, and with one issues a code silently', async () => {
    const agent = new UserAgent(server.url);
    const none = await agent.follow(await agent.get((await firstParty.authorizationRequest({ prompt: 'none' })).url));
    expect(new URL(none.headers.get('location') as string).searchParams.get('error')).toBe('login_required');

    await walkAuthorization(agent, (await firstParty.authorizationRequest()).url, {
      email: 'ken@example.com',
      password: PASSWORD,
    });
    const silent = await agent.follow(await agent.get((await firstParty.authorizationRequest({ prompt: 'none' })).url));
    expect(new URL(silent.headers.get('location') as string).searchParams.get('code')).toBeTruthy();
  });

  it('prompt=login shows the sign-in screen even with a session, and every sign-in gets a new session id', async () => {
    const agent = new UserAgent(server.url);
    await walkAuthorization(agent, (await firstParty.authorizationRequest()).url, {
      email: 'ken@example.com',
      password: PASSWORD,
    });
    const before = agent.cookieHeader(new URL(`${server.url}/auth`));
    const { page } = await walkAuthorization(agent, (await firstParty.authorizationRequest({ prompt: 'login' })).url);
    expect(await page?.text()).toMatch(/name="password"/);
    const done = await walkAuthorization(agent, (await firstParty.authorizationRequest({ prompt: 'login' })).url, {
      email: 'ken@example.com',
      password: PASSWORD,
    });
    expect(done.callback?.searchParams.get('code')).toBeTruthy();
    const after = agent.cookieHeader(new URL(`${server.url}/auth`));
    const session = (header: string) => /gatehouse\.session=([^;]+)/.exec(header)?.[1];
    expect(session(after)).toBeTruthy();
    expect(session(after)).not.toBe(session(before));
  });

  it('max_age asks for a new sign-in once the last one is older than allowed', async () => {
    const clock = freezeDate();
    try {
      const agent = new UserAgent(server.url);
      await walkAuthorization(agent, (await firstParty.authorizationRequest()).url, {
        email: 'ken@example.com',
        password: PASSWORD,
      });
      const fresh = await walkAuthorization(agent, (await firstParty.authorizationRequest({ max_age: '60' })).url);
      expect(fresh.callback?.searchParams.get('code')).toBeTruthy();
      clock.advance(61_000);
      const stale = await walkAuthorization(agent, (await firstParty.authorizationRequest({ max_age: '60' })).url);
      expect(await stale.page?.text()).toMatch(/name="password"/);
    } finally {
      clock.restore();
    }
  });
});

describe('abuse protection', () => {
  it('throttles repeated failures with 429 and Retry-After, then lets the person in once the block has passed', async () => {
    const clock = freezeDate();
    try {
      const agent = new UserAgent(server.url);
      const uid = await loginForm(agent);
      for (let i = 0; i < 5; i += 1) {
        expect(
          (await agent.post(`/interaction/${uid}/login`, { email: 'linus@example.com', password: `wrong guess ${i}` }))
            .status,
        ).toBe(401);
      }
      const blocked = await agent.post(`/interaction/${uid}/login`, {
        email: 'linus@example.com',
        password: 'wrong guess 5',
      });
      expect(blocked.status).toBe(429);
      expect(blocked.headers.get('retry-after')).toBe('30');
      // The page says the same wait as the header.
      expect(await blocked.text()).toContain('Too many failed attempts. Try again in 30 seconds.');

      // Even the right password waits out the block: it is the account that is protected.
      const stillBlocked = await agent.post(`/interaction/${uid}/login`, {
        email: 'linus@example.com',
        password: PASSWORD,
      });
      expect(stillBlocked.status).toBe(429);

      // The counters live in the database: another instance on it sees the same block.
      const twin = await startTestServer({}, server.database);
      try {
        const twinAgent = new UserAgent(twin.url);
        const { url } = await thirdParty.authorizationRequest();
        const twinUrl = new URL(url.toString().replace(server.url, twin.url));
        const page = await twinAgent.follow(await twinAgent.get(twinUrl));
        const twinUid = /action="\/interaction\/([^/]+)\/login"/.exec(await page.text())?.[1] as string;
        expect(
          (await twinAgent.post(`/interaction/${twinUid}/login`, { email: 'linus@example.com', password: PASSWORD }))
            .status,
        ).toBe(429);
      } finally {
        await twin.stop();
      }

      // The next failure after the block doubles it; success after it clears the record.
      clock.advance(31_000);
      const again = await agent.post(`/interaction/${uid}/login`, {
        email: 'linus@example.com',
        password: 'wrong guess 6',
      });
      expect(again.status).toBe(429);
      expect(again.headers.get('retry-after')).toBe('60');
      expect(await again.text()).toContain('Try again in 1 minute.');
      clock.advance(61_000);
      const ok = await agent.post(`/interaction/${uid}/login`, { email: 'linus@example.com', password: PASSWORD });
      expect(ok.status).toBe(303);
    } finally {
      clock.restore();
    }
    const audit = (await gatehouse(env, 'audit', '--email', 'linus@example.com', '--limit', '100', '--json')).json<{
      events: { type: string }[];
    }>();
    expect(audit.events.some((e) => e.type === 'signin.throttled')).toBe(true);
  });

  it('throttles a client address that tries many accounts', async () => {
    const clock = freezeDate();
    try {
      const ip = { 'x-forwarded-for': '203.0.113.7' };
      const proxied = await startTestServer({ TRUST_PROXY: 'true' }, server.database);
      try {
        const agent = new UserAgent(proxied.url);
        const { url } = await thirdParty.authorizationRequest();
        const page = await agent.follow(await agent.get(new URL(url.toString().replace(server.url, proxied.url))));
        const uid = /action="\/interaction\/([^/]+)\/login"/.exec(await page.text())?.[1] as string;
        const statuses: number[] = [];
        for (let i = 0; i < 21; i += 1) {
          statuses.push(
            (
              await agent.post(
                `/interaction/${uid}/login`,
                { email: `victim${i}@example.com`, password: 'password guess' },
                { ...ip, origin: proxied.url },
              )
            ).status,
          );
        }
        expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
        expect(statuses[20]).toBe(429);
        // Another address is not affected.
        const other = await agent.post(
          `/interaction/${uid}/login`,
          { email: 'dennis@example.com', password: PASSWORD },
          { 'x-forwarded-for': '198.51.100.1', origin: proxied.url },
        );
        expect(other.status).toBe(303);
      } finally {
        await proxied.stop();
      }
    } finally {
      clock.restore();
    }
  });

  it('answers a flood of sign-ins with 503 and Retry-After beyond what it can hash, and nothing worse', async () => {
    // One hash at a time and one waiting: a small server, so a modest flood overflows it.
    const proxied = await startTestServer(
      { TRUST_PROXY: 'true', HASH_CONCURRENCY: '1', HASH_QUEUE: '1' },
      server.database,
    );
    try {
      const agent = new UserAgent(proxied.url);
      const { url } = await thirdParty.authorizationRequest();
      const page = await agent.follow(await agent.get(new URL(url.toString().replace(server.url, proxied.url))));
      const uid = /action="\/interaction\/([^/]+)\/login"/.exec(await page.text())?.[1] as string;
      // 80 at once, each from its own address and for its own email, so throttling stays out of it.
      const responses = await Promise.all(
        Array.from({ length: 80 }, (_, i) =>
          agent.post(
            `/interaction/${uid}/login`,
            { email: `flood${i}@example.com`, password: 'flooding the gate' },
            { 'x-forwarded-for': `198.18.${Math.floor(i / 250)}.${i % 250}`, origin: proxied.url },
          ),
        ),
      );
      const statuses = responses.map((r) => r.status);
      expect(statuses.every((s) => s === 401 || s === 503)).toBe(true);
      expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0);
      expect(statuses.filter((s) => s === 401).length).toBeGreaterThanOrEqual(2);
      expect(responses.find((r) => r.status === 503)?.headers.get('retry-after')).toBe('1');
    } finally {
      await proxied.stop();
    }
  });

  it('refuses a sign-in form posted from another site, and changes nothing on GET', async () => {
    const agent = new UserAgent(server.url);
    const uid = await loginForm(agent);
    const crossSite = await agent.post(
      `/interaction/${uid}/login`,
      { email: 'dennis@example.com', password: PASSWORD },
      { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    );
    expect(crossSite.status).toBe(403);
    // Browsers without Fetch Metadata: the Origin header decides.
    const foreignOrigin = await agent.post(
      `/interaction/${uid}/login`,
      { email: 'dennis@example.com', password: PASSWORD },
      { origin: 'https://evil.example', 'sec-fetch-site': '' },
    );
    expect(foreignOrigin.status).toBe(403);
    const opaqueOrigin = await agent.post(
      `/interaction/${uid}/login`,
      { email: 'dennis@example.com', password: PASSWORD },
      { origin: 'null', 'sec-fetch-site': '' },
    );
    expect(opaqueOrigin.status).toBe(403);
    expect((await agent.get(`/interaction/${uid}/login`)).status).toBe(405);
    // The interaction is still usable by the real page.
    expect(
      (await agent.post(`/interaction/${uid}/login`, { email: 'dennis@example.com', password: PASSWORD })).status,
    ).toBe(303);
  });

  it('refuses a sign-in form without the interaction cookie it is bound to', async () => {
    const agent = new UserAgent(server.url);
    const uid = await loginForm(agent);
    const stranger = new UserAgent(server.url);
    const res = await stranger.post(`/interaction/${uid}/login`, { email: 'dennis@example.com', password: PASSWORD });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('This sign-in has expired');
  });

  it('refuses an over-long password before hashing it', async () => {
    const agent = new UserAgent(server.url);
    const uid = await loginForm(agent);
    const res = await agent.post(`/interaction/${uid}/login`, {
      email: 'dennis@example.com',
      password: 'x'.repeat(129),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('at most 128 characters');
  });
});
