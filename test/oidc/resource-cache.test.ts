import { startAdminApi, type AdminApiHarness } from '../support/admin-api.js';
import { freePort } from '../support/free-port.js';
import { postForm, type Credentials } from '../support/token-endpoint.js';
import { eventually } from '../support/eventually.js';

// The APIs the token path looks up, kept in memory by a real server on the store DATABASE_URL
// selects. "This server" changes an API through its own management API; "another writer" is a
// second container on its own connection, as the CLI or another instance is. Each change must hold
// at the very next token request: on SQLite the data version moves for the other writer, on
// PostgreSQL its change returns only once every listening instance has heard the trigger.

const API = 'https://ledger.example.com';
let harness: AdminApiHarness;
let metricsUrl: string;
let worker: Credentials;

const token = (resource = API) =>
  postForm(harness.server.url, '/token', worker, { grant_type: 'client_credentials', resource, scope: 'read' });

async function lookups(result: 'hit' | 'miss' | 'bypass'): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  const match = new RegExp(`^gatehouse_resource_cache_lookups_total\\{result="${result}"\\} (\\d+)`, 'm').exec(text);
  return Number(match?.[1] ?? 0);
}

/** Token requests until one is answered with the API from memory (on PostgreSQL it listens first). */
async function warm(): Promise<void> {
  await eventually(async () => {
    const before = await lookups('hit');
    expect((await token()).status).toBe(200);
    return (await lookups('hit')) > before;
  }, 10_000);
}

const expiresIn = async () => {
  const answer = await token();
  expect(answer.status).toBe(200);
  return answer.body.expires_in as number;
};

beforeAll(async () => {
  const metricsPort = await freePort();
  harness = await startAdminApi({ METRICS_PORT: String(metricsPort), METRICS_HOST: '127.0.0.1' });
  metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  await harness.container.resources.add({ identifier: API, scope: 'read write', tokenFormat: 'opaque' });
  worker = await harness.container.clients.add({
    name: 'Worker',
    grantTypes: ['client_credentials'],
    resources: [API],
  });
}, 60_000);

afterAll(async () => {
  await harness?.close();
});

describe('the API cache of a running server', () => {
  it('answers the API of each token request from memory once read', async () => {
    await warm();
    const [hits, misses] = [await lookups('hit'), await lookups('miss')];
    for (let i = 0; i < 3; i += 1) expect((await token()).status).toBe(200);
    expect(await lookups('hit')).toBe(hits + 3);
    expect(await lookups('miss')).toBe(misses);
  });

  it("holds a change made through this server's management API at the very next token", async () => {
    // Made first: its client is another writer's change, which would empty the cache by itself.
    const admin = await harness.token();
    await warm();
    const read = await harness.call('GET', `/resources/${encodeURIComponent(API)}`, { token: admin });
    const changed = await harness.call('PATCH', `/resources/${encodeURIComponent(API)}`, {
      token: admin,
      body: { access_token_ttl: 240 },
      headers: { 'if-match': read.headers.get('etag') ?? '' },
    });
    expect(changed.status).toBe(200);
    expect(await expiresIn()).toBe(240);
  });

  it('holds a change another writer makes at the very next token', async () => {
    await warm();
    await harness.container.resources.update(API, { accessTokenTtl: 420 });
    expect(await expiresIn()).toBe(420);
    // A mistake and its correction, back to back: the second change holds as well.
    await harness.container.resources.update(API, { accessTokenTtl: 360 });
    expect(await expiresIn()).toBe(360);
  });

  it('refuses an API another writer removes at the very next request, and serves one added again', async () => {
    await warm();
    await harness.container.resources.remove(API);
    const refused = await token();
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('invalid_target');

    await harness.container.resources.add({ identifier: API, scope: 'read', tokenFormat: 'opaque' });
    await harness.container.clients.grant(worker.client_id, API, 'read');
    expect((await token()).status).toBe(200);
  });
});
