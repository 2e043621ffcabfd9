import type { DriverConnection } from '../db/create-prisma.js';
import { preparedRow } from '../db/prepared-statements.js';
import type { PreparedPasskeyCount } from './passkey-queries.js';

/**
 * How many passkeys an account has, as a prepared statement on Prisma's connection
 * (src/db/prepared-statements.ts): every sign-in asks whether the account has one. The count is
 * cast to a 4-byte integer so pg reads a number (a bare COUNT(*) is bigint, which pg reads as
 * text); SQLite's comes back as a BigInt (safe integers) and is read as a number too.
 */
export function createPreparedPasskeyCount(driver: DriverConnection): PreparedPasskeyCount {
  const count = preparedRow<{ count: number }>(
    driver,
    'gatehouse_passkey_count_by_account',
    'SELECT CAST(COUNT(*) AS INTEGER) AS "count" FROM "Passkey" WHERE "accountId" = $1',
    { integers: ['count'] },
  );
  return {
    countByAccount: async (accountId) => (await count(accountId))?.count ?? 0,
  };
}
