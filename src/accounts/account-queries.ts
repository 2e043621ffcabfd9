import type { Db } from '../db/create-prisma.js';
import type { PreparedAccountLookups } from './prepared-account-lookups.js';

export interface AccountRow {
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

/** With `prepared` (the container), the two lookups of the hot paths skip Prisma. */
export function createAccountQueries(db: Db, prepared?: PreparedAccountLookups) {
  return {
    findById(id: string): Promise<AccountRow | null> {
      if (prepared) return prepared.findById(id);
      return db.account.findUnique({ where: { id } });
    },
    findByEmail(email: string): Promise<AccountRow | null> {
      if (prepared) return prepared.findByEmail(email);
      return db.account.findUnique({ where: { email } });
    },
    insert(data: Pick<AccountRow, 'id' | 'email' | 'name' | 'passwordHash' | 'emailVerified'>): Promise<AccountRow> {
      return db.account.create({ data });
    },
    list(): Promise<AccountRow[]> {
      return db.account.findMany({ orderBy: { createdAt: 'asc' } });
    },
    async update(id: string, data: Partial<Pick<AccountRow, 'passwordHash' | 'disabled' | 'name' | 'passwordChangedAt' | 'email' | 'emailVerified'>>): Promise<void> {
      await db.account.update({ where: { id }, data });
    },
  };
}

export type AccountQueries = ReturnType<typeof createAccountQueries>;
