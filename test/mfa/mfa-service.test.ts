import { randomBytes } from 'node:crypto';
import { createMigratedDatabase } from '../support/test-database.js';
import { frozenClock } from '../support/frozen-clock.js';
import { createMfaQueries } from '../../src/mfa/mfa-queries.js';
import { createMfaService, type MfaService } from '../../src/mfa/mfa-service.js';
import { createSecondStepThrottle } from '../../src/mfa/second-step-throttle.js';
import { createPreparedThrottleCounters } from '../../src/throttle/prepared-throttle-counters.js';
import { createAuditService } from '../../src/audit/audit-service.js';
import { createAuditQueries } from '../../src/audit/audit-queries.js';
import { totpCodeAt } from '../../src/mfa/totp.js';
import type { GatehouseError } from '../../src/kernel/gatehouse-error.js';
import { createPreparedAuditInsert } from '../../src/audit/prepared-audit-insert.js';
import { preparedMfaStatements } from '../support/prepared-mfa-statements.js';

let store: Awaited<ReturnType<typeof createMigratedDatabase>>;
const clock = frozenClock(Date.UTC(2026, 10, 27, 12, 0, 10));
const kek = randomBytes(32);
const user = { by: 'user' as const, ip: '203.0.113.9', userAgent: 'test' };
let mfa: MfaService;
let n = 0;

beforeAll(async () => {
  store = await createMigratedDatabase();
  const audit = createAuditService(
    createAuditQueries(store.db, createPreparedAuditInsert(store.driver)),
    undefined,
    clock,
  );
  mfa = createMfaService({
    queries: createMfaQueries(store.db, preparedMfaStatements(store.driver)),
    audit,
    throttle: createSecondStepThrottle({ counters: createPreparedThrottleCounters(store.driver), clock }),
    kek,
    productName: 'Gatehouse',
    clock,
  });
});

afterAll(() => store.close());

/** A fresh account with a confirmed authenticator; returns its secret and recovery codes. */
async function enrolled() {
  const account = { id: `acct-${(n += 1)}`, email: `person${n}@example.com` };
  const { secret } = await mfa.beginTotpEnrolment(account, 'here');
  const codes = await mfa.confirmTotpEnrolment(account, await totpCodeAt(secret, clock()), 'here', user);
  clock.advance(60_000); // the enrolment code's step is spent; the current one and the one before are fresh
  return { account, secret, codes };
}

const codeOf = (error: unknown) => (error as GatehouseError).code;

describe('enrolment', () => {
  test('nothing is enabled until a code from the app proves it works; then ten recovery codes come back once', async () => {
    const account = { id: 'enrol-1', email: 'enrol@example.com' };
    const { secret, uri } = await mfa.beginTotpEnrolment(account, 'here');
    expect(uri).toContain(`secret=${secret}`);
    expect(await mfa.status(account.id)).toEqual({ totp: false, recoveryCodesLeft: 0 });
    await expect(mfa.confirmTotpEnrolment(account, '000000', 'here', user)).rejects.toMatchObject({
      code: 'ERR_MFA_CODE_INVALID',
    });
    const codes = await mfa.confirmTotpEnrolment(account, await totpCodeAt(secret, clock()), 'here', user);
    expect(codes).toHaveLength(10);
    expect(await mfa.status(account.id)).toEqual({ totp: true, recoveryCodesLeft: 10 });
  });

  test('the secret is sealed at rest, bound to its account', async () => {
    const { account, secret } = await enrolled();
    const row = await store.db.totpFactor.findUniqueOrThrow({ where: { accountId: account.id } });
    expect(row.secret).not.toContain(secret);
    expect(row.secret).toMatch(/^v1\./);
  });

  test('a confirmed factor is never replaced by a new enrolment', async () => {
    const { account } = await enrolled();
    await expect(mfa.beginTotpEnrolment(account, 'here')).rejects.toMatchObject({ code: 'ERR_MFA_ALREADY_ENROLLED' });
  });

  test('a pending secret is shown and confirmed only where its set-up started; a start elsewhere replaces it', async () => {
    const account = { id: 'enrol-bound', email: 'bound@example.com' };
    const first = await mfa.beginTotpEnrolment(account, 'console session');
    expect(await mfa.pendingTotp(account, 'console session')).toEqual(first);
    expect(await mfa.pendingTotp(account, 'another sign-in')).toBeUndefined();
    await expect(
      mfa.confirmTotpEnrolment(account, await totpCodeAt(first.secret, clock()), 'another sign-in', user),
    ).rejects.toMatchObject({ code: 'ERR_MFA_NO_ENROLMENT' });

    const second = await mfa.beginTotpEnrolment(account, 'another sign-in');
    expect(second.secret).not.toBe(first.secret);
    expect(await mfa.pendingTotp(account, 'console session')).toBeUndefined();
    await expect(
      mfa.confirmTotpEnrolment(account, await totpCodeAt(first.secret, clock()), 'console session', user),
    ).rejects.toMatchObject({ code: 'ERR_MFA_NO_ENROLMENT' });
    expect(
      await mfa.confirmTotpEnrolment(account, await totpCodeAt(second.secret, clock()), 'another sign-in', user),
    ).toHaveLength(10);
  });
});

describe('the second step (RFC 6238 §5.2)', () => {
  test('the current code and the previous step are accepted; each step only once', async () => {
    const { account, secret } = await enrolled();
    const previous = await totpCodeAt(secret, clock() - 30_000);
    const current = await totpCodeAt(secret, clock());
    expect(await mfa.verify(account.id, { totp: previous }, user)).toBe('totp');
    expect(await mfa.verify(account.id, { totp: current }, user)).toBe('totp');
    await expect(mfa.verify(account.id, { totp: current }, user)).rejects.toMatchObject({
      code: 'ERR_MFA_CODE_INVALID',
    });
    await expect(mfa.verify(account.id, { totp: previous }, user)).rejects.toMatchObject({
      code: 'ERR_MFA_CODE_INVALID',
    });
  });

  test('two parallel submissions of one code give exactly one success', async () => {
    const { account, secret } = await enrolled();
    const code = await totpCodeAt(secret, clock());
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, () => mfa.verify(account.id, { totp: code }, user)),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  test('each recovery code works once, even in parallel, and the count goes down', async () => {
    const { account, codes } = await enrolled();
    const [first, second] = codes as [string, string];
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, () => mfa.verify(account.id, { recoveryCode: first }, user)),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await mfa.verify(account.id, { recoveryCode: second.toLowerCase().replace(/-/g, ' ') }, user)).toBe(
      'recovery_code',
    );
    expect((await mfa.status(account.id)).recoveryCodesLeft).toBe(8);
  });

  test('regenerated recovery codes replace every old one', async () => {
    const { account, codes } = await enrolled();
    const fresh = await mfa.regenerateRecoveryCodes(account.id, user);
    await expect(mfa.verify(account.id, { recoveryCode: codes[0] as string }, user)).rejects.toMatchObject({
      code: 'ERR_MFA_CODE_INVALID',
    });
    expect(await mfa.verify(account.id, { recoveryCode: fresh[0] as string }, user)).toBe('recovery_code');
  });

  test('wrong codes are throttled per account after five, and the throttle is audited', async () => {
    const { account, secret } = await enrolled();
    const outcomes: string[] = [];
    for (let i = 0; i < 7; i += 1) {
      try {
        await mfa.verify(account.id, { totp: '000000' }, user);
      } catch (error) {
        outcomes.push(codeOf(error));
      }
    }
    expect(outcomes.slice(0, 5)).toEqual(Array(5).fill('ERR_MFA_CODE_INVALID'));
    expect(outcomes.slice(5)).toEqual(['ERR_MFA_THROTTLED', 'ERR_MFA_THROTTLED']);
    // Even the right code waits out the block: guessing cannot continue in parallel with it.
    await expect(mfa.verify(account.id, { totp: await totpCodeAt(secret, clock()) }, user)).rejects.toMatchObject({
      code: 'ERR_MFA_THROTTLED',
    });
    const events = await store.db.auditEvent.findMany({ where: { accountId: account.id, type: 'mfa.verify' } });
    expect(events.filter((e) => e.outcome === 'failure')).toHaveLength(6);
    expect(events.some((e) => e.outcome === 'blocked')).toBe(true);
  });

  test("a live remembered browser of the account has its own allowance of wrong codes; a forged, foreign or forgotten one counts on the account's", async () => {
    const { account, secret } = await enrolled();
    const device = await mfa.rememberDevice(account.id, 3600, user);
    const forgotten = await mfa.rememberDevice(account.id, 3600, user);
    await mfa.forgetDevice(account.id, forgotten.id, user);
    const other = await enrolled();
    const foreign = await mfa.rememberDevice(other.account.id, 3600, user);
    const outcomes: string[] = [];
    for (let i = 0; i < 6; i += 1) outcomes.push(await mfa.verify(account.id, { totp: 'abcdef' }, user).catch(codeOf));
    expect(outcomes.at(-1)).toBe('ERR_MFA_THROTTLED');

    for (const rememberedDevice of ['forged', foreign.id, forgotten.id]) {
      await expect(
        mfa.verify(account.id, { totp: await totpCodeAt(secret, clock()) }, { ...user, rememberedDevice }),
      ).rejects.toMatchObject({ code: 'ERR_MFA_THROTTLED' });
    }
    const own = { ...user, rememberedDevice: device.id };
    await expect(mfa.verify(account.id, { totp: 'abcdef' }, own)).rejects.toMatchObject({
      code: 'ERR_MFA_CODE_INVALID',
    });
    expect(await mfa.verify(account.id, { totp: await totpCodeAt(secret, clock()) }, own)).toBe('totp');
  });
});

describe('turning it off and the operator reset', () => {
  test('removing the app needs a current code or a recovery code, and forgets remembered devices', async () => {
    const { account, codes } = await enrolled();
    const device = await mfa.rememberDevice(account.id, 3600, user);
    await expect(mfa.removeTotp(account, { totp: '000000' }, user)).rejects.toMatchObject({
      code: 'ERR_MFA_CODE_INVALID',
    });
    await mfa.removeTotp(account, { recoveryCode: codes[3] as string }, user);
    expect(await mfa.status(account.id)).toEqual({ totp: false, recoveryCodesLeft: 0 });
    expect(await mfa.isDeviceRemembered(account.id, device.id)).toBe(false);
  });

  test('the operator reset removes the factor, the codes and the devices', async () => {
    const { account } = await enrolled();
    await mfa.rememberDevice(account.id, 3600, user);
    expect(await mfa.reset(account.id, account.email)).toEqual({ removed: true, devices: 1 });
    expect(await mfa.status(account.id)).toEqual({ totp: false, recoveryCodesLeft: 0 });
  });
});

describe('status', () => {
  test('counts the recovery codes of an account whose only second factor is a passkey (they come with its first passkey)', async () => {
    const account = { id: `acct-${(n += 1)}`, email: `person${n}@example.com` };
    // What the passkey service stores with a first passkey (src/passkeys/passkey-registration.ts).
    await createMfaQueries(store.db, preparedMfaStatements(store.driver)).replaceRecoveryCodes(account.id, [
      'h1',
      'h2',
      'h3',
    ]);
    expect(await mfa.status(account.id)).toEqual({ totp: false, recoveryCodesLeft: 3 });
  });
});

describe('remembered devices', () => {
  test('a device is remembered for its own account only, until it expires or is forgotten', async () => {
    const { account } = await enrolled();
    const other = await enrolled();
    const device = await mfa.rememberDevice(account.id, 3600, user);
    expect(await mfa.isDeviceRemembered(account.id, device.id)).toBe(true);
    expect(await mfa.isDeviceRemembered(other.account.id, device.id)).toBe(false);
    expect(await mfa.isDeviceRemembered(account.id, 'forged-id')).toBe(false);
    expect(await mfa.isDeviceRemembered(account.id, undefined)).toBe(false);

    clock.advance(3601_000);
    expect(await mfa.isDeviceRemembered(account.id, device.id)).toBe(false);

    const again = await mfa.rememberDevice(account.id, 3600, user);
    expect((await mfa.listDevices(account.id)).map((d) => d.id)).toEqual([again.id]);
    expect(await mfa.forgetDevice(account.id, again.id, user)).toBe(true);
    expect(await mfa.isDeviceRemembered(account.id, again.id)).toBe(false);
  });
});
