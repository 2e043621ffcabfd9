import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { startWalCheckpointer, type WalCheckpointer } from '../../src/db/wal-checkpointer.js';
import { eventually } from '../support/eventually.js';

let root: string;
let serving: Database.Database;
let checkpointer: WalCheckpointer | undefined;
let logged: { msg: string; reason?: string }[];
const logger = () =>
  pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        logged.push(JSON.parse(chunk.toString()) as { msg: string });
        done();
      },
    }),
  );

/** In WAL mode only a checkpoint writes the database file, so its size says whether one ran. */
const fileSize = (path: string) => statSync(path).size;
const writePages = (db: Database.Database, rows: number) => {
  const insert = db.prepare('INSERT INTO filler (payload) VALUES (?)');
  for (let i = 0; i < rows; i += 1) insert.run('x'.repeat(3000));
};

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'gatehouse-wal-'));
  logged = [];
  serving = new Database(join(root, 'gatehouse.db'));
  serving.pragma('journal_mode = WAL');
  serving.exec('CREATE TABLE filler (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)');
  serving.pragma('wal_checkpoint(TRUNCATE)');
});

afterEach(async () => {
  await checkpointer?.stop();
  checkpointer = undefined;
  serving.close();
  rmSync(root, { recursive: true, force: true });
});

/** The gate a connection with no transactions needs: run at once. */
const gate = <T>(statement: (connection: Database.Database) => T) => Promise.resolve(statement(serving));
const working = () => checkpointer?.working === true;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const WATCH = { watchMs: 20, burstFrames: 64, quietMs: 300 };

describe('the SQLite checkpointer', () => {
  it('turns off checkpoints on the serving connection and checkpoints a few frames there at once, with no worker', async () => {
    const path = join(root, 'gatehouse.db');
    checkpointer = await startWalCheckpointer(path, gate, logger(), WATCH);
    expect(serving.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const before = fileSize(path);
    writePages(serving, 10);
    await eventually(async () => fileSize(path) > before + 10 * 3000, 5000);
    expect(working()).toBe(false);
    expect(logged).toEqual([]);
  });

  it('gives a burst of writes a worker that checkpoints from its own thread, and lets it go after a quiet spell', async () => {
    const path = join(root, 'gatehouse.db');
    checkpointer = await startWalCheckpointer(path, gate, logger(), WATCH);
    const before = fileSize(path);
    // Past SQLite's own threshold of 1,000 pages: the serving connection would have checkpointed by now.
    writePages(serving, 1500);
    await eventually(async () => working(), 5000);
    await eventually(async () => fileSize(path) > before + 1500 * 3000, 5000);
    await eventually(async () => !working(), 5000);
    // Quiet: no worker comes back while nothing is written.
    await pause(200);
    expect(working()).toBe(false);
    expect(logged).toEqual([]);
  });

  it('lets the worker go while only a few frames at a time come, and still checkpoints each of them', async () => {
    const path = join(root, 'gatehouse.db');
    checkpointer = await startWalCheckpointer(path, gate, logger(), WATCH);
    writePages(serving, 200);
    await eventually(async () => working(), 5000);
    // A row every 50 ms: a handful of frames at each look, never a burst (the lease's renewal, sped up).
    const trickle = setInterval(() => writePages(serving, 1), 50);
    try {
      await eventually(async () => !working(), 5000);
      const before = fileSize(path);
      await eventually(async () => fileSize(path) >= before + 2 * 3000, 5000);
      expect(working()).toBe(false);
    } finally {
      clearInterval(trickle);
    }
  });

  it('checkpoints what the log held before it started, and its worker makes a last checkpoint as it stops', async () => {
    const path = join(root, 'gatehouse.db');
    const empty = fileSize(path);
    writePages(serving, 100);
    checkpointer = await startWalCheckpointer(path, gate, logger(), { ...WATCH, intervalMs: 60_000, quietMs: 60_000 });
    expect(fileSize(path)).toBeGreaterThan(empty + 100 * 3000);
    writePages(serving, 200);
    await eventually(async () => working(), 5000);
    // Its first checkpoint, made as it starts.
    await eventually(async () => fileSize(path) > empty + 300 * 3000, 5000);
    const before = fileSize(path);
    writePages(serving, 100);
    await pause(60);
    // The worker's own tick is a minute away: only the checkpoint run on stopping can write the file.
    await checkpointer.stop();
    expect(fileSize(path)).toBeGreaterThan(before + 100 * 3000);
  });

  it('finishes stopping its worker in a process that has nothing else left to do', () => {
    const script = join(root, 'stop.mts');
    const module = join(process.cwd(), 'src/db/wal-checkpointer.ts');
    writeFileSync(
      script,
      [
        "import { createRequire } from 'node:module';",
        `const Database = createRequire(${JSON.stringify(join(process.cwd(), 'package.json'))})('better-sqlite3');`,
        `import { startWalCheckpointer } from ${JSON.stringify(module)};`,
        `const db = new Database(${JSON.stringify(join(root, 'gatehouse.db'))});`,
        'const gate = async (statement) => statement(db);',
        'const checkpointer = await startWalCheckpointer(db.name, gate, { warn() {} } as never, { watchMs: 20, intervalMs: 60_000 });',
        "const insert = db.prepare('INSERT INTO filler (payload) VALUES (?)');",
        "for (let i = 0; i < 200; i += 1) insert.run('x'.repeat(3000));",
        'while (!checkpointer.working) await new Promise((resolve) => setTimeout(resolve, 10));',
        'await checkpointer.stop();',
        "console.log('stopped');",
      ].join('\n'),
    );
    const run = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', cwd: process.cwd() });
    expect(run.stdout.trim()).toBe('stopped');
  });

  it('hands checkpoints back to the serving connection, and says so, when the worker cannot run', async () => {
    // A busy timeout better-sqlite3 refuses: the worker cannot open its connection.
    checkpointer = await startWalCheckpointer(join(root, 'gatehouse.db'), gate, logger(), {
      ...WATCH,
      busyTimeoutMs: -1,
    });
    writePages(serving, 200);
    await eventually(async () => serving.pragma('wal_autocheckpoint', { simple: true }) === 1000, 5000);
    expect(logged).toEqual([
      expect.objectContaining({
        msg: 'the SQLite checkpoint worker stopped; the serving connection checkpoints again',
      }),
    ]);
  });

  it('hands checkpoints back to the serving connection when it cannot read the WAL index', async () => {
    // Another file's index, which does not exist: as with a VFS that keeps its index elsewhere.
    checkpointer = await startWalCheckpointer(join(root, 'elsewhere.db'), gate, logger(), WATCH);
    await eventually(async () => serving.pragma('wal_autocheckpoint', { simple: true }) === 1000, 5000);
    expect(logged).toEqual([
      expect.objectContaining({
        msg: 'the SQLite checkpoint worker stopped; the serving connection checkpoints again',
        reason: `cannot read the WAL index ${join(root, 'elsewhere.db')}-shm`,
      }),
    ]);
  });
});
