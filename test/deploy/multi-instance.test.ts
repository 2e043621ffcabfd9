import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeConfig } from '../support/compose-config.js';
import { createTestDatabaseOn, type TestDatabase } from '../support/test-database.js';
import { startServeProcess, type ServeProcess } from '../support/serve-process.js';
import { freePort } from '../support/free-port.js';
import { gatehouse } from '../support/run-gatehouse.js';
import { httpsFetch } from '../support/https-fetch.js';
import { UserAgent } from '../support/user-agent.js';
import { walkAuthorization } from '../support/sign-in-flow.js';

// The topology of docker-compose.yml, run with processes (there is no Docker engine here): the
// environment the compose file gives its replicas, `gatehouse migrate` once, two `gatehouse serve`
// replicas, and Caddy from Debian with the Caddyfile the compose file mounts, terminating TLS.
// One fresh PostgreSQL database.

const REDIRECT = 'https://shop.example/callback';
const EMAIL = 'margaret@example.com';
const PASSWORD = 'apollo guidance computer';

let database: TestDatabase;
let caddyDir: string;
let caddy: ChildProcess;
let caddyLog = '';
const replicas: ServeProcess[] = [];
let origin: string;
let send: typeof fetch;
let env: Record<string, string>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  database = await createTestDatabaseOn('postgresql');
  const { services } = await composeConfig();
  const httpsPort = await freePort();
  origin = `https://localhost:${httpsPort}`;
  // The compose file's own settings, with only addresses changed: this machine's ports and database.
  env = {
    ...services['gatehouse-1']?.environment,
    DATABASE_URL: database.url,
    ISSUER: origin,
    HOST: '127.0.0.1',
    LEADER_LEASE_SECONDS: '3',
  };
  const migrate = services.migrate?.command ?? [];
  expect(migrate).toEqual(['migrate']);
  const migrated = await gatehouse(env, ...migrate);
  expect(migrated.stderr).toBe('');
  expect(migrated.code).toBe(0);

  for (let i = 0; i < 2; i += 1) {
    replicas.push(
      await startServeProcess({ ...env, PORT: String(await freePort()), METRICS_PORT: String(await freePort()) }),
    );
  }

  caddyDir = mkdtempSync(join(tmpdir(), 'gatehouse-caddy-'));
  caddy = spawn('caddy', ['run', '--adapter', 'caddyfile', '--config', 'deploy/Caddyfile'], {
    env: {
      PATH: process.env.PATH,
      HOME: caddyDir,
      XDG_DATA_HOME: join(caddyDir, 'data'),
      XDG_CONFIG_HOME: join(caddyDir, 'config'),
      GATEHOUSE_HOST: 'localhost',
      GATEHOUSE_UPSTREAMS: replicas.map(({ port }) => `127.0.0.1:${port}`).join(' '),
      HTTP_PORT: String(await freePort()),
      HTTPS_PORT: String(httpsPort),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  caddy.stderr?.on('data', (chunk: Buffer) => {
    caddyLog += chunk.toString();
  });
  caddy.stdout?.on('data', (chunk: Buffer) => {
    caddyLog += chunk.toString();
  });
  const rootCert = join(caddyDir, 'data', 'caddy', 'pki', 'authorities', 'local', 'root.crt');
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (existsSync(rootCert)) {
      send = httpsFetch(readFileSync(rootCert));
      const ok = await send(`${origin}/healthz`).then(
        (res) => res.ok,
        () => false,
      );
      if (ok) break;
    }
    if (Date.now() > deadline || caddy.exitCode !== null) throw new Error(`Caddy did not come up:\n${caddyLog}`);
    await sleep(200);
  }
}, 90_000);

afterAll(async () => {
  caddy?.kill('SIGTERM');
  for (const { child } of replicas) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  if (caddyDir) rmSync(caddyDir, { recursive: true, force: true });
  await database?.drop();
});

/** Discovery requests a replica logged (the proxy's own /readyz health checks aside). */
const requestsServed = (replica: ServeProcess) =>
  replica.log.text
    .split('\n')
    .filter((line) => line.includes('"msg":"request"') && line.includes('"path":"/.well-known/openid-configuration"'))
    .length;

describe('the compose topology as processes: two replicas behind Caddy (TLS) on one PostgreSQL', () => {
  it('serves the https issuer through the proxy, balanced over both replicas', async () => {
    const before = replicas.map(requestsServed);
    const served = () => replicas.map((replica, i) => requestsServed(replica) > (before[i] as number));
    // Round robin sends every other request to each; their log lines arrive through pipes, so poll.
    const deadline = Date.now() + 15_000;
    while (!served().every(Boolean) && Date.now() < deadline) {
      const discovery = (await (await send(`${origin}/.well-known/openid-configuration`)).json()) as {
        issuer: string;
        token_endpoint: string;
      };
      expect(discovery.issuer).toBe(origin);
      expect(discovery.token_endpoint).toBe(`${origin}/token`);
      await sleep(100);
    }
    expect(served()).toEqual([true, true]);
  }, 30_000);

  it('a whole sign-in crosses replicas: Secure __Host- cookies (TLS seen through TRUST_PROXY), the session and code live in the shared database', async () => {
    const dbEnv = { DATABASE_URL: database.url, GATEHOUSE_KEK: env.GATEHOUSE_KEK as string };
    await gatehouse(dbEnv, 'user', 'add', '--email', EMAIL, '--password', PASSWORD);
    const client = (
      await gatehouse(dbEnv, 'client', 'add', '--name', 'Shop', '--redirect-uri', REDIRECT, '--first-party', '--json')
    ).json<{ client_id: string; client_secret: string }>();
    const verifier = randomBytes(32).toString('base64url');
    const authorize = new URL(`${origin}/auth`);
    for (const [name, value] of Object.entries({
      client_id: client.client_id,
      redirect_uri: REDIRECT,
      response_type: 'code',
      scope: 'openid email',
      state: 's1',
      nonce: 'n1',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    }))
      authorize.searchParams.set(name, value);

    const agent = new UserAgent(origin, undefined, send);
    const { callback } = await walkAuthorization(agent, authorize, { email: EMAIL, password: PASSWORD });
    expect(callback?.origin).toBe('https://shop.example');
    expect(callback?.searchParams.get('iss')).toBe(origin);
    const cookies = [...agent.setCookies.values()];
    expect(cookies.some((line) => line.startsWith('__Host-'))).toBe(true);
    for (const line of cookies) expect(line).toMatch(/;\s*secure/i);

    const token = await send(`${origin}/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')}`,
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: callback?.searchParams.get('code') ?? '',
        redirect_uri: REDIRECT,
        code_verifier: verifier,
      }).toString(),
    });
    expect(token.status).toBe(200);
    expect(((await token.json()) as { id_token?: string }).id_token).toBeTruthy();
  });

  it('one replica killed: the proxy keeps answering from the other, which takes over the background jobs', async () => {
    const leader = replicas.find((replica) => replica.log.text.includes('now runs background jobs'));
    const other = replicas.find((replica) => replica !== leader) as ServeProcess;
    expect(leader).toBeDefined();
    leader?.child.kill('SIGKILL');
    for (let i = 0; i < 6; i += 1) expect((await send(`${origin}/.well-known/openid-configuration`)).status).toBe(200);
    await other.waitForLog('now runs background jobs', 3000 + 1000 + 3000);
  }, 30_000);
});
