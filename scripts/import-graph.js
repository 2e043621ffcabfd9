#!/usr/bin/env node
// The import graph of src/ and interactions/ measured against the floors (scripts/floors.js):
// every import that climbs to a higher floor, and every cycle between folders.
// `node scripts/import-graph.js` prints them; `--json` gives them to a test.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { floorOf, rankOf } from './floors.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;

function sourceFiles(dir) {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' ? [] : sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Every relative import between two floors: { from, to, fromFloor, toFloor }. */
export function crossFloorImports() {
  const edges = [];
  for (const from of [...sourceFiles('src'), ...sourceFiles('interactions')]) {
    for (const match of readFileSync(join(root, from), 'utf8').matchAll(IMPORT)) {
      const to = relative(root, join(root, normalize(join(dirname(from), match[1] ?? match[2])))).replace(
        /\.js$/,
        '.ts',
      );
      const [fromFloor, toFloor] = [floorOf(from), floorOf(to)];
      if (to.startsWith('src/generated/') || fromFloor === toFloor) continue;
      edges.push({ from, to, fromFloor, toFloor });
    }
  }
  return edges;
}

/** Groups of floors that reach each other (Tarjan's strongly connected components, size > 1). */
export function floorCycles(edges) {
  const next = new Map();
  for (const { fromFloor, toFloor } of edges) {
    next.set(fromFloor, new Set([...(next.get(fromFloor) ?? []), toFloor]));
    if (!next.has(toFloor)) next.set(toFloor, new Set());
  }
  let counter = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const groups = [];
  const visit = (v) => {
    index.set(v, counter);
    low.set(v, counter);
    counter += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v)) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) === index.get(v)) {
      const group = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1) groups.push(group.sort());
    }
  };
  for (const v of next.keys()) if (!index.has(v)) visit(v);
  return groups;
}

export function measure() {
  const edges = crossFloorImports();
  const upward = edges.filter(({ fromFloor, toFloor }) => rankOf(toFloor) > rankOf(fromFloor));
  return { upward, cycles: floorCycles(edges) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { upward, cycles } = measure();
  if (process.argv.includes('--json')) console.log(JSON.stringify({ upward, cycles }));
  else {
    for (const { from, to } of upward) console.log(`up: ${from} -> ${to}`);
    for (const group of cycles) console.log(`cycle: ${group.join(' <-> ')}`);
    console.log(`${upward.length} upward imports, ${cycles.length} folder cycles`);
  }
}
