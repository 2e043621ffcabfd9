// V8's `--perf-basic-prof` appends a line to /tmp/perf-PID.map for every piece of code it makes
// ("START SIZE NAME", hexadecimal), and never takes one back. When code is freed or moved, new code
// can take its addresses, and perf, reading the file, may name a sample after the code that was
// there first: in a profile of sign-ins, Node's microtask loop came out as the CommonJS lexer that
// ran once at start-up. A profile taken after a warm-up wants the code that is there now. The file
// stays as V8 writes it (V8 keeps writing at its own offset); samples are named from it here.

/** Where V8's `--perf-basic-prof` writes process `pid`'s map: always /tmp, whatever TMPDIR says. */
export const perfMapOf = (pid: number) => `/tmp/perf-${pid}.map`;

interface Entry {
  readonly start: bigint;
  readonly end: bigint;
  readonly name: string;
}

/** The index of the first of `sorted` (by start) that starts at or after `address`. */
function firstFrom(sorted: readonly Entry[], address: bigint): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((sorted[mid] as Entry).start < address) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The code at each address of a perf map, where the code made last at an address wins. */
export function latestCodeMap(mapText: string): { nameAt(address: bigint): string | undefined } {
  const entries: Entry[] = [];
  for (const line of mapText.split('\n')) {
    const match = /^([0-9a-fA-F]+) ([0-9a-fA-F]+) (.*)$/.exec(line);
    if (!match) continue;
    const start = BigInt(`0x${match[1]}`);
    entries.push({ start, end: start + BigInt(`0x${match[2]}`), name: match[3] as string });
  }
  // From the last line back, keep an entry only where nothing kept (made later) lies.
  const kept: Entry[] = []; // sorted by start, never overlapping
  for (let i = entries.length - 1; i >= 0; i -= 1) {
    const entry = entries[i] as Entry;
    const at = firstFrom(kept, entry.start);
    const before = kept[at - 1];
    const after = kept[at];
    if ((before && before.end > entry.start) || (after && after.start < entry.end)) continue;
    kept.splice(at, 0, entry);
  }
  return {
    nameAt(address) {
      const entry = kept[firstFrom(kept, address + 1n) - 1];
      return entry && address < entry.end ? entry.name : undefined;
    },
  };
}
