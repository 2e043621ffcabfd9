import type { DriverConnection } from '../db/create-prisma.js';
import { preparedRow } from '../db/prepared-statements.js';

/** Which second factors an account can answer the second step with. */
export interface SecondFactors {
  /** A confirmed authenticator app (a pending enrolment is none). */
  readonly totp: boolean;
  readonly passkey: boolean;
}

export interface SecondFactorLookup {
  of(accountId: string): Promise<SecondFactors>;
}

/**
 * Both facts the second-step policy asks at every sign-in, in one prepared statement on Prisma's
 * connection (src/db/prepared-statements.ts): two look-ups were two round trips, each costing the
 * main thread more than the answer does. The same facts MfaService.hasTotp and
 * PasskeyService.hasPasskey answer (a confirmed app; any passkey), pinned on both stores by
 * test/second-step/prepared-second-factors.test.ts.
 * SQLite answers EXISTS with 0 or 1, read as booleans; PostgreSQL with booleans.
 */
export function createPreparedSecondFactors(driver: DriverConnection): SecondFactorLookup {
  const find = preparedRow<SecondFactors>(
    driver,
    'gatehouse_second_factors_of_account',
    'SELECT EXISTS (SELECT 1 FROM "TotpFactor" WHERE "accountId" = $1 AND "confirmedAt" IS NOT NULL) AS "totp", ' +
      'EXISTS (SELECT 1 FROM "Passkey" WHERE "accountId" = $1) AS "passkey"',
    { booleans: ['totp', 'passkey'] },
  );
  return {
    of: async (accountId) => (await find(accountId)) ?? { totp: false, passkey: false },
  };
}
