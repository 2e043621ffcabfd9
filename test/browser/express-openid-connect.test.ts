import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse, gatehouseJson } from '../support/run-gatehouse.js';
import { launchChromium } from '../support/chromium.js';
import { freePort } from '../support/free-port.js';
import { startNodeApp } from '../support/node-app.js';

let server: TestServer;
let chromium: Awaited<ReturnType<typeof launchChromium>>;
let app: Awaited<ReturnType<typeof startNodeApp>>;
let baseURL: string;

beforeAll(async () => {
  server = await startTestServer();
  chromium = await launchChromium();
  const env = { DATABASE_URL: server.database.url };
  await gatehouse(
    env,
    'user',
    'add',
    '--email',
    'barbara@example.com',
    '--password',
    'clu abstract data types',
    '--name',
    'Barbara Liskov',
  );
  const port = await freePort();
  baseURL = `http://127.0.0.1:${port}`;
  // express-openid-connect signs in with response_type=id_token and response_mode=form_post by default.
  const { client_id: clientId } = await gatehouseJson<{ client_id: string }>(
    env,
    'client',
    'add',
    '--name',
    'Express App',
    '--response-type',
    'id_token',
    '--redirect-uri',
    `${baseURL}/callback`,
  );
  app = await startNodeApp(new URL('../support/apps/express-openid-connect-app.mjs', import.meta.url), {
    ISSUER: server.config.issuer,
    BASE_URL: baseURL,
    CLIENT_ID: clientId,
    PORT: String(port),
  });
});

afterAll(async () => {
  await chromium?.close();
  await app?.stop();
  await server?.close();
});

describe('express-openid-connect in its default configuration, in Chromium (OIDC Core §3.2, Form Post Response Mode)', () => {
  it('signs in with an ID token posted back by the form_post page (CSP allows its script by hash) and shows the claims', async () => {
    const context = await chromium.browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(`${baseURL}/`);
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await page.getByLabel('Email').fill('barbara@example.com');
      await page.getByLabel('Password').fill('clu abstract data types');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByRole('button', { name: 'Allow' }).click();
      await page.waitForURL(`${baseURL}/`);
      expect(await page.textContent('body')).toBe('Hello Barbara Liskov <barbara@example.com>');
    } finally {
      await context.close();
    }
  });
});
