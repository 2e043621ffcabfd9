import { startTestServer, type TestServer } from '../../support/test-server.js';
import { gatehouse } from '../../support/run-gatehouse.js';
import { UserAgent } from '../../support/user-agent.js';
import { relyingParty } from '../../support/relying-party.js';

let server: TestServer;
let rp: Awaited<ReturnType<typeof relyingParty>>;
const REDIRECT = 'https://shop.example/callback';

beforeAll(async () => {
  server = await startTestServer({ PRODUCT_NAME: 'Acme ID' });
  const env = { DATABASE_URL: server.database.url };
  const client = (await gatehouse(env, 'client', 'add', '--name', 'Shop', '--redirect-uri', REDIRECT, '--json')).json<{
    client_id: string;
    client_secret: string;
  }>();
  rp = await relyingParty(server.config.issuer, client, REDIRECT);
});

afterAll(async () => {
  await server.close();
});

describe('a server with its own product name', () => {
  it('names itself so in the sign-in page title and header, never as Gatehouse', async () => {
    const agent = new UserAgent(server.url);
    const page = await (await agent.follow(await agent.get((await rp.authorizationRequest()).url))).text();
    expect(page).toContain('<title>Sign in · Acme ID</title>');
    expect(page).toContain('<p class="brand">Acme ID</p>');
    expect(page).not.toContain('Gatehouse');
  });

  it('says "Your Acme ID session has ended" on the logout page', async () => {
    const agent = new UserAgent(server.url);
    const form = await (await agent.get('/session/end')).text();
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(form)?.[1] ?? '';
    const page = await (await agent.follow(await agent.post('/session/end/confirm', { xsrf, logout: 'yes' }))).text();
    expect(page).toContain('<title>Signed out · Acme ID</title>');
    expect(page).toContain('Your Acme ID session has ended.');
    expect(page).not.toContain('Gatehouse');
  });
});
