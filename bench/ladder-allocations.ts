// The table of `npm run bench -- --ladder --allocations` (bench/ladder.ts): per scenario and rung,
// what a request allocates and the promises it creates, with the step from the rung below.
import { cpus } from 'node:os';
import type { AllocationSample } from './allocation-sample.js';
import { writeBetweenMarkers } from './doc-markers.js';
import { LAST_BUILT_RUNG } from './ladder-rungs.js';
import { median } from './measure.js';
import type { Scenario } from './scenarios.js';
import type { Store } from './targets.js';

interface RunOf {
  readonly store: Store;
  readonly signIns: boolean;
  readonly rounds: number;
  readonly seconds: number;
  readonly began: number;
}

const signed = (step: number, digits: number) => `${step >= 0 ? '+' : '−'}${Math.abs(step).toFixed(digits)}`;

export function reportAllocations(
  scenarios: readonly Scenario[],
  allocated: ReadonlyMap<string, readonly AllocationSample[]>,
  { store, signIns, rounds, seconds, began }: RunOf,
): void {
  const count = LAST_BUILT_RUNG + 1;
  const rows = [
    `| Scenario | ${Array.from({ length: count }, (_, i) => `${i + 1}${i + 1 === count ? ' Gatehouse' : ''}`).join(' | ')} |`,
    `|---|${'---:|'.repeat(count)}`,
  ];
  for (const scenario of scenarios) {
    const cells: string[] = [];
    let below: { kib: number; promises: number } | undefined;
    for (let rung = 1; rung <= count; rung += 1) {
      const runs = allocated.get(`${scenario.name}|${rung}`) ?? [];
      const now = { kib: median(runs.map((r) => r.kib)), promises: median(runs.map((r) => r.promises)) };
      cells.push(
        below === undefined
          ? `${now.kib.toFixed(1)} KiB; ${now.promises.toFixed(0)}`
          : `${now.kib.toFixed(1)} (${signed(now.kib - below.kib, 1)}); ${now.promises.toFixed(0)} (${signed(now.promises - below.promises, 0)})`,
      );
      below = now;
    }
    rows.push(`| ${scenario.name} | ${cells.join(' | ')} |`);
  }
  const marker = `ladder-allocations${signIns ? '-sign-in' : ''}${store === 'postgresql' ? '-postgresql' : ''}`;
  const command = `npm run bench -- --ladder --allocations${store === 'postgresql' ? ' --postgresql' : ''}${signIns ? ' --sign-in' : ''}`;
  const per = signIns ? 'completed sign-in' : 'request answered 2xx';
  const generated = [
    `<!-- ${marker}:start (written by \`${command}\`; edit the prose around it, not this) -->`,
    `Run of ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC: \`${command}\` on ${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}, ` +
      `Node ${process.version}; rungs 2–7 on ${store === 'sqlite' ? 'SQLite' : 'PostgreSQL'}; ${rounds} round(s) of ${seconds} s per scenario and rung after the warm-up; ` +
      `per ${per}, medians: KiB allocated by the server process (V8's sampling heap profiler, every 4 KiB, collected objects included), ` +
      `then promises created; in brackets the step from the rung before. Took ${((performance.now() - began) / 1000).toFixed(0)} s.`,
    '',
    ...rows,
    `<!-- ${marker}:end -->`,
  ].join('\n');
  writeBetweenMarkers(marker, generated);
  console.log(`\n${generated}\n\nwrote docs/benchmarks.md`);
}
