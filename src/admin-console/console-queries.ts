import type { Db } from '../db/create-prisma.js';

/** Throttling, refresh-token reuse and blocked sign-ins: what the Overview lists as security events. */
export const SECURITY_EVENT_TYPES = ['signin.throttled', 'reauth.throttled', 'refresh_token.reused'] as const;

export interface SignInRow {
  readonly at: Date;
  readonly outcome: string;
  readonly count: number;
}

/** The admin console's own reads (counts and lists no other part needs); Prisma only. */
export function createConsoleQueries(db: Db) {
  return {
    countPeople: () => db.account.count(),

    /** Live sign-in sessions of everyone (the provider's Session rows not yet expired). */
    countLiveSessions: (now: Date) => db.oidcRecord.count({ where: { model: 'Session', expiresAt: { gt: now } } }),

    /** Accounts with a confirmed authenticator app or a passkey (either is a second factor). */
    async accountsWithSecondFactor(): Promise<Set<string>> {
      const [totp, passkeys] = await Promise.all([
        db.totpFactor.findMany({ where: { confirmedAt: { not: null } }, select: { accountId: true } }),
        db.passkey.findMany({ distinct: ['accountId'], select: { accountId: true } }),
      ]);
      return new Set([...totp, ...passkeys].map((row) => row.accountId));
    },

    /** For these accounts: whether each has a confirmed app, and how many passkeys (one page of People). */
    async factorsOf(ids: readonly string[]): Promise<Map<string, { totp: boolean; passkeys: number }>> {
      const [totp, passkeys] = await Promise.all([
        db.totpFactor.findMany({
          where: { accountId: { in: [...ids] }, confirmedAt: { not: null } },
          select: { accountId: true },
        }),
        db.passkey.groupBy({ by: ['accountId'], where: { accountId: { in: [...ids] } }, _count: { _all: true } }),
      ]);
      const withApp = new Set(totp.map((row) => row.accountId));
      const keys = new Map(passkeys.map((row) => [row.accountId, row._count._all]));
      return new Map(ids.map((id) => [id, { totp: withApp.has(id), passkeys: keys.get(id) ?? 0 }]));
    },

    /** Sign-in outcomes since `since` (a folded row counts its repeats). */
    signIns(since: Date): Promise<SignInRow[]> {
      return db.auditEvent.findMany({
        where: { type: 'signin', lastAt: { gte: since } },
        select: { at: true, outcome: true, count: true },
      });
    },

    /** The newest security events, newest first. */
    securityEvents(limit: number) {
      return db.auditEvent.findMany({
        where: { OR: [{ type: { in: [...SECURITY_EVENT_TYPES] } }, { type: 'signin', outcome: 'blocked' }] },
        orderBy: [{ lastAt: 'desc' }, { id: 'desc' }],
        take: limit,
        omit: { foldKey: true },
      });
    },
  };
}

export type ConsoleQueries = ReturnType<typeof createConsoleQueries>;
