import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';

/** Owner-only modes for what holds secrets at rest (ASVS 4.0 §6.4 / §14.1: least privilege on files). */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

const modeOf = (path: string) => statSync(path).mode & 0o777;
const octal = (mode: number) => `0${mode.toString(8)}`;

/**
 * Makes the SQLite database private to the account that runs Gatehouse, and returns one sentence
 * per change (or per problem left alone) for the start-up log.
 *
 * The file is created here, 0600, before the driver opens it: whatever the process umask, SQLite
 * then gives its -wal and -shm files the mode of the database file (its unix VFS copies it with
 * fchmod), so all three stay 0600 without changing the umask of the whole process. Files left
 * world-readable by an older version are tightened. The directory is created 0700; an existing
 * open one is tightened only when it holds nothing but this database and its KEK file, since
 * DATABASE_URL may point into a shared directory (/tmp, a project root) that is not ours to lock.
 */
export function secureSqliteFiles(path: string, companions: readonly string[] = []): string[] {
  const notes: string[] = [];
  const dir = dirname(path);
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    chmodSync(dir, PRIVATE_DIR_MODE); // exact, whatever the umask
  } else if (modeOf(dir) & 0o077) {
    const ours = [basename(path), ...companions.filter((file) => dirname(file) === dir).map((file) => basename(file))];
    const dedicated = readdirSync(dir).every((name) => ours.some((own) => name.startsWith(own)));
    if (dedicated) {
      notes.push(`tightened ${dir} from ${octal(modeOf(dir))} to 0700`);
      chmodSync(dir, PRIVATE_DIR_MODE);
    } else {
      notes.push(
        `${dir} is open to other users (${octal(modeOf(dir))}) and holds other files, so it was left as it is: keep the database in a directory of its own`,
      );
    }
  }

  if (!existsSync(path)) {
    closeSync(openSync(path, 'a', PRIVATE_FILE_MODE)); // an empty file is a new SQLite database
    chmodSync(path, PRIVATE_FILE_MODE);
  }
  for (const file of [path, `${path}-wal`, `${path}-shm`, `${path}-journal`]) {
    if (!existsSync(file)) continue;
    const mode = modeOf(file);
    if (mode & 0o077) {
      chmodSync(file, PRIVATE_FILE_MODE);
      notes.push(`tightened ${file} from ${octal(mode)} to 0600`);
    }
  }
  return notes;
}
