import { spawn } from 'node:child_process';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { freePort } from '../support/free-port.js';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database.drop();
});

describe('`gatehouse serve` as a real process (what `npm start` runs)', () => {
  it('serves discovery, prints no development or runtime warnings, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['bin/gatehouse.js', 'serve'], {
      env: { PATH: process.env.PATH, DATABASE_URL: database.url, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

    const deadline = Date.now() + 30_000;
    while (!output.includes('gatehouse listening') && Date.now() < deadline) {
      if (child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const discovery = await (await fetch(`http://127.0.0.1:${port}/.well-known/openid-configuration`)).json() as { issuer: string };
    expect(discovery.issuer).toBe(`http://localhost:${port}`);
    const { keys } = await (await fetch(`http://127.0.0.1:${port}/jwks`)).json() as { keys: unknown[] };
    expect(keys.length).toBeGreaterThan(0);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('gatehouse stopped');
    expect(output).not.toMatch(/WARNING|development-only|quick start|Unsupported runtime|NOTICE/i);
    // Every line is one JSON log record.
    for (const line of output.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
  });
});
