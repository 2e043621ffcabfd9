// `npm run bench`: measurements that do not belong in tests. Quote ratios measured side by side in
// one run (two cores: the server and the load share them), never a lone absolute number.
//
// 1. Enumeration parity: the sign-in answer time for an unknown email, a wrong password and the
//    right password, interleaved, against a real server on a fresh SQLite file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/load-config.js';
import { startServer } from '../src/server.js';
import { createLogger } from '../src/http/logger.js';
import { runCli } from '../src/cli/run-cli.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const dir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
const env = { DATABASE_URL: `file:${join(dir, 'bench.db')}`, PORT: '39123', HOST: '127.0.0.1', LOG_LEVEL: 'silent', TRUST_PROXY: 'true' };
const quiet = { stdout: () => undefined, stderr: (t: string) => console.error(t), env };
let clientId = '';
await runCli(['user', 'add', '--email', 'bench@example.com', '--password', 'benchmark passphrase'], quiet);
await runCli(['client', 'add', '--name', 'Bench', '--redirect-uri', 'https://bench.example/cb', '--first-party', '--json'],
  { ...quiet, stdout: (t) => { clientId = (JSON.parse(t) as { client_id: string }).client_id; } });

const config = loadConfig({ ...env, ISSUER: 'http://127.0.0.1:39123' });
const server = await startServer(config, createLogger('silent'));

async function newInteraction(): Promise<{ uid: string; cookie: string }> {
  const auth = new URL('/auth', config.issuer);
  auth.search = new URLSearchParams({ client_id: clientId, response_type: 'code', scope: 'openid', redirect_uri: 'https://bench.example/cb', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' }).toString();
  const res = await fetch(auth, { redirect: 'manual' });
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return { uid: /\/interaction\/([^/?]+)/.exec(res.headers.get('location') ?? '')?.[1] ?? '', cookie };
}

async function timeSignIn(email: string, password: string): Promise<{ ms: number; status: number }> {
  const { uid, cookie } = await newInteraction();
  const started = performance.now();
  const res = await fetch(new URL(`/interaction/${uid}/login`, config.issuer), {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', origin: config.issuer, 'x-forwarded-for': String(Math.random()) },
    body: new URLSearchParams({ email, password }),
  });
  await res.arrayBuffer();
  return { ms: performance.now() - started, status: res.status };
}

const cases = {
  'unknown email': ['nobody-NN@example.com', 'benchmark passphrase'],
  'wrong password': ['bench@example.com', 'not the passphrase'],
  'right password': ['bench@example.com', 'benchmark passphrase'],
} as const;
const samples: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
const statuses: Record<string, Set<number>> = Object.fromEntries(Object.keys(cases).map((k) => [k, new Set()]));
for (let round = 0; round < ROUNDS; round += 1) {
  for (const [name, [email, password]] of Object.entries(cases)) {
    // Each request comes from its own forwarded address, and every round ends with a success that
    // clears the account's count, so throttling never kicks in.
    const { ms, status } = await timeSignIn(email.replace('NN', String(round)), password);
    samples[name]?.push(ms);
    statuses[name]?.add(status);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const base = median(samples['wrong password'] ?? []);
console.log(`sign-in answer time, ${ROUNDS} interleaved rounds (median; ratio to wrong password)`);
for (const name of Object.keys(cases)) {
  const m = median(samples[name] ?? []);
  console.log(`  ${name.padEnd(15)} ${m.toFixed(1).padStart(7)} ms  x${(m / base).toFixed(2)}  status ${[...(statuses[name] ?? [])].join(',')}`);
}

await server.close();
rmSync(dir, { recursive: true, force: true });
