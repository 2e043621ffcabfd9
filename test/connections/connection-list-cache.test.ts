import { startAdminApiWithMetrics, type AdminApiHarness } from '../support/admin-api.js';
import { eventually } from '../support/eventually.js';
import { UserAgent } from '../support/user-agent.js';
import { openSignIn } from '../support/open-sign-in.js';
import { relyingParty } from '../support/relying-party.js';
import { createCaches, type Caches } from '../../src/oidc/create-caches.js';
import type { CacheLookup } from '../../src/oidc/guarded-cache.js';
import { createConnectionListCache } from '../../src/connections/connection-list-cache.js';
import { createConnectionQueries, type ConnectionQueries } from '../../src/connections/connection-queries.js';
import { createPreparedConnectionList } from '../../src/connections/prepared-connection-list.js';

// The connections the sign-in page lists ("Continue with …") and home-realm discovery reads, kept
// in memory by a real server on the store DATABASE_URL selects. "Another writer" is a second
// container on its own connection, as the CLI or another instance is. Each change must hold at the
// very next sign-in page: on SQLite the data version moves for the other writer, on PostgreSQL its
// change returns only once every listening instance has heard the trigger.

const REDIRECT = 'https://app.example/cb';
const ADA = { email: 'ada@corp.example', password: 'correct horse battery staple' };
let harness: AdminApiHarness;
let metricsUrl: string;
let rp: Awaited<ReturnType<typeof relyingParty>>;

async function lookups(result: CacheLookup): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  const match = new RegExp(`^gatehouse_connection_cache_lookups_total\\{result="${result}"\\} (\\d+)`, 'm').exec(text);
  return Number(match?.[1] ?? 0);
}

/** A new sign-in page in a new browser: its uid, its buttons' labels, and the browser. */
async function signInPage() {
  const agent = new UserAgent(harness.server.url);
  const { uid, text, status } = await openSignIn(agent, rp);
  expect(status).toBe(200);
  const buttons = [
    ...text.matchAll(/action="\/interaction\/[^/"]+\/upstream\/[^"]+">\s*<div class="actions"><button[^>]*>([^<]*)</g),
  ].map((match) => match[1]);
  return { agent, uid, buttons };
}

/** Sign-in pages until one is drawn from memory (on PostgreSQL the cache listens first). */
async function warm(): Promise<void> {
  await eventually(async () => {
    const before = await lookups('hit');
    await signInPage();
    return (await lookups('hit')) > before;
  }, 10_000);
}

beforeAll(async () => {
  ({ harness, metricsUrl } = await startAdminApiWithMetrics());
  await harness.container.accounts.create(ADA);
  const notes = await harness.container.clients.add({ name: 'Notes', redirectUris: [REDIRECT], firstParty: true });
  rp = await relyingParty(harness.server.config.issuer, notes, REDIRECT);
  // GitHub's endpoints are written out, not discovered: going there needs no network.
  await harness.container.connections.add({
    name: 'Corp',
    type: 'github',
    clientId: 'corp-client',
    clientSecret: 'corp-secret',
    buttonLabel: 'Corp GitHub',
    domains: ['corp.example'],
  });
}, 60_000);

afterAll(async () => {
  await harness?.close();
});

describe("the sign-in page's connections in a running server", () => {
  it('draws the buttons of each sign-in page from memory once read', async () => {
    await warm();
    const [hits, misses] = [await lookups('hit'), await lookups('miss')];
    for (let i = 0; i < 3; i += 1) expect((await signInPage()).buttons).toEqual(['Continue with Corp GitHub']);
    expect(await lookups('hit')).toBe(hits + 3);
    expect(await lookups('miss')).toBe(misses);
  });

  it('shows a connection another writer adds at the very next sign-in page', async () => {
    await warm();
    await harness.container.connections.add({
      name: 'Partners',
      type: 'github',
      clientId: 'partners-client',
      clientSecret: 'partners-secret',
      buttonLabel: 'Partner GitHub',
    });
    expect((await signInPage()).buttons).toEqual(['Continue with Corp GitHub', 'Continue with Partner GitHub']);
  });

  it('shows a button label another writer changes at the very next sign-in page, and its correction too', async () => {
    await warm();
    await harness.container.connections.update('Partners', { buttonLabel: 'Partner GitHab' });
    expect((await signInPage()).buttons).toEqual(['Continue with Corp GitHub', 'Continue with Partner GitHab']);
    // A typo and its correction, back to back: the second change holds as well.
    await harness.container.connections.update('Partners', { buttonLabel: 'Partner GitHub Enterprise' });
    expect((await signInPage()).buttons).toEqual([
      'Continue with Corp GitHub',
      'Continue with Partner GitHub Enterprise',
    ]);
  });

  it('drops a connection another writer removes at the very next page, and its domain signs in with a password again', async () => {
    await warm();
    // While Corp claims corp.example, Ada's address takes her to GitHub, password unread.
    const before = await signInPage();
    const sent = await before.agent.post(`/interaction/${before.uid}/login`, { email: ADA.email, password: 'x' });
    expect(sent.status).toBe(303);
    expect(sent.headers.get('location')).toMatch(/^https:\/\/github\.com\/login\/oauth\/authorize\?/);

    await harness.container.connections.remove('Corp');
    const { agent, uid, buttons } = await signInPage();
    expect(buttons).toEqual(['Continue with Partner GitHub Enterprise']);
    // Her address is no longer sent anywhere: a wrong password is refused here, the right one signs in.
    const wrong = await agent.post(`/interaction/${uid}/login`, { email: ADA.email, password: 'not her password' });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('Incorrect email or password.');
    const right = await agent.follow(await agent.post(`/interaction/${uid}/login`, ADA));
    expect(right.status).toBe(303);
    expect(new URL(right.headers.get('location') as string).origin).toBe('https://app.example');
  });
});

describe('a process that changes the Connection table itself', () => {
  // Its own writes move no data version on SQLite, and on PostgreSQL its change returns before the
  // trigger's notification need have reached it: its next list holds the change all the same.
  let caches: Caches;
  let queries: ConnectionQueries;
  const seen: CacheLookup[] = [];
  const names = async () => {
    seen.splice(0);
    return (await queries.list()).map((row) => row.name);
  };
  /** Lists until one list is answered from memory (on PostgreSQL it listens first). */
  const warmed = () =>
    eventually(async () => {
      await names();
      return seen[0] === 'hit';
    }, 10_000);
  const row = (id: string) => ({
    id,
    name: id,
    type: 'github',
    issuer: 'https://github.com',
    clientId: id,
    clientSecretSealed: 'sealed',
    scope: 'read:user user:email',
    buttonLabel: id,
    autoCreate: false,
    domains: '',
    trustUpstreamMfa: false,
    mfaAcr: null,
    createdAt: new Date(Date.UTC(2040, 0, 1)),
    updatedAt: new Date(Date.UTC(2040, 0, 1)),
  });

  beforeAll(() => {
    const { db, driver } = harness.container;
    caches = createCaches({ driver, databaseUrl: harness.server.config.databaseUrl });
    const cache = createConnectionListCache(caches.connectionGuard, { onLookup: (result) => seen.push(result) });
    queries = cache.forgetOnWrite(createConnectionQueries(db, cache.list(createPreparedConnectionList(driver))));
  });

  afterAll(() => caches.close());

  it('lists its own insert, change and removal at its very next list, and hands out rows nobody can change', async () => {
    await warmed();
    const rows = await queries.list();
    expect(Object.isFrozen(rows)).toBe(true);
    expect(rows.every((listed) => Object.isFrozen(listed))).toBe(true);

    await queries.insert(row('own'));
    expect(await names()).toEqual(['Partners', 'own']);
    expect(seen).toEqual(['miss']);
    await warmed();
    await queries.update('own', { name: 'own renamed', updatedAt: new Date() });
    expect(await names()).toEqual(['Partners', 'own renamed']);
    await warmed();
    await queries.remove('own');
    expect(await names()).toEqual(['Partners']);
  });
});
