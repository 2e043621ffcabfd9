import type { Db } from '../db/create-prisma.js';
import type { NewOutboxRow } from './outbox-queries.js';

export type EmailTokenPurpose = 'password_reset' | 'email_verification' | 'email_change' | 'registration';

export interface EmailTokenRow {
  readonly id: string;
  readonly tokenHash: string;
  readonly purpose: string;
  readonly accountId: string | null;
  readonly email: string;
  readonly binding: string | null;
  readonly data: string | null;
  readonly expiresAt: Date;
  readonly usedAt: Date | null;
  readonly createdAt: Date;
}

/** One-time links. Each use is one conditional update, so of parallel uses exactly one wins. */
export function createEmailTokenQueries(db: Db) {
  return {
    /** The token and the mail carrying its link, written together or not at all. */
    async insertWithMail(token: EmailTokenRow, mail: NewOutboxRow): Promise<void> {
      await db.$transaction([db.emailToken.create({ data: token }), db.outboxMessage.create({ data: mail })]);
    },

    findByHash(tokenHash: string): Promise<EmailTokenRow | null> {
      return db.emailToken.findUnique({ where: { tokenHash } });
    },

    findById(id: string): Promise<EmailTokenRow | null> {
      return db.emailToken.findUnique({ where: { id } });
    },

    /**
     * A password reset: spends the token and sets the password in one transaction, only if the
     * token is unused and neither the password nor the address has changed since the link was
     * made. False otherwise.
     */
    async spendForPassword(
      tokenId: string,
      at: Date,
      account: { id: string; email: string; passwordChangedAt: Date | null },
      passwordHash: string,
    ): Promise<boolean> {
      return db
        .$transaction(async (tx) => {
          const spent = await tx.emailToken.updateMany({
            where: { id: tokenId, usedAt: null, expiresAt: { gt: at } },
            data: { usedAt: at },
          });
          if (spent.count !== 1) return false;
          const changed = await tx.account.updateMany({
            where: {
              id: account.id,
              email: account.email,
              passwordChangedAt: account.passwordChangedAt,
              disabled: false,
            },
            data: { passwordHash, passwordChangedAt: at },
          });
          if (changed.count !== 1) throw new StaleLinkSignal();
          return true;
        })
        .catch((error: unknown) => {
          if (error instanceof StaleLinkSignal) return false;
          throw error;
        });
    },

    /**
     * Email verification or change: spends the token and, in the same transaction, gives the
     * account `email` as a verified address, only if its address is still `expected`. 'taken' when
     * another account has that address now; 'stale' when the token or the account moved on.
     */
    async spendForEmail(
      tokenId: string,
      at: Date,
      accountId: string,
      expected: string,
      email: string,
    ): Promise<'done' | 'stale' | 'taken'> {
      try {
        return await db.$transaction(async (tx) => {
          const spent = await tx.emailToken.updateMany({
            where: { id: tokenId, usedAt: null, expiresAt: { gt: at } },
            data: { usedAt: at },
          });
          if (spent.count !== 1) return 'stale' as const;
          const changed = await tx.account.updateMany({
            where: { id: accountId, email: expected },
            data: { email, emailVerified: true },
          });
          if (changed.count !== 1) throw new StaleLinkSignal();
          return 'done' as const;
        });
      } catch (error) {
        if (error instanceof StaleLinkSignal) return 'stale';
        if ((error as { code?: string }).code === 'P2002') return 'taken';
        throw error;
      }
    },

    /** A registration: spends the token and creates the account together. 'taken' when the address has an account by now. */
    async spendForRegistration(
      tokenId: string,
      at: Date,
      account: { id: string; email: string; name: string | null; passwordHash: string },
    ): Promise<'done' | 'stale' | 'taken'> {
      try {
        return await db.$transaction(async (tx) => {
          const spent = await tx.emailToken.updateMany({
            where: { id: tokenId, usedAt: null, expiresAt: { gt: at } },
            data: { usedAt: at },
          });
          if (spent.count !== 1) return 'stale' as const;
          await tx.account.create({ data: { ...account, emailVerified: true } });
          return 'done' as const;
        });
      } catch (error) {
        if ((error as { code?: string }).code === 'P2002') return 'taken';
        throw error;
      }
    },

    /** Spends a token; true for exactly one of any number of parallel uses. */
    async spend(tokenId: string, at: Date): Promise<boolean> {
      const { count } = await db.emailToken.updateMany({
        where: { id: tokenId, usedAt: null, expiresAt: { gt: at } },
        data: { usedAt: at },
      });
      return count === 1;
    },

    /** Every unused link of this kind for the account stops working (a newer one replaces them). */
    async spendAll(accountId: string, purpose: EmailTokenPurpose, at: Date): Promise<void> {
      await db.emailToken.updateMany({ where: { accountId, purpose, usedAt: null }, data: { usedAt: at } });
    },

    /** Every unused link naming the account stops working, whatever its kind; how many did. */
    async spendAllOfAccount(accountId: string, at: Date): Promise<number> {
      const { count } = await db.emailToken.updateMany({ where: { accountId, usedAt: null }, data: { usedAt: at } });
      return count;
    },

    async deleteExpired(before: Date): Promise<number> {
      const { count } = await db.emailToken.deleteMany({ where: { expiresAt: { lt: before } } });
      return count;
    },
  };
}

/** Rolls the transaction back when the password changed after the link was made. */
class StaleLinkSignal extends Error {}

export type EmailTokenQueries = ReturnType<typeof createEmailTokenQueries>;
