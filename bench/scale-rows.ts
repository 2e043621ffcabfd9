// The scale bench's data (bench/scale.ts), written straight into Gatehouse's tables by set-based SQL
// (a recursive CTE on SQLite, generate_series on PostgreSQL: the rows never cross into JavaScript),
// in the columns and value formats Gatehouse itself writes (src/db/prepared-oidc-records.ts,
// src/db/prepared-statements.ts: SQLite dates as ISO text with `+00:00`, PostgreSQL's timestamp(3)
// in UTC), so the server reads them as its own.
import type { DriverConnection } from '../src/db/create-prisma.js';
import { pgDate, sqliteDate } from '../src/db/prepared-statements.js';

/**
 * live: expiring 1 hour to 31 days from now; expired: in the last hour; ancient: in 2000 (swept only
 * by a cut-off in 2000, for timing batches); accounts: people who own the Grant and Session rows.
 */
export type RowKind = 'live' | 'expired' | 'ancient' | 'accounts';

const CHUNK = 100_000;
const ACCOUNTS_LINKED = 100_000;
const GRANTS = 200_000;
const DAY = 86_400;
const Y2000 = 946_684_800;
/** Each kind's ids apart from the others', and each call's from the previous one's. */
const next: Record<RowKind, number> = { live: 0, expired: 0, ancient: 0, accounts: 0 };
const PREFIX: Record<Exclude<RowKind, 'accounts'>, string> = { live: 'l', expired: 'e', ancient: 'a' };

/** Expiry in Unix seconds: base + sign × (1 + i·7919 mod spread), spread over the window. */
const expiryOf = (kind: Exclude<RowKind, 'accounts'>, nowSeconds: number) =>
  ({
    live: { base: nowSeconds + 3600, sign: 1, spread: 30 * DAY },
    expired: { base: nowSeconds, sign: -1, spread: 3600 },
    ancient: { base: Y2000, sign: -1, spread: 3600 },
  })[kind];

// The mix of a busy server's table: 35 % access tokens, 20 % refresh tokens, 25 % client-credentials
// tokens, 10 % grants, 10 % sessions; payloads about the size oidc-provider writes for each
// (roughly 350 to 750 bytes of JSON); ids 44 characters like the provider's, in scattered order.
const MODEL = (i: string) => `CASE WHEN ${i} % 20 < 7 THEN 'AccessToken' WHEN ${i} % 20 < 11 THEN 'RefreshToken'
  WHEN ${i} % 20 < 16 THEN 'ClientCredentials' WHEN ${i} % 20 < 18 THEN 'Grant' ELSE 'Session' END`;
const PAD = `CASE m WHEN 'AccessToken' THEN 250 WHEN 'RefreshToken' THEN 500 WHEN 'ClientCredentials' THEN 100
  WHEN 'Grant' THEN 300 ELSE 400 END`;
const COLUMNS =
  '"model", "id", "payload", "grantId", "userCode", "uid", "accountId", "expiresAt", "consumedAt", "createdAt", "updatedAt"';

// SQLite: ? 1 first i, 2 last i, 3 id prefix, 4 base, 5 sign, 6 spread, 7 createdAt text.
const SQLITE_RECORDS = `WITH RECURSIVE n(i) AS (SELECT ?1 UNION ALL SELECT i + 1 FROM n WHERE i < ?2)
  INSERT INTO "OidcRecord" (${COLUMNS})
  SELECT m, id,
    printf('{"iat":%d,"exp":%d,"jti":"%s","kind":"%s","clientId":"bench-client","accountId":"bench-acct-%d","grantId":"g%09d","scope":"openid email offline_access","sessionUid":"s%d","pad":"%.*c"}',
      exp - 3600, exp, id, m, i % ${ACCOUNTS_LINKED}, i % ${GRANTS}, i, ${PAD}, 'x'),
    CASE WHEN m IN ('AccessToken', 'RefreshToken') THEN printf('g%09d', i % ${GRANTS}) END,
    NULL,
    CASE WHEN m = 'Session' THEN 'u' || id END,
    CASE WHEN m IN ('Grant', 'Session') THEN printf('bench-acct-%d', i % ${ACCOUNTS_LINKED}) END,
    strftime('%Y-%m-%dT%H:%M:%f+00:00', exp, 'unixepoch'), NULL, ?7, ?7
  FROM (SELECT i, printf('%s%09d%034d', ?3, (i * 2654435761) % 1000000007, i) AS id, ${MODEL('i')} AS m,
    ?4 + ?5 * (1 + (i * 7919) % ?6) AS exp FROM n)`;

const PG_RECORDS = `INSERT INTO "OidcRecord" (${COLUMNS})
  SELECT m, id,
    format('{"iat":%s,"exp":%s,"jti":"%s","kind":"%s","clientId":"bench-client","accountId":"bench-acct-%s","grantId":"g%s","scope":"openid email offline_access","sessionUid":"s%s","pad":"%s"}',
      exp - 3600, exp, id, m, i % ${ACCOUNTS_LINKED}, lpad((i % ${GRANTS})::text, 9, '0'), i, repeat('x', ${PAD})),
    CASE WHEN m IN ('AccessToken', 'RefreshToken') THEN 'g' || lpad((i % ${GRANTS})::text, 9, '0') END,
    NULL,
    CASE WHEN m = 'Session' THEN 'u' || id END,
    CASE WHEN m IN ('Grant', 'Session') THEN 'bench-acct-' || (i % ${ACCOUNTS_LINKED}) END,
    to_timestamp(exp) AT TIME ZONE 'UTC', NULL, $7::timestamp, $7::timestamp
  FROM (SELECT i, $3 || lpad(((i * 2654435761) % 1000000007)::text, 9, '0') || lpad(i::text, 34, '0') AS id,
    ${MODEL('i')} AS m, $4 + $5 * (1 + (i * 7919) % $6) AS exp
    FROM generate_series($1::bigint, $2::bigint) AS i) AS s`;

// Accounts: ? 1 first i, 2 last i, 3 password hash (one shared argon2id hash), 4 createdAt.
const SQLITE_ACCOUNTS = `WITH RECURSIVE n(i) AS (SELECT ?1 UNION ALL SELECT i + 1 FROM n WHERE i < ?2)
  INSERT INTO "Account" ("id", "email", "name", "passwordHash", "emailVerified", "disabled", "createdAt", "updatedAt")
  SELECT printf('bench-acct-%d', i), printf('person%d@bench.example', i), printf('Person %d', i), ?3, 1, 0, ?4, ?4 FROM n`;
const PG_ACCOUNTS = `INSERT INTO "Account" ("id", "email", "name", "passwordHash", "emailVerified", "disabled", "createdAt", "updatedAt")
  SELECT 'bench-acct-' || i, 'person' || i || '@bench.example', 'Person ' || i, $3, true, false, $4::timestamp, $4::timestamp
  FROM generate_series($1::bigint, $2::bigint) AS i`;

/** Writes `count` rows of `kind`, CHUNK rows a statement (each its own transaction). */
export async function generateRows(driver: DriverConnection, kind: RowKind, count: number, nowMs: number) {
  const created = new Date(nowMs);
  const first = next[kind];
  next[kind] += count;
  let hash = '';
  if (kind === 'accounts') hash = await sharedHash(driver);
  for (let start = first; start < first + count; start += CHUNK) {
    const end = Math.min(first + count, start + CHUNK) - 1;
    const values =
      kind === 'accounts'
        ? [start, end, hash]
        : (() => {
            const { base, sign, spread } = expiryOf(kind, Math.floor(nowMs / 1000));
            return [start, end, PREFIX[kind], base, sign, spread];
          })();
    if (driver.store === 'sqlite') {
      const sql = kind === 'accounts' ? SQLITE_ACCOUNTS : SQLITE_RECORDS;
      // Numbered parameters (better-sqlite3 binds `?n` by name): the date is the last, ?4 or ?7.
      const numbered = [...values, sqliteDate(created)].map((value, i) => [i + 1, value]);
      await driver.outsideTransaction((db) => db.prepare(sql).run(Object.fromEntries(numbered)));
    } else {
      const sql = kind === 'accounts' ? PG_ACCOUNTS : PG_RECORDS;
      await driver.pool.query(sql, [...values, pgDate(created)]);
    }
  }
}

/** The password hash of the person the fixtures made: one argon2id hash for every generated account. */
async function sharedHash(driver: DriverConnection): Promise<string> {
  const sql = 'SELECT "passwordHash" FROM "Account" ORDER BY "createdAt" LIMIT 1';
  const row =
    driver.store === 'sqlite'
      ? ((await driver.outsideTransaction((db) => db.prepare(sql).get())) as { passwordHash: string } | undefined)
      : (await driver.pool.query<{ passwordHash: string }>(sql)).rows[0];
  if (!row) throw new Error('no account to borrow a password hash from (run the fixtures first)');
  return row.passwordHash;
}
