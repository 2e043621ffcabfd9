import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse, gatehouseJson } from '../support/run-gatehouse.js';
import { UserAgent } from '../support/user-agent.js';
import { relyingParty } from '../support/relying-party.js';
import { freezeDate } from '../support/fake-date.js';
import { burst, formPost } from '../support/burst.js';
import { totpCodeAt } from '../../src/mfa/totp.js';
import { SECOND_STEP_POLICY } from '../../src/mfa/second-step-throttle.js';
import { createDatabase } from '../../src/db/create-prisma.js';
import { waitInWords } from '../../src/kernel/wait-in-words.js';

// A guesser who has the password opens many connections and sends a code on each at once: the
// throttle must count every code before it checks one, or all of them pass its look at the block.

let server: TestServer;
let clock: ReturnType<typeof freezeDate>;
let rp: Awaited<ReturnType<typeof relyingParty>>;
let secret = '';
/** The server's database, read as an operator would: the audit trail counts the codes checked. */
let database: ReturnType<typeof createDatabase>;
const REDIRECT = 'https://app.example/cb';
const EMAIL = 'grace@example.com';
const PASSWORD = 'correct horse battery staple';
const uidIn = (html: string) => /action="\/interaction\/([^/"]+)\//.exec(html)?.[1] as string;

/** Signs in with the password in a fresh browser; returns it with the uid of the second-step page it stops at. */
async function passwordStep(): Promise<{ agent: UserAgent; uid: string; page: string }> {
  const agent = new UserAgent(server.url);
  const login = await agent.follow(await agent.get((await rp.authorizationRequest()).url));
  const after = await agent.follow(
    await agent.post(`/interaction/${uidIn(await login.text())}/login`, { email: EMAIL, password: PASSWORD }),
  );
  const page = await after.text();
  return { agent, uid: uidIn(page), page };
}

beforeAll(async () => {
  clock = freezeDate();
  server = await startTestServer();
  const env = { DATABASE_URL: server.database.url };
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
  rp = await relyingParty(server.config.issuer, client, REDIRECT);
  database = createDatabase(server.database.url);
  const { agent, uid, page } = await passwordStep();
  secret = /data-testid="totp-secret">([A-Z2-7]+)</.exec(page)?.[1] as string;
  expect(
    (await agent.post(`/interaction/${uid}/mfa/enrol`, { code: await totpCodeAt(secret, Date.now()) })).status,
  ).toBe(200);
});

afterAll(async () => {
  await database.close();
  await server.close();
  clock.restore();
});

describe('the second step, under a burst of codes sent at once over separate connections', () => {
  it('checks at most the free failures plus one of 20 wrong codes, and refuses the right code sent last in the same burst', async () => {
    clock.advance(30_000);
    const { agent, uid } = await passwordStep();
    const path = `/interaction/${uid}/mfa`;
    const cookie = agent.cookieHeader(new URL(path, server.url));
    const right = await totpCodeAt(secret, Date.now());
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');

    const answers = await burst(server.url, [
      ...Array.from({ length: 20 }, () => formPost(server.url, path, cookie, { code: wrong })),
      formPost(server.url, path, cookie, { code: right }),
    ]);

    // Each code checked and found wrong is audited; a code refused unchecked is audited as blocked.
    const checked = (outcome: string) => database.db.auditEvent.count({ where: { type: 'mfa.verify', outcome } });
    expect(await checked('failure')).toBeLessThanOrEqual(SECOND_STEP_POLICY.freeFailures + 1);
    expect(await checked('success')).toBe(0);
    expect(answers.at(-1)?.status).toBe(429);
    expect(answers.at(-1)?.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    expect(answers.at(-1)?.text).toContain(
      `Too many wrong codes. Try again in ${waitInWords(Number(answers.at(-1)?.headers['retry-after']))}.`,
    );
  });
});
