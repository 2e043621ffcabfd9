import type { Db } from '../db/create-prisma.js';

export interface PasskeyRow {
  readonly id: string;
  readonly accountId: string;
  readonly publicKey: string;
  readonly counter: bigint;
  readonly transports: string;
  readonly aaguid: string;
  readonly backedUp: boolean;
  readonly deviceType: string;
  readonly name: string;
  readonly rpId: string;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
}

/** Passkeys (the Passkey model). Every check-and-set is one statement. */
export function createPasskeyQueries(db: Db) {
  return {
    /** False when the credential id is registered already (to this account or another). */
    async insert(row: Omit<PasskeyRow, 'lastUsedAt'>): Promise<boolean> {
      try {
        await db.passkey.create({ data: row });
        return true;
      } catch (error) {
        if ((error as { code?: string }).code === 'P2002') return false;
        throw error;
      }
    },

    find(id: string): Promise<PasskeyRow | null> {
      return db.passkey.findUnique({ where: { id } });
    },

    listByAccount(accountId: string): Promise<PasskeyRow[]> {
      return db.passkey.findMany({ where: { accountId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    },

    async countByAccount(accountId: string): Promise<number> {
      return db.passkey.count({ where: { accountId } });
    },

    /**
     * Records an accepted assertion, only if the counter is still the one the assertion was checked
     * against: of two parallel assertions with one counter, one records it (the other is refused).
     */
    async recordUse(
      id: string,
      seen: bigint,
      next: { counter: bigint; backedUp: boolean; at: Date },
    ): Promise<boolean> {
      const { count } = await db.passkey.updateMany({
        where: { id, counter: seen },
        data: { counter: next.counter, backedUp: next.backedUp, lastUsedAt: next.at },
      });
      return count === 1;
    },

    async rename(accountId: string, id: string, name: string): Promise<boolean> {
      const { count } = await db.passkey.updateMany({ where: { id, accountId }, data: { name } });
      return count === 1;
    },

    async remove(accountId: string, id: string): Promise<PasskeyRow | null> {
      const [row] = await db.$transaction([
        db.passkey.findFirst({ where: { id, accountId } }),
        db.passkey.deleteMany({ where: { id, accountId } }),
      ]);
      return row;
    },

    async removeAll(accountId: string): Promise<number> {
      const { count } = await db.passkey.deleteMany({ where: { accountId } });
      return count;
    },
  };
}

export type PasskeyQueries = ReturnType<typeof createPasskeyQueries>;
