import Database from 'better-sqlite3';
import pg from 'pg';
import { sqlitePath, type Db } from '../../src/db/create-prisma.js';

/** Runs a multi-statement SQL script straight through the driver. */
export async function executeScript(url: string, sql: string): Promise<void> {
  if (url.startsWith('file:')) {
    const db = new Database(sqlitePath(url));
    db.exec(sql);
    db.close();
    return;
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

const SQLITE_COLUMNS = `
  SELECT m.name AS tbl, p.name, p.type, p."notnull" AS not_null, p.dflt_value AS dflt, p.pk
  FROM sqlite_master m JOIN pragma_table_info(m.name) p
  WHERE m.type = 'table' AND m.name NOT LIKE '\\_prisma%' ESCAPE '\\' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
  ORDER BY tbl, p.name`;
const SQLITE_INDEXES = `
  SELECT m.name AS tbl, il.name AS idx, il."unique" AS uniq, il.partial, ii.seqno, ii.name AS col
  FROM sqlite_master m JOIN pragma_index_list(m.name) il JOIN pragma_index_info(il.name) ii
  WHERE m.type = 'table' AND m.name NOT LIKE '\\_prisma%' ESCAPE '\\'
  ORDER BY tbl, idx, ii.seqno`;
const PG_COLUMNS = `
  SELECT table_name, column_name, data_type, is_nullable, column_default
  FROM information_schema.columns
  WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'
  ORDER BY table_name, column_name`;
const PG_INDEXES = `
  SELECT tablename, indexname, indexdef FROM pg_indexes
  WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'
  ORDER BY tablename, indexname`;

/** Tables, columns and indexes as the database itself reports them, ready to compare. */
export async function schemaFingerprint(db: Db, store: 'sqlite' | 'postgresql'): Promise<unknown> {
  const [columns, indexes] = store === 'sqlite' ? [SQLITE_COLUMNS, SQLITE_INDEXES] : [PG_COLUMNS, PG_INDEXES];
  const rows = [await db.$queryRawUnsafe(columns), await db.$queryRawUnsafe(indexes)];
  return JSON.parse(JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v)));
}
