import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { walFramesPending } from '../../src/db/wal-frames-pending.js';

let root: string;
let db: Database.Database;
const shm = () => `${join(root, 'gatehouse.db')}-shm`;
/** SQLite's own count: frames in the log, and frames checkpointed, after a PASSIVE checkpoint. */
const checkpoint = () => (db.pragma('wal_checkpoint(PASSIVE)') as { log: number; checkpointed: number }[])[0];
const write = (rows: number) => {
  const insert = db.prepare('INSERT INTO filler (payload) VALUES (?)');
  for (let i = 0; i < rows; i += 1) insert.run('x'.repeat(3000));
};

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'gatehouse-wal-index-'));
  db = new Database(join(root, 'gatehouse.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('wal_autocheckpoint = 0');
  db.exec('CREATE TABLE filler (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)');
});

afterEach(() => {
  db.close();
  rmSync(root, { recursive: true, force: true });
});

describe('walFramesPending', () => {
  it("counts the log's frames not yet checkpointed, as SQLite's own checkpoint reports them", () => {
    write(10);
    const pending = walFramesPending(shm());
    const counted = checkpoint();
    expect(pending).toBe(counted?.log);
    expect(counted?.checkpointed).toBe(counted?.log);
    expect(walFramesPending(shm())).toBe(0);
  });

  it('counts again from the start once a writer reuses a checkpointed log', () => {
    write(10);
    checkpoint();
    write(2);
    const pending = walFramesPending(shm());
    expect(pending).toBe(checkpoint()?.log);
    expect(pending).toBeGreaterThan(0);
    expect(pending).toBeLessThan(10);
  });

  it('answers nothing for an index that is not there', () => {
    expect(walFramesPending(join(root, 'elsewhere.db-shm'))).toBeUndefined();
  });
});
