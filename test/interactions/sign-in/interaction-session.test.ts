import { startAdminApiWithMetrics, type AdminApiHarness } from '../../support/admin-api.js';
import { UserAgent } from '../../support/user-agent.js';
import { openSignIn } from '../../support/open-sign-in.js';
import { relyingParty } from '../../support/relying-party.js';
import { eventually } from '../../support/eventually.js';

// A sign-in step saves its result on the interaction it read for the page's request, rather than
// reading it again from the cookie as oidc-provider's interactionResult does: one statement fewer
// per step. Counted from a real server's own query metrics, on the store DATABASE_URL selects.

const REDIRECT = 'https://app.example/cb';
const ADA = { email: 'ada@example.com', password: 'correct horse battery staple' };
let harness: AdminApiHarness;
let metricsUrl: string;
let rp: Awaited<ReturnType<typeof relyingParty>>;

/** How many look-ups of the provider's records the server has run (every kind of find). */
async function recordFinds(): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  return [...text.matchAll(/^gatehouse_db_query_duration_seconds_count\{operation="OidcRecord\.find[^"]*"\} (\d+)/gm)]
    .map((match) => Number(match[1]))
    .reduce((a, b) => a + b, 0);
}

async function clientCacheHits(): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  return Number(/^gatehouse_client_cache_lookups_total\{result="hit"\} (\d+)/m.exec(text)?.[1] ?? 0);
}

/**
 * Sign-in pages until one names its client from memory. On PostgreSQL the client cache starts
 * listening at its first look-up and reads the database (an OidcRecord find) until it listens,
 * which on a busy machine can outlast the first page and spoil the count.
 */
async function warm(): Promise<void> {
  await eventually(async () => {
    const before = await clientCacheHits();
    await openSignIn(new UserAgent(harness.server.url), rp);
    return (await clientCacheHits()) > before;
  }, 10_000);
}

beforeAll(async () => {
  ({ harness, metricsUrl } = await startAdminApiWithMetrics());
  await harness.container.accounts.create(ADA);
  const notes = await harness.container.clients.add({ name: 'Notes', redirectUris: [REDIRECT], firstParty: true });
  rp = await relyingParty(harness.server.config.issuer, notes, REDIRECT);
  await warm();
}, 60_000);

afterAll(async () => {
  await harness?.close();
});

describe('a sign-in step', () => {
  it('reads its interaction once, whether the password is wrong or right, and the saved result signs in', async () => {
    const agent = new UserAgent(harness.server.url);
    const { uid } = await openSignIn(agent, rp);

    let before = await recordFinds();
    const wrong = await agent.post(`/interaction/${uid}/login`, { email: ADA.email, password: 'not her password' });
    expect(wrong.status).toBe(401);
    expect((await recordFinds()) - before).toBe(1);

    before = await recordFinds();
    const right = await agent.post(`/interaction/${uid}/login`, ADA);
    expect(right.status).toBe(303);
    expect((await recordFinds()) - before).toBe(1);

    // The provider resumes with the result saved on that interaction: the app gets its code.
    const back = await agent.follow(right);
    const location = new URL(back.headers.get('location') as string);
    expect(location.origin).toBe('https://app.example');
    expect(location.searchParams.get('code')).toBeTruthy();
  });
});
