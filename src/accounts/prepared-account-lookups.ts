import type { DriverConnection } from '../db/create-prisma.js';
import { preparedRow } from '../db/prepared-statements.js';
import type { AccountRow, PreparedAccountLookups } from './account-queries.js';

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
  // The standard profile and phone claims come with the row: findAccount releases them (profile-claims.ts).
  const profile =
    '"givenName", "familyName", "middleName", "nickname", "preferredUsername", "profile", "picture", "website", "gender", "birthdate", "zoneinfo", "locale", "phoneNumber", "phoneNumberVerified"';
  const select = `SELECT "id", "email", "name", "passwordHash", "emailVerified", "disabled", "passwordChangedAt", "createdAt", "updatedAt", ${profile} FROM "Account"`;
  const byId = preparedRow<AccountRow>(driver, 'gatehouse_account_by_id', `${select} WHERE "id" = $1`, columns);
  const byEmail = preparedRow<AccountRow>(
    driver,
    'gatehouse_account_by_email',
    `${select} WHERE "email" = $1`,
    columns,
  );
  return {
    findById: async (id) => (await byId(id)) ?? null,
    findByEmail: async (email) => (await byEmail(email)) ?? null,
  };
}
