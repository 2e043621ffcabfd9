import type { Db } from '../db/create-prisma.js';

export interface AccountRow extends ProfileColumns {
  readonly id: string;
  readonly email: string;
  readonly name: string | null;
  readonly passwordHash: string;
  readonly emailVerified: boolean;
  readonly disabled: boolean;
  readonly passwordChangedAt: Date | null;
  // Standard OIDC claims (Core §5.1) the profile and phone scopes release; null until set.
  readonly givenName: string | null;
  readonly familyName: string | null;
  readonly middleName: string | null;
  readonly nickname: string | null;
  readonly preferredUsername: string | null;
  readonly profile: string | null;
  readonly picture: string | null;
  readonly website: string | null;
  readonly gender: string | null;
  readonly birthdate: string | null;
  readonly zoneinfo: string | null;
  readonly locale: string | null;
  readonly phoneNumber: string | null;
  readonly phoneNumberVerified: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/**
 * The standard OIDC profile and phone claims we hold (OIDC Core §5.1), as Account columns; each
 * null until set (profile-claims.ts names them by claim). Read with every account row.
 */
export interface ProfileColumns {
  readonly givenName: string | null;
  readonly familyName: string | null;
  readonly middleName: string | null;
  readonly nickname: string | null;
  readonly preferredUsername: string | null;
  readonly profile: string | null;
  readonly picture: string | null;
  readonly website: string | null;
  readonly gender: string | null;
  readonly birthdate: string | null;
  readonly zoneinfo: string | null;
  readonly locale: string | null;
  readonly phoneNumber: string | null;
  readonly phoneNumberVerified: boolean;
}

/**
 * The two lookups of the hot paths (by id: every refresh, userinfo and code exchange; by email:
 * every sign-in), prepared on Prisma's connection: prepared-account-lookups.ts.
 */
export interface PreparedAccountLookups {
  findById(id: string): Promise<AccountRow | null>;
  findByEmail(email: string): Promise<AccountRow | null>;
}

/** The two lookups are `prepared`'s, the only implementation of each; the rest go through Prisma. */
export function createAccountQueries(db: Db, prepared: PreparedAccountLookups) {
  return {
    findById(id: string): Promise<AccountRow | null> {
      return prepared.findById(id);
    },
    findByEmail(email: string): Promise<AccountRow | null> {
      return prepared.findByEmail(email);
    },
    insert(data: Pick<AccountRow, 'id' | 'email' | 'name' | 'passwordHash' | 'emailVerified'>): Promise<AccountRow> {
      return db.account.create({ data });
    },
    list(): Promise<AccountRow[]> {
      return db.account.findMany({ orderBy: { createdAt: 'asc' } });
    },
    async update(
      id: string,
      data: Partial<
        Pick<AccountRow, 'passwordHash' | 'disabled' | 'name' | 'passwordChangedAt' | 'email' | 'emailVerified'>
      >,
    ): Promise<void> {
      await db.account.update({ where: { id }, data });
    },
  };
}

export type AccountQueries = ReturnType<typeof createAccountQueries>;
