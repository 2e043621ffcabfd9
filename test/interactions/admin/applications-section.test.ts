import { startTestServer, type TestServer } from '../../support/test-server.js';
import { gatehouse, gatehouseJson } from '../../support/run-gatehouse.js';
import { UserAgent } from '../../support/user-agent.js';
import { freezeDate } from '../../support/fake-date.js';
import { adminConsoleAgent, personAgent, shownValue } from '../../support/admin-console.js';

let server: TestServer;
let env: Record<string, string>;
let clock: ReturnType<typeof freezeDate>;
let admin: UserAgent;
const PASSWORD = 'a long and careful passphrase';

interface Event {
  type: string;
  accountId: string | null;
  email: string | null;
  detail: Record<string, unknown> | null;
}
const auditOf = async (type: string) =>
  (await gatehouseJson<{ events: Event[] }>(env, 'audit', '--email', 'root@example.com')).events.filter(
    (e) => e.type === type,
  );
/** The applications registered in the console (an API's own client is not one of them). */
const billingApps = async () =>
  (await gatehouseJson<{ clients: { client_name: string }[] }>(env, 'client', 'list')).clients.filter((c) =>
    c.client_name.startsWith('Billing'),
  );
const decoded = (html: string) =>
  html
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

const goodApplication = {
  name: 'Billing',
  auth_method: 'client_secret_basic',
  application_type: 'web',
  redirect_uris: 'https://billing.example.com/callback',
  grant_types: 'authorization_code',
  pkce: 'required',
  mfa: 'default',
};

beforeAll(async () => {
  clock = freezeDate();
  server = await startTestServer();
  env = { DATABASE_URL: server.database.url };
  await gatehouse(env, 'user', 'add', '--email', 'root@example.com', '--password', PASSWORD, '--role', 'admin');
  await gatehouse(env, 'user', 'add', '--email', 'plain@example.com', '--password', PASSWORD);
  await gatehouse(env, 'resource', 'add', '--identifier', 'https://api.example.com', '--scope', 'read write');
  ({ agent: admin } = await adminConsoleAgent(server, 'root@example.com', PASSWORD));
});

afterAll(async () => {
  await server.close();
  clock.restore();
});

describe('the Applications section of the admin console', () => {
  it('sends an anonymous visitor to sign in and refuses a person without the admin role with 403', async () => {
    const anonymous = new UserAgent(server.url);
    const res = await anonymous.get('/admin/applications/new');
    expect(res.status).toBe(303);
    expect(new URL(res.headers.get('location') as string).pathname).toBe('/auth');
    const person = await personAgent(server, 'plain@example.com', PASSWORD);
    for (const path of ['/admin/applications', '/admin/applications/new', '/admin/applications/x/remove'])
      expect((await person.get(path)).status).toBe(403);
    expect((await person.post('/admin/applications', goodApplication)).status).toBe(403);
    expect(await billingApps()).toEqual([]);
  });

  it('explains every choice of the create form, each control with a label', async () => {
    const html = await (await admin.get('/admin/applications/new')).text();
    for (const label of [
      'Name',
      'Redirect URIs',
      'Grant types',
      'Public or confidential',
      'PKCE',
      'Second factor at sign-in',
    ])
      expect(html).toContain(label);
    expect(html).toContain('First-party');
    const ids = [...html.matchAll(/<(?:input|textarea|select) id="([^"]+)"(?![^>]*type="hidden")/g)].map((m) => m[1]);
    for (const id of ids) expect(html).toContain(`for="${id}"`);
  });

  it('answers a plain-http redirect URI on another host with the form again, the error next to that field and what was typed kept', async () => {
    const res = await admin.post('/admin/applications', {
      ...goodApplication,
      redirect_uris: 'http://billing.example.com/callback',
    });
    expect(res.status).toBe(400);
    const html = decoded(await res.text());
    expect(html).toMatch(
      /id="f-redirect-uris-error">Redirect URI http:\/\/billing\.example\.com\/callback must use https/,
    );
    expect(html).toContain('aria-describedby="f-redirect-uris-help f-redirect-uris-error"');
    expect(html).toContain('value="Billing"');
    expect(await billingApps()).toEqual([]);
  });

  it('answers a form no page of ours sends (a repeated name) with a readable 400, never a 500', async () => {
    const res = await admin.request('/admin/applications', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: server.url,
        'sec-fetch-site': 'same-origin',
      },
      form: undefined,
    });
    expect(res.status).toBe(400);
    const repeated = await fetch(`${server.url}/admin/applications`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        cookie: admin.cookieHeader(new URL(`${server.url}/admin`)),
        'content-type': 'application/x-www-form-urlencoded',
        origin: server.url,
        'sec-fetch-site': 'same-origin',
      },
      body: 'name=a&name=b&auth_method=none&grant_types=authorization_code&redirect_uris=https://a.example.com/cb',
    });
    expect(repeated.status).toBe(400);
    expect(await repeated.text()).toContain('id="f-name-error"');
  });

  it('answers a refusal of the client service (the management API for a public app) next to the APIs field', async () => {
    const res = await admin.post('/admin/applications', {
      ...goodApplication,
      auth_method: 'none',
      resources: `${server.url}/admin/api`,
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(await res.text()).toMatch(
      /id="f-resources-error">a public client \(auth method none\) may not be granted the management API/,
    );
    expect(await billingApps()).toEqual([]);
  });

  it('refuses a create posted from another site and makes nothing', async () => {
    const res = await admin.post('/admin/applications', goodApplication, {
      'sec-fetch-site': 'cross-site',
      origin: 'https://evil.example',
    });
    expect(res.status).toBe(403);
    expect(await billingApps()).toEqual([]);
  });

  let clientId = '';

  it('creates the application, shows its secret once with a Copy button allowed by hash, and audits the administrator as actor', async () => {
    const res = await admin.post('/admin/applications', { ...goodApplication, resources: 'https://api.example.com' });
    expect(res.status).toBe(200);
    const html = await res.text();
    clientId = shownValue(html, 'client-id');
    const secret = shownValue(html, 'client-secret');
    expect(secret.length).toBeGreaterThan(30);
    expect(html).toContain('it is not shown again');
    const script = /<script src="(\/assets\/copy-credential\.js[^"]*)" integrity="([^"]+)"/.exec(html);
    expect(script).not.toBeNull();
    expect(res.headers.get('content-security-policy')).toContain(`'${script?.[2]}'`);
    expect((await admin.get(script?.[1] as string)).status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const shown = await gatehouseJson<{ client_name: string; resources: Record<string, string[]> }>(
      env,
      'client',
      'show',
      '--client-id',
      clientId,
    );
    expect(shown.client_name).toBe('Billing');
    expect(shown.resources).toEqual({ 'https://api.example.com': ['read', 'write'] });
    // The page of the application never shows the secret again.
    expect(await (await admin.get(`/admin/applications/${clientId}`)).text()).not.toContain(secret);
    const [created] = await auditOf('admin.client.created');
    expect(created?.detail).toMatchObject({ client: clientId, actor: 'console', adminEmail: 'root@example.com' });
    expect(created?.email).toBe('root@example.com');
  });

  it('lists the application with its kind', async () => {
    const html = await (await admin.get('/admin/applications')).text();
    expect(html).toContain(`href="/admin/applications/${clientId}">Billing</a>`);
    expect(html).toContain('confidential (client_secret_basic)');
    expect(html).toMatch(/<a href="\/admin\/applications" aria-current="page">Applications<\/a>/);
  });

  it('saves an edit, and answers a bad one next to its field without saving anything', async () => {
    const bad = await admin.post(`/admin/applications/${clientId}`, {
      ...goodApplication,
      name: 'Billing 2',
      redirect_uris: 'billing.example.com/callback',
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain(
      'id="f-redirect-uris-error">billing.example.com/callback is not an absolute URL',
    );
    const good = await admin.post(`/admin/applications/${clientId}`, {
      ...goodApplication,
      name: 'Billing 2',
      first_party: 'on',
    });
    expect(good.status).toBe(303);
    const page = await admin.follow(good);
    expect(await page.text()).toContain('The settings have been saved.');
    const shown = await gatehouseJson<{ client_name: string; first_party: boolean }>(
      env,
      'client',
      'show',
      '--client-id',
      clientId,
    );
    expect([shown.client_name, shown.first_party]).toEqual(['Billing 2', true]);
    const [updated] = await auditOf('admin.client.updated');
    expect(updated?.detail).toMatchObject({ client: clientId, actor: 'console' });
  });

  it('narrows an API grant, refusing a scope the API does not have next to the scope field, and removes it', async () => {
    const bad = await admin.post(`/admin/applications/${clientId}/grants`, {
      resource: 'https://api.example.com',
      scope: 'delete',
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/id="f-scope-error">https:\/\/api\.example\.com has no scope delete/);
    const good = await admin.post(`/admin/applications/${clientId}/grants`, {
      resource: 'https://api.example.com',
      scope: 'read',
    });
    expect(good.status).toBe(303);
    let shown = await gatehouseJson<{ resources: Record<string, string[]> }>(
      env,
      'client',
      'show',
      '--client-id',
      clientId,
    );
    expect(shown.resources).toEqual({ 'https://api.example.com': ['read'] });
    expect(
      (await admin.post(`/admin/applications/${clientId}/grants/remove`, { resource: 'https://api.example.com' }))
        .status,
    ).toBe(303);
    shown = await gatehouseJson(env, 'client', 'show', '--client-id', clientId);
    expect(shown.resources).toEqual({});
    expect((await auditOf('admin.client.grant_set'))[0]?.detail).toMatchObject({ scopes: ['read'], actor: 'console' });
    expect((await auditOf('admin.client.grant_revoked'))[0]?.detail).toMatchObject({ actor: 'console' });
  });

  it('rotates the secret and shows the new one once', async () => {
    const res = await admin.post(`/admin/applications/${clientId}/secret`, {});
    expect(res.status).toBe(200);
    expect(shownValue(await res.text(), 'client-secret').length).toBeGreaterThan(30);
    expect((await auditOf('admin.client.secret_rotated'))[0]?.detail).toMatchObject({
      client: clientId,
      actor: 'console',
    });
  });

  it('answers an unknown application with a readable 404 page', async () => {
    const res = await admin.get('/admin/applications/no-such-client');
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('no client with id no-such-client');
    expect((await admin.post('/admin/applications/no-such-client/secret', {})).status).toBe(404);
  });

  it('removes the application only once confirmed, audited', async () => {
    const page = await (await admin.get(`/admin/applications/${clientId}/remove`)).text();
    expect(page).toContain('Yes, remove Billing 2');
    const unconfirmed = await admin.post(`/admin/applications/${clientId}/remove`, {});
    expect(unconfirmed.status).toBe(400);
    expect((await billingApps()).length).toBe(1);
    const res = await admin.post(`/admin/applications/${clientId}/remove`, { confirm: 'yes' });
    expect(res.status).toBe(303);
    expect(await (await admin.follow(res)).text()).toContain('The application has been removed');
    expect(await billingApps()).toEqual([]);
    expect((await auditOf('admin.client.deleted'))[0]?.detail).toMatchObject({ client: clientId, actor: 'console' });
  });
});
