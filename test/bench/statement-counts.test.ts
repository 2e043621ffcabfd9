import { createMetrics } from '../../src/metrics/create-metrics.js';
import { startMetricsServer } from '../../src/metrics/metrics-server.js';
import {
  createStatementTally,
  describeStatements,
  parseStatementCounts,
  statementsPerRequest,
} from '../../bench/statement-counts.js';

// The goals run's statement counts (bench/goals.ts), read from the text Gatehouse's own registry serves.

const served = async (queries: [string, number][]) => {
  const metrics = createMetrics(() => 0);
  for (const [operation, times] of queries) for (let i = 0; i < times; i += 1) metrics.query(operation, 0.001, false);
  return metrics.registry.metrics();
};

describe("Gatehouse's statements per request", () => {
  it('are read per operation from the query histogram Gatehouse serves', async () => {
    const counts = parseStatementCounts(
      await served([
        ['OidcRecord.upsert', 6],
        ['Account.findById', 2],
      ]),
    );
    expect(counts).toEqual(
      new Map([
        ['OidcRecord.upsert', 6],
        ['Account.findById', 2],
      ]),
    );
  });

  it('count, per request, only what ran between two readings', async () => {
    const before = parseStatementCounts(
      await served([
        ['OidcRecord.upsert', 4],
        ['Key.findMany', 1],
      ]),
    );
    const after = parseStatementCounts(
      await served([
        ['OidcRecord.upsert', 16],
        ['Key.findMany', 1],
        ['Account.findById', 10],
      ]),
    );
    expect(statementsPerRequest(before, after, 5)).toEqual(
      new Map([
        ['OidcRecord.upsert', 2.4],
        ['Account.findById', 2],
      ]),
    );
    expect(statementsPerRequest(before, after, 0)).toEqual(new Map());
  });

  it("are told as the provider's storage and Gatehouse's own, each of its own by name", () => {
    const text = describeStatements(
      new Map([
        ['OidcRecord.upsert', 6],
        ['OidcRecord.findLive', 3],
        ['Account.findById', 2],
        ['AuditEvent.insert', 2],
        ['Key.findMany', 0.01],
      ]),
    );
    expect(text).toBe('13.0: storage 9.0; own 4.0 (Account.findById 2.0, AuditEvent.insert 2.0)');
  });
});

describe('a tally over measured windows', () => {
  it("counts what a server ran inside each window, not before it, summed over a scenario's windows", async () => {
    const metrics = createMetrics(() => 0);
    const served = await startMetricsServer(metrics.registry, 0, '127.0.0.1');
    try {
      const tally = createStatementTally(`http://127.0.0.1:${served.port}/metrics`);
      const windowOf = (requests: number) =>
        tally.window('refresh (rotation)', async (begins) => {
          // The preparation's statements come before the window begins, and are not counted.
          metrics.query('Account.findByEmail', 0.001, false);
          await begins();
          for (let i = 0; i < requests; i += 1) {
            metrics.query('OidcRecord.upsert', 0.001, false);
            metrics.query('OidcRecord.upsert', 0.001, false);
            metrics.query('Account.findById', 0.001, false);
          }
          return { ok: requests, failed: 0, seconds: 1, p50: 1, p99: 1 };
        });
      for (const requests of [3, 5]) {
        const window = windowOf(requests);
        await window.run(async () => undefined);
        await window.finish();
      }
      expect(tally.described()).toEqual([['refresh (rotation)', '3.0: storage 2.0; own 1.0 (Account.findById 1.0)']]);
    } finally {
      await served.close();
    }
  });
});
