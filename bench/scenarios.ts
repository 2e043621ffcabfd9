// The scenarios of `npm run bench`. Each returns its load for one target; the runner measures the
// server's CPU and memory around it. Token scenarios saturate the server with autocannon (16
// connections); sign-ins are scripted browsers, as many at once as Gatehouse hashes at once.
import autocannon from 'autocannon';
import { JWT_API, OPAQUE_API } from './bare-provider.js';
import { postForm, type Fixtures } from './fixtures.js';
import { servesBareFixtures } from './targets.js';

export interface Load {
  /** Completed requests (or sign-ins) with the expected status. */
  ok: number;
  failed: number;
  seconds: number;
  p50: number;
  p99: number;
}

/**
 * Called once the load's preparation (tokens, sign-ins) is done, just before the measured load
 * starts: the runner reads the server's CPU there, so what a scenario prepares is not charged to
 * the requests it measures.
 */
export type LoadBegins = () => Promise<void>;

export interface Scenario {
  readonly name: string;
  /**
   * Prepares what the load needs (tokens), runs the load for `settle` seconds not counted, calls
   * `begins`, then runs the load for `seconds`. The settling comes after the preparation because
   * the preparation deoptimizes what it measures: a refresh run's sign-ins change the shapes its
   * hot path has seen (V8's trace: about 150 "wrong map" bailouts right after them), and the first
   * second of refreshes after them pays for compiling it again, on V8's threads, in every server
   * and most in the one with the most code. Settled, the window measures the endpoint compiled, as
   * a server that serves both all day runs it (docs/benchmarks.md, "The ladder").
   */
  run(fx: Fixtures, seconds: number, begins?: LoadBegins, settle?: number): Promise<Load>;
}

const nothingToMark: LoadBegins = async () => undefined;

/**
 * The runners' default for Scenario.run's `settle` (BENCH_SETTLE overrides it). Counted with V8's
 * --trace-opt in a 3 s refresh window on Gatehouse right after its pool's sign-ins: 360 functions
 * compiled with no settling, 127 after 1 s, 52 after 3 s (bare: 83, 121 and 10).
 */
export const SETTLE_SECONDS = 3;

const CONNECTIONS = 16;
const FORM = 'application/x-www-form-urlencoded';

type Request = autocannon.Request;

interface CannonOptions {
  readonly begins?: LoadBegins;
  /** Seconds of the same load first, not counted (Scenario.run). */
  readonly settle?: number;
  readonly connections?: number;
}

async function cannon(
  url: string,
  seconds: number,
  requests: Request[],
  { begins = nothingToMark, settle = 0, connections = CONNECTIONS }: CannonOptions = {},
): Promise<Load> {
  if (settle > 0) await autocannon({ url, duration: settle, connections, requests });
  await begins();
  const result = await autocannon({ url, duration: seconds, connections, requests });
  const ok = result['2xx'];
  return {
    ok,
    failed: result.non2xx + result.errors + result.timeouts,
    seconds: result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
  };
}

const post = (path: string, auth: string, form: Record<string, string>): Request => ({
  method: 'POST',
  path,
  headers: { authorization: auth, 'content-type': FORM },
  body: new URLSearchParams(form).toString(),
});

const clientCredentials = (name: string, resource: string): Scenario => ({
  name,
  run: (fx, seconds, begins, settle) =>
    cannon(
      fx.target.issuer,
      seconds,
      [post('/token', fx.app, { grant_type: 'client_credentials', resource, scope: 'read' })],
      { begins, settle },
    ),
});

const introspection = (name: string, format: 'opaque' | 'jwt'): Scenario => ({
  name,
  async run(fx, seconds, begins, settle) {
    // oidc-provider alone cannot introspect the JWT access tokens it signs (they are not stored):
    // its ceiling for both rows is its introspection of an opaque token.
    const bareJwt = format === 'jwt' && servesBareFixtures(fx.target.name);
    const token = await fx.token(format === 'jwt' && !bareJwt ? JWT_API : OPAQUE_API);
    // Checked once: a benchmark of `{"active": false}` answers would flatter everyone.
    const answer = await postForm(
      fx.target.issuer,
      '/token/introspection',
      fx.introspector[bareJwt ? 'opaque' : format],
      { token },
    );
    if ((answer.active as unknown) !== true)
      throw new Error(`${fx.target.name}: ${format} token not active at introspection`);
    return cannon(fx.target.issuer, seconds, [post('/token/introspection', fx.introspector[format], { token })], {
      begins,
      settle,
    });
  },
});

/**
 * Every request spends one refresh token and puts the one it gets back in the pool: at least as
 * many tokens as connections, so no token is ever sent twice (which would be reuse, and end the grant).
 * autocannon resets a connection's context after each request, hence a shared pool.
 */
const refresh: Scenario = {
  name: 'refresh (rotation)',
  async run(fx, seconds, begins, settle) {
    const pool: string[] = [];
    // When autocannon stops a settling run, the answers in flight are lost, and with them as many
    // spent tokens' successors: one more token per connection keeps the pool full for the window.
    for (let i = 0; i < CONNECTIONS * (settle ? 2 : 1); i += 1)
      pool.push((await fx.signIn({ scope: 'openid offline_access', prompt: 'consent' })).refresh_token as string);
    return cannon(
      fx.target.issuer,
      seconds,
      [
        {
          method: 'POST',
          path: '/token',
          setupRequest: (req) => ({
            ...req,
            headers: { authorization: fx.app, 'content-type': FORM },
            body: new URLSearchParams({
              grant_type: 'refresh_token',
              refresh_token: pool.shift() ?? 'pool-empty',
            }).toString(),
          }),
          onResponse(status, body) {
            if (status === 200) pool.push((JSON.parse(body) as { refresh_token: string }).refresh_token);
          },
        },
      ],
      { begins, settle },
    );
  },
};

const userinfo: Scenario = {
  name: 'userinfo',
  async run(fx, seconds, begins, settle) {
    const { access_token: token } = await fx.signIn({ scope: 'openid email' });
    return cannon(
      fx.target.issuer,
      seconds,
      [{ method: 'GET', path: '/me', headers: { authorization: `Bearer ${token}` } }],
      { begins, settle },
    );
  },
};

/** RFC 7009: revoking a token that is already gone answers 200 too, so one token serves the run. */
const revocation: Scenario = {
  name: 'revocation',
  async run(fx, seconds, begins, settle) {
    const token = await fx.token(OPAQUE_API);
    return cannon(
      fx.target.issuer,
      seconds,
      [post('/token/revocation', fx.app, { token, token_type_hint: 'access_token' })],
      { begins, settle },
    );
  },
};

const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? 0;

async function signInFlood(fx: Fixtures, seconds: number, concurrency: number) {
  const times: number[] = [];
  let failed = 0;
  const until = performance.now() + seconds * 1000;
  const begin = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const started = performance.now();
        try {
          await fx.signIn();
          times.push(performance.now() - started);
        } catch {
          failed += 1;
        }
      }
    }),
  );
  return { times, failed, seconds: (performance.now() - begin) / 1000 };
}

/** Full sign-ins: authorize → login POST (argon2id) → consent skipped → code → token. */
const signIns: Scenario = {
  name: 'full sign-in',
  async run(fx, seconds, begins = nothingToMark, settle = 0) {
    if (settle > 0) await signInFlood(fx, settle, 4);
    await begins();
    const { times, failed, seconds: took } = await signInFlood(fx, seconds, 4);
    return { ok: times.length, failed, seconds: took, p50: percentile(times, 0.5), p99: percentile(times, 0.99) };
  },
};

/** Token issuance (2 connections) while 8 sign-ins at a time saturate hashing: latency of the tokens. */
const tokensDuringSignIns: Scenario = {
  name: 'client_credentials during a sign-in flood',
  async run(fx, seconds, begins = nothingToMark, settle = 0) {
    const both = (secs: number) =>
      Promise.all([
        cannon(
          fx.target.issuer,
          secs,
          [post('/token', fx.app, { grant_type: 'client_credentials', resource: OPAQUE_API, scope: 'read' })],
          { connections: 2 },
        ),
        signInFlood(fx, secs, 8),
      ]);
    if (settle > 0) await both(settle);
    await begins();
    const [load] = await both(seconds);
    return load;
  },
};

export const scenarios: Scenario[] = [
  clientCredentials('client_credentials (opaque)', OPAQUE_API),
  clientCredentials('client_credentials (JWT)', JWT_API),
  introspection('introspection (opaque)', 'opaque'),
  introspection('introspection (JWT)', 'jwt'),
  refresh,
  userinfo,
  revocation,
  signIns,
  tokensDuringSignIns,
];
