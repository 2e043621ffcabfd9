import type { DriverConnection } from '../db/create-prisma.js';
import { preparedRow } from '../db/prepared-statements.js';
import { turnMergedLookup } from '../db/turn-merged-lookup.js';
import type { AccountRow, PreparedAccountLookups } from './account-queries.js';

/** Every column of the model, as Prisma reads them (the test pins the list to the schema). */
const ACCOUNT_COLUMNS = [
  'id',
  'email',
  'name',
  'passwordHash',
  'emailVerified',
  'disabled',
  'passwordChangedAt',
  'givenName',
  'familyName',
  'middleName',
  'nickname',
  'preferredUsername',
  'profile',
  'picture',
  'website',
  'gender',
  'birthdate',
  'zoneinfo',
  'locale',
  'phoneNumber',
  'phoneNumberVerified',
  'createdAt',
  'updatedAt',
] as const;

/**
 * The two Account lookups of the hot paths (by id: every refresh, userinfo and code exchange asks
 * oidc-provider's findAccount; by email: every sign-in) as prepared statements on Prisma's
 * connection (src/db/prepared-statements.ts). No cache: a disabled account is refused on the next
 * request on every instance. test/accounts/prepared-account-lookups.test.ts pins them to the schema.
 */
export function createPreparedAccountLookups(driver: DriverConnection): PreparedAccountLookups {
  const columns = {
    booleans: ['emailVerified', 'disabled', 'phoneNumberVerified'],
    dates: ['passwordChangedAt', 'createdAt', 'updatedAt'],
  } as const;
  const select = `SELECT ${ACCOUNT_COLUMNS.map((column) => `"${column}"`).join(', ')} FROM "Account"`;
  // Every refresh and userinfo of a turn asks by id: on PostgreSQL they share one statement.
  const byId = turnMergedLookup<AccountRow>(driver, 'gatehouse_account_by_id', `${select} WHERE "id" = $1`, 1, columns);
  const byEmail = preparedRow<AccountRow>(
    driver,
    'gatehouse_account_by_email',
    `${select} WHERE "email" = $1`,
    columns,
  );
  return {
    findById: async (id) => (await byId(id))[0] ?? null,
    findByEmail: async (email) => (await byEmail(email)) ?? null,
  };
}
