import { startTestServer, type TestServer } from '../../support/test-server.js';
import { UserAgent } from '../../support/user-agent.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ PRODUCT_NAME: 'Acme ID' });
});
afterAll(async () => {
  await server.close();
});

describe('the landing page', () => {
  it('answers GET / with the product name, the way to the account and the discovery document', async () => {
    const res = await new UserAgent(server.url).get('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const page = await res.text();
    expect(page).toContain('<h1>Acme ID</h1>');
    expect(page).toContain('<a class="button" href="/account">Manage your account</a>');
    const discovery = `${server.config.issuer}/.well-known/openid-configuration`;
    expect(page).toContain(`href="${discovery}"`);
    // The link a developer follows leads to the real document.
    const metadata = (await (await fetch(discovery)).json()) as { issuer: string };
    expect(metadata.issuer).toBe(server.config.issuer);
  });

  it('takes only the root: other addresses are still not found', async () => {
    expect((await new UserAgent(server.url).get('/welcome')).status).toBe(404);
  });
});
