import { randomBytes } from 'node:crypto';
import { createMigratedDatabase } from '../support/test-database.js';
import { frozenClock } from '../support/frozen-clock.js';
import { createMfaQueries } from '../../src/mfa/mfa-queries.js';
import { createMfaService, type MfaService } from '../../src/mfa/mfa-service.js';
import { createSecondStepThrottle } from '../../src/mfa/second-step-throttle.js';
import { createPreparedThrottleCounters } from '../../src/throttle/prepared-throttle-counters.js';
import { createSecondStepPolicy, type SecondStepPolicy } from '../../src/second-step/second-step-policy.js';
import { createAuditService, type AuditService } from '../../src/audit/audit-service.js';
import { createAuditQueries } from '../../src/audit/audit-queries.js';
import { totpCodeAt } from '../../src/mfa/totp.js';
import { REMEMBERED_BROWSER_KEY, rememberedBrowserTag } from '../../src/audit/remembered-browser-tag.js';
import { createPasskeyService, type PasskeyService } from '../../src/passkeys/passkey-service.js';
import { createPasskeyQueries } from '../../src/passkeys/passkey-queries.js';
import { createWebAuthnChallengeQueries } from '../../src/passkeys/webauthn-challenge-queries.js';
import { relyingPartyOf } from '../../src/passkeys/relying-party.js';
import { createAccountQueries } from '../../src/accounts/account-queries.js';
import { createPreparedAccountLookups } from '../../src/accounts/prepared-account-lookups.js';
import { createSoftwareAuthenticator } from '../support/software-authenticator.js';
import { createPreparedAuditInsert } from '../../src/audit/prepared-audit-insert.js';
import { preparedMfaStatements } from '../support/prepared-mfa-statements.js';
import { createPreparedPasskeyCount } from '../../src/passkeys/prepared-passkey-count.js';
import { createPreparedSecondFactors } from '../../src/second-step/prepared-second-factors.js';

let store: Awaited<ReturnType<typeof createMigratedDatabase>>;
const clock = frozenClock(Date.UTC(2026, 10, 27, 9, 0, 0));
let mfa: MfaService;
let policy: SecondStepPolicy;
let audit: AuditService;
let passkeys: PasskeyService;
const rp = relyingPartyOf('https://id.example.com', 'Gatehouse');
let n = 0;
const user = { by: 'user' as const };

beforeAll(async () => {
  store = await createMigratedDatabase();
  const auditQueries = createAuditQueries(store.db, createPreparedAuditInsert(store.driver));
  audit = createAuditService(auditQueries, undefined, clock);
  const queries = createMfaQueries(store.db, preparedMfaStatements(store.driver));
  mfa = createMfaService({
    queries,
    audit,
    throttle: createSecondStepThrottle({ counters: createPreparedThrottleCounters(store.driver), clock }),
    kek: randomBytes(32),
    productName: 'Gatehouse',
    clock,
  });
  passkeys = createPasskeyService({
    queries: createPasskeyQueries(store.db, createPreparedPasskeyCount(store.driver)),
    challenges: createWebAuthnChallengeQueries(store.db),
    relyingParty: rp,
    audit,
    throttle: createSecondStepThrottle({ counters: createPreparedThrottleCounters(store.driver), clock }),
    mfa: queries,
    accounts: createAccountQueries(store.db, createPreparedAccountLookups(store.driver)),
    clock,
  });
  policy = createSecondStepPolicy({
    mfa,
    factors: createPreparedSecondFactors(store.driver),
    queries,
    audit: auditQueries,
    mode: 'adaptive',
    clock,
  });
});

afterAll(() => store.close());

/** An enrolled account that completed a sign-in from 203.0.113.0/24 in a remembered browser. */
async function settled() {
  const account = { id: `policy-${(n += 1)}`, email: `p${n}@example.com` };
  const { secret } = await mfa.beginTotpEnrolment(account, 'test');
  await mfa.confirmTotpEnrolment(account, await totpCodeAt(secret, clock()), 'test', user);
  const device = await mfa.rememberDevice(account.id, 30 * 24 * 3600, user);
  clock.advance(1000);
  await policy.recordCompletedSignIn(account.id, '203.0.113.5');
  clock.advance(1000);
  return { accountId: account.id, deviceId: device.id };
}

const calm = (accountId: string, deviceId: string) => ({
  accountId,
  deviceId,
  ip: '203.0.113.77',
  acrRequested: false,
  passkeyRequested: false,
});

describe('what the policy knows about a sign-in', () => {
  test('a remembered browser on a known network with no failures skips the second step', async () => {
    const { accountId, deviceId } = await settled();
    expect(await policy.decide(calm(accountId, deviceId))).toMatchObject({ ask: false, reasons: [] });
  });

  test('a network is new from another /24, and again after 90 days without a sign-in from it', async () => {
    const { accountId, deviceId } = await settled();
    expect(await policy.decide({ ...calm(accountId, deviceId), ip: '198.51.100.7' })).toMatchObject({
      ask: true,
      reasons: ['new_network'],
    });
    clock.advance(91 * 24 * 3600 * 1000);
    const device = await mfa.rememberDevice(accountId, 30 * 24 * 3600, user);
    expect(await policy.decide(calm(accountId, device.id))).toMatchObject({ ask: true, reasons: ['new_network'] });
  });

  test('failed attempts since the last completed sign-in count; a completed sign-in clears them', async () => {
    const { accountId, deviceId } = await settled();
    // A wrong password typed in this browser (the sign-in service names the remembered browser it was typed in).
    await audit.record({
      type: 'signin',
      outcome: 'failure',
      reason: 'wrong_password',
      accountId,
      detail: { [REMEMBERED_BROWSER_KEY]: rememberedBrowserTag(deviceId) },
    });
    clock.advance(1000);
    expect(await policy.decide(calm(accountId, deviceId))).toMatchObject({ ask: true, reasons: ['failed_attempts'] });
    await policy.recordCompletedSignIn(accountId, '203.0.113.9');
    clock.advance(1000);
    expect(await policy.decide(calm(accountId, deviceId))).toMatchObject({ ask: false });
  });

  test('in a remembered browser only the failures made there count; in any other browser every failure on the account counts', async () => {
    const { accountId, deviceId } = await settled();
    // Someone with the password, elsewhere: a wrong password and a wrong code.
    await audit.record({ type: 'signin', outcome: 'failure', reason: 'wrong_password', accountId });
    await expect(mfa.verify(accountId, { totp: 'abcdef' }, user)).rejects.toMatchObject({
      code: 'ERR_MFA_CODE_INVALID',
    });
    clock.advance(1000);
    expect(await policy.decide(calm(accountId, deviceId))).toMatchObject({ ask: false, reasons: [] });
    expect(await policy.decide(calm(accountId, 'forged'))).toMatchObject({
      ask: true,
      reasons: ['new_device', 'failed_attempts'],
    });

    // A wrong code typed in the remembered browser itself.
    await expect(
      mfa.verify(accountId, { totp: 'abcdef' }, { ...user, rememberedDevice: deviceId }),
    ).rejects.toMatchObject({ code: 'ERR_MFA_CODE_INVALID' });
    clock.advance(1000);
    expect(await policy.decide(calm(accountId, deviceId))).toMatchObject({ ask: true, reasons: ['failed_attempts'] });
  });

  test('a forged, foreign, expired or forgotten device cookie is no remembered device', async () => {
    const { accountId, deviceId } = await settled();
    const other = await settled();
    expect(await policy.decide(calm(accountId, 'forged'))).toMatchObject({ reasons: ['new_device'] });
    expect(await policy.decide(calm(accountId, other.deviceId))).toMatchObject({ reasons: ['new_device'] });
    await mfa.forgetDevice(accountId, deviceId, user);
    expect(await policy.decide(calm(accountId, deviceId))).toMatchObject({ reasons: ['new_device'] });
  });

  test("the client's own mode and an ACR request are demands", async () => {
    const { accountId, deviceId } = await settled();
    expect(await policy.decide({ ...calm(accountId, deviceId), clientMode: 'always' })).toMatchObject({
      ask: true,
      reasons: ['policy_always', 'client_requires'],
    });
    expect(await policy.decide({ ...calm(accountId, deviceId), clientMode: 'off', ip: '198.51.100.7' })).toMatchObject({
      ask: false,
    });
    expect(await policy.decide({ ...calm(accountId, deviceId), acrRequested: true })).toMatchObject({
      ask: true,
      reasons: ['acr_requested'],
    });
  });

  test('a passkey is a second factor: someone with one and no app is asked on risk, and a demand for a passkey is met by it', async () => {
    const account = { id: `policy-${(n += 1)}`, email: `p${n}@example.com`, passwordHash: 'x' };
    await store.db.account.create({ data: account });
    const owner = { id: account.id, email: account.email };
    const options = await passkeys.beginRegistration(owner, 'console');
    const device = createSoftwareAuthenticator({ origin: rp.origin, rpId: rp.rpId });
    await passkeys.finishRegistration(owner, 'console', device.register(options), user);
    const fresh = { accountId: account.id, ip: '203.0.113.77', acrRequested: false, passkeyRequested: false };
    expect(await policy.decide(fresh)).toMatchObject({
      ask: true,
      enrol: false,
      reasons: ['new_device', 'new_network'],
    });
    expect(await policy.decide({ ...fresh, acrRequested: true, passkeyRequested: true })).toMatchObject({
      ask: true,
      enrol: false,
      passkey: true,
    });
  });

  test('a demand for a passkey from someone with only an app is set-up (of a passkey), not the app code', async () => {
    const { accountId, deviceId } = await settled();
    expect(
      await policy.decide({ ...calm(accountId, deviceId), acrRequested: true, passkeyRequested: true }),
    ).toMatchObject({ ask: true, enrol: true, passkey: true, reasons: ['passkey_requested'] });
  });
});
