import type { Db } from '../db/create-prisma.js';

/** Rolls the app's removal back when it would leave no second factor (never leaves this file). */
class LastFactorSignal extends Error {}

export interface TotpFactorRow {
  readonly accountId: string;
  readonly secret: string;
  readonly confirmedAt: Date | null;
  readonly binding: string | null;
  readonly lastUsedStep: number | null;
  readonly createdAt: Date;
}

export interface TrustedDeviceRow {
  readonly id: string;
  readonly accountId: string;
  readonly userAgent: string | null;
  readonly ip: string | null;
  readonly createdAt: Date;
  readonly lastUsedAt: Date;
  readonly expiresAt: Date;
  readonly revokedAt: Date | null;
}

/** The authenticator-app look-up of every sign-in (prepared-totp-lookup.ts implements it). */
export interface PreparedTotpLookup {
  findByAccount(accountId: string): Promise<TotpFactorRow | null>;
}

/** The seen-network write of every sign-in (prepared-network-record.ts implements it). */
export interface PreparedNetworkRecord {
  upsert(accountId: string, network: string, at: Date): Promise<void>;
}

export interface PreparedMfaStatements {
  readonly totp: PreparedTotpLookup;
  readonly networks: PreparedNetworkRecord;
  /** The passkeys floor's count (src/passkeys/prepared-passkey-count.ts), passed in by the container. */
  readonly passkeys: { countByAccount(accountId: string): Promise<number> };
}

/**
 * Factors, recovery codes, remembered devices and seen networks. Every check-and-set is one
 * statement. The three a sign-in runs are `prepared`'s, the only implementation of each; the rest
 * go through Prisma's model API (and whatever runs in a transaction stays in it).
 */
export function createMfaQueries(db: Db, prepared: PreparedMfaStatements) {
  return {
    findTotp(accountId: string): Promise<TotpFactorRow | null> {
      return prepared.totp.findByAccount(accountId);
    },

    /**
     * Starts (or restarts) an enrolment bound to the session or interaction that started it; a
     * pending secret started elsewhere is replaced and stops being confirmable. Never replaces a
     * confirmed factor. True when written.
     */
    async putPendingTotp(accountId: string, secret: string, binding: string, at: Date): Promise<boolean> {
      const replaced = await db.totpFactor.updateMany({
        where: { accountId, confirmedAt: null },
        data: { secret, binding, createdAt: at },
      });
      if (replaced.count === 1) return true;
      if (await prepared.totp.findByAccount(accountId)) return false; // confirmed already
      try {
        await db.totpFactor.create({ data: { accountId, secret, binding, createdAt: at } });
        return true;
      } catch (error) {
        // A parallel enrolment won the insert: its secret stands, this one is not shown.
        if ((error as { code?: string }).code === 'P2002') return false;
        throw error;
      }
    },

    /**
     * Confirms the pending factor as it was read (the same sealed secret and binding) at the step its
     * first code was for: a set-up restarted meanwhile is not confirmed with the old one's code.
     * True for the one request that did it.
     */
    async confirmTotp(
      accountId: string,
      pending: { secret: string; binding: string },
      step: number,
      at: Date,
    ): Promise<boolean> {
      const { count } = await db.totpFactor.updateMany({
        where: { accountId, confirmedAt: null, secret: pending.secret, binding: pending.binding },
        data: { confirmedAt: at, lastUsedStep: step, binding: null },
      });
      return count === 1;
    },

    /**
     * Records that a code for `step` was used, only if no code for that step or a later one was:
     * of two parallel submissions of one code exactly one gets true (RFC 6238 §5.2).
     */
    async useTotpStep(accountId: string, step: number): Promise<boolean> {
      const { count } = await db.totpFactor.updateMany({
        where: { accountId, confirmedAt: { not: null }, OR: [{ lastUsedStep: null }, { lastUsedStep: { lt: step } }] },
        data: { lastUsedStep: step },
      });
      return count === 1;
    },

    /** The authenticator app and the recovery codes (the operator's reset, which takes passkeys too). */
    async deleteFactors(accountId: string): Promise<boolean> {
      const [totp] = await db.$transaction([
        db.totpFactor.deleteMany({ where: { accountId } }),
        db.recoveryCode.deleteMany({ where: { accountId } }),
      ]);
      return totp.count > 0;
    },

    /** How many passkeys the account has (whether the app is its only second factor). */
    countPasskeys: (accountId: string) => prepared.passkeys.countByAccount(accountId),

    /**
     * Turns the app off under the account's row lock (the lock a passkey's removal takes too, so the
     * two cannot both remove "the other" factor at once): the recovery codes stay while passkeys
     * remain, and with `keepLast` nothing changes when no passkey would be left ('last').
     */
    async removeTotp(accountId: string, at: Date, keepLast: boolean): Promise<{ passkeysLeft: number } | 'last'> {
      try {
        return await db.$transaction(async (tx) => {
          await tx.account.updateMany({ where: { id: accountId }, data: { updatedAt: at } });
          await tx.totpFactor.deleteMany({ where: { accountId } });
          const passkeysLeft = await tx.passkey.count({ where: { accountId } });
          if (passkeysLeft === 0) {
            if (keepLast) throw new LastFactorSignal();
            await tx.recoveryCode.deleteMany({ where: { accountId } });
          }
          return { passkeysLeft };
        });
      } catch (error) {
        if (error instanceof LastFactorSignal) return 'last';
        throw error;
      }
    },

    /** Replaces every recovery code of the account with these (old ones die at once). */
    async replaceRecoveryCodes(accountId: string, codeHashes: readonly string[]): Promise<void> {
      await db.$transaction([
        db.recoveryCode.deleteMany({ where: { accountId } }),
        db.recoveryCode.createMany({ data: codeHashes.map((codeHash) => ({ accountId, codeHash })) }),
      ]);
    },

    /** Spends a recovery code: true for exactly one of any number of parallel uses. */
    async useRecoveryCode(accountId: string, codeHash: string, at: Date): Promise<boolean> {
      const { count } = await db.recoveryCode.updateMany({
        where: { accountId, codeHash, usedAt: null },
        data: { usedAt: at },
      });
      return count === 1;
    },

    countUnusedRecoveryCodes(accountId: string): Promise<number> {
      return db.recoveryCode.count({ where: { accountId, usedAt: null } });
    },

    async insertTrustedDevice(row: Omit<TrustedDeviceRow, 'revokedAt' | 'lastUsedAt'>): Promise<void> {
      await db.trustedDevice.create({ data: { ...row, lastUsedAt: row.createdAt } });
    },

    findLiveTrustedDevice(id: string, accountId: string, now: Date): Promise<TrustedDeviceRow | null> {
      return db.trustedDevice.findFirst({ where: { id, accountId, revokedAt: null, expiresAt: { gt: now } } });
    },

    async touchTrustedDevice(id: string, accountId: string, at: Date): Promise<void> {
      await db.trustedDevice.updateMany({ where: { id, accountId, revokedAt: null }, data: { lastUsedAt: at } });
    },

    listLiveTrustedDevices(accountId: string, now: Date): Promise<TrustedDeviceRow[]> {
      return db.trustedDevice.findMany({
        where: { accountId, revokedAt: null, expiresAt: { gt: now } },
        orderBy: { lastUsedAt: 'desc' },
      });
    },

    /** Revokes one device (by id) or all of the account's; returns how many were live. */
    async revokeTrustedDevices(accountId: string, at: Date, id?: string): Promise<number> {
      const { count } = await db.trustedDevice.updateMany({
        where: { accountId, revokedAt: null, ...(id ? { id } : {}) },
        data: { revokedAt: at },
      });
      return count;
    },

    async networkSeenSince(accountId: string, network: string, since: Date): Promise<boolean> {
      return (await db.signInNetwork.count({ where: { accountId, network, lastSeenAt: { gte: since } } })) > 0;
    },

    /** When the account last completed a sign-in (the newest network record), if ever. */
    async lastSignInAt(accountId: string): Promise<Date | undefined> {
      const newest = await db.signInNetwork.findFirst({ where: { accountId }, orderBy: { lastSeenAt: 'desc' } });
      return newest?.lastSeenAt;
    },

    recordNetwork(accountId: string, network: string, at: Date): Promise<void> {
      return prepared.networks.upsert(accountId, network, at);
    },
  };
}

export type MfaQueries = ReturnType<typeof createMfaQueries>;
