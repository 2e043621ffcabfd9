import type { Db } from '../db/create-prisma.js';

export interface ConnectionRow {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecretSealed: string;
  readonly scope: string;
  readonly buttonLabel: string;
  readonly autoCreate: boolean;
  readonly domains: string;
  readonly trustUpstreamMfa: boolean;
  readonly mfaAcr: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export type ConnectionChanges = Partial<Omit<ConnectionRow, 'id' | 'createdAt'>> & { updatedAt: Date };

/**
 * The list every sign-in page shows (prepared-connection-list.ts implements it; connection-list-cache.ts
 * keeps it in memory, shared by every request: hence read-only).
 */
export interface PreparedConnectionList {
  /** Every connection, oldest first. */
  list(): Promise<readonly ConnectionRow[]>;
}

/** The Connection table: `list` is `prepared`'s, its only implementation; the rest go through Prisma's model API. */
export function createConnectionQueries(db: Db, prepared: PreparedConnectionList) {
  return {
    insert: (row: ConnectionRow): Promise<ConnectionRow> => db.connection.create({ data: row }),
    list: (): Promise<readonly ConnectionRow[]> => prepared.list(),
    findById: (id: string): Promise<ConnectionRow | null> => db.connection.findUnique({ where: { id } }),
    findByName: (name: string): Promise<ConnectionRow | null> => db.connection.findUnique({ where: { name } }),
    update: (id: string, changes: ConnectionChanges): Promise<ConnectionRow> =>
      db.connection.update({ where: { id }, data: changes }),
    /** Its identities go with it (the database's cascade). */
    async remove(id: string): Promise<number> {
      const identities = await db.upstreamIdentity.count({ where: { connectionId: id } });
      await db.connection.delete({ where: { id } });
      return identities;
    },
  };
}

export type ConnectionQueries = ReturnType<typeof createConnectionQueries>;
