// V8's `--perf-basic-prof` appends a line to /tmp/perf-PID.map for every piece of code it makes
// ("START SIZE NAME", hexadecimal), and never takes one back. When code is freed or moved, new code
// can take its addresses, and perf, reading the file, may name a sample after the code that was
// there first: in a profile of sign-ins, Node's microtask loop came out as the CommonJS lexer that
// ran once at start-up. A profile taken after a warm-up wants the code that is there now.

interface Entry {
  readonly start: bigint;
  readonly end: bigint;
  readonly line: string;
}

/** The map with every entry dropped that a later one overlaps: the code made last at an address wins. */
export function latestCodeOnly(mapText: string): string {
  const entries: Entry[] = [];
  for (const line of mapText.split('\n')) {
    const match = /^([0-9a-fA-F]+) ([0-9a-fA-F]+) /.exec(line);
    if (!match) continue;
    const start = BigInt(`0x${match[1]}`);
    entries.push({ start, end: start + BigInt(`0x${match[2]}`), line });
  }
  // From the last line back, keep an entry only where nothing kept (made later) lies.
  const kept: Entry[] = []; // sorted by start, never overlapping
  for (let i = entries.length - 1; i >= 0; i -= 1) {
    const entry = entries[i] as Entry;
    let low = 0;
    let high = kept.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((kept[mid] as Entry).start < entry.start) low = mid + 1;
      else high = mid;
    }
    const before = kept[low - 1];
    const after = kept[low];
    if ((before && before.end > entry.start) || (after && after.start < entry.end)) continue;
    kept.splice(low, 0, entry);
  }
  return kept.map((e) => e.line).join('\n') + (kept.length ? '\n' : '');
}
