import type { Db } from '../db/create-prisma.js';

export interface IdentityRow {
  readonly id: string;
  readonly connectionId: string;
  readonly issuer: string;
  readonly subject: string;
  readonly accountId: string;
  readonly email: string | null;
  readonly createdAccount: boolean;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
}

/** The UpstreamIdentity table: found by (connection, iss, sub) only, never by email. */
export function createIdentityQueries(db: Db) {
  return {
    find: (connectionId: string, issuer: string, subject: string): Promise<IdentityRow | null> =>
      db.upstreamIdentity.findUnique({ where: { connectionId_issuer_subject: { connectionId, issuer, subject } } }),
    findById: (id: string): Promise<IdentityRow | null> => db.upstreamIdentity.findUnique({ where: { id } }),
    listForAccount: (accountId: string): Promise<IdentityRow[]> =>
      db.upstreamIdentity.findMany({ where: { accountId }, orderBy: { createdAt: 'asc' } }),
    insert: (row: IdentityRow) => db.upstreamIdentity.create({ data: row }),
    touch: (id: string, email: string | null, at: Date) =>
      db.upstreamIdentity.update({ where: { id }, data: { email, lastUsedAt: at } }),
    /** Deletes it only while it still belongs to the account; true when it did. */
    async remove(id: string, accountId: string): Promise<boolean> {
      return (await db.upstreamIdentity.deleteMany({ where: { id, accountId } })).count === 1;
    },
    removeForAccount: (accountId: string) => db.upstreamIdentity.deleteMany({ where: { accountId } }),
  };
}

export type IdentityQueries = ReturnType<typeof createIdentityQueries>;
