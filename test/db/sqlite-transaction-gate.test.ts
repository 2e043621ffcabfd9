import { createMigratedDatabase } from '../support/test-database.js';
import type { Db, DriverConnection } from '../../src/db/create-prisma.js';
import { preparedRow } from '../../src/db/prepared-statements.js';
import type { AuditRow } from '../../src/audit/audit-queries.js';
import { createPreparedAuditInsert } from '../../src/audit/prepared-audit-insert.js';

// On SQLite, Prisma's adapter and our prepared statements share one connection, and a transaction
// is the connection's state: a statement another request runs while an interactive transaction is
// open must wait for it to end, not run inside it (see its writes, be rolled back with it). On
// PostgreSQL each runs on a pooled connection of its own; the same sentences hold there.

let store: Awaited<ReturnType<typeof createMigratedDatabase>>;
let db: Db;
let driver: DriverConnection;
/** How many audit rows have this id, read by a prepared statement (src/db/prepared-statements.ts). */
let preparedCount: (id: string) => Promise<{ n: number } | undefined>;

beforeAll(async () => {
  store = await createMigratedDatabase();
  ({ db, driver } = store);
  preparedCount = preparedRow<{ n: number }>(
    driver,
    'gatehouse_test_gate_count',
    'SELECT CAST(count(*) AS INTEGER) AS n FROM "AuditEvent" WHERE "id" = $1',
    { integers: ['n'] },
  );
});

afterAll(() => store.close());

const at = new Date(Date.UTC(2030, 0, 1));
const event = (id: string): AuditRow => ({
  id,
  at,
  type: 'gate_probe',
  outcome: 'success',
  reason: null,
  accountId: null,
  email: null,
  clientId: null,
  ip: null,
  userAgent: null,
  detail: null,
  count: 1,
  lastAt: at,
});

class Refusal extends Error {}

/** A transaction that writes `id`, then waits until `proceed` before it throws or returns. */
function openTransaction(id: string, ending: 'rollback' | 'commit') {
  let proceed!: () => void;
  const proceeding = new Promise<void>((resolve) => (proceed = resolve));
  let wrote!: () => void;
  const written = new Promise<void>((resolve) => (wrote = resolve));
  const done = db.$transaction(async (tx) => {
    await tx.auditEvent.create({ data: event(id) });
    wrote();
    await proceeding;
    if (ending === 'rollback') throw new Refusal();
  });
  return { written, proceed, done };
}

/** Prisma's operations run once something awaits them: this sends one off now. */
const started = <T>(operation: PromiseLike<T>): Promise<T> => Promise.resolve(operation);

const stored = async (...ids: string[]) =>
  (await db.auditEvent.findMany({ where: { id: { in: ids } }, select: { id: true } })).map(({ id }) => id).sort();

describe('a statement run while another request holds a transaction open', () => {
  test('neither joins it nor sees its writes, and outlives its rollback', async () => {
    const insert = createPreparedAuditInsert(driver);
    const transaction = openTransaction('gate-a', 'rollback');
    await transaction.written;

    const prismaWrite = started(db.auditEvent.create({ data: event('gate-b') }));
    const preparedWrite = insert.insert(event('gate-c'));
    const prismaRead = started(db.auditEvent.count({ where: { id: 'gate-a' } }));
    const preparedRead = preparedCount('gate-a');
    // Let every one of them reach the connection while the transaction is still open.
    await new Promise((resolve) => setTimeout(resolve, 50));
    transaction.proceed();

    await expect(transaction.done).rejects.toBeInstanceOf(Refusal);
    await Promise.all([prismaWrite, preparedWrite]);
    expect(await prismaRead).toBe(0);
    expect(await preparedRead).toEqual({ n: 0 });
    expect(await stored('gate-a', 'gate-b', 'gate-c')).toEqual(['gate-b', 'gate-c']);
  });

  test('runs once it commits, and then sees what it wrote', async () => {
    const transaction = openTransaction('gate-committed', 'commit');
    await transaction.written;
    const waiting = preparedCount('gate-committed');
    await new Promise((resolve) => setTimeout(resolve, 50));
    transaction.proceed();
    await transaction.done;
    // On SQLite it waited for the commit; on PostgreSQL it ran at once, before it.
    expect(await waiting).toEqual({ n: store.database.store === 'sqlite' ? 1 : 0 });
    expect(await stored('gate-committed')).toEqual(['gate-committed']);
  });

  test('many at once, beside transactions that roll back, all land', async () => {
    const insert = createPreparedAuditInsert(driver);
    const rounds = Array.from({ length: 5 }, async (_, round) => {
      const transaction = openTransaction(`gate-burst-tx-${round}`, 'rollback');
      await transaction.written;
      const writes = Array.from({ length: 4 }, (_, i) =>
        i % 2
          ? insert.insert(event(`gate-burst-${round}-${i}`))
          : started(db.auditEvent.create({ data: event(`gate-burst-${round}-${i}`) })),
      );
      setTimeout(transaction.proceed, 5);
      await expect(transaction.done).rejects.toBeInstanceOf(Refusal);
      await Promise.all(writes);
    });
    await Promise.all(rounds);
    const ids = await db.auditEvent.findMany({ where: { id: { startsWith: 'gate-burst-' } }, select: { id: true } });
    const expected = Array.from({ length: 5 }, (_, round) => [0, 1, 2, 3].map((i) => `gate-burst-${round}-${i}`));
    expect(ids.map(({ id }) => id).sort()).toEqual(expected.flat().sort());
  });
});

describe("a statement a transaction's own callback runs on the outer client", () => {
  // A mistake the queries layer must not make (it must use `tx`): on SQLite the statement waits for
  // the very transaction it is inside, until Prisma's timeout rolls that back. A clear failure, not
  // a hang; on PostgreSQL it simply runs beside the transaction.
  test('waits on SQLite until the transaction times out, then runs outside it: a failure, not a hang', async () => {
    const selfJoin = db.$transaction(
      async (tx) => {
        await tx.auditEvent.create({ data: event('gate-self-tx') });
        await db.auditEvent.create({ data: event('gate-self-outer') });
      },
      { timeout: 300 },
    );
    if (store.database.store === 'sqlite') {
      await expect(selfJoin).rejects.toThrow(/expired transaction/);
      expect(await stored('gate-self-tx', 'gate-self-outer')).toEqual(['gate-self-outer']);
    } else {
      await selfJoin;
      expect(await stored('gate-self-tx', 'gate-self-outer')).toEqual(['gate-self-outer', 'gate-self-tx']);
    }
  });
});

describe('a transaction refused at its COMMIT', () => {
  // SQLite keeps a transaction open when its COMMIT fails (sqlite.org/lang_transaction.html), and
  // Prisma then only releases it: the connection must not stay inside it. A deferred foreign key
  // fails at COMMIT on SQLite; PostgreSQL's are not deferrable, so there the insert itself fails.
  test('leaves the connection to the statements and transactions after it', async () => {
    const refused = db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe(
        store.database.store === 'sqlite' ? 'PRAGMA defer_foreign_keys = ON' : 'SET CONSTRAINTS ALL DEFERRED',
      );
      await tx.accountRole.create({ data: { accountId: 'gate-nobody', roleName: 'gate-no-role' } });
    });
    await expect(refused).rejects.toThrow(/foreign ?key/i);

    await db.auditEvent.create({ data: event('gate-after-refused-commit') });
    await db.$transaction(async (tx) => tx.auditEvent.create({ data: event('gate-after-refused-commit-tx') }));
    expect(await stored('gate-after-refused-commit', 'gate-after-refused-commit-tx')).toEqual([
      'gate-after-refused-commit',
      'gate-after-refused-commit-tx',
    ]);
    expect(await db.accountRole.count({ where: { accountId: 'gate-nobody' } })).toBe(0);
  });
});
