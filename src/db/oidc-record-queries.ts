import type { Db } from './create-prisma.js';

export interface OidcRecordInput {
  readonly model: string;
  readonly id: string;
  readonly payload: string;
  readonly grantId: string | null;
  readonly userCode: string | null;
  readonly uid: string | null;
  readonly accountId: string | null;
  readonly expiresAt: Date | null;
}

export interface LiveRecord {
  readonly payload: string;
  readonly consumedAt: Date | null;
  /** When it stops being live (a cached record is checked against it: client-record-cache.ts). */
  readonly expiresAt: Date | null;
}

/** The model of our own rows for issued JWT access tokens (oidc/structured-access-tokens.ts); the provider never looks it up. */
export const STRUCTURED_MODEL = 'StructuredAccessToken';

export type LookupField = 'uid' | 'userCode';

/**
 * The statements every token request runs (and the session look-up of userinfo and sign-in), prepared on Prisma's own connection
 * (prepared-oidc-records.ts implements them; batched-token-finds.ts may stand in front).
 */
export interface PreparedOidcRecords {
  findLive(model: string, id: string, now: Date): Promise<LiveRecord | null>;
  /** A live record by its `uid` (sessions, interactions) or `userCode` (device codes). */
  findLiveBy(model: string, field: LookupField, value: string, now: Date): Promise<LiveRecord | null>;
  /**
   * The live records of one id under up to AMONG_MODELS models, in one statement, by model
   * (introspection looks a token up as three kinds at once: batched-token-finds.ts).
   */
  findLiveAmong(models: readonly string[], id: string, now: Date): Promise<Map<string, LiveRecord>>;
  /**
   * A live record, its `grantId` column and, in the same statement, the live Grant that column
   * names (null when it names none, or that grant is gone or expired): the provider looks the grant
   * up right after the code, refresh token or access token it belongs to (prefetched-grants.ts).
   */
  findLiveWithGrant(
    model: string,
    id: string,
    now: Date,
  ): Promise<{ record: LiveRecord | null; grantId: string | null; grant: LiveRecord | null }>;
  /** Saves every column; a re-saved record (a session touched again, say) starts over unconsumed. */
  upsert(record: OidcRecordInput): Promise<void>;
  /** Also keeps the record until `keepUntil` at least (markConsumed below). */
  markConsumed(model: string, id: string, now: Date, keepUntil: Date): Promise<boolean>;
  /** Removes one record, if there is one (every sign-in ends its interaction). */
  destroy(model: string, id: string): Promise<void>;
  /** Deletes up to `limit` rows expired at `now` in one bounded statement; says how many went. */
  sweepExpired(now: Date, limit: number): Promise<number>;
}

/**
 * Every statement is scoped by model: ids are only unique within one oidc-provider model. The
 * ones of every token request and sign-in are `prepared`'s, the only implementation of each; the
 * rest go through Prisma's model API.
 */
export function createOidcRecordQueries(db: Db, prepared: PreparedOidcRecords) {
  const live = (now: Date) => ({ OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] });

  return {
    upsert(record: OidcRecordInput): Promise<void> {
      return prepared.upsert(record);
    },

    findLive(model: string, id: string, now: Date): Promise<LiveRecord | null> {
      return prepared.findLive(model, id, now);
    },

    findLiveBy(model: string, field: LookupField, value: string, now: Date): Promise<LiveRecord | null> {
      return prepared.findLiveBy(model, field, value, now);
    },

    findLiveWithGrant(model: string, id: string, now: Date) {
      return prepared.findLiveWithGrant(model, id, now);
    },

    /**
     * One conditional update: true only for the single caller that flips it. The record is then
     * kept until `keepUntil` at least (never shortened), so a late replay is still recognised.
     */
    markConsumed(model: string, id: string, now: Date, keepUntil: Date = now): Promise<boolean> {
      return prepared.markConsumed(model, id, now, keepUntil);
    },

    grantIdOf(model: string, id: string): Promise<{ grantId: string | null } | null> {
      return db.oidcRecord.findUnique({ where: { model_id: { model, id } }, select: { grantId: true } });
    },

    destroy(model: string, id: string): Promise<void> {
      return prepared.destroy(model, id);
    },

    /** Rewrites one record's payload in place; false when there is no such record. */
    async replacePayload(model: string, id: string, payload: string): Promise<boolean> {
      const { count } = await db.oidcRecord.updateMany({ where: { model, id }, data: { payload } });
      return count === 1;
    },

    /**
     * Rewrites one record's payload only if it still holds `expected` (a compare-and-set on the
     * whole payload): false when another write came first or the record is gone, so a
     * read-modify-write never overwrites a change it did not see.
     */
    async replacePayloadIf(model: string, id: string, expected: string, payload: string): Promise<boolean> {
      const { count } = await db.oidcRecord.updateMany({ where: { model, id, payload: expected }, data: { payload } });
      return count === 1;
    },

    /** Removes one record only if it still holds `expected`; false when it changed or is gone. */
    async destroyIf(model: string, id: string, expected: string): Promise<boolean> {
      const { count } = await db.oidcRecord.deleteMany({ where: { model, id, payload: expected } });
      return count === 1;
    },

    /**
     * Records of these models whose payload contains `fragment`, live or not. A coarse filter (on
     * SQLite, LIKE ignores case): callers parse each payload and keep what really matches.
     */
    listContaining(
      models: readonly string[],
      fragment: string,
    ): Promise<{ model: string; id: string; payload: string; grantId: string | null }[]> {
      return db.oidcRecord.findMany({
        where: { model: { in: [...models] }, payload: { contains: fragment } },
        select: { model: true, id: true, payload: true, grantId: true },
      });
    },

    async destroyByGrantId(model: string, grantId: string): Promise<void> {
      await db.oidcRecord.deleteMany({ where: { model, grantId } });
    },

    /** Live records of a model that belong to an account (sessions, grants), newest first. */
    listLiveByAccount(
      model: string,
      accountId: string,
      now: Date,
    ): Promise<{ id: string; payload: string; createdAt: Date; expiresAt: Date | null }[]> {
      return db.oidcRecord.findMany({
        where: { model, accountId, ...live(now) },
        select: { id: true, payload: true, createdAt: true, expiresAt: true },
        orderBy: { createdAt: 'desc' },
      });
    },

    /** Removes a grant and everything issued under it, whatever the model. */
    async destroyGrant(grantId: string): Promise<void> {
      await db.oidcRecord.deleteMany({ where: { OR: [{ grantId }, { model: 'Grant', id: grantId }] } });
    },

    async destroyByUid(model: string, uid: string): Promise<number> {
      const { count } = await db.oidcRecord.deleteMany({ where: { model, uid } });
      return count;
    },

    /** Every record of a model that never expires (registered clients, say), oldest first. */
    listPermanent(model: string): Promise<{ id: string; payload: string; createdAt: Date }[]> {
      return db.oidcRecord.findMany({
        where: { model, expiresAt: null },
        select: { id: true, payload: true, createdAt: true },
        orderBy: { createdAt: 'asc' },
      });
    },

    /** One page of listPermanent's order (createdAt, then id), after the last record of the previous page. */
    pagePermanent(
      model: string,
      after: { createdAt: Date; id: string } | undefined,
      limit: number,
    ): Promise<{ id: string; payload: string; createdAt: Date }[]> {
      return db.oidcRecord.findMany({
        where: {
          model,
          expiresAt: null,
          ...(after
            ? { OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, id: { gt: after.id } }] }
            : {}),
        },
        select: { id: true, payload: true, createdAt: true },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        take: limit,
      });
    },

    /** Deletes up to `limit` expired rows; returns how many went (one prepared statement: expiry-sweeper.ts). */
    sweepExpired(now: Date, limit: number): Promise<number> {
      return prepared.sweepExpired(now, limit);
    },
  };
}

export type OidcRecordQueries = ReturnType<typeof createOidcRecordQueries>;
