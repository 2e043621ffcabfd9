import { latestCodeOnly } from '../../bench/latest-code-map.js';

// The thread profile names samples from V8's perf map (bench/thread-profile.ts): code made later at
// the same addresses must win over what was there before.

describe("a perf map's latest code", () => {
  it('keeps the code made last where two pieces of code took the same addresses', () => {
    const map = [
      '1000 100 JS:*parseSource node:lexer:85:22',
      '1000 80 JS:*processTicksAndRejections node:task_queues:72:35',
    ].join('\n');
    expect(latestCodeOnly(map)).toBe('1000 80 JS:*processTicksAndRejections node:task_queues:72:35\n');
  });

  it('drops older code that only partly overlaps newer code', () => {
    const map = ['2000 40 JS:~old a.js:1:1', '2030 20 JS:^new b.js:2:2'].join('\n');
    expect(latestCodeOnly(map)).toBe('2030 20 JS:^new b.js:2:2\n');
  });

  it('keeps code side by side that never shared an address, in address order', () => {
    const map = ['3100 10 JS:^b b.js:1:1', '3000 100 JS:^a a.js:1:1', '3110 10 JS:^c c.js:1:1'].join('\n');
    expect(latestCodeOnly(map).split('\n').filter(Boolean)).toEqual([
      '3000 100 JS:^a a.js:1:1',
      '3100 10 JS:^b b.js:1:1',
      '3110 10 JS:^c c.js:1:1',
    ]);
  });

  it('ignores lines that are not entries', () => {
    expect(latestCodeOnly('\nnot an entry\n')).toBe('');
  });
});
