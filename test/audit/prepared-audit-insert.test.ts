import { createMigratedDatabase } from '../support/test-database.js';
import { storedRows } from '../support/stored-rows.js';
import type { Db, DriverConnection } from '../../src/db/create-prisma.js';
import { Prisma } from '../../src/generated/sqlite/client.js';
import type { AuditRow, PreparedAuditInsert } from '../../src/audit/audit-queries.js';
import { createPreparedAuditInsert } from '../../src/audit/prepared-audit-insert.js';

// Every audit event not folded is written by this prepared statement, the only implementation of
// the insert: the row must be the one Prisma's model API writes from the same AuditRow, every
// column, stored in the same format, on the store DATABASE_URL selects.

let store: Awaited<ReturnType<typeof createMigratedDatabase>>;
let db: Db;
let driver: DriverConnection;
let prepared: PreparedAuditInsert;

beforeAll(async () => {
  store = await createMigratedDatabase();
  ({ db, driver } = store);
  prepared = createPreparedAuditInsert(driver);
});

afterAll(() => store.close());

const full = (id: string): AuditRow => ({
  id,
  at: new Date(Date.UTC(2030, 1, 2, 3, 4, 5, 6)),
  type: 'sign_in',
  outcome: 'success',
  reason: 'password ✓',
  accountId: 'acct-1',
  email: 'ada@example.com',
  clientId: 'client-1',
  ip: '203.0.113.9',
  userAgent: 'Mozilla/5.0 (ü)',
  detail: JSON.stringify({ amr: ['pwd'], note: 'ü ✓ "quoted"' }),
  count: 1,
  lastAt: new Date(Date.UTC(2030, 1, 2, 3, 4, 5, 6)),
});

const sparse = (id: string): AuditRow => ({
  ...full(id),
  reason: null,
  accountId: null,
  email: null,
  clientId: null,
  ip: null,
  userAgent: null,
  detail: null,
  count: 3,
  lastAt: new Date(Date.UTC(2031, 0, 1)),
});

const stored = async (id: string) => {
  const [row] = await storedRows(driver, 'SELECT * FROM "AuditEvent" WHERE "id" = $1', id);
  return { ...row, id: 'x' };
};

describe('prepared AuditEvent insert', () => {
  it("writes every column as Prisma's model API writes the same row (nulls, count and foldKey included)", async () => {
    for (const [name, row] of [
      ['full', full],
      ['sparse', sparse],
    ] as const) {
      await db.auditEvent.create({ data: row(`${name}-prisma`) });
      await prepared.insert(row(`${name}-prepared`));
      const ours = await db.auditEvent.findUniqueOrThrow({ where: { id: `${name}-prepared` } });
      const theirs = await db.auditEvent.findUniqueOrThrow({ where: { id: `${name}-prisma` } });
      expect(Object.keys(ours).sort()).toEqual(Object.keys(Prisma.AuditEventScalarFieldEnum).sort());
      expect({ ...ours, id: 'x' }).toEqual({ ...theirs, id: 'x' });
      expect(ours).toEqual({ ...row(`${name}-prepared`), foldKey: null });
      expect(await stored(`${name}-prepared`)).toEqual(await stored(`${name}-prisma`));
    }
  });
});
