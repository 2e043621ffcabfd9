// `npx tsx bench/profile-summary.ts tmp/profiles/X.cpuprofile [fn] [N]`: where a server's CPU went,
// by package (or by function with `fn`), from a `node --cpu-prof` profile (`npm run bench -- --profile`).
// Frames in the bundle (dist/*.js) are traced back through its source maps to the package or
// source file they came from.
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

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

const maps = new Map<string, SourceMap | undefined>();
function sourceMapOf(url: string): SourceMap | undefined {
  if (!maps.has(url)) {
    const path = `${fileURLToPath(url)}.map`;
    maps.set(url, existsSync(path) ? new SourceMap(JSON.parse(readFileSync(path, 'utf8'))) : undefined);
  }
  return maps.get(url);
}

/** The file a frame's code came from: through the bundle's source map when it has one. */
function originalFile(frame: Frame): string {
  if (!frame.url.startsWith('file://') || !frame.url.includes('/dist/')) return frame.url;
  const entry = sourceMapOf(frame.url)?.findEntry(frame.lineNumber, frame.columnNumber);
  return entry && 'originalSource' in entry && entry.originalSource ? entry.originalSource : frame.url;
}

const self = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, i) => {
  const frame = nodes.get(id)?.callFrame;
  if (!frame) return;
  let key = originalFile(frame).replace(/^file:\/\//, '') || `(${frame.functionName || 'native'})`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(key)?.[1];
  if (pkg) key = pkg;
  else if (key.includes('/src/generated/')) key = 'src/generated (Prisma client)';
  else if (key.startsWith('node:')) key = 'node internals';
  else key = key.replace(/^.*?\/(dist\/)?(src|interactions)\//, '$2/');
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
