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
const API = 'https://invoices.example.com';
const path = `/admin/apis/${encodeURIComponent(API)}`;

interface Resource {
  identifier: string;
  scopes: string[];
  tokenFormat: string;
  accessTokenTtl: number;
}
const apis = async () =>
  (await gatehouseJson<{ resources: Resource[] }>(env, 'resource', 'list')).resources.filter(
    (r) => r.identifier === API,
  );
const auditOf = async (type: string) =>
  (
    await gatehouseJson<{ events: { type: string; detail: Record<string, unknown> | null }[] }>(
      env,
      'audit',
      '--email',
      'root@example.com',
    )
  ).events.filter((e) => e.type === type);

beforeAll(async () => {
  clock = freezeDate();
  server = await startTestServer();
  env = { DATABASE_URL: server.database.url };
  await gatehouse(env, 'user', 'add', '--email', 'root@example.com', '--password', PASSWORD, '--role', 'admin');
  await gatehouse(env, 'user', 'add', '--email', 'plain@example.com', '--password', PASSWORD);
  ({ agent: admin } = await adminConsoleAgent(server, 'root@example.com', PASSWORD));
});

afterAll(async () => {
  await server.close();
  clock.restore();
});

const newApi = { identifier: API, scope: 'read:invoices write:invoices', token_format: 'jwt', ttl: '600' };

describe('the APIs section of the admin console', () => {
  it('sends an anonymous visitor to sign in and refuses a person without the admin role with 403', async () => {
    expect((await new UserAgent(server.url).get('/admin/apis')).status).toBe(303);
    const person = await personAgent(server, 'plain@example.com', PASSWORD);
    expect((await person.get('/admin/apis')).status).toBe(403);
    expect((await person.post('/admin/apis', newApi)).status).toBe(403);
    expect(await apis()).toEqual([]);
  });

  it('answers each mistake next to its field and creates nothing', async () => {
    const res = await admin.post('/admin/apis', {
      identifier: 'http://invoices.example.com',
      scope: 'openid',
      token_format: 'jwt',
      ttl: '5',
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('id="f-ttl-error"');
    const identifier = await admin.post('/admin/apis', { ...newApi, identifier: 'http://invoices.example.com' });
    expect(identifier.status).toBe(400);
    expect(await identifier.text()).toMatch(/id="f-identifier-error">identifier must be an https URL/);
    const scope = await admin.post('/admin/apis', { ...newApi, scope: 'openid' });
    expect(scope.status).toBe(400);
    expect(await scope.text()).toMatch(/id="f-scope-error">scope &quot;openid&quot; is reserved/);
    expect(await apis()).toEqual([]);
  });

  it('refuses a create posted from another site', async () => {
    const res = await admin.post('/admin/apis', newApi, {
      'sec-fetch-site': 'cross-site',
      origin: 'https://evil.example',
    });
    expect(res.status).toBe(403);
    expect(await apis()).toEqual([]);
  });

  it('creates the API, shows its credentials once, and audits the administrator as actor', async () => {
    const res = await admin.post('/admin/apis', newApi);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(shownValue(html, 'client-secret').length).toBeGreaterThan(30);
    const [made] = await apis();
    expect(made).toMatchObject({
      scopes: ['read:invoices', 'write:invoices'],
      tokenFormat: 'jwt',
      accessTokenTtl: 600,
    });
    expect(shownValue(html, 'client-id')).toBe((made as unknown as { clientId: string }).clientId);
    expect((await auditOf('admin.resource.created'))[0]?.detail).toMatchObject({
      resource: API,
      actor: 'console',
      adminEmail: 'root@example.com',
    });
    const list = await (await admin.get('/admin/apis')).text();
    expect(list).toContain(`href="${path}"`);
  });

  it('changes scopes, token format and lifetime, and answers a bad lifetime next to its field', async () => {
    const bad = await admin.post(path, { scope: 'read:invoices', token_format: 'opaque', ttl: 'soon' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('id="f-ttl-error"');
    const good = await admin.post(path, { scope: 'read:invoices', token_format: 'opaque', ttl: '300', rbac: 'on' });
    expect(good.status).toBe(303);
    expect(await (await admin.follow(good)).text()).toContain('The settings have been saved.');
    expect((await apis())[0]).toMatchObject({ scopes: ['read:invoices'], tokenFormat: 'opaque', accessTokenTtl: 300 });
    expect((await auditOf('admin.resource.updated'))[0]?.detail).toMatchObject({ resource: API, actor: 'console' });
  });

  it('names the API and describes its scopes for people, answering a line without "=" next to its field', async () => {
    const form = { scope: 'read:invoices', token_format: 'opaque', ttl: '300', name: 'Invoices' };
    const bad = await admin.post(path, { ...form, scope_descriptions: 'read:invoices See your invoices' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('id="f-scope-descriptions-error"');
    const good = await admin.post(path, { ...form, scope_descriptions: 'read:invoices = See your invoices' });
    expect(good.status).toBe(303);
    const [named] = (await apis()) as unknown as { name?: string; scopeDescriptions: Record<string, string> }[];
    expect(named).toMatchObject({ name: 'Invoices', scopeDescriptions: { 'read:invoices': 'See your invoices' } });
    // The form shows what is stored; a description taken off the form is removed.
    const page = await (await admin.get(path)).text();
    expect(page).toContain('value="Invoices"');
    expect(page).toContain('read:invoices = See your invoices');
    expect((await admin.post(path, { ...form, scope_descriptions: '' })).status).toBe(303);
    expect(((await apis())[0] as unknown as { scopeDescriptions: object }).scopeDescriptions).toEqual({});
  });

  it('lets the built-in management API change only its token lifetime and never be removed', async () => {
    const builtIn = `${server.url}/admin/api`;
    const page = await (await admin.get(`/admin/apis/${encodeURIComponent(builtIn)}`)).text();
    expect(page).toContain('only its token lifetime changes');
    expect(page).not.toContain('Remove this API');
    expect((await admin.post(`/admin/apis/${encodeURIComponent(builtIn)}/remove`, { confirm: 'yes' })).status).toBe(
      409,
    );
  });

  it('answers an unknown API with a readable 404 page', async () => {
    const res = await admin.get(`/admin/apis/${encodeURIComponent('https://nothing.example.com')}`);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('Back to APIs');
  });

  it('removes the API only once confirmed, audited', async () => {
    expect((await admin.post(`${path}/remove`, {})).status).toBe(400);
    expect((await apis()).length).toBe(1);
    const res = await admin.post(`${path}/remove`, { confirm: 'yes' });
    expect(res.status).toBe(303);
    expect(await apis()).toEqual([]);
    expect((await auditOf('admin.resource.deleted'))[0]?.detail).toMatchObject({ resource: API, actor: 'console' });
  });
});
