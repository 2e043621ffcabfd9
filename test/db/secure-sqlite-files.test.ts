import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { secureSqliteFiles } from '../../src/db/secure-sqlite-files.js';

let root: string;
const modeOf = (path: string) => statSync(path).mode & 0o777;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'gatehouse-files-'));
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('the SQLite files (ASVS 4.0 §6.4: secrets at rest readable by the owner only)', () => {
  it('creates the directory 0700 and the database 0600 even under umask 000', () => {
    const previous = process.umask(0);
    try {
      const path = join(root, 'nested', 'data', 'gatehouse.db');
      expect(secureSqliteFiles(path)).toEqual([]);
      expect(modeOf(join(root, 'nested', 'data'))).toBe(0o700);
      expect(modeOf(path)).toBe(0o600);
    } finally {
      process.umask(previous);
    }
  });

  it('tightens a world-readable data directory, database, -wal and -shm, and says so', () => {
    const dir = join(root, 'data');
    mkdirSync(dir);
    chmodSync(dir, 0o755);
    const path = join(dir, 'gatehouse.db');
    for (const file of [path, `${path}-wal`, `${path}-shm`, join(dir, 'gatehouse.kek')])
      writeFileSync(file, '', { mode: 0o644 });
    chmodSync(path, 0o644);
    const notes = secureSqliteFiles(path, [join(dir, 'gatehouse.kek')]);
    expect(notes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/tightened .*data from 0755 to 0700/),
        expect.stringMatching(/tightened .*gatehouse\.db-wal from 0644 to 0600/),
      ]),
    );
    expect(modeOf(dir)).toBe(0o700);
    for (const file of [path, `${path}-wal`, `${path}-shm`]) expect(modeOf(file)).toBe(0o600);
  });

  it('leaves a shared directory (say a project root) as it is, but reports it', () => {
    chmodSync(root, 0o755);
    writeFileSync(join(root, 'package.json'), '{}');
    const notes = secureSqliteFiles(join(root, 'gatehouse.db'));
    expect(notes).toEqual([expect.stringMatching(/open to other users \(0755\) and holds other files/)]);
    expect(modeOf(root)).toBe(0o755);
    expect(modeOf(join(root, 'gatehouse.db'))).toBe(0o600);
  });
});
