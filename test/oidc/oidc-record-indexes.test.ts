import Database from 'better-sqlite3';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { migrate } from '../../src/db/migrate.js';
import { createAdapter, createDatabase, sqlitePath, type Db } from '../../src/db/create-prisma.js';
import { PrismaClient as SqliteClient } from '../../src/generated/sqlite/client.js';
import { PrismaClient as PostgresClient } from '../../src/generated/postgresql/client.js';
import { createOidcRecordQueries, type OidcRecordQueries } from '../../src/db/oidc-record-queries.js';
import {
  createPreparedOidcRecords,
  FIND_LIVE_BY_SQL,
  FIND_AMONG_SQL,
  FIND_LIVE_WITH_GRANT_SQL,
  sweepExpiredSql,
} from '../../src/db/prepared-oidc-records.js';
import { pgDate, sqliteDate } from '../../src/db/prepared-statements.js';
import { mergedLookupSql } from '../../src/db/turn-merged-lookup.js';

// OidcRecord's grantId, uid, userCode and accountId indexes hold only the rows that have a value
// (prisma/schema.prisma). Every look-up by one of them must still be able to use its index: these
// tests take the statements Prisma really sends (and our prepared ones) and ask the store for their plan, with parameters
// unbound (PostgreSQL's generic plan) and sequential scans off, so what is shown is what is usable.

let database: TestDatabase;
let db: Db;
/** The queries, on the logged client above (the look-ups below are Prisma's, not the prepared statements). */
let records: OidcRecordQueries;
let prepared: ReturnType<typeof createDatabase>;
const sent: { query: string; params: unknown[] }[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  await migrate(database.url);
  const log = { log: [{ emit: 'event' as const, level: 'query' as const }] };
  const adapter = createAdapter(database.url);
  const client =
    adapter instanceof PrismaBetterSqlite3
      ? new SqliteClient({ adapter, ...log })
      : new PostgresClient({ adapter, ...log });
  (client as unknown as { $on(event: 'query', listener: (e: { query: string; params: string }) => void): void }).$on(
    'query',
    (e) => sent.push({ query: e.query, params: JSON.parse(e.params) as unknown[] }),
  );
  db = client as unknown as Db;
  prepared = createDatabase(database.url);
  records = createOidcRecordQueries(
    db,
    createPreparedOidcRecords(prepared.driver, () => Date.now()),
  );
});

afterAll(async () => {
  await db.$disconnect();
  await prepared.close();
  await database.drop();
});

/** The plan of the one statement `run` makes Prisma send, as text. */
async function planOf(run: () => Promise<unknown>): Promise<string> {
  sent.splice(0);
  await run();
  expect(sent).toHaveLength(1);
  return planOfStatement(sent[0] as { query: string; params: unknown[] });
}

/** The plan of `query` (`?` or `$n` parameters) with `params`, as text. */
async function planOfStatement({ query, params }: { query: string; params: unknown[] }): Promise<string> {
  if (database.store === 'sqlite') {
    const file = new Database(sqlitePath(database.url), { readonly: true });
    // `$n` laid out as SQLite's positional `?`, each bound in the order it appears.
    const order: number[] = [];
    const positional = query.replace(/\$(\d+)/g, (_, n: string) => {
      order.push(Number(n) - 1);
      return '?';
    });
    const bound = order.length ? order.map((i) => params[i]) : params;
    try {
      return file
        .prepare(`EXPLAIN QUERY PLAN ${positional}`)
        .all(...bound.map((p) => (typeof p === 'object' && p !== null ? String(p) : p)))
        .map((row) => (row as { detail: string }).detail)
        .join('\n');
    } finally {
      file.close();
    }
  }
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    await client.query('SET enable_seqscan = off');
    await client.query('SET plan_cache_mode = force_generic_plan');
    await client.query(`PREPARE probe AS ${query}`);
    const literals = params.map((p) => (typeof p === 'number' ? String(p) : `'${String(p).replace(/'/g, "''")}'`));
    const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN EXECUTE probe(${literals.join(', ')})`);
    return rows.map((row) => row['QUERY PLAN']).join('\n');
  } finally {
    await client.end();
  }
}

describe('OidcRecord look-ups by an indexed column use its partial index', () => {
  const now = new Date();

  it.each([
    [
      'grantId (revoking what a grant issued)',
      'OidcRecord_model_grantId_idx',
      () => records.destroyByGrantId('AccessToken', 'g1'),
    ],
    [
      "accountId (a person's sessions and apps)",
      'OidcRecord_model_accountId_idx',
      () => records.listLiveByAccount('Session', 'a1', now),
    ],
    ['uid, deleting (ending a session)', 'OidcRecord_model_uid_idx', () => records.destroyByUid('Session', 'u1')],
  ])('by %s', async (_what, index, run) => {
    expect(await planOf(run)).toContain(index);
  });
});

describe('the prepared look-ups by uid and user code use their partial index', () => {
  // Bound as the statements bind them: dates in each store's text form.
  const at = (date: Date) => (database.store === 'sqlite' ? sqliteDate(date) : pgDate(date));

  it.each([
    ['uid (an interaction, a session)', 'OidcRecord_model_uid_idx', FIND_LIVE_BY_SQL.uid, 'Session'],
    ['userCode (a device code)', 'OidcRecord_model_userCode_idx', FIND_LIVE_BY_SQL.userCode, 'DeviceCode'],
  ])('by %s', async (_what, index, query, model) => {
    expect(await planOfStatement({ query, params: [model, 'value', at(new Date())] })).toContain(index);
  });
});

describe('the prepared look-up of a record with its grant', () => {
  // Both halves, and the grant id read from the record, by primary key: never a walk over grants.
  it('finds the record, its grant id and the grant by primary key', async () => {
    const now = database.store === 'sqlite' ? sqliteDate(new Date()) : pgDate(new Date());
    const plan = await planOfStatement({ query: FIND_LIVE_WITH_GRANT_SQL, params: ['RefreshToken', 'value', now] });
    if (database.store === 'sqlite') {
      expect(plan.match(/USING INDEX sqlite_autoindex_OidcRecord_1 \(model=\? AND id=\?\)/g)).toHaveLength(3);
      expect(plan).not.toMatch(/SCAN/);
    } else {
      expect(plan.match(/OidcRecord_pkey/g)).toHaveLength(3);
      expect(plan).not.toMatch(/Seq Scan/);
    }
  });
});

describe("the prepared look-ups of one turn together (PostgreSQL's merged statements)", () => {
  // Each key's look-up as its own subquery, by the index the single look-up uses: never a join
  // over every live row, whatever the table's statistics say.
  it.each([
    [
      'a token among models',
      FIND_AMONG_SQL,
      4,
      'OidcRecord_pkey',
      ['{a,b}', '{AccessToken,AccessToken}', '{RefreshToken,RefreshToken}', '{ClientCredentials,ClientCredentials}'],
    ],
    [
      'a record with its grant',
      FIND_LIVE_WITH_GRANT_SQL,
      2,
      'OidcRecord_pkey',
      ['{RefreshToken,RefreshToken}', '{a,b}'],
    ],
    ['a session by uid', FIND_LIVE_BY_SQL.uid, 2, 'OidcRecord_model_uid_idx', ['{Session,Session}', '{a,b}']],
  ])('finds %s by its index', async (_what, sql, keys, index, arrays) => {
    if (database.store !== 'postgresql') return; // SQLite runs a turn's statements in one transaction instead
    const plan = await planOfStatement({ query: mergedLookupSql(sql, keys), params: [...arrays, pgDate(new Date())] });
    expect(plan).toContain(index);
    expect(plan).not.toMatch(/Seq Scan|Hash Join|Merge Join/);
  });
});

describe('the expiry sweep', () => {
  // A bounded batch (src/oidc/expiry-sweeper.ts): its keys come off the expiresAt index, oldest
  // first, and each row goes by primary key, never by a scan of the table or of every expired row.
  it('finds its batch by the expiresAt index and deletes each row by primary key', async () => {
    const sql = sweepExpiredSql(200, database.store);
    let plan: string;
    if (database.store === 'sqlite') {
      const file = new Database(sqlitePath(database.url), { readonly: true });
      try {
        plan = file
          .prepare(`EXPLAIN QUERY PLAN ${sql.replace(/\$1/g, '?1')}`)
          .all({ 1: new Date().toISOString() })
          .map((row) => (row as { detail: string }).detail)
          .join('\n');
      } finally {
        file.close();
      }
      // By rowid, and nothing else on the outer delete that a planner could prefer to walk instead.
      expect(plan.split('\n')).toEqual([
        'SEARCH OidcRecord USING INTEGER PRIMARY KEY (rowid=?)',
        'LIST SUBQUERY 1',
        'SEARCH OidcRecord USING COVERING INDEX OidcRecord_expiresAt_idx (expiresAt<?)',
      ]);
    } else {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        await client.query('SET enable_seqscan = off');
        await client.query('SET plan_cache_mode = force_generic_plan');
        await client.query(`PREPARE sweep(timestamp) AS ${sql}`);
        const { rows } = await client.query<{ 'QUERY PLAN': string }>("EXPLAIN EXECUTE sweep('2030-01-01 00:00:00')");
        plan = rows.map((row) => row['QUERY PLAN']).join('\n');
      } finally {
        await client.end();
      }
      // Bounded by the literal LIMIT whatever the plan (at 1,000,000 rows PostgreSQL then joins
      // by primary key, measured in docs/benchmarks.md; on an empty table it may hash the few rows).
      expect(plan).toContain('Limit');
    }
    expect(plan).toContain('OidcRecord_expiresAt_idx');
  });
});
