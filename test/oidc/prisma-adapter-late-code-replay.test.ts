import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse, gatehouseJson } from '../support/run-gatehouse.js';
import { UserAgent } from '../support/user-agent.js';
import { relyingParty } from '../support/relying-party.js';
import { walkAuthorization } from '../support/sign-in-flow.js';
import { postForm, type Credentials } from '../support/token-endpoint.js';
import { freezeDate } from '../support/fake-date.js';
import { AUTHORIZATION_CODE_TTL } from '../../src/kernel/token-lifetimes.js';

const EMAIL = 'dorothy@example.com';
const PASSWORD = 'x-ray crystallography 1964';
const REDIRECT = 'https://notes.example/cb';
const DAY = 24 * 3600 * 1000;

let server: TestServer;
let notes: Credentials;
let other: Credentials;
let clock: ReturnType<typeof freezeDate>;

beforeAll(async () => {
  server = await startTestServer();
  const env = { DATABASE_URL: server.database.url };
  await gatehouse(env, 'user', 'add', '--email', EMAIL, '--password', PASSWORD);
  notes = await gatehouseJson<Credentials>(
    env,
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
  other = await gatehouseJson<Credentials>(env, 'client', 'add', '--name', 'Other', '--redirect-uri', REDIRECT);
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  clock = freezeDate();
});

afterEach(() => {
  clock.restore();
});

const introspect = async (token: string) => (await postForm(server.url, '/token/introspection', notes, { token })).body;

/** Signs in for offline access; returns the code, its verifier and what its first redemption gave. */
async function redeemedCode() {
  const rp = await relyingParty(server.config.issuer, notes, REDIRECT);
  const request = await rp.authorizationRequest({ scope: 'openid offline_access', prompt: 'consent' });
  const { callback } = await walkAuthorization(new UserAgent(server.url), request.url, {
    email: EMAIL,
    password: PASSWORD,
    consent: 'allow',
  });
  const tokens = await rp.redeem(callback as URL, request);
  return { code: (callback as URL).searchParams.get('code') as string, verifier: request.verifier, tokens };
}

const replay = (code: string, verifier: string, by: Credentials = notes) =>
  postForm(server.url, '/token', by, {
    grant_type: 'authorization_code',
    code,
    code_verifier: verifier,
    redirect_uri: REDIRECT,
  });

describe('a spent code replayed after its own lifetime (RFC 6749 §4.1.2)', () => {
  it('is refused with invalid_grant and revokes the access and refresh tokens its first use issued', async () => {
    const { code, verifier, tokens } = await redeemedCode();
    clock.advance((AUTHORIZATION_CODE_TTL + 1) * 1000);
    // The code's lifetime alone ends nothing it issued.
    expect(await introspect(tokens.access_token)).toMatchObject({ active: true });
    expect(await introspect(tokens.refresh_token as string)).toMatchObject({ active: true });

    const late = await replay(code, verifier);
    expect(late.status).toBe(400);
    expect(late.body.error).toBe('invalid_grant');
    expect(await introspect(tokens.access_token)).toEqual({ active: false });
    expect(await introspect(tokens.refresh_token as string)).toEqual({ active: false });
  });

  it('still revokes the refresh token when the replay comes days later', async () => {
    const { code, verifier, tokens } = await redeemedCode();
    clock.advance(13 * DAY);
    expect(await introspect(tokens.refresh_token as string)).toMatchObject({ active: true });
    expect((await replay(code, verifier)).body.error).toBe('invalid_grant');
    expect(await introspect(tokens.refresh_token as string)).toEqual({ active: false });
  });

  it('leaves the grant alone when another client presents the spent code, then revokes on the real replay', async () => {
    const { code, verifier, tokens } = await redeemedCode();
    clock.advance((AUTHORIZATION_CODE_TTL + 1) * 1000);
    expect((await replay(code, verifier, other)).body.error).toBe('invalid_grant');
    expect(await introspect(tokens.refresh_token as string)).toMatchObject({ active: true });
    expect((await replay(code, verifier)).body.error).toBe('invalid_grant');
    expect(await introspect(tokens.refresh_token as string)).toEqual({ active: false });
  });
});
