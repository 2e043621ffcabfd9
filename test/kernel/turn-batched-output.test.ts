import { execFile, spawn } from 'node:child_process';
import fs, { mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { turnBatchedOutput } from '../../src/kernel/turn-batched-output.js';
import { createLogger } from '../../src/kernel/logger.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-log-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const turnEnds = () => new Promise((resolve) => setImmediate(resolve));
const lines = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { msg: string }).msg);

describe('log lines written once per turn of the event loop', () => {
  it('holds the lines of a turn until it ends, then writes them all in the order they were logged', async () => {
    const file = join(dir, 'turn.log');
    const fd = openSync(file, 'w');
    try {
      const logger = createLogger('info', turnBatchedOutput(fd));
      logger.info('first');
      logger.info('second');
      logger.info('third');
      expect(readFileSync(file, 'utf8')).toBe('');
      await turnEnds();
      expect(lines(file)).toEqual(['first', 'second', 'third']);
      logger.info('next turn');
      await turnEnds();
      expect(lines(file)).toEqual(['first', 'second', 'third', 'next turn']);
    } finally {
      closeSync(fd);
    }
  });

  it('writes at once when a turn has gathered more than fits one write, and the rest at its end', async () => {
    const file = join(dir, 'large.log');
    const fd = openSync(file, 'w');
    try {
      const logger = createLogger('info', turnBatchedOutput(fd));
      for (let i = 0; i < 200; i += 1) logger.info({ i, padding: 'x'.repeat(100) }, 'many');
      expect(lines(file).length).toBeGreaterThan(0);
      await turnEnds();
      expect(lines(file)).toHaveLength(200);
    } finally {
      closeSync(fd);
    }
  });

  it('writes each turn without forcing it to disk (no fsync per turn)', async () => {
    const file = join(dir, 'unsynced.log');
    const fd = openSync(file, 'w');
    const fsyncSync = fs.fsyncSync;
    const synced: number[] = [];
    // Any fsync, ours or a library's, goes through node:fs's fsyncSync: the function on this same object.
    fs.fsyncSync = (syncedFd: number) => {
      synced.push(syncedFd);
      fsyncSync(syncedFd);
    };
    try {
      const logger = createLogger('info', turnBatchedOutput(fd));
      for (const turn of ['one', 'two', 'three']) {
        logger.info(turn);
        await turnEnds();
      }
      expect(lines(file)).toEqual(['one', 'two', 'three']);
      expect(synced).toEqual([]);
    } finally {
      fs.fsyncSync = fsyncSync;
      closeSync(fd);
    }
  });

  // A child's stdin is a pipe that libuv made non-blocking: once it is full a write fails with
  // EAGAIN (Linux took no part of one here), and it must be tried again once the reader drains it.
  it('writes everything through a pipe that fills up, once its reader drains it', async () => {
    const reader = spawn(
      process.execPath,
      [
        '-e',
        "setTimeout(() => { let n = 0; process.stdin.on('data', (c) => { n += c.length; }).on('end', () => process.stdout.write(String(n))); }, 300);",
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    let counted = '';
    reader.stdout.on('data', (chunk: Buffer) => (counted += chunk.toString()));
    const exited = new Promise((resolve) => reader.once('exit', resolve));
    const fd = (reader.stdin as unknown as { _handle: { fd: number } })._handle.fd;
    const output = turnBatchedOutput(fd);
    const line = `${'é'.repeat(1000)}\n`; // two bytes a character: counted in bytes
    for (let i = 0; i < 200; i += 1) output.write(line);
    await turnEnds();
    reader.stdin.end();
    await exited;
    expect(Number(counted)).toBe(200 * Buffer.byteLength(line));
  });

  it('stops writing, without failing, once the reader of its pipe is gone (EPIPE)', async () => {
    // A child logs to its stdout, a pipe whose reading end this test closes after the first line;
    // only then (told on its stdin) does it log more.
    const program = [
      "import { createLogger } from './src/kernel/logger.ts';",
      "import { turnBatchedOutput } from './src/kernel/turn-batched-output.ts';",
      "const log = createLogger('info', turnBatchedOutput(1));",
      'const turn = () => new Promise((resolve) => setImmediate(resolve));',
      "log.info('first'); await turn();",
      "await new Promise((resolve) => process.stdin.once('data', resolve));",
      "for (let i = 0; i < 5; i += 1) { log.info('nobody reads this'); await turn(); }",
      "process.stderr.write('still running');",
      'process.exit(0);',
    ].join('\n');
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', program], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    await new Promise((resolve) => child.stdout.once('data', resolve));
    const closed = new Promise((resolve) => child.stdout.once('close', resolve));
    child.stdout.destroy();
    await closed;
    child.stdin.end('go\n');
    expect(await exited).toBe(0);
    expect(stderr).toBe('still running');
  });

  // A crash that reaches `exit`: the lines logged just before it are written, not lost with the turn.
  it.each([
    ['process.exit in the same turn', "log.info('before exit'); process.exit(3);"],
    ['an uncaught error in the same turn', "log.info('before exit'); throw new Error('boom');"],
  ])('writes what is left when the process exits: %s', async (_case, script) => {
    const file = join(dir, `exit-${Math.random()}.log`);
    const program = [
      "import { openSync } from 'node:fs';",
      "import { createLogger } from './src/kernel/logger.ts';",
      "import { turnBatchedOutput } from './src/kernel/turn-batched-output.ts';",
      `const log = createLogger('info', turnBatchedOutput(openSync(${JSON.stringify(file)}, 'w')));`,
      script,
    ].join('\n');
    const exited = await promisify(execFile)(process.execPath, [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      program,
    ]).then(
      () => 0,
      (error: { code?: number }) => error.code,
    );
    expect(exited).not.toBe(0);
    expect(lines(file)).toEqual(['before exit']);
  });
});
