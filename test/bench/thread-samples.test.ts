import { latestCodeMap } from '../../bench/latest-code-map.js';
import { KERNEL_OWNER, samplesByOwner } from '../../bench/thread-samples.js';

// The thread profile (bench/thread-profile.ts) charges each sample to the innermost JavaScript on
// its stack, as `perf script` prints it, naming V8's code from its map as it stands at the end.

const ownerOf = (url: string, line: number, column: number) => `${url.replace('file://', '')}@${line}:${column}`;

const sample = (...frames: string[]) =>
  ['node  9202   410.074960:     250000 cpu-clock: ', ...frames.map((f) => `\t    ${f}`)].join('\n');

// V8's map: the lexer's code was freed at start-up and the microtask loop's took its addresses.
const code = latestCodeMap(
  [
    '7f7b19b89000 1000 JS:*parseSource node:internal/deps/cjs-module-lexer/lexer:85:22',
    '7f7b19b89000 1000 JS:^writevGeneric node:internal/stream_base_commons:121:22',
    '7f7b19b70000 1000 JS:*handleResponse file:///work/main/dist/chunk.js:22710:32',
    '7f7b19b33000 1000 JS:^ file:///work/main/dist/chunk.js:30333:25',
    '7f7b19b34000 1000 JS:*get body file:///work/main/dist/chunk.js:10:5',
  ].join('\n'),
).nameAt;

describe("a thread's samples by owner", () => {
  it('charges a sample to the innermost JavaScript frame, with the native code it called', () => {
    const script = [
      sample(
        '1957b2c Builtins_CallFunction+0xec (/opt/node22/bin/node)',
        '7f7b19b89857 JS:^writevGeneric node:internal/stream_base_commons:121:22+0x857 (/tmp/perf-9202.map)',
        '7f7b19b70bd1 JS:*handleResponse file:///work/main/dist/chunk.js:22710:32+0xbd1 (/tmp/perf-9202.map)',
      ),
      sample('7f7b19b70bd1 JS:*handleResponse file:///work/main/dist/chunk.js:22710:32+0xbd1 (/tmp/perf-9202.map)'),
    ].join('\n\n');
    expect(samplesByOwner(script, ownerOf, code)).toEqual(
      new Map([
        ['node:internal/stream_base_commons@120:21', 1],
        ['/work/main/dist/chunk.js@22709:31', 1],
      ]),
    );
  });

  it("names V8's code from the map as it stands, not from what perf took from the map's first lines", () => {
    const script = sample(
      '7f7b19b89857 JS:*parseSource node:internal/deps/cjs-module-lexer/lexer:85:22+0x857 (/tmp/perf-9202.map)',
    );
    expect([...samplesByOwner(script, ownerOf, code).keys()]).toEqual(['node:internal/stream_base_commons@120:21']);
  });

  it('reads anonymous functions and names with spaces', () => {
    const script = [
      sample('7f7b19b33dd9 [unknown] (/tmp/perf-9202.map)'),
      sample('7f7b19b34009 [unknown] (/tmp/perf-9202.map)'),
    ].join('\n\n');
    const named = (url: string, line: number, column: number, name: string) => `${ownerOf(url, line, column)} ${name}`;
    expect([...samplesByOwner(script, named, code).keys()]).toEqual([
      '/work/main/dist/chunk.js@30332:24 ',
      '/work/main/dist/chunk.js@9:4 get body',
    ]);
  });

  it("gives the kernel's samples a row of their own, whichever JavaScript made the system call", () => {
    const script = sample(
      'ffffffff81a0 tcp_sendmsg+0x10 ([kernel.kallsyms])',
      'ffffffff8100 entry_SYSCALL_64+0x1 ([kernel.kallsyms])',
      '7f7b19b89857 JS:^writevGeneric node:internal/stream_base_commons:121:22+0x857 (/tmp/perf-9202.map)',
    );
    expect(samplesByOwner(script, ownerOf, code)).toEqual(new Map([[KERNEL_OWNER, 1]]));
  });

  it('puts a sample without JavaScript under the garbage collector or native code', () => {
    const script = [
      sample(
        'fe1bb9 v8::internal::Heap::CollectGarbage+0xd9 (/opt/node22/bin/node)',
        '193b947 uv_run+0x187 (/opt/node22/bin/node)',
      ),
      sample('1951884 uv__io_poll+0x374 (/opt/node22/bin/node)', '193b947 uv_run+0x187 (/opt/node22/bin/node)'),
      sample('7f0000000001 [unknown] (/tmp/perf-9202.map)', '193b947 uv_run+0x187 (/opt/node22/bin/node)'),
    ].join('\n\n');
    expect(samplesByOwner(script, ownerOf, code)).toEqual(
      new Map([
        ['(garbage collection)', 1],
        ['(native, no JavaScript)', 2],
      ]),
    );
  });
});
