// `npx tsx bench/profile-summary.ts tmp/profiles/X.cpuprofile [fn] [N]`: where a server's CPU went,
// by package (or by function with `fn`), from a `node --cpu-prof` profile (`npm run bench -- --profile`).
// Frames in the bundle (dist/*.js) are traced back through its source maps to the package or
// source file they came from.
import { readFileSync } from 'node:fs';
import { codeOwner } from './code-owner.js';

interface Frame {
  url: string;
  functionName: string;
  lineNumber: number;
  columnNumber: number;
}
interface Profile {
  nodes: { id: number; callFrame: Frame }[];
  samples: number[];
  timeDeltas: number[];
}
const [file, mode, top] = process.argv.slice(2);
if (!file) throw new Error('usage: bench/profile-summary.ts FILE.cpuprofile [fn] [N]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));

const self = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, i) => {
  const frame = nodes.get(id)?.callFrame;
  if (!frame) return;
  let key = frame.url
    ? codeOwner(frame.url, frame.lineNumber, frame.columnNumber)
    : `(${frame.functionName || 'native'})`;
  if (key.startsWith('node:')) key = 'node internals';
  if (mode === 'fn') key += ` ${frame.functionName}:${frame.lineNumber}`;
  const dt = profile.timeDeltas[i] ?? 0;
  self.set(key, (self.get(key) ?? 0) + dt);
  total += dt;
});
const busy = total - (self.get('((idle))') ?? 0) - (self.get('(idle)') ?? 0);
console.log(`${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy; self time, share of busy:`);
for (const [key, us] of [...self]
  .filter(([k]) => !k.includes('idle'))
  .sort((a, b) => b[1] - a[1])
  .slice(0, Number(top ?? 25))) {
  console.log(`${(us / 1000).toFixed(0).padStart(8)} ms ${((100 * us) / busy).toFixed(1).padStart(5)}%  ${key}`);
}
