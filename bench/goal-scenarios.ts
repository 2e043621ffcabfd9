// The scenarios issue 25 sets goals for, shared by the ladder (bench/ladder.ts), the goals run
// (bench/goals.ts) and the thread profile (bench/thread-profile.ts).
import { scenarios, type Scenario } from './scenarios.js';
import type { Store } from './targets.js';

/** The token endpoints: ≥ 0.8x of bare on SQLite, ≥ 0.6x on PostgreSQL. */
export const TOKEN_SCENARIOS: readonly string[] = [
  'client_credentials (opaque)',
  'client_credentials (JWT)',
  'introspection (opaque)',
  'refresh (rotation)',
  'userinfo',
  'revocation',
];

/**
 * Full sign-ins (≥ 0.85x on both stores), in a table of their own. argon2id is the same on every
 * rung (bare checks a hash of the same cost), so the steps are what storage and our layers add to it.
 */
export const SIGN_IN_SCENARIOS: readonly string[] = ['full sign-in'];

/** The token scenarios, or with `signIns` the sign-in's, narrowed by BENCH_ONLY (a word of their names). */
export function goalScenarios(signIns: boolean): Scenario[] {
  const wanted = signIns ? SIGN_IN_SCENARIOS : TOKEN_SCENARIOS;
  const only = process.env.BENCH_ONLY;
  return scenarios.filter((s) => wanted.includes(s.name) && (!only || s.name.includes(only)));
}

/** A sign-in costs milliseconds, a token request microseconds: how a run prints CPU per request. */
export const costUnit = (signIns: boolean) =>
  signIns ? { name: 'ms', per: 1, digits: 1 } : { name: 'µs', per: 1000, digits: 0 };

/** What the servers run with: logging at info, and argon2id at the cost Gatehouse's default config sets. */
export const benchServerEnv = (): Record<string, string> => ({
  LOG_LEVEL: 'info',
  ARGON2_MEMORY_KIB: process.env.ARGON2_MEMORY_KIB ?? '19456',
  ARGON2_ITERATIONS: process.env.ARGON2_ITERATIONS ?? '2',
  ARGON2_PARALLELISM: process.env.ARGON2_PARALLELISM ?? '1',
});

/**
 * What a run of the goal scenarios (the goals, the thread profile) reads from its command line
 * (`--postgresql`, `--sign-in`) and from BENCH_SECONDS, BENCH_WARMUP and BENCH_SETTLE, with its own defaults.
 */
export function goalRunSettings(defaults: { seconds: number; warmup: number; settle: number }) {
  return {
    seconds: Number(process.env.BENCH_SECONDS ?? defaults.seconds),
    warmup: Number(process.env.BENCH_WARMUP ?? defaults.warmup),
    settle: Number(process.env.BENCH_SETTLE ?? defaults.settle),
    store: (process.argv.includes('--postgresql') ? 'postgresql' : 'sqlite') as Store,
    signIns: process.argv.includes('--sign-in'),
  };
}
