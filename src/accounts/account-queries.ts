import type { Db } from '../db/create-prisma.js';

export interface AccountRow extends ProfileColumns {
  readonly id: string;
  readonly email: string;
  readonly name: string | null;
  readonly passwordHash: string;
  readonly emailVerified: boolean;
  readonly disabled: boolean;
  readonly passwordChangedAt: Date | null;
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
    /**
     * One page in creation order (createdAt, then id: a total order, so keyset paging neither
     * repeats nor skips a row however many share a timestamp), `limit` rows at most.
     */
    page(filter: {
      after?: { createdAt: Date; id: string };
      email?: string;
      emailPrefix?: string;
      disabled?: boolean;
      limit: number;
    }): Promise<AccountRow[]> {
      const { after } = filter;
      return db.account.findMany({
        where: {
          ...(filter.email !== undefined ? { email: filter.email } : {}),
          ...(filter.emailPrefix !== undefined ? { email: { startsWith: filter.emailPrefix } } : {}),
          ...(filter.disabled !== undefined ? { disabled: filter.disabled } : {}),
          ...(after
            ? { OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, id: { gt: after.id } }] }
            : {}),
        },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        take: filter.limit,
      });
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
    /**
     * The same change, made only while the row is still at `version` (its updatedAt): one
     * conditional statement, so of two writers who read the same version exactly one wins.
     * The new version is strictly later than the old, even within one millisecond.
     */
    async updateIfVersion(
      id: string,
      version: Date,
      now: Date,
      data: Partial<Pick<AccountRow, 'name' | 'email' | 'emailVerified'>>,
    ): Promise<boolean> {
      const updatedAt = new Date(Math.max(now.getTime(), version.getTime() + 1));
      const { count } = await db.account.updateMany({
        where: { id, updatedAt: version },
        data: { ...data, updatedAt },
      });
      return count === 1;
    },
  };
}

export type AccountQueries = ReturnType<typeof createAccountQueries>;
