import * as oidc from 'openid-client';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouseJson } from '../support/run-gatehouse.js';
import { UserAgent } from '../support/user-agent.js';
import { relyingParty } from '../support/relying-party.js';
import { walkAuthorization } from '../support/sign-in-flow.js';
import { postForm } from '../support/token-endpoint.js';
import { freezeDate } from '../support/fake-date.js';

const EMAIL = 'katherine@example.com';
const PASSWORD = 'orbital mechanics 1962';
const REDIRECT = 'https://notes.example/cb';
const DAY = 24 * 3600 * 1000;

interface Client {
  client_id: string;
  client_secret: string;
}

let server: TestServer;
let env: Record<string, string>;
let notes: Client;
let other: Client;

const cli = <T = Client>(...argv: string[]) => gatehouseJson<T>(env, ...argv);

/** Signs in with openid-client as the RP and returns the token response. */
async function signIn(client: Client, params: Record<string, string>) {
  const rp = await relyingParty(server.config.issuer, client, REDIRECT);
  const request = await rp.authorizationRequest(params);
  const { callback } = await walkAuthorization(new UserAgent(server.url), request.url, {
    email: EMAIL,
    password: PASSWORD,
    consent: 'allow',
  });
  return { rp, tokens: await rp.redeem(callback as URL, request) };
}

const offline = (client: Client = notes) => signIn(client, { scope: 'openid offline_access', prompt: 'consent' });

const refresh = (client: Client, refreshToken: string) =>
  postForm(server.url, '/token', client, { grant_type: 'refresh_token', refresh_token: refreshToken });
const introspect = (client: Client, token: string) => postForm(server.url, '/token/introspection', client, { token });

async function reuseEvents() {
  const { events } = await cli<{
    events: { type: string; outcome: string; clientId: string; detail: { grantId?: string } }[];
  }>('audit', '--email', EMAIL, '--limit', '200');
  return events.filter((e) => e.type === 'refresh_token.reused');
}

beforeAll(async () => {
  server = await startTestServer();
  env = { DATABASE_URL: server.database.url };
  await cli('user', 'add', '--email', EMAIL, '--password', PASSWORD);
  notes = await cli(
    'client',
    'add',
    '--name',
    'Notes',
    '--redirect-uri',
    REDIRECT,
    '--grant-type',
    'authorization_code',
    '--grant-type',
    'refresh_token',
  );
  other = await cli(
    'client',
    'add',
    '--name',
    'Other',
    '--redirect-uri',
    REDIRECT,
    '--grant-type',
    'authorization_code',
    '--grant-type',
    'refresh_token',
  );
});

afterAll(async () => {
  await server.close();
});

describe('refresh tokens are issued only for offline_access (OIDC Core §11)', () => {
  it('issues none without offline_access', async () => {
    const { tokens } = await signIn(notes, { scope: 'openid email', prompt: 'consent' });
    expect(tokens.access_token).toBeTruthy();
    expect(tokens.refresh_token).toBeUndefined();
  });

  it('issues none when offline_access is asked for without prompt=consent', async () => {
    const { tokens } = await signIn(notes, { scope: 'openid offline_access' });
    expect(tokens.refresh_token).toBeUndefined();
    expect(tokens.scope?.split(' ')).not.toContain('offline_access');
  });

  it('asks the person about offline access in plain words, then issues one', async () => {
    const rp = await relyingParty(server.config.issuer, notes, REDIRECT);
    const request = await rp.authorizationRequest({ scope: 'openid offline_access', prompt: 'consent' });
    const agent = new UserAgent(server.url);
    const { page } = await walkAuthorization(agent, request.url, { email: EMAIL, password: PASSWORD });
    const html = (await page?.text()) ?? '';
    expect(html).toContain('Stay connected to your account when you are not using it');
    const uid = /action="\/interaction\/([^/]+)\/confirm"/.exec(html)?.[1] as string;
    const done = await agent.follow(await agent.post(`/interaction/${uid}/confirm`, {}));
    const tokens = await rp.redeem(new URL(done.headers.get('location') as string), request);
    expect(tokens.refresh_token).toEqual(expect.any(String));
    expect(tokens.scope?.split(' ')).toContain('offline_access');
  });

  it('issues none to a client not registered for the refresh_token grant', async () => {
    const plain = await cli('client', 'add', '--name', 'Plain', '--redirect-uri', REDIRECT);
    const { tokens } = await signIn(plain, { scope: 'openid offline_access', prompt: 'consent' });
    expect(tokens.refresh_token).toBeUndefined();
  });
});

describe('refresh token rotation and reuse detection (RFC 9700 §4.14.2)', () => {
  it('rotates the refresh token on every use (openid-client refreshTokenGrant)', async () => {
    const { rp, tokens } = await offline();
    const first = await oidc.refreshTokenGrant(rp.config, tokens.refresh_token as string);
    expect(first.refresh_token).toEqual(expect.any(String));
    expect(first.refresh_token).not.toBe(tokens.refresh_token);
    const second = await oidc.refreshTokenGrant(rp.config, first.refresh_token as string);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.claims()?.sub).toBe(tokens.claims()?.sub);
  });

  it('revokes the whole grant when a spent refresh token comes back, and records it as blocked', async () => {
    const { tokens } = await offline();
    const rotated = await refresh(notes, tokens.refresh_token as string);
    expect(rotated.status).toBe(200);
    const live = { access: rotated.body.access_token as string, refresh: rotated.body.refresh_token as string };
    expect((await introspect(notes, live.access)).body).toMatchObject({ active: true });

    const replay = await refresh(notes, tokens.refresh_token as string);
    expect(replay.status).toBe(400);
    expect(replay.body.error).toBe('invalid_grant');

    expect((await introspect(notes, live.access)).body).toEqual({ active: false });
    expect((await introspect(notes, tokens.access_token)).body).toEqual({ active: false });
    expect((await introspect(notes, live.refresh)).body).toEqual({ active: false });
    expect((await refresh(notes, live.refresh)).body.error).toBe('invalid_grant');

    const events = await reuseEvents();
    expect(events[0]).toMatchObject({
      type: 'refresh_token.reused',
      outcome: 'blocked',
      clientId: notes.client_id,
      detail: { grantId: expect.any(String) },
    });
  });

  it('lets at most one of 8 concurrent refreshes of one token succeed, and revokes the grant', async () => {
    const { tokens } = await offline();
    const before = (await reuseEvents()).length;
    const answers = await Promise.all(Array.from({ length: 8 }, () => refresh(notes, tokens.refresh_token as string)));
    const won = answers.filter((a) => a.status === 200);
    expect(won.length).toBeLessThanOrEqual(1);
    for (const lost of answers.filter((a) => a.status !== 200)) expect(lost.body.error).toBe('invalid_grant');
    // The race was a reuse like any other: whatever the winner got is dead too.
    for (const { body } of won) {
      expect((await introspect(notes, body.access_token as string)).body).toEqual({ active: false });
      expect((await refresh(notes, body.refresh_token as string)).body.error).toBe('invalid_grant');
    }
    expect((await reuseEvents()).length).toBeGreaterThan(before);
  });

  it('refuses a refresh token presented by another client, and leaves it usable by its own', async () => {
    const { tokens } = await offline();
    const stolen = await refresh(other, tokens.refresh_token as string);
    expect(stolen.status).toBe(400);
    expect(stolen.body.error).toBe('invalid_grant');
    expect((await refresh(notes, tokens.refresh_token as string)).status).toBe(200);
  });
});

describe('refresh token lifetimes (REFRESH_TOKEN_IDLE_SECONDS 14 days, REFRESH_TOKEN_ABSOLUTE_SECONDS 30 days)', () => {
  let clock: ReturnType<typeof freezeDate>;

  beforeEach(() => {
    clock = freezeDate();
  });

  afterEach(() => {
    clock.restore();
  });

  it('expires a refresh token left unused for longer than the idle window', async () => {
    const { tokens } = await offline();
    clock.advance(14 * DAY - 60_000);
    const used = await refresh(notes, tokens.refresh_token as string);
    expect(used.status).toBe(200);
    clock.advance(14 * DAY + 60_000);
    const idle = await refresh(notes, used.body.refresh_token as string);
    expect(idle.status).toBe(400);
    expect(idle.body.error).toBe('invalid_grant');
  });

  it('ends the chain at the absolute cap however often it is used', async () => {
    const { tokens } = await offline();
    let current = tokens.refresh_token as string;
    for (const day of [7, 14, 21, 28]) {
      clock.advance(7 * DAY);
      const used = await refresh(notes, current);
      expect({ day, status: used.status }).toEqual({ day, status: 200 });
      current = used.body.refresh_token as string;
    }
    // Day 30: last used two days ago, well inside the idle window, but the chain began 30 days ago.
    clock.advance(2 * DAY + 60_000);
    const capped = await refresh(notes, current);
    expect(capped.status).toBe(400);
    expect(capped.body.error).toBe('invalid_grant');
  });
});
