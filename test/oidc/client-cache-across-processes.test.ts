import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { createTestDatabase, createTestDatabaseOn, type TestDatabase } from '../support/test-database.js';
import { startServeProcess, type ServeProcess } from '../support/serve-process.js';
import { freePort } from '../support/free-port.js';
import { gatehouseJson } from '../support/run-gatehouse.js';
import { postForm, type Credentials } from '../support/token-endpoint.js';
import { CLIENT_CACHE_APPLICATION } from '../../src/oidc/create-caches.js';

// Real `gatehouse serve` processes keep the clients they look up in memory. A change the CLI makes
// (run as its own process, as an operator runs it) must hold at the very next request to any of
// them: on SQLite the data version says so before each use of the cache; on PostgreSQL the CLI
// returns only once every listening instance has heard the change's notification.

const API = 'https://ledger.example.com';
const KEK = Buffer.alloc(32, 11).toString('base64');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `gatehouse …` as its own process, as an operator runs it. */
async function operator(env: Record<string, string>, ...argv: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await promisify(execFile)(process.execPath, ['bin/gatehouse.js', ...argv, '--json'], {
    env: { PATH: process.env.PATH, LOG_LEVEL: 'silent', ...env },
  });
  return JSON.parse(stdout) as Record<string, unknown>;
}

interface Instance {
  readonly process: ServeProcess;
  readonly url: string;
  readonly metricsUrl: string;
}

async function serve(env: Record<string, string>): Promise<Instance> {
  const [port, metricsPort] = [await freePort(), await freePort()];
  const process = await startServeProcess({
    ...env,
    PORT: String(port),
    ISSUER: `http://127.0.0.1:${port}`,
    METRICS_PORT: String(metricsPort),
    METRICS_HOST: '127.0.0.1',
  });
  return { process, url: `http://127.0.0.1:${port}`, metricsUrl: `http://127.0.0.1:${metricsPort}/metrics` };
}

const stop = async ({ process }: Instance) => {
  if (process.child.exitCode === null && process.child.signalCode === null) process.child.kill('SIGTERM');
  await process.exited;
};

/** The instance's count of client look-ups answered from memory. */
async function hits(instance: Instance): Promise<number> {
  const text = await (await fetch(instance.metricsUrl)).text();
  return Number(/^gatehouse_client_cache_lookups_total\{result="hit"\} (\d+)/m.exec(text)?.[1] ?? 0);
}

const token = (instance: Instance, client: Credentials) =>
  postForm(instance.url, '/token', client, { grant_type: 'client_credentials', resource: API, scope: 'read' });

/** Token requests until the instance answers them from its cache (on PostgreSQL it listens first). */
async function warm(instance: Instance, client: Credentials): Promise<void> {
  const before = await hits(instance);
  const deadline = Date.now() + 10_000;
  do {
    expect((await token(instance, client)).status).toBe(200);
    if ((await hits(instance)) > before) return;
    await sleep(50);
  } while (Date.now() < deadline);
  throw new Error('the client was never answered from the cache');
}

const status = async (instance: Instance, client: Credentials) => (await token(instance, client)).status;

async function setUp(database: TestDatabase) {
  const env = { DATABASE_URL: database.url, GATEHOUSE_KEK: KEK };
  await gatehouseJson(env, 'resource', 'add', '--identifier', API, '--scope', 'read', '--token-format', 'opaque');
  const addWorker = () =>
    gatehouseJson<Credentials>(
      env,
      'client',
      'add',
      '--name',
      'Worker',
      '--grant-type',
      'client_credentials',
      '--resource',
      API,
    );
  return { env, addWorker };
}

describe('a running `gatehouse serve` and the CLI in another process, on the store DATABASE_URL selects', () => {
  let database: TestDatabase;
  let env: Record<string, string>;
  let addWorker: () => Promise<Credentials>;
  let server: Instance;

  beforeAll(async () => {
    database = await createTestDatabase();
    ({ env, addWorker } = await setUp(database));
    server = await serve(env);
  }, 60_000);

  afterAll(async () => {
    if (server) await stop(server);
    await database.drop();
  });

  it('a secret the CLI rotates: the very next request with the old one is refused, the new one accepted', async () => {
    const worker = await addWorker();
    await warm(server, worker);
    const rotated = await operator(env, 'client', 'rotate-secret', '--client-id', worker.client_id);
    expect(await status(server, worker)).toBe(401);
    expect(
      (await token(server, { client_id: worker.client_id, client_secret: rotated.client_secret as string })).status,
    ).toBe(200);
  }, 30_000);

  it('a grant the CLI revokes: the very next request for that API is refused', async () => {
    const worker = await addWorker();
    await warm(server, worker);
    await operator(env, 'client', 'revoke-grant', '--client-id', worker.client_id, '--resource', API);
    expect(await status(server, worker)).toBe(400);
  }, 30_000);

  it('a client the CLI removes: the very next request is refused', async () => {
    const worker = await addWorker();
    await warm(server, worker);
    await operator(env, 'client', 'remove', '--client-id', worker.client_id);
    expect(await status(server, worker)).toBe(401);
  }, 30_000);
});

describe('two `gatehouse serve` instances on one PostgreSQL database', () => {
  let database: TestDatabase;
  let env: Record<string, string>;
  let addWorker: () => Promise<Credentials>;
  const instances: Instance[] = [];
  const logged = (instance: Instance, message: string) =>
    instance.process.log.text.split('\n').filter((line) => line.includes(`"msg":"${message}"`)).length;

  beforeAll(async () => {
    database = await createTestDatabaseOn('postgresql');
    ({ env, addWorker } = await setUp(database));
    instances.push(await serve(env), await serve(env));
  }, 60_000);

  afterAll(async () => {
    for (const instance of instances) await stop(instance);
    await database.drop();
  });

  it('a client removed while both hold it in memory is refused by both', async () => {
    const worker = await addWorker();
    for (const instance of instances) await warm(instance, worker);
    await operator(env, 'client', 'remove', '--client-id', worker.client_id);
    for (const instance of instances) expect(await status(instance, worker)).toBe(401);
  }, 30_000);

  it('an API changed while both hold it in memory: the very next token from either carries the change', async () => {
    const worker = await addWorker();
    for (const instance of instances) await warm(instance, worker);
    await operator(env, 'resource', 'update', '--identifier', API, '--ttl', '420');
    for (const instance of instances) expect((await token(instance, worker)).body.expires_in).toBe(420);
    await operator(env, 'resource', 'update', '--identifier', API, '--ttl', '360');
    for (const instance of instances) expect((await token(instance, worker)).body.expires_in).toBe(360);
  }, 30_000);

  it('an instance whose LISTEN connection is cut stops trusting its cache, then listens again and uses it', async () => {
    const [first, second] = instances as [Instance, Instance];
    const kept = await addWorker();
    const removed = await addWorker();
    for (const worker of [kept, removed]) await warm(first, worker);
    const listened = logged(first, 'client cache listening for notifications');

    // Cut every client-cache listener of this database (the second instance's too).
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      const { rowCount } = await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1',
        [CLIENT_CACHE_APPLICATION],
      );
      expect(rowCount).toBe(2);
    } finally {
      await admin.end();
    }
    await first.process.waitForLog('client cache stopped listening for notifications', 5000);

    await operator(env, 'client', 'remove', '--client-id', removed.client_id);
    expect(await status(first, removed)).toBe(401);
    expect(await status(second, removed)).toBe(401);

    // Listening again, the first instance answers from memory once more.
    const deadline = Date.now() + 15_000;
    while (logged(first, 'client cache listening for notifications') === listened && Date.now() < deadline)
      await sleep(50);
    await warm(first, kept);
  }, 60_000);
});
