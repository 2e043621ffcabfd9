import type { DriverConnection } from '../db/create-prisma.js';
import { preparedStatement } from '../db/prepared-statements.js';
import type { PreparedNetworkRecord } from './mfa-queries.js';

/**
 * Every completed sign-in records the network it came from (the new-network check of the
 * second-step policy): one INSERT … ON CONFLICT DO UPDATE on the primary key, atomic on both
 * stores as Prisma's upsert was, as a prepared statement on Prisma's connection
 * (src/db/prepared-statements.ts). test/mfa/prepared-mfa-statements.test.ts pins the row.
 */
export function createPreparedNetworkRecord(driver: DriverConnection): PreparedNetworkRecord {
  const upsert = preparedStatement(
    driver,
    'gatehouse_sign_in_network_upsert',
    `INSERT INTO "SignInNetwork" ("accountId", "network", "lastSeenAt") VALUES ($1, $2, $3)
      ON CONFLICT ("accountId", "network") DO UPDATE SET "lastSeenAt" = excluded."lastSeenAt"`,
  );
  return {
    async upsert(accountId, network, at) {
      await upsert.run(accountId, network, at);
    },
  };
}
