import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse, gatehouseJson } from '../support/run-gatehouse.js';
import { UserAgent } from '../support/user-agent.js';
import { relyingParty } from '../support/relying-party.js';
import { walkAuthorization } from '../support/sign-in-flow.js';

const PASSWORD = 'a long and quiet river';
const REDIRECT = 'https://reader.example/cb';
const NOTES_API = 'https://notes.example/api';

let server: TestServer;
let env: Record<string, string>;
let reader: Awaited<ReturnType<typeof relyingParty>>;

/** The lines of a page's lists, as a person reads them. */
const listed = (page: string): string[] =>
  [...page.matchAll(/<li>([^<]*)<\/li>/g)].map(([, line]) => (line ?? '').replaceAll('&quot;', '"'));

beforeAll(async () => {
  server = await startTestServer();
  env = { DATABASE_URL: server.database.url };
  await gatehouse(env, 'user', 'add', '--email', 'nameless@example.com', '--password', PASSWORD);
  await gatehouse(env, 'user', 'add', '--email', 'ada@example.com', '--name', 'Ada Lovelace', '--password', PASSWORD);
  await gatehouseJson(env, 'resource', 'add', '--identifier', NOTES_API, '--scope', 'read write');
  reader = await relyingParty(
    server.config.issuer,
    await gatehouseJson(env, 'client', 'add', '--name', 'Reader', '--redirect-uri', REDIRECT, '--resource', NOTES_API),
    REDIRECT,
  );
});
afterAll(async () => {
  await server.close();
});

/** Signs `email` in to Reader asking for `scope` on the Notes API; returns the consent lines and the browser. */
async function consentFor(email: string, scope: string) {
  const agent = new UserAgent(server.url);
  const request = await reader.authorizationRequest({ scope, resource: NOTES_API, prompt: 'consent' });
  const { page } = await walkAuthorization(agent, request.url, { email, password: PASSWORD });
  const html = (await page?.text()) ?? '';
  const uid = /action="\/interaction\/([^/]+)\/confirm"/.exec(html)?.[1] as string;
  return { agent, uid, lines: listed(html) };
}

describe('APIs and scopes in words people read', () => {
  it('an unnamed API shows its identifier and scope; named with `resource update`, consent and connected apps show its words', async () => {
    const before = await consentFor('nameless@example.com', 'openid email read');
    expect(before.lines).toContain(`Use "read" on ${NOTES_API}`);

    // The operator's mistake: a description for a scope the API does not have; then the fix.
    const wrong = await gatehouse(
      env,
      'resource',
      'update',
      '--identifier',
      NOTES_API,
      '--scope-description',
      'delete=Delete your notes',
    );
    expect(wrong.code).not.toBe(0);
    expect(wrong.stdout + wrong.stderr).toContain('scope description for "delete": the API has no such scope');
    const updated = await gatehouseJson<{ name: string; scopeDescriptions: Record<string, string> }>(
      env,
      'resource',
      'update',
      '--identifier',
      NOTES_API,
      '--name',
      'Notes API',
      '--scope-description',
      'read=Read your notes',
      '--scope-description',
      'write=Change your notes',
    );
    expect(updated).toMatchObject({
      name: 'Notes API',
      scopeDescriptions: { read: 'Read your notes', write: 'Change your notes' },
    });

    const { agent, uid, lines } = await consentFor('nameless@example.com', 'openid email read write');
    expect(lines).toEqual([
      'Know who you are (a stable identifier for your account)',
      'See your email address and whether it is verified',
      'Notes API: Read your notes',
      'Notes API: Change your notes',
    ]);
    const allowed = await agent.follow(await agent.post(`/interaction/${uid}/confirm`, {}));
    expect(new URL(allowed.headers.get('location') as string).searchParams.get('code')).toBeTruthy();

    // The account console lists what Reader holds in the same words, not raw scope names.
    await walkAuthorization(agent, '/account', { email: 'nameless@example.com', password: PASSWORD });
    const console = await (await agent.get('/account')).text();
    const apps = listed(console.slice(console.indexOf('Connected apps')));
    expect(apps).toEqual(expect.arrayContaining(['Notes API: Read your notes', 'Notes API: Change your notes']));
    expect(console).not.toContain('openid, email');
  });

  it('does not promise "See your name" from a person who has none, and does to one who has', async () => {
    const nameless = await consentFor('nameless@example.com', 'openid profile');
    expect(nameless.lines).toContain('See your profile details (you have none yet, so the app gets none now)');
    expect(nameless.lines.join(' ')).not.toContain('See your name');
    const named = await consentFor('ada@example.com', 'openid profile');
    expect(named.lines).toContain('See your name');
  });
});
