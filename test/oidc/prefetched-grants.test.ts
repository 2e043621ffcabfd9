import { startAdminApiWithMetrics, type AdminApiHarness } from '../support/admin-api.js';
import { UserAgent } from '../support/user-agent.js';
import { relyingParty } from '../support/relying-party.js';
import { walkAuthorization } from '../support/sign-in-flow.js';
import { postForm, type Credentials } from '../support/token-endpoint.js';
import { eventually } from '../support/eventually.js';

// The token endpoint's code and refresh grants and userinfo read their record and its grant in one
// statement (src/oidc/prefetched-grants.ts): counted from a real server's own query metrics, on the
// store DATABASE_URL selects, with what a grant gone in between must still mean.

const REDIRECT = 'https://notes.example/cb';
const GRACE = { email: 'grace@example.com', password: 'first compiler 1952' };
let harness: AdminApiHarness;
let metricsUrl: string;
let notes: Credentials;

/** How many times the server ran each OidcRecord look-up by id, and how often the client cache read the database. */
async function lookups() {
  const text = await (await fetch(metricsUrl)).text();
  const count = (pattern: RegExp) =>
    [...text.matchAll(pattern)].map((match) => Number(match[1])).reduce((a, b) => a + b, 0);
  return {
    single: count(/^gatehouse_db_query_duration_seconds_count\{operation="OidcRecord\.findLive"\} (\d+)/gm),
    withGrant: count(/^gatehouse_db_query_duration_seconds_count\{operation="OidcRecord\.findLiveWithGrant"\} (\d+)/gm),
    clientLoads: count(/^gatehouse_client_cache_lookups_total\{result="(?:miss|bypass)"\} (\d+)/gm),
  };
}

/** The look-ups `run` made; a client the cache did not answer is a `findLive` of its own, left out. */
async function lookupsDuring(run: () => Promise<unknown>) {
  const before = await lookups();
  await run();
  const after = await lookups();
  return {
    single: after.single - before.single - (after.clientLoads - before.clientLoads),
    withGrant: after.withGrant - before.withGrant,
  };
}

async function signIn() {
  const rp = await relyingParty(harness.server.config.issuer, notes, REDIRECT);
  const request = await rp.authorizationRequest({ scope: 'openid offline_access', prompt: 'consent' });
  const { callback } = await walkAuthorization(new UserAgent(harness.server.url), request.url, {
    ...GRACE,
    consent: 'allow',
  });
  return rp.redeem(callback as URL, request);
}

const refresh = (token: string) =>
  postForm(harness.server.url, '/token', notes, { grant_type: 'refresh_token', refresh_token: token });
const userinfo = (token: string) =>
  fetch(`${harness.server.url}/me`, { headers: { authorization: `Bearer ${token}` } });

beforeAll(async () => {
  ({ harness, metricsUrl } = await startAdminApiWithMetrics());
  await harness.container.accounts.create(GRACE);
  notes = await harness.container.clients.add({
    name: 'Notes',
    redirectUris: [REDIRECT],
    grantTypes: ['authorization_code', 'refresh_token'],
  });
  // On PostgreSQL the client cache reads the database until its LISTEN is in effect.
  await eventually(async () => {
    const before = await lookups();
    await userinfo((await signIn()).access_token);
    return (await lookups()).clientLoads === before.clientLoads;
  }, 10_000);
}, 60_000);

afterAll(async () => {
  await harness?.close();
});

describe('a record and its grant', () => {
  it('are read in one statement when a refresh token is spent, and the rotated one works the same way', async () => {
    const { refresh_token: first } = await signIn();
    let answer = await refresh(first as string);
    const counted = await lookupsDuring(async () => {
      answer = await refresh(answer.body.refresh_token as string);
    });
    expect(answer.status).toBe(200);
    expect(counted).toEqual({ single: 0, withGrant: 1 });
  });

  it('are read in one statement by userinfo', async () => {
    const { access_token: token } = await signIn();
    let answer: Response | undefined;
    expect(await lookupsDuring(async () => (answer = await userinfo(token)))).toEqual({ single: 0, withGrant: 1 });
    expect(answer?.status).toBe(200);
    expect(((await answer?.json()) as { sub?: string }).sub).toBeTruthy();
  });

  it('are read in one statement when a code is redeemed', async () => {
    const counted = await lookupsDuring(() => signIn());
    // The sign-in's other look-ups by id (the interaction, the session's grant) are single.
    expect(counted.withGrant).toBe(1);
  });

  it('mean no grant once it is gone: the refresh is refused and userinfo turns the token away, and a new sign-in works', async () => {
    const tokens = await signIn();
    const grantId = JSON.parse(
      (
        await harness.container.db.oidcRecord.findFirstOrThrow({
          where: { model: 'RefreshToken', id: tokens.refresh_token as string },
        })
      ).payload,
    ).grantId as string;
    // Another writer removes the grant alone (its tokens stay, as no revocation would leave them).
    await harness.container.db.oidcRecord.delete({ where: { model_id: { model: 'Grant', id: grantId } } });

    const refused = await refresh(tokens.refresh_token as string);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('invalid_grant');
    expect((await userinfo(tokens.access_token)).status).toBe(401);

    const again = await signIn();
    expect((await refresh(again.refresh_token as string)).status).toBe(200);
    expect((await userinfo(again.access_token)).status).toBe(200);
  });
});
