import argon2 from 'argon2';
import { createMigratedDatabase } from '../support/test-database.js';
import type { Db } from '../../src/db/create-prisma.js';
import { createAccountQueries } from '../../src/accounts/account-queries.js';
import { createPreparedAccountLookups } from '../../src/accounts/prepared-account-lookups.js';
import { createAccountService } from '../../src/accounts/account-service.js';
import { createPasswordHasher, type PasswordHasher } from '../../src/accounts/password-hasher.js';
import { createConcurrencyGate } from '../../src/accounts/concurrency-gate.js';
import { createSignInService } from '../../src/accounts/sign-in-service.js';
import { createPasswordCheck } from '../../src/accounts/password-check.js';
import { createSignInThrottle } from '../../src/throttle/sign-in-throttle.js';
import { createPreparedThrottleCounters } from '../../src/throttle/prepared-throttle-counters.js';
import { createAuditService } from '../../src/audit/audit-service.js';
import { createAuditQueries } from '../../src/audit/audit-queries.js';
import { frozenClock } from '../support/frozen-clock.js';
import { createPreparedAuditInsert } from '../../src/audit/prepared-audit-insert.js';

let store: Awaited<ReturnType<typeof createMigratedDatabase>>;
let db: Db;
const clock = frozenClock(Date.now());

beforeAll(async () => {
  store = await createMigratedDatabase();
  ({ db } = store);
});

afterAll(async () => {
  await store.close();
});

/** The real hasher, counting how often it really verifies. */
function countingHasher(params?: Parameters<typeof createPasswordHasher>[0]) {
  const real = createPasswordHasher(params);
  const counts = { verify: 0 };
  const hasher: PasswordHasher = {
    ...real,
    verify: (hash, password) => {
      counts.verify += 1;
      return real.verify(hash, password);
    },
  };
  return { hasher, counts };
}

function signInWith(hasher: PasswordHasher) {
  return createSignInService(
    createPasswordCheck({
      accounts: createAccountQueries(db, createPreparedAccountLookups(store.driver)),
      hasher,
      gate: createConcurrencyGate(4, 32),
      throttle: createSignInThrottle({ counters: createPreparedThrottleCounters(store.driver), clock }),
      audit: createAuditService(createAuditQueries(db, createPreparedAuditInsert(store.driver)), undefined, clock),
    }),
  );
}

describe('the sign-in service', () => {
  it("stores argon2id hashes at or above OWASP's minimum", async () => {
    const account = await createAccountService(
      createAccountQueries(db, createPreparedAccountLookups(store.driver)),
      createPasswordHasher(),
      clock,
    ).create({ email: 'hash@example.com', password: 'a perfectly fine one' });
    const { passwordHash } = await db.account.findUniqueOrThrow({ where: { id: account.id } });
    expect(passwordHash).toMatch(/^\$argon2id\$v=19\$/);
    const param = (name: string) => Number(new RegExp(`[$,]${name}=(\\d+)`).exec(passwordHash)?.[1]);
    const [m, t, p] = [param('m'), param('t'), param('p')];
    expect(m).toBeGreaterThanOrEqual(19456);
    expect(t).toBeGreaterThanOrEqual(2);
    expect(p).toBeGreaterThanOrEqual(1);
  });

  it('spends a real argon2 verification on an unknown email, as on a wrong password', async () => {
    const { hasher, counts } = countingHasher();
    const service = signInWith(hasher);
    expect(await service.signIn({ email: 'ghost@example.com', password: 'whatever it is', ip: '192.0.2.10' })).toEqual({
      ok: false,
      reason: 'invalid_credentials',
    });
    expect(counts.verify).toBe(1);
    expect(await service.signIn({ email: 'hash@example.com', password: 'not the one', ip: '192.0.2.10' })).toEqual({
      ok: false,
      reason: 'invalid_credentials',
    });
    expect(counts.verify).toBe(2);
  });

  it('refuses an over-long password without hashing it', async () => {
    const { hasher, counts } = countingHasher();
    expect(
      await signInWith(hasher).signIn({ email: 'hash@example.com', password: 'p'.repeat(5000), ip: '192.0.2.11' }),
    ).toEqual({ ok: false, reason: 'overlong_password' });
    expect(counts.verify).toBe(0);
  });

  it('rehashes on sign-in when the configured cost has changed', async () => {
    const stronger = { memoryKiB: 19456, iterations: 3, parallelism: 1 };
    const result = await signInWith(createPasswordHasher(stronger)).signIn({
      email: 'hash@example.com',
      password: 'a perfectly fine one',
      ip: '192.0.2.12',
    });
    expect(result.ok).toBe(true);
    const { passwordHash } = await db.account.findUniqueOrThrow({ where: { email: 'hash@example.com' } });
    expect(passwordHash).toContain('t=3');
    expect(await argon2.verify(passwordHash, 'a perfectly fine one')).toBe(true);
  });
});
