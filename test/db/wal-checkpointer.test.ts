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

describe('the SQLite checkpoint worker', () => {
  it('turns off checkpoints on the serving connection and writes the log into the file from its own thread', async () => {
    const path = join(root, 'gatehouse.db');
    checkpointer = startWalCheckpointer(path, serving, logger(), { intervalMs: 20 });
    expect(serving.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const before = fileSize(path);
    // Past SQLite's own threshold of 1,000 pages: the serving connection would have checkpointed by now.
    writePages(serving, 1500);
    await eventually(async () => fileSize(path) > before + 1500 * 3000, 5000);
    expect(logged).toEqual([]);
  });

  it('runs a last checkpoint as it stops', async () => {
    const path = join(root, 'gatehouse.db');
    checkpointer = startWalCheckpointer(path, serving, logger(), { intervalMs: 60_000 });
    const before = fileSize(path);
    writePages(serving, 100);
    // No tick comes within the test: only the checkpoint run on stopping can have written the file.
    await checkpointer.stop();
    expect(fileSize(path)).toBeGreaterThan(before + 100 * 3000);
  });

  it('finishes stopping in a process that has nothing else left to do', () => {
    const script = join(root, 'stop.mts');
    const module = join(process.cwd(), 'src/db/wal-checkpointer.ts');
    writeFileSync(
      script,
      [
        "import { createRequire } from 'node:module';",
        `const Database = createRequire(${JSON.stringify(join(process.cwd(), 'package.json'))})('better-sqlite3');`,
        `import { startWalCheckpointer } from ${JSON.stringify(module)};`,
        `const db = new Database(${JSON.stringify(join(root, 'gatehouse.db'))});`,
        'const checkpointer = startWalCheckpointer(db.name, db, { warn() {} } as never, { intervalMs: 60_000 });',
        'await checkpointer.stop();',
        "console.log('stopped');",
      ].join('\n'),
    );
    const run = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', cwd: process.cwd() });
    expect(run.stdout.trim()).toBe('stopped');
  });

  it('hands checkpoints back to the serving connection, and says so, when the worker cannot run', async () => {
    checkpointer = startWalCheckpointer(join(root, 'missing', 'gatehouse.db'), serving, logger(), { intervalMs: 20 });
    await eventually(async () => serving.pragma('wal_autocheckpoint', { simple: true }) === 1000, 5000);
    expect(logged).toEqual([
      expect.objectContaining({
        msg: 'the SQLite checkpoint worker stopped; the serving connection checkpoints again',
      }),
    ]);
  });
});
