import type { DriverConnection } from '../db/create-prisma.js';
import { preparedRow } from '../db/prepared-statements.js';
import type { PreparedTotpLookup, TotpFactorRow } from './mfa-queries.js';

/**
 * An account's authenticator app by account id, as a prepared statement on Prisma's connection
 * (src/db/prepared-statements.ts): every sign-in's second-step policy asks whether the account
 * has one. Every column of the model, read as Prisma reads them;
 * test/mfa/prepared-mfa-statements.test.ts pins that on both stores.
 */
export function createPreparedTotpLookup(driver: DriverConnection): PreparedTotpLookup {
  const find = preparedRow<TotpFactorRow>(
    driver,
    'gatehouse_totp_by_account',
    'SELECT "accountId", "secret", "confirmedAt", "binding", "lastUsedStep", "createdAt" FROM "TotpFactor" WHERE "accountId" = $1',
    { integers: ['lastUsedStep'], dates: ['confirmedAt', 'createdAt'] },
  );
  return {
    findByAccount: async (accountId) => (await find(accountId)) ?? null,
  };
}
