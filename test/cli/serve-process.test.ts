import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { freePort } from '../support/free-port.js';
import { rawRequest } from '../support/raw-request.js';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database.drop();
});

/** Starts `gatehouse serve` on a free port and waits until it listens. */
async function serve() {
  const port = await freePort();
  const child = spawn(process.execPath, ['bin/gatehouse.js', 'serve'], {
    env: { PATH: process.env.PATH, DATABASE_URL: database.url, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = { text: '' };
  child.stdout.on('data', (chunk: Buffer) => {
    log.text += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    log.text += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 30_000;
  while (!log.text.includes('gatehouse listening') && Date.now() < deadline && child.exitCode === null) {
    await new Promise((r) => setTimeout(r, 100));
  }
  return { port, child, log, exited };
}

describe('`gatehouse serve` as a real process (what `npm start` runs)', () => {
  it('serves discovery, prints no development or runtime warnings, and stops cleanly on SIGTERM', async () => {
    const { port, child, log, exited } = await serve();
    // The default issuer is http://localhost:PORT, so requests name that host (others get 421).
    const host = { host: `localhost:${port}` };
    const discovery = (await rawRequest(`http://127.0.0.1:${port}/.well-known/openid-configuration`, { headers: host }))
      .body;
    expect(discovery.issuer).toBe(`http://localhost:${port}`);
    const { keys } = (await rawRequest(`http://127.0.0.1:${port}/jwks`, { headers: host })).body as { keys: unknown[] };
    expect(keys.length).toBeGreaterThan(0);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(log.text).toContain('gatehouse stopped');
    expect(log.text).not.toMatch(/WARNING|development-only|quick start|Unsupported runtime|NOTICE/i);
    // Every line is one JSON log record.
    for (const line of log.text.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
  });

  it('lets a request in flight finish after SIGTERM, then exits', async () => {
    const { port, child, log, exited } = await serve();
    const body = 'grant_type=client_credentials&client_id=nobody';
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    let answer = '';
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString();
    });
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    // Half a request is on the wire when the signal arrives; the rest follows after it.
    socket.write(
      `POST /token HTTP/1.1\r\nHost: localhost:${port}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
    );
    await new Promise((r) => setTimeout(r, 200));
    child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    expect(child.exitCode).toBeNull();
    socket.write(body.slice(10));
    await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 401 /);
    expect(answer).toContain('invalid_client');
    expect(await exited).toBe(0);
    expect(log.text).toContain('draining in-flight requests');
  });
});
