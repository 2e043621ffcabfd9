import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { startServeProcess } from '../support/serve-process.js';
import { rawRequest } from '../support/raw-request.js';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database.drop();
});

/** `gatehouse serve` on this suite's database, as a real process, once it listens. */
const serve = (env: Record<string, string> = {}) => startServeProcess({ DATABASE_URL: database.url, ...env });

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

  describe('restarts itself once in place with settings read only at start', () => {
    const NODE_22 = process.versions.node.startsWith('22.');
    const startedWith = (pid: number) => ({
      argv: readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0'),
      env: readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0'),
    });
    /** Runs `check` against a server started with `env`, and stops the server whatever `check` finds. */
    const withServer = async (
      env: Record<string, string>,
      check: (server: Awaited<ReturnType<typeof serve>>) => Promise<void> | void,
    ) => {
      const server = await serve(env);
      try {
        await check(server);
      } finally {
        server.child.kill('SIGTERM');
        await server.exited;
      }
    };

    it("runs AsyncLocalStorage on V8's context frames and glibc with one arena, and pages still know their request", () =>
      withServer({}, async ({ child, port }) => {
        const { argv, env } = startedWith(child.pid as number);
        // The same process (pid), started again with the flag that Node 24 has on by default.
        expect(argv.includes('--experimental-async-context-frame')).toBe(NODE_22);
        expect(env).toContain('MALLOC_ARENA_MAX=1');
        // The page context (an AsyncLocalStorage) reaches the error page rendered after awaits.
        const page = await rawRequest(`http://127.0.0.1:${port}/nothing-here`, {
          headers: { host: `localhost:${port}`, accept: 'text/html', 'accept-language': 'de' },
        });
        expect(page.status).toBe(404);
        expect(page.text).toMatch(/<html[^>]* lang="de"/);
      }));

    it('runs as started with GATEHOUSE_NO_REEXEC=1', () =>
      withServer({ GATEHOUSE_NO_REEXEC: '1' }, ({ child }) => {
        const { argv, env } = startedWith(child.pid as number);
        expect(argv).not.toContain('--experimental-async-context-frame');
        expect(env).not.toContain('MALLOC_ARENA_MAX=1');
      }));

    it("keeps the operator's own NODE_OPTIONS and MALLOC_ settings", () =>
      withServer({ NODE_OPTIONS: '--no-experimental-async-context-frame', MALLOC_ARENA_MAX: '2' }, ({ child }) => {
        const { argv, env } = startedWith(child.pid as number);
        expect(argv).not.toContain('--experimental-async-context-frame');
        expect(env).toContain('MALLOC_ARENA_MAX=2');
        expect(env).not.toContain(`MALLOC_MMAP_THRESHOLD_=${32 * 1024 * 1024}`);
      }));
  });
});
