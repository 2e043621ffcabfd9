import { createMigratedDatabase } from '../support/test-database.js';
import { frozenClock } from '../support/frozen-clock.js';
import { gatehouse } from '../support/run-gatehouse.js';
import { createAuditQueries } from '../../src/audit/audit-queries.js';
import { createAuditService, FOLD_WINDOW_MS, NOT_AN_EMAIL } from '../../src/audit/audit-service.js';
import { startAuditRetention } from '../../src/audit/audit-retention.js';
import { createLogger } from '../../src/kernel/logger.js';
import { createPreparedAuditInsert } from '../../src/audit/prepared-audit-insert.js';

let store: Awaited<ReturnType<typeof createMigratedDatabase>>;

beforeAll(async () => {
  store = await createMigratedDatabase();
});

afterAll(async () => {
  await store.close();
});

const DAY = 24 * 3600 * 1000;
const throttled = (email: string, ip: string) => ({
  type: 'signin.throttled' as const,
  outcome: 'blocked' as const,
  reason: 'too_many_failures',
  email,
  ip,
});

describe('the audit trail', () => {
  it('never stores what was typed into the email field unless it looks like an email (ASVS 4.0 §7.1.1: no credentials in logs)', async () => {
    const audit = createAuditService(
      createAuditQueries(store.db, createPreparedAuditInsert(store.driver)),
      undefined,
      frozenClock(Date.now()),
    );
    await audit.record({
      type: 'signin',
      outcome: 'failure',
      reason: 'unknown_account',
      email: 'Tr0ub4dor&3 my password',
      ip: '192.0.2.1',
    });
    await audit.record({
      type: 'signin',
      outcome: 'failure',
      reason: 'unknown_account',
      email: 'typo@example',
      ip: '192.0.2.1',
    });
    await audit.record({
      type: 'signin',
      outcome: 'failure',
      reason: 'wrong_password',
      email: 'someone@example.com',
      ip: '192.0.2.1',
    });
    const rows = await store.db.auditEvent.findMany({ where: { ip: '192.0.2.1' } });
    expect(rows.map((r) => r.email).sort()).toEqual([NOT_AN_EMAIL, NOT_AN_EMAIL, 'someone@example.com'].sort());
    expect(JSON.stringify(rows)).not.toContain('Tr0ub4dor');
  });

  it('folds repeated throttle events of one email, address and reason within a window into one row with a count', async () => {
    const clock = frozenClock(Date.UTC(2026, 2, 1, 10, 0, 0));
    const audit = createAuditService(
      createAuditQueries(store.db, createPreparedAuditInsert(store.driver)),
      undefined,
      clock,
    );
    await audit.record(throttled('fold@example.com', '192.0.2.2'));
    clock.advance(60_000);
    await audit.record(throttled('fold@example.com', '192.0.2.2'));
    clock.advance(60_000);
    await audit.record(throttled('fold@example.com', '192.0.2.2'));
    clock.advance(1000);
    await audit.record(throttled('fold@example.com', '192.0.2.3'));
    const events = await audit.list({ email: 'fold@example.com' });
    expect(events.map((e) => [e.ip, e.count])).toEqual([
      ['192.0.2.3', 1],
      ['192.0.2.2', 3],
    ]);
    const folded = events.find((e) => e.ip === '192.0.2.2');
    expect(folded?.at).toBe(new Date(Date.UTC(2026, 2, 1, 10, 0, 0)).toISOString());
    expect(folded?.lastAt).toBe(new Date(Date.UTC(2026, 2, 1, 10, 2, 0)).toISOString());

    // The next window starts a new row; other events are never folded.
    clock.advance(FOLD_WINDOW_MS);
    await audit.record(throttled('fold@example.com', '192.0.2.2'));
    clock.advance(1000);
    await audit.record({
      type: 'signin',
      outcome: 'failure',
      reason: 'wrong_password',
      email: 'fold@example.com',
      ip: '192.0.2.2',
    });
    await audit.record({
      type: 'signin',
      outcome: 'failure',
      reason: 'wrong_password',
      email: 'fold@example.com',
      ip: '192.0.2.2',
    });
    const after = await audit.list({ email: 'fold@example.com' });
    expect(after.map((e) => [e.type, e.ip, e.count])).toEqual([
      ['signin', '192.0.2.2', 1],
      ['signin', '192.0.2.2', 1],
      ['signin.throttled', '192.0.2.2', 1],
      ['signin.throttled', '192.0.2.3', 1],
      ['signin.throttled', '192.0.2.2', 3],
    ]);
  });

  it('counts every one of many concurrent throttle events on one row (atomic across instances)', async () => {
    const clock = frozenClock(Date.UTC(2026, 2, 2, 10, 0, 0));
    // Separate services, as separate instances would have, all writing at once.
    const instances = Array.from({ length: 5 }, () =>
      createAuditService(createAuditQueries(store.db, createPreparedAuditInsert(store.driver)), undefined, clock),
    );
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => instances[i % 5]?.record(throttled('race@example.com', '192.0.2.4'))),
    );
    const rows = await store.db.auditEvent.findMany({ where: { email: 'race@example.com' } });
    expect(rows.map((r) => r.count)).toEqual([40]);
  });

  it('deletes events past AUDIT_RETENTION_DAYS by their last occurrence, keeping recent ones', async () => {
    const clock = frozenClock(Date.UTC(2025, 0, 1));
    const audit = createAuditService(
      createAuditQueries(store.db, createPreparedAuditInsert(store.driver)),
      undefined,
      clock,
    );
    await audit.record({ type: 'logout', outcome: 'success', email: 'old@example.com' });
    await audit.record(throttled('old@example.com', '192.0.2.5'));
    clock.advance(300 * DAY);
    await audit.record({ type: 'logout', outcome: 'success', email: 'old@example.com' });
    clock.advance(66 * DAY);
    // 366 days after the first events: they go, the one from day 300 stays.
    expect(await audit.deleteExpired(365, 1)).toBe(2);
    expect((await audit.list({ email: 'old@example.com' })).map((e) => e.type)).toEqual(['logout']);
  });

  it('is swept on a timer, as the server wires it', async () => {
    const clock = frozenClock(Date.UTC(2024, 0, 1));
    const audit = createAuditService(
      createAuditQueries(store.db, createPreparedAuditInsert(store.driver)),
      undefined,
      clock,
    );
    await audit.record({ type: 'logout', outcome: 'success', email: 'swept@example.com' });
    clock.advance(31 * DAY);
    const stop = startAuditRetention(audit, 30, 20, createLogger('silent'));
    try {
      for (let i = 0; i < 100 && (await audit.list({ email: 'swept@example.com' })).length; i += 1)
        await new Promise((r) => setTimeout(r, 20));
      expect(await audit.list({ email: 'swept@example.com' })).toEqual([]);
    } finally {
      stop();
    }
  });

  it('shows the count in `gatehouse audit`', async () => {
    const env = { DATABASE_URL: store.database.url };
    const text = await gatehouse(env, 'audit', '--email', 'race@example.com');
    expect(text.stdout.split('\n')[0]).toMatch(/\bcount\b/);
    expect(text.stdout).toMatch(/\b40\b/);
    const json = (await gatehouse(env, 'audit', '--email', 'race@example.com', '--json')).json<{
      events: { count: number; lastAt: string }[];
    }>();
    expect(json.events).toEqual([expect.objectContaining({ count: 40, lastAt: expect.any(String) })]);
  });
});
