// `npm run bench`: timings and throughput, which do not belong in tests. Two cores: the load and
// the server share them, so compare the numbers of one run side by side (ratios), never quote a
// lone absolute figure. BENCH_ROUNDS (20), BENCH_REQUESTS (300), BENCH_CONCURRENCY (4).
import { startBenchServer, type Store } from './harness.js';
import { signInTiming } from './sign-in-timing.js';
import { tokenThroughput } from './token-throughput.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 20);
const requests = Number(process.env.BENCH_REQUESTS ?? 300);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 4);

for (const store of ['sqlite', 'postgresql'] as Store[]) {
  const server = await startBenchServer(store, { TRUST_PROXY: 'true' });
  try {
    console.log(`\n[${store}] sign-in answer time, ${rounds} interleaved rounds (median; ratio to wrong password)`);
    for (const line of await signInTiming(server, rounds)) console.log(line);
    console.log(`[${store}] client_credentials, ${requests} requests, ${concurrency} in flight`);
    for (const line of await tokenThroughput(server, requests, concurrency)) console.log(line);
  } finally {
    await server.close();
  }
}
