import { latestCodeMap } from '../../bench/latest-code-map.js';

// The thread profile names samples from V8's perf map (bench/thread-profile.ts): code made later at
// the same addresses must win over what was there before.

describe("a perf map's latest code", () => {
  it('names an address after the code made last there', () => {
    const map = latestCodeMap(
      [
        '1000 100 JS:*parseSource node:lexer:85:22',
        '1000 80 JS:*processTicksAndRejections node:task_queues:72:35',
      ].join('\n'),
    );
    expect(map.nameAt(0x1010n)).toBe('JS:*processTicksAndRejections node:task_queues:72:35');
    // Beyond the newer code, the older code it overlapped is gone too.
    expect(map.nameAt(0x1090n)).toBeUndefined();
  });

  it('drops older code that only partly overlaps newer code', () => {
    const map = latestCodeMap(['2000 40 JS:~old a.js:1:1', '2030 20 JS:^new b.js:2:2'].join('\n'));
    expect(map.nameAt(0x2000n)).toBeUndefined();
    expect(map.nameAt(0x2030n)).toBe('JS:^new b.js:2:2');
    expect(map.nameAt(0x204fn)).toBe('JS:^new b.js:2:2');
    expect(map.nameAt(0x2050n)).toBeUndefined();
  });

  it('keeps code side by side that never shared an address', () => {
    const map = latestCodeMap(
      ['3100 10 JS:^b b.js:1:1', '3000 100 JS:^a a.js:1:1', '3110 10 JS:^c c.js:1:1'].join('\n'),
    );
    expect([0x3000n, 0x30ffn, 0x3100n, 0x3110n, 0x3120n].map((a) => map.nameAt(a))).toEqual([
      'JS:^a a.js:1:1',
      'JS:^a a.js:1:1',
      'JS:^b b.js:1:1',
      'JS:^c c.js:1:1',
      undefined,
    ]);
  });

  it('ignores lines that are not entries', () => {
    expect(latestCodeMap('\nnot an entry\n').nameAt(0n)).toBeUndefined();
  });
});
