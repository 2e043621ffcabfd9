// The scale bench's statement timing (bench/scale.ts): the hot path's own prepared OidcRecord
// statements, timed from the bench process on the server's database while the server is idle, on the
// small tables and again on the large ones. A whole request's CPU moves by 20 to 50 % from round to
// round on the shared machine; a statement timed thousands of times in a tight loop does not, and it
// is the only part of a token request whose cost could grow with the table.
import type { DriverConnection } from '../src/db/create-prisma.js';
import { createPreparedOidcRecords } from '../src/db/prepared-oidc-records.js';
import { median } from './measure.js';

const ROUNDS = 5;
const CALLS = 2000;
const SAMPLE = 2000;

export interface StatementCosts {
  /** µs per call, the median of ROUNDS rounds of CALLS calls, by statement. */
  readonly [statement: string]: number;
}

interface SampleRow {
  readonly model: string;
  readonly id: string;
  readonly uid: string | null;
}

/** Live rows spread over the table: every `step`-th by primary key, so not one hot corner of the index. */
async function sampleOf(driver: DriverConnection, now: Date): Promise<SampleRow[]> {
  const sql = `SELECT "model", "id", "uid" FROM "OidcRecord" WHERE "expiresAt" > $1 ORDER BY "model", "id"`;
  const rows =
    driver.store === 'sqlite'
      ? ((await driver.outsideTransaction((db) =>
          db.prepare(sql.replace('$1', '?')).all(now.toISOString().replace('Z', '+00:00')),
        )) as SampleRow[])
      : (await driver.pool.query<SampleRow>(sql, [now.toISOString().replace('T', ' ').replace('Z', '')])).rows;
  const step = Math.max(1, Math.floor(rows.length / SAMPLE));
  return rows.filter((_, i) => i % step === 0).slice(0, SAMPLE);
}

async function perCall(calls: number, run: (i: number) => Promise<unknown>): Promise<number> {
  const rounds: number[] = [];
  // One round more than measured, the first thrown away: the code compiled and the pages read in.
  for (let round = 0; round <= ROUNDS; round += 1) {
    const started = performance.now();
    for (let i = 0; i < calls; i += 1) await run(i);
    if (round > 0) rounds.push(((performance.now() - started) * 1000) / calls);
  }
  return median(rounds);
}

export async function timeStatements(driver: DriverConnection, label: string): Promise<StatementCosts> {
  const now = new Date();
  const statements = createPreparedOidcRecords(driver, () => now.getTime());
  const sample = await sampleOf(driver, now);
  const sessions = sample.filter((row) => row.uid !== null);
  if (sample.length === 0) throw new Error('no live OidcRecord rows to time the look-ups on');
  const pick = <T>(rows: readonly T[], i: number) => rows[i % rows.length] as T;
  const expiresAt = new Date(now.getTime() + 3600_000);
  const costs: Record<string, number> = {
    'find by id': await perCall(CALLS, (i) => {
      const row = pick(sample, i);
      return statements.findLive(row.model, row.id, now);
    }),
    'find among three models': await perCall(CALLS, (i) =>
      statements.findLiveAmong(['AccessToken', 'ClientCredentials', 'RefreshToken'], pick(sample, i).id, now),
    ),
    ...(sessions.length
      ? {
          'find a session by uid': await perCall(CALLS, (i) =>
            statements.findLiveBy('Session', 'uid', pick(sessions, i).uid as string, now),
          ),
        }
      : {}),
    'insert a token, then delete it': await perCall(CALLS / 4, async (i) => {
      const id = `bench-statement-${label}-${i}-${Math.random().toString(36).slice(2)}`;
      await statements.upsert({
        model: 'ClientCredentials',
        id,
        payload: '{"kind":"ClientCredentials","jti":"x","clientId":"bench","exp":0}',
        grantId: null,
        userCode: null,
        uid: null,
        accountId: null,
        expiresAt,
      });
      await statements.destroy('ClientCredentials', id);
    }),
  };
  console.log(
    `  ${driver.store} ${label}: ` +
      Object.entries(costs)
        .map(([name, us]) => `${name} ${us.toFixed(1)} µs`)
        .join(', '),
  );
  return costs;
}
