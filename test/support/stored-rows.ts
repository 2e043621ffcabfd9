import type { DriverConnection } from '../../src/db/create-prisma.js';

/**
 * Rows exactly as the store holds them, every column as its driver hands it over untouched (on
 * PostgreSQL as the server's text, on SQLite as stored): a row the prepared statements wrote and
 * one Prisma's model API wrote can be compared byte for byte. SQL in PostgreSQL's `$n` form.
 */
export async function storedRows(
  driver: DriverConnection,
  sql: string,
  ...values: (string | number | null)[]
): Promise<Record<string, unknown>[]> {
  if (driver.store === 'postgresql') {
    const result = await driver.pool.query({
      text: sql,
      values,
      types: { getTypeParser: () => (text: string) => text },
    });
    return result.rows as Record<string, unknown>[];
  }
  const order: number[] = [];
  const sqliteSql = sql.replace(/\$(\d+)/g, (_, n: string) => {
    order.push(Number(n) - 1);
    return '?';
  });
  return driver.outsideTransaction(
    (db) => db.prepare(sqliteSql).all(...order.map((i) => values[i])) as Record<string, unknown>[],
  );
}
