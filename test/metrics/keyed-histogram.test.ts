import { Histogram, Registry } from 'prom-client';
import { createKeyedHistogram } from '../../src/metrics/keyed-histogram.js';

const buckets = [0.005, 0.01, 0.025, 0.05, 0.1];
type Observation = [number, ...(string | number)[]];

/** The same observations through prom-client's own Histogram and through ours, each on a registry of its own. */
function both(labelNames: string[], observations: Observation[]) {
  const theirs = new Registry();
  const ours = new Registry();
  const reference = new Histogram({ name: 'http_seconds', help: 'Requests', labelNames, buckets, registers: [theirs] });
  const keyed = createKeyedHistogram(ours, { name: 'http_seconds', help: 'Requests', labelNames, buckets });
  for (const [value, ...labels] of observations) {
    reference.observe(Object.fromEntries(labelNames.map((name, i) => [name, String(labels[i])])), value);
    const [a, b, c] = labels as [string | number, string | number | undefined, string | number | undefined];
    keyed.observe(value, a, b, c);
  }
  return { theirs, ours };
}

describe("the keyed histogram is exposed exactly as prom-client's Histogram", () => {
  const requests: Observation[] = [
    [0.003, 'GET', 'oidc:token', 200],
    [0.005, 'POST', 'oidc:token', 200], // on a bound: counted in that bucket, as Prometheus's `le` says
    [0.2, 'GET', 'oidc:token', 200], // above every bound: only in +Inf, the sum and the count
    [0.04, 'POST', '/interaction/:uid/login', 303],
    [0.011, 'GET', 'oidc:token', 400],
    [0.009, 'POST', 'oidc:token', 200],
    [0.001, 'GET', 'say "hi"\\now', 200], // escaped by the registry, for both alike
  ];

  it('gives the same Prometheus text for three labels, series in the order first seen', async () => {
    const { theirs, ours } = both(['method', 'route', 'status'], requests);
    const text = await ours.metrics();
    expect(text).toBe(await theirs.metrics());
    expect(text).toContain('http_seconds_bucket{le="0.005",method="POST",route="oidc:token",status="200"} 1');
    expect(text).toContain('http_seconds_count{method="GET",route="oidc:token",status="200"} 2');
  });

  it('gives the same text for one label, and the same JSON', async () => {
    const statements: Observation[] = [
      [0.002, 'OidcRecord.findLive'],
      [0.02, 'OidcRecord.upsert'],
      [0.004, 'OidcRecord.findLive'],
    ];
    const { theirs, ours } = both(['operation'], statements);
    expect(await ours.metrics()).toBe(await theirs.metrics());
    expect(await ours.getMetricsAsJSON()).toEqual(await theirs.getMetricsAsJSON());
  });

  it('starts again from nothing when the registry resets its metrics', async () => {
    const { theirs, ours } = both(['operation'], [[0.002, 'OidcRecord.findLive']]);
    theirs.resetMetrics();
    ours.resetMetrics();
    expect(await ours.metrics()).toBe(await theirs.metrics());
    expect(await ours.metrics()).not.toContain('findLive');
  });

  it('drops a timing that is not a number rather than fail the request it timed', async () => {
    const ours = new Registry();
    const keyed = createKeyedHistogram(ours, {
      name: 'db_seconds',
      help: 'Statements',
      labelNames: ['operation'],
      buckets,
    });
    keyed.observe(Number.NaN, 'OidcRecord.findLive');
    keyed.observe(0.002, 'OidcRecord.findLive');
    expect(await ours.metrics()).toContain('db_seconds_count{operation="OidcRecord.findLive"} 1');
  });

  it('refuses a name with no labels or more than three', () => {
    const options = { name: 'x_seconds', help: 'x', buckets };
    expect(() => createKeyedHistogram(new Registry(), { ...options, labelNames: [] })).toThrow(
      'one to three label names',
    );
    expect(() => createKeyedHistogram(new Registry(), { ...options, labelNames: ['a', 'b', 'c', 'd'] })).toThrow(
      'one to three label names',
    );
  });
});
