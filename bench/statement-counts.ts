// Gatehouse's statements per request, by operation, from its own query metrics (the counts of
// `gatehouse_db_query_duration_seconds`, served on METRICS_PORT; they are counted whether or not
// that port is set, so serving them changes nothing measured). The goals run prints them beside a
// goal's verdict: on PostgreSQL every statement is a round trip, and what Gatehouse runs beyond the
// provider's own storage is the part of its cost that its features (throttle, audit, second step,
// session list) bring.
import type { Load, LoadBegins } from './scenarios.js';

/** Calls per operation (`OidcRecord.upsert`, `Account.findById`, …) since the server started. */
export type StatementCounts = ReadonlyMap<string, number>;

const COUNT = /^gatehouse_db_query_duration_seconds_count\{operation="([^"]+)"[^}]*\} (\d+)/gm;

export function parseStatementCounts(metrics: string): StatementCounts {
  const counts = new Map<string, number>();
  for (const [, operation, count] of metrics.matchAll(COUNT))
    counts.set(operation as string, (counts.get(operation as string) ?? 0) + Number(count));
  return counts;
}

export async function readStatementCounts(metricsUrl: string): Promise<StatementCounts> {
  const response = await fetch(metricsUrl);
  if (!response.ok) throw new Error(`${metricsUrl}: ${response.status}`);
  return parseStatementCounts(await response.text());
}

/** Each operation's calls per request between two readings, the operations that ran only. */
export function statementsPerRequest(
  before: StatementCounts,
  after: StatementCounts,
  requests: number,
): Map<string, number> {
  const per = new Map<string, number>();
  if (requests <= 0) return per;
  for (const [operation, count] of after) {
    const calls = (count - (before.get(operation) ?? 0)) / requests;
    if (calls > 0) per.set(operation, calls);
  }
  return per;
}

/**
 * The provider's storage (its OidcRecord adapter, what rung 2 runs too) apart from Gatehouse's own
 * statements, each of those by name: "23.0: storage 13.0; own 10.0 (Account.findById 2.0, …)".
 * Operations under 0.05 a request (a background job's) are left out of the list, not the totals.
 */
export function describeStatements(per: ReadonlyMap<string, number>): string {
  const sum = (entries: [string, number][]) => entries.reduce((n, [, calls]) => n + calls, 0);
  const entries = [...per].sort(([a], [b]) => a.localeCompare(b));
  const storage = entries.filter(([operation]) => operation.startsWith('OidcRecord.'));
  const own = entries.filter(([operation]) => !operation.startsWith('OidcRecord.'));
  const listed = own
    .filter(([, calls]) => calls >= 0.05)
    .map(([operation, calls]) => `${operation} ${calls.toFixed(1)}`);
  return `${sum(entries).toFixed(1)}: storage ${sum(storage).toFixed(1)}; own ${sum(own).toFixed(1)}${listed.length ? ` (${listed.join(', ')})` : ''}`;
}

/**
 * A server's statements summed over the measured windows of each scenario. Each window is read
 * before its CPU is (wrap the load's `begins`) and again once its CPU has been read (`finish`), so
 * that rendering the metrics, about 7 ms of the server's CPU, is not charged to the requests.
 */
export function createStatementTally(metricsUrl: string) {
  const sums = new Map<string, { before: Map<string, number>; after: Map<string, number>; requests: number }>();
  const add = (into: Map<string, number>, counts: StatementCounts) => {
    for (const [operation, count] of counts) into.set(operation, (into.get(operation) ?? 0) + count);
  };
  return {
    window(scenario: string, run: (begins: LoadBegins) => Promise<Load>) {
      let before: StatementCounts = new Map();
      let requests = 0;
      return {
        run: async (begins: LoadBegins): Promise<Load> => {
          const load = await run(async () => {
            before = await readStatementCounts(metricsUrl);
            await begins();
          });
          requests = load.ok;
          return load;
        },
        async finish(): Promise<void> {
          const after = await readStatementCounts(metricsUrl);
          const sum = sums.get(scenario) ?? { before: new Map(), after: new Map(), requests: 0 };
          add(sum.before, before);
          add(sum.after, after);
          sum.requests += requests;
          sums.set(scenario, sum);
        },
      };
    },

    /** Each scenario's statements per request over all its windows, described (describeStatements). */
    described(): [string, string][] {
      return [...sums].map(([scenario, { before, after, requests }]) => [
        scenario,
        describeStatements(statementsPerRequest(before, after, requests)),
      ]);
    },
  };
}
