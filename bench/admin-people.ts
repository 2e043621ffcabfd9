// `npm run bench -- --admin-console`: the admin console's People list and search at 10,000 people on
// SQLite (issue 21: every list answers in under 100 ms). One in-process Gatehouse, one signed-in
// administrator, requests one at a time (a person clicking), each timed from request to the last byte.
// Writes its table between the admin-console markers of docs/benchmarks.md.
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { startSeededConsole } from './admin-console-fixture.js';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 10_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 40);
const GOAL_MS = 100;

const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? 0;

interface Row {
  readonly name: string;
  readonly samples: number[];
}

export async function runAdminConsoleBench(): Promise<void> {
  const began = performance.now();
  const load = loadavg()[0]?.toFixed(1);
  const seeded = await startSeededConsole({ people: PEOPLE });
  console.log(`admin console bench: ${PEOPLE} people seeded in ${((performance.now() - began) / 1000).toFixed(1)} s`);
  const { admin } = seeded;
  const time = async (path: string): Promise<{ ms: number; html: string }> => {
    const t0 = performance.now();
    const res = await admin.get(path);
    const html = await res.text();
    const ms = performance.now() - t0;
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    return { ms, html };
  };
  const repeat = async (name: string, path: string): Promise<Row> => {
    await time(path); // warm
    const samples: number[] = [];
    for (let i = 0; i < SAMPLES; i += 1) samples.push((await time(path)).ms);
    return { name, samples };
  };
  const rows: Row[] = [];
  try {
    rows.push(await repeat('People, first page', '/admin/people'));
    // Every page of the whole list, by its Next links (keyset: the last page costs what the first does).
    const walk: number[] = [];
    let path: string | undefined = '/admin/people';
    while (path) {
      const { ms, html } = await time(path);
      walk.push(ms);
      path = /<a href="([^"]+)" rel="next">/.exec(html)?.[1]?.replace(/&amp;/g, '&');
    }
    rows.push({ name: `People, every page in turn (${walk.length} pages)`, samples: walk });
    rows.push(await repeat('Search, a prefix matching 1,000 people ("ada")', '/admin/people?q=ada'));
    rows.push(
      await repeat('Search, a prefix matching a few people ("grace.hopper10")', '/admin/people?q=grace.hopper10'),
    );
    rows.push(await repeat('Search, a prefix matching no one ("zz")', '/admin/people?q=zz'));
    const first = /<a href="(\/admin\/people\/[^"]+)">/.exec((await time('/admin/people')).html)?.[1] as string;
    rows.push(await repeat("A person's page", first));
    rows.push(await repeat('Overview', '/admin'));
  } finally {
    await seeded.close();
  }

  const table = [
    `People: ${PEOPLE.toLocaleString('en')} on SQLite, ${SAMPLES} requests per row one at a time (the page walk: each page once), load average ${load} at the start (2 cores). Goal: under ${GOAL_MS} ms.`,
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
  const start = '<!-- admin-console:start (written by `npm run bench -- --admin-console`) -->';
  const end = '<!-- admin-console:end -->';
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from >= 0 && to > from) {
    writeFileSync(docs, `${text.slice(0, from + start.length)}\n${table}\n${text.slice(to)}`);
    console.log('wrote docs/benchmarks.md');
  }
}
