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

/** Thrown inside a transaction to roll back the removal of an account's last second factor. */
class LastFactorSignal extends Error {}

/** The count every sign-in asks for (prepared-passkey-count.ts implements it). */
export interface PreparedPasskeyCount {
  countByAccount(accountId: string): Promise<number>;
}

/**
 * Passkeys (the Passkey model). Every check-and-set is one statement. The count outside a
 * transaction is `prepared`'s, its only implementation; those inside one stay on the transaction.
 */
export function createPasskeyQueries(db: Db, prepared: PreparedPasskeyCount) {
  return {
    /** False when the credential id is registered already (to this account or another). */
    /**
     * Adds the passkey under the account's row lock (the one removals take) and counts the second
     * factors after it: when it is the first, `firstFactorCodes` (recovery-code hashes) become the
     * account's recovery codes in the same transaction, so two first registrations at once, or one
     * beside a removal, never leave codes that were shown but not kept, or none at all.
     */
    async insert(
      row: Omit<PasskeyRow, 'lastUsedAt'>,
      firstFactorCodes: readonly string[] = [],
    ): Promise<{ first: boolean } | 'exists'> {
      try {
        return await db.$transaction(async (tx) => {
          await tx.account.updateMany({ where: { id: row.accountId }, data: { updatedAt: row.createdAt } });
          await tx.passkey.create({ data: row });
          const factors =
            (await tx.passkey.count({ where: { accountId: row.accountId } })) +
            (await tx.totpFactor.count({ where: { accountId: row.accountId, confirmedAt: { not: null } } }));
          if (factors !== 1) return { first: false };
          await tx.recoveryCode.deleteMany({ where: { accountId: row.accountId } });
          await tx.recoveryCode.createMany({
            data: firstFactorCodes.map((codeHash) => ({ accountId: row.accountId, codeHash })),
          });
          return { first: true };
        });
      } catch (error) {
        if ((error as { code?: string }).code === 'P2002') return 'exists';
        throw error;
      }
    },

    find(id: string): Promise<PasskeyRow | null> {
      return db.passkey.findUnique({ where: { id } });
    },

    listByAccount(accountId: string): Promise<PasskeyRow[]> {
      return db.passkey.findMany({ where: { accountId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    },

    countByAccount(accountId: string): Promise<number> {
      return prepared.countByAccount(accountId);
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

    /**
     * Removes one passkey of the account and counts the second factors it has left (passkeys and a
     * confirmed authenticator app), in one transaction that first locks the account's row (a write
     * of `updatedAt`): two removals for one account run one after the other, and each counts what the
     * other left (under PostgreSQL's READ COMMITTED both would otherwise still see the other's
     * passkey). With `keepLast`, removing the last second factor is rolled back: 'last'.
     */
    async remove(
      accountId: string,
      id: string,
      at: Date,
      keepLast = false,
    ): Promise<{ row: PasskeyRow; factorsLeft: number } | 'last' | null> {
      try {
        return await db.$transaction(async (tx) => {
          await tx.account.updateMany({ where: { id: accountId }, data: { updatedAt: at } });
          const row = await tx.passkey.findFirst({ where: { id, accountId } });
          if (!row) return null;
          await tx.passkey.delete({ where: { id: row.id } });
          const factorsLeft =
            (await tx.passkey.count({ where: { accountId } })) +
            (await tx.totpFactor.count({ where: { accountId, confirmedAt: { not: null } } }));
          if (keepLast && factorsLeft === 0) throw new LastFactorSignal();
          // The last factor gone: its recovery codes go with it, under the same lock.
          if (factorsLeft === 0) await tx.recoveryCode.deleteMany({ where: { accountId } });
          return { row, factorsLeft };
        });
      } catch (error) {
        if (error instanceof LastFactorSignal) return 'last';
        throw error;
      }
    },

    async removeAll(accountId: string): Promise<number> {
      const { count } = await db.passkey.deleteMany({ where: { accountId } });
      return count;
    },
  };
}

export type PasskeyQueries = ReturnType<typeof createPasskeyQueries>;
