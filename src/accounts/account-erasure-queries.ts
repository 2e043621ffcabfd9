import type { Db } from '../db/create-prisma.js';

/**
 * Erasure of a person (GDPR Art. 17; ASVS 4.0 §8.3.2): every row that names them goes, in one
 * transaction. Audit events stay, as the record of what happened, but lose what identifies the
 * person (email, address, browser); they keep the account's random id, which identifies no one once
 * the account is gone.
 */
export function createAccountErasureQueries(db: Db) {
  return {
    async erase(accountId: string, email: string): Promise<void> {
      await db.$transaction([
        db.oidcRecord.deleteMany({ where: { accountId } }),
        db.sessionActivity.deleteMany({ where: { accountId } }),
        db.totpFactor.deleteMany({ where: { accountId } }),
        db.recoveryCode.deleteMany({ where: { accountId } }),
        db.trustedDevice.deleteMany({ where: { accountId } }),
        db.signInNetwork.deleteMany({ where: { accountId } }),
        // Passkeys also go by the database's cascade; named here so the list is the whole of it.
        db.passkey.deleteMany({ where: { accountId } }),
        db.webAuthnChallenge.deleteMany({ where: { accountId } }),
        // The person's roles, groups and attribute values (also cascading; named for the same reason).
        db.accountRole.deleteMany({ where: { accountId } }),
        db.accountGroup.deleteMany({ where: { accountId } }),
        db.accountAttribute.deleteMany({ where: { accountId } }),
        // Identities at other providers (src/connections; also cascading) and trips still open.
        db.upstreamIdentity.deleteMany({ where: { accountId } }),
        db.upstreamAttempt.deleteMany({ where: { accountId } }),
        db.auditEvent.updateMany({
          where: { OR: [{ accountId }, { email }] },
          data: { email: null, ip: null, userAgent: null },
        }),
        db.account.delete({ where: { id: accountId } }),
      ]);
    },
  };
}

export type AccountErasureQueries = ReturnType<typeof createAccountErasureQueries>;
