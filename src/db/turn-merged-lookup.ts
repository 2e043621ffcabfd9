import type { DriverConnection } from './create-prisma.js';
import { pgStatement, preparedStatement, type ResultColumns, type StatementValue } from './prepared-statements.js';
import { turnMergedCalls } from './turn-merged-calls.js';

/**
 * `sql`, a look-up whose `$1`…`$keys` are one look-up's key (text) and whose `$keys+1`, if it has
 * one, is an instant, as one statement for many look-ups: the keys come as arrays, one element per
 * look-up, and each row is tagged `i` with its look-up's place (1-based). The look-up runs once per
 * key as its own subquery: `OFFSET 0` keeps the planner from flattening it into a join, which on a
 * small table it made a hash join over every live row, and would on a large one whenever its
 * statistics said so (test/oidc/oidc-record-indexes.test.ts checks the plans).
 */
export function mergedLookupSql(sql: string, keys: number): string {
  const names = Array.from({ length: keys }, (_, i) => `"k${i + 1}"`);
  const perKey = sql.replace(/\$(\d+)/g, (placeholder, n: string) =>
    Number(n) <= keys ? `k.${names[Number(n) - 1]}` : placeholder,
  );
  const arrays = names.map((_, i) => `$${i + 1}::text[]`).join(', ');
  return `SELECT k."i"::int AS "i", r.* FROM unnest(${arrays}) WITH ORDINALITY AS k(${names.join(', ')}, "i")
      CROSS JOIN LATERAL (${perKey} OFFSET 0) r`;
}

/**
 * A prepared look-up (preparedStatement's `rows`) whose first `keys` values are its key. On
 * PostgreSQL the look-ups of one turn go as one statement (turn-merged-calls.ts): asked about one
 * instant, the latest any of them asked about, so "live" is never more than any of them asked (as
 * batched-token-finds.ts does within one request). On SQLite it is the turn's transaction already.
 */
export function turnMergedLookup<Row>(
  driver: DriverConnection,
  name: string,
  sql: string,
  keys: number,
  columns: ResultColumns = {},
): (...values: StatementValue[]) => Promise<Row[]> {
  if (driver.store === 'sqlite') {
    return preparedStatement<Row>(driver, name, sql, columns).rows;
  }
  const one = pgStatement(driver.pool, name, sql);
  const many = pgStatement(driver.pool, `${name}_many`, mergedLookupSql(sql, keys));
  const lookup = turnMergedCalls<StatementValue[], Row[]>({
    turnEnd: driver.turnEnd,
    one: async (values) => (await one(values)).rows as Row[],
    async many(asked) {
      const arrays = Array.from({ length: keys }, (_, column) => asked.map((values) => values[column] ?? null));
      const instants = asked.map((values) => values[keys]).filter((value): value is Date => value instanceof Date);
      const latest = instants.length ? [new Date(Math.max(...instants.map((at) => at.getTime())))] : [];
      const { rows } = await many([...arrays, ...latest]);
      const answers = asked.map((): Row[] => []);
      for (const { i, ...row } of rows as ({ i: number } & Record<string, unknown>)[]) answers[i - 1]?.push(row as Row);
      return answers;
    },
  });
  return (...values) => lookup(values);
}
