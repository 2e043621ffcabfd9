// `npm run bench -- --admin-audit-log`: the admin console's Audit log over a long trail on SQLite
// (issue 21: every list answers in under 100 ms). The seeded console of bench/admin-console-fixture.ts,
// plus EVENTS audit rows written straight to the table over 30 days: mostly sign-ins, some failures,
// second-step decisions, a few admin changes and throttling. Requests one at a time, each timed from
// request to the last byte. Writes its table between the admin-audit-log markers of docs/benchmarks.md.
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { readFileSync, writeFileSync } from 'node:fs';
import { startSeededConsole } from './admin-console-fixture.js';
import { createDatabase } from '../src/db/create-prisma.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 200_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 30);
const GOAL_MS = 100;
const DAY = 24 * 3600 * 1000;

const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? 0;

/** One seeded event: its kind by the share it has of a real trail. */
function eventAt(i: number, at: Date) {
  const person = i % 5000;
  const r = (i * 7919) % 1000;
  const [type, outcome, reason] =
    r < 700
      ? ['signin', 'success', null]
      : r < 850
        ? ['signin', 'failure', 'invalid_credentials']
        : r < 990
          ? ['mfa.decision', 'success', r % 2 ? 'asked' : 'skipped']
          : r < 999
            ? ['admin.client.updated', 'success', null]
            : ['signin.throttled', 'blocked', 'too_many_failures'];
  return {
    id: randomUUID(),
    at,
    lastAt: at,
    type,
    outcome,
    reason,
    accountId: `account-${person}`,
    email: `person${person}@example.com`,
    clientId: `app-${i % 20}`,
    ip: `10.0.${person % 250}.${i % 250}`,
    userAgent: 'Mozilla/5.0',
    detail: type === 'mfa.decision' ? JSON.stringify({ reasons: ['new_device'], mode: 'adaptive' }) : null,
    count: 1,
  };
}

export async function runAdminAuditLogBench(): Promise<void> {
  const load = loadavg()[0]?.toFixed(1);
  const seeded = await startSeededConsole({ people: 100 });
  const { db, close } = createDatabase(seeded.databaseUrl);
  const began = performance.now();
  const now = Date.now();
  for (let from = 0; from < EVENTS; from += 5000) {
    const rows = Array.from({ length: Math.min(5000, EVENTS - from) }, (_, k) =>
      eventAt(from + k, new Date(now - 30 * DAY + ((from + k) * 30 * DAY) / EVENTS)),
    );
    await db.auditEvent.createMany({ data: rows });
  }
  await close();
  console.log(`audit log bench: ${EVENTS} events seeded in ${((performance.now() - began) / 1000).toFixed(1)} s`);
  const { admin } = seeded;
  // The browser's kept-alive connection was closed by the server while the rows were written: the
  // first request may meet the reset; the next opens a new connection.
  await admin.get('/admin/audit').catch(() => undefined);
  const time = async (path: string) => {
    const t0 = performance.now();
    const res = await admin.get(path);
    const text = await res.text();
    const ms = performance.now() - t0;
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    return { ms, text };
  };
  const repeat = async (name: string, path: string) => {
    await time(path);
    const samples: number[] = [];
    for (let i = 0; i < SAMPLES; i += 1) samples.push((await time(path)).ms);
    return { name, samples };
  };
  const day = new Date(now - 10 * DAY).toISOString().slice(0, 16);
  const nextDay = new Date(now - 9 * DAY).toISOString().slice(0, 16);
  const rows: { name: string; samples: number[] }[] = [];
  try {
    rows.push(await repeat('Audit log, first page', '/admin/audit'));
    const walk: number[] = [];
    let path: string | undefined = '/admin/audit';
    for (let page = 0; page < 40 && path; page += 1) {
      const { ms, text } = await time(path);
      walk.push(ms);
      path = /<a href="([^"]+)" rel="next">/.exec(text)?.[1]?.replace(/&amp;/g, '&');
    }
    rows.push({ name: `Audit log, the first ${walk.length} pages in turn`, samples: walk });
    rows.push(await repeat('One person (email)', '/admin/audit?person=person42%40example.com'));
    rows.push(await repeat('One application', '/admin/audit?application=app-7'));
    rows.push(await repeat('A common type (signin)', '/admin/audit?type=signin'));
    rows.push(await repeat('A rare type (signin.throttled, 0.1%)', '/admin/audit?type=signin.throttled'));
    rows.push(await repeat('A rare outcome (blocked)', '/admin/audit?outcome=blocked'));
    rows.push(await repeat('A type absent from the trail', '/admin/audit?type=admin.keys.rotated'));
    rows.push(await repeat('One day', `/admin/audit?since=${day}&until=${nextDay}`));
    rows.push(await repeat('Export: one person, NDJSON', '/admin/audit/export?person=person42%40example.com'));
  } finally {
    await seeded.close();
  }
  const table = [
    `Audit events: ${EVENTS.toLocaleString('en')} over 30 days on SQLite, ${SAMPLES} requests per row one at a time, load average ${load} at the start (2 cores). Goal: under ${GOAL_MS} ms.`,
    '',
    '| Request | median ms | p95 ms | max ms |',
    '|---|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${quantile(r.samples, 0.5).toFixed(1)} | ${quantile(r.samples, 0.95).toFixed(1)} | ${Math.max(...r.samples).toFixed(1)} |`,
    ),
  ].join('\n');
  console.log(table);
  const docs = new URL('../docs/benchmarks.md', import.meta.url);
  const text = readFileSync(docs, 'utf8');
  const start = '<!-- admin-audit-log:start (written by `npm run bench -- --admin-audit-log`) -->';
  const end = '<!-- admin-audit-log:end -->';
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from >= 0 && to > from) {
    writeFileSync(docs, `${text.slice(0, from + start.length)}\n${table}\n${text.slice(to)}`);
    console.log('wrote docs/benchmarks.md');
  }
}
