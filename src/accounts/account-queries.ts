import type { Db } from '../db/create-prisma.js';

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

export function createAccountQueries(db: Db) {
  return {
    findById(id: string): Promise<AccountRow | null> {
      return db.account.findUnique({ where: { id } });
    },
    findByEmail(email: string): Promise<AccountRow | null> {
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
