import { createMigratedDatabase } from '../support/test-database.js';
import { frozenClock } from '../support/frozen-clock.js';
import { createSoftwareAuthenticator } from '../support/software-authenticator.js';
import { createAuditQueries } from '../../src/audit/audit-queries.js';
import { createAuditService, type AuditEventInput } from '../../src/audit/audit-service.js';
import { createMfaQueries } from '../../src/mfa/mfa-queries.js';
import { createSecondStepThrottle } from '../../src/mfa/second-step-throttle.js';
import { createPreparedThrottleCounters } from '../../src/throttle/prepared-throttle-counters.js';
import { createAccountQueries } from '../../src/accounts/account-queries.js';
import { createPreparedAccountLookups } from '../../src/accounts/prepared-account-lookups.js';
import { createPasskeyQueries } from '../../src/passkeys/passkey-queries.js';
import { createWebAuthnChallengeQueries } from '../../src/passkeys/webauthn-challenge-queries.js';
import { createPasskeyService } from '../../src/passkeys/passkey-service.js';
import { relyingPartyOf } from '../../src/passkeys/relying-party.js';
import { createPreparedAuditInsert } from '../../src/audit/prepared-audit-insert.js';
import { preparedMfaStatements } from '../support/prepared-mfa-statements.js';
import { createPreparedPasskeyCount } from '../../src/passkeys/prepared-passkey-count.js';

export const ISSUER = 'https://id.example.com';
export const user = { by: 'user' as const, ip: '203.0.113.9', userAgent: 'test' };

/** A passkey service on a fresh migrated database with a frozen clock, and helpers to make accounts and authenticators. */
export async function passkeySetup(options: { onEvent?: (event: AuditEventInput) => void } = {}) {
  const store = await createMigratedDatabase();
  const clock = frozenClock(Date.UTC(2026, 11, 4, 12));
  const auditQueries = createAuditQueries(store.db, createPreparedAuditInsert(store.driver));
  const mfaQueries = createMfaQueries(store.db, preparedMfaStatements(store.driver));
  const rp = relyingPartyOf(ISSUER, 'Gatehouse');
  const passkeys = createPasskeyService({
    queries: createPasskeyQueries(store.db, createPreparedPasskeyCount(store.driver)),
    challenges: createWebAuthnChallengeQueries(store.db),
    relyingParty: rp,
    audit: createAuditService(auditQueries, undefined, clock, options.onEvent),
    throttle: createSecondStepThrottle({ counters: createPreparedThrottleCounters(store.driver), clock }),
    mfa: mfaQueries,
    accounts: createAccountQueries(store.db, createPreparedAccountLookups(store.driver)),
    clock,
  });
  let n = 0;
  async function account() {
    n += 1;
    const row = { id: `acct-${n}`, email: `person${n}@example.com`, name: `Person ${n}`, passwordHash: 'x' };
    await store.db.account.create({ data: row });
    return row;
  }
  const authenticator = (settings: { userVerified?: boolean; backedUp?: boolean; aaguid?: string } = {}) =>
    createSoftwareAuthenticator({ origin: rp.origin, rpId: rp.rpId, ...settings });

  /** An account with one passkey on a fresh authenticator. */
  async function withPasskey(settings: Parameters<typeof authenticator>[0] = {}) {
    const owner = await account();
    const device = authenticator(settings);
    const options = await passkeys.beginRegistration(owner, 'console-1');
    const { passkey, recoveryCodes } = await passkeys.finishRegistration(
      owner,
      'console-1',
      device.register(options),
      user,
    );
    return { owner, device, passkey, recoveryCodes };
  }

  const events = (type: string) => store.db.auditEvent.findMany({ where: { type }, orderBy: { at: 'asc' } });
  return { store, clock, rp, passkeys, mfaQueries, account, authenticator, withPasskey, events };
}
