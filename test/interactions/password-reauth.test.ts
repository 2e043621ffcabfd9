import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse, gatehouseJson } from '../support/run-gatehouse.js';
import { UserAgent } from '../support/user-agent.js';
import { walkAuthorization } from '../support/sign-in-flow.js';

let server: TestServer;
let env: Record<string, string>;
const PASSWORD = 'margaret hamilton apollo';

beforeAll(async () => {
  server = await startTestServer();
  env = { DATABASE_URL: server.database.url };
  await gatehouse(env, 'user', 'add', '--email', 'margaret@example.com', '--password', PASSWORD);
});

afterAll(async () => {
  await server.close();
});

async function consoleSignIn() {
  const agent = new UserAgent(server.url);
  await walkAuthorization(agent, '/account', { email: 'margaret@example.com', password: PASSWORD });
  expect((await agent.get('/account')).status).toBe(200);
  return agent;
}

type Events = {
  events: {
    type: string;
    outcome: string;
    reason: string | null;
    count: number;
    detail: Record<string, unknown> | null;
  }[];
};

describe('the current password at /account/password (ASVS 4.0 §2.2.1: anti-automation on every password check)', () => {
  it('is throttled like sign-in: a stolen session gets 429 with Retry-After after five wrong guesses, each audited', async () => {
    const owner = await consoleSignIn();
    // The thief holds the session cookie only, not the browser's device cookie.
    const thief = await consoleSignIn();
    thief.forget('gatehouse.device');
    for (let i = 0; i < 5; i += 1) {
      const res = await thief.post('/account/password', {
        current: `guess number ${i}`,
        next: 'the thief has a new one',
        confirm: 'the thief has a new one',
      });
      expect(res.status).toBe(400);
    }
    const blocked = await thief.post('/account/password', {
      current: 'guess number 5',
      next: 'the thief has a new one',
      confirm: 'the thief has a new one',
    });
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toBe('30');
    expect(await blocked.text()).toContain('Too many failed attempts');
    // While blocked, not even the right password is checked.
    const right = await thief.post('/account/password', {
      current: PASSWORD,
      next: 'the thief has a new one',
      confirm: 'the thief has a new one',
    });
    expect(right.status).toBe(429);

    const { events } = await gatehouseJson<Events>(env, 'audit', '--email', 'margaret@example.com', '--limit', '100');
    const failures = events.filter((e) => e.type === 'reauth' && e.outcome === 'failure');
    expect(failures).toHaveLength(6);
    expect(failures.every((e) => e.reason === 'wrong_password' && e.detail?.action === 'password_change')).toBe(true);
    const throttled = events.filter((e) => e.type === 'reauth.throttled');
    expect(throttled.reduce((n, e) => n + e.count, 0)).toBe(2);

    // The owner's own browser is counted apart and can still change the password.
    const ok = await owner.post('/account/password', {
      current: PASSWORD,
      next: 'a fresh apollo passphrase',
      confirm: 'a fresh apollo passphrase',
    });
    expect(ok.status).toBe(303);
    expect((await thief.get('/account')).status).toBe(303);
  });
});
