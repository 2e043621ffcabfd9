import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createSmallFilesystem, type SmallFilesystem } from '../support/small-filesystem.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import type { TestDatabase } from '../support/test-database.js';
import { gatehouse } from '../support/run-gatehouse.js';
import { UserAgent } from '../support/user-agent.js';
import { relyingParty } from '../support/relying-party.js';
import { walkAuthorization } from '../support/sign-in-flow.js';
import { postForm, type Credentials } from '../support/token-endpoint.js';
import { loadConfig } from '../../src/config/load-config.js';

const REDIRECT = 'https://shop.example/callback';
const EMAIL = 'barbara@example.com';
const PASSWORD = 'abstract data types 1974';
const API = 'https://api.example.com';
const BOUND_MS = 5000;

let fs: SmallFilesystem;
let server: TestServer;
let file: string;
let client: Credentials;
let api: Credentials;
let rp: Awaited<ReturnType<typeof relyingParty>>;

beforeAll(async () => {
  fs = await createSmallFilesystem();
  file = join(fs.dir, 'gatehouse.db');
  const url = `file:${file}`;
  const database: TestDatabase = {
    url,
    store: 'sqlite',
    config: (env = {}) => loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'silent', ...env }),
    drop: async () => undefined,
  };
  server = await startTestServer({}, database);
  const env = { DATABASE_URL: url };
  await gatehouse(env, 'user', 'add', '--email', EMAIL, '--password', PASSWORD);
  client = (
    await gatehouse(
      env,
      'client',
      'add',
      '--name',
      'Shop',
      '--redirect-uri',
      REDIRECT,
      '--grant-type',
      'authorization_code',
      '--grant-type',
      'client_credentials',
      '--json',
    )
  ).json<{ client_id: string; client_secret: string }>();
  api = (
    await gatehouse(
      env,
      'resource',
      'add',
      '--identifier',
      API,
      '--scope',
      'read',
      '--token-format',
      'opaque',
      '--json',
    )
  ).json<{ client_id: string; client_secret: string }>();
  await gatehouse(env, 'client', 'grant', '--client-id', client.client_id, '--resource', API);
  rp = await relyingParty(server.config.issuer, client, REDIRECT);
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await fs?.destroy();
});

const sqliteFiles = () => [file, `${file}-wal`, `${file}-shm`].filter((path) => existsSync(path));
const issue = (): ReturnType<typeof postForm> =>
  postForm(server.url, '/token', client, { grant_type: 'client_credentials', resource: API, scope: 'read' });

/** Requests that must write fail closed: 503 with Retry-After, quickly, as JSON or as the page. */
async function expectFailClosed() {
  const started = Date.now();
  const token = await issue();
  expect({ status: token.status, error: token.body.error }).toEqual({ status: 503, error: 'temporarily_unavailable' });
  expect(token.headers.get('retry-after')).toMatch(/^\d+$/);
  const agent = new UserAgent(server.url);
  const signIn = await walkAuthorization(agent, (await rp.authorizationRequest()).url, {
    email: EMAIL,
    password: PASSWORD,
    consent: 'allow',
  });
  expect(signIn.callback).toBeUndefined();
  expect(signIn.page?.status).toBe(503);
  expect(signIn.page?.headers.get('retry-after')).toMatch(/^\d+$/);
  expect(await signIn.page?.text()).toMatch(/temporarily unavailable/i);
  expect(Date.now() - started).toBeLessThan(BOUND_MS * 3);
}

/** Service resumed: a token, a whole sign-in, and the token issued before the fault still valid. */
async function expectService(before: string) {
  expect((await issue()).status).toBe(200);
  const request = await rp.authorizationRequest();
  const { callback } = await walkAuthorization(new UserAgent(server.url), request.url, {
    email: EMAIL,
    password: PASSWORD,
    consent: 'allow',
  });
  expect((await rp.redeem(callback as URL, request)).access_token).toBeTruthy();
  expect((await postForm(server.url, '/token/introspection', api, { token: before })).body.active).toBe(true);
}

const integrity = () => {
  const db = new Database(file, { readonly: true });
  try {
    return db.pragma('integrity_check', { simple: true });
  } finally {
    db.close();
  }
};

describe('SQLite on a file system that turns read-only or fills up', () => {
  it('read-only (the volume under a stopped instance remounted read-only): it refuses to start, saying what to fix; once writable again service resumes and the file is sound', async () => {
    const before = (await issue()).body.access_token as string;
    const database = server.database;
    await server.stop();
    await fs.readOnly(sqliteFiles());
    try {
      await expect(startTestServer({}, database)).rejects.toThrow(
        /cannot open the SQLite database .*gatehouse\.db for writing .*read-only or full/,
      );
    } finally {
      await fs.writable(sqliteFiles());
    }
    expect(integrity()).toBe('ok');
    server = await startTestServer({}, database);
    rp = await relyingParty(server.config.issuer, client, REDIRECT);
    await expectService(before);
  }, 60_000);

  it('disk full (a size-limited tmpfs when the test runs as root): the same', async () => {
    // A full disk needs a small file system of its own: a tmpfs mounted for the test, which takes
    // root (CI runs as root). Without it this test fails rather than pass having checked nothing.
    if (!fs.canFill) throw new Error('cannot mount a size-limited tmpfs: run the suite as root (as .ci/run does)');
    const before = (await issue()).body.access_token as string;
    // A reader kept on this moment's snapshot: no checkpoint can let the log start over, so from here
    // every write must grow it (once checkpointed, the log is written again from its start, in space
    // the file already has, and a write needs no more of the disk).
    const reader = new Database(file, { readonly: true });
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM "OidcRecord"').get();
    fs.fill();
    try {
      // The log's file may still have room past its last frame: writes go on until that is used.
      for (let i = 0; i < 500 && (await issue()).status === 200; i += 1);
      await expectFailClosed();
    } finally {
      fs.unfill();
      reader.exec('COMMIT');
      reader.close();
    }
    expect(integrity()).toBe('ok');
    await expectService(before);
  }, 60_000);
});
