import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse, gatehouseJson } from '../support/run-gatehouse.js';
import { UserAgent } from '../support/user-agent.js';
import { relyingParty } from '../support/relying-party.js';
import { burst, formPost } from '../support/burst.js';
import { ACCOUNT_ADDRESS_POLICY } from '../../src/throttle/sign-in-throttle.js';
import { createDatabase } from '../../src/db/create-prisma.js';

// A guesser sends many passwords at once from one address, each over a connection of its own: the
// sign-in throttle must count every one before it checks one (README: 5 per address).

let server: TestServer;
let rp: Awaited<ReturnType<typeof relyingParty>>;
/** The server's database, read as an operator would: the audit trail counts the passwords checked. */
let database: ReturnType<typeof createDatabase>;
const REDIRECT = 'https://app.example/cb';
const EMAIL = 'alan@example.com';
const PASSWORD = 'correct horse battery staple';

beforeAll(async () => {
  server = await startTestServer();
  const env = { DATABASE_URL: server.database.url };
  await gatehouse(env, 'user', 'add', '--email', EMAIL, '--password', PASSWORD);
  rp = await relyingParty(
    server.config.issuer,
    await gatehouseJson<{ client_id: string; client_secret: string }>(
      env,
      'client',
      'add',
      '--name',
      'Wiki',
      '--redirect-uri',
      REDIRECT,
      '--first-party',
    ),
    REDIRECT,
  );
  database = createDatabase(server.database.url);
});

afterAll(async () => {
  await database.close();
  await server.close();
});

describe('the password step, under a burst of passwords sent at once over separate connections', () => {
  it('checks at most the allowance per address of 35 wrong passwords, and refuses the right one sent last in the same burst', async () => {
    const agent = new UserAgent(server.url);
    const login = await agent.follow(await agent.get((await rp.authorizationRequest()).url));
    const uid = /action="\/interaction\/([^/"]+)\//.exec(await login.text())?.[1] as string;
    const path = `/interaction/${uid}/login`;
    const cookie = agent.cookieHeader(new URL(path, server.url));

    const answers = await burst(server.url, [
      ...Array.from({ length: 35 }, (_, i) =>
        formPost(server.url, path, cookie, { email: EMAIL, password: `wrong guess ${i}` }),
      ),
      formPost(server.url, path, cookie, { email: EMAIL, password: PASSWORD }),
    ]);

    // Each password checked is audited as a failure or a success; one refused unchecked, as throttled.
    const checked = (outcome: string) =>
      database.db.auditEvent.count({ where: { type: 'signin', email: EMAIL, outcome } });
    expect(await checked('failure')).toBeLessThanOrEqual(ACCOUNT_ADDRESS_POLICY.freeFailures + 1);
    expect(await checked('success')).toBe(0);
    expect(answers.at(-1)?.status).toBe(429);
    expect(answers.at(-1)?.headers['retry-after']).toMatch(/^[1-9]\d*$/);
  });
});
