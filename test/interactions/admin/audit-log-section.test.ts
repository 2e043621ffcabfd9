import { startTestServer, type TestServer } from '../../support/test-server.js';
import { gatehouse } from '../../support/run-gatehouse.js';
import { UserAgent } from '../../support/user-agent.js';
import { freezeDate } from '../../support/fake-date.js';
import { adminConsoleAgent, personAgent } from '../../support/admin-console.js';
import { CONSOLE_CLIENT_ID } from '../../../src/clients/console-client.js';

let server: TestServer;
let env: Record<string, string>;
let clock: ReturnType<typeof freezeDate>;
let admin: UserAgent;
const PASSWORD = 'a long and careful passphrase';
const rowsOf = (html: string) => (html.match(/<td data-label="Event">/g) ?? []).length;

beforeAll(async () => {
  clock = freezeDate(Date.parse('2026-12-05T09:00:00Z'));
  server = await startTestServer();
  env = { DATABASE_URL: server.database.url };
  await gatehouse(env, 'user', 'add', '--email', 'root@example.com', '--password', PASSWORD, '--role', 'admin');
  await gatehouse(env, 'user', 'add', '--email', 'plain@example.com', '--password', PASSWORD);
  // Enough events for more than one page (25 a page): each client added is one admin.client.created.
  for (let i = 0; i < 27; i += 1) {
    clock.advance(1000);
    await gatehouse(env, 'client', 'add', '--name', `App ${i}`, '--redirect-uri', 'https://app.example.com/cb');
  }
  clock.advance(60_000);
  ({ agent: admin } = await adminConsoleAgent(server, 'root@example.com', PASSWORD));
});

afterAll(async () => {
  await server.close();
  clock.restore();
});

describe('the Audit log of the admin console', () => {
  it('sends an anonymous visitor to sign in and refuses a person without the admin role with 403, export included', async () => {
    expect((await new UserAgent(server.url).get('/admin/audit/export')).status).toBe(303);
    const person = await personAgent(server, 'plain@example.com', PASSWORD);
    expect((await person.get('/admin/audit')).status).toBe(403);
    expect((await person.get('/admin/audit/export')).status).toBe(403);
  });

  it('shows the newest events first with the second step’s explanation, a page at a time', async () => {
    const first = await admin.get('/admin/audit');
    expect(first.status).toBe(200);
    const html = await first.text();
    // The administrator's own sign-in: the second step was asked because the console demands it.
    const newest = html.indexOf('<code>mfa.decision</code>');
    expect(newest).toBeGreaterThan(-1);
    expect(newest).toBeLessThan(html.indexOf('<code>admin.client.created</code>'));
    expect(html).toMatch(/Second step asked because: [^<]*the app asked for it/);
    expect(rowsOf(html)).toBe(25);
    const next = /<a href="([^"]+)" rel="next">Next page<\/a>/.exec(html)?.[1]?.replace(/&amp;/g, '&') as string;
    const second = await (await admin.get(next)).text();
    expect(rowsOf(second)).toBeGreaterThan(0);
    expect(second).toContain('First page');
    const ids = (page: string) =>
      [...page.matchAll(/<td data-label="Application">([^<]*<code class="id">[^<]+)/g)].map((m) => m[1]);
    for (const id of ids(second)) expect(ids(html)).not.toContain(id);
  });

  it('filters by event type, outcome and time range, and keeps the filters on the next page', async () => {
    const html = await (await admin.get('/admin/audit?type=admin.client.created&outcome=success')).text();
    expect(rowsOf(html)).toBe(25);
    expect(html).not.toContain('<code>mfa.decision</code>');
    expect(html).toContain('<option value="admin.client.created" selected>');
    expect(html).toMatch(/href="\/admin\/audit\?[^"]*type=admin\.client\.created[^"]*after=/);
    const ranged = await (
      await admin.get('/admin/audit?type=admin.client.created&since=2026-12-05T09:00:05&until=2026-12-05T09:00:08')
    ).text();
    expect(rowsOf(ranged)).toBe(3);
    const none = await (await admin.get('/admin/audit?outcome=blocked')).text();
    expect(none).toContain('No event matches these filters.');
  });

  it('filters by person and by application', async () => {
    const person = await (await admin.get('/admin/audit?person=ROOT@example.com')).text();
    expect(rowsOf(person)).toBeGreaterThan(0);
    expect(person).not.toContain('plain@example.com</td>');
    const app = await (await admin.get(`/admin/audit?application=${CONSOLE_CLIENT_ID}`)).text();
    expect(rowsOf(app)).toBeGreaterThan(0);
    expect(app).not.toContain('<code>admin.client.created</code>');
    expect(app).toContain('<code>mfa.decision</code>');
  });

  it('answers a malformed filter next to its field with a 400, and refuses to export it', async () => {
    const res = await admin.get('/admin/audit?since=yesterday&outcome=maybe');
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('id="f-since-error"');
    expect(html).toContain('id="f-outcome-error"');
    const exported = await admin.get('/admin/audit/export?since=yesterday');
    expect(exported.status).toBe(400);
    expect(await exported.text()).toContain('The export was not made');
  });

  it('exports the filtered set as NDJSON, every match and nothing else', async () => {
    const res = await admin.get('/admin/audit/export?type=admin.client.created');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/x-ndjson');
    expect(res.headers.get('content-disposition')).toContain('audit.ndjson');
    const lines = (await res.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; last_at: string; detail: { actor: string } });
    expect(lines).toHaveLength(27);
    expect(new Set(lines.map((l) => l.type))).toEqual(new Set(['admin.client.created']));
    expect(lines.map((l) => l.last_at)).toEqual([...lines.map((l) => l.last_at)].sort().reverse());
    expect(lines[0]?.detail.actor).toBe('cli');
  });
});
