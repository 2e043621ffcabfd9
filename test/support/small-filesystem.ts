import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface SmallFilesystem {
  readonly dir: string;
  /** True when it is a real size-limited file system (a tmpfs mounted as root), so it can fill up. */
  readonly canFill: boolean;
  /** Writes a filler file until the file system is full (only when `canFill`). */
  fill(): void;
  /** Removes the filler. */
  unfill(): void;
  /** Makes the folder read-only: remounted `ro` as root (root ignores file modes), else chmod. */
  readOnly(files: string[]): Promise<void>;
  writable(files: string[]): Promise<void>;
  destroy(): Promise<void>;
}

/**
 * A folder for an SQLite file that a test can make full or read-only. As root (CI) it is a small
 * tmpfs mounted for the test; otherwise a plain temporary folder made read-only with file modes.
 */
export async function createSmallFilesystem(sizeMiB = 16): Promise<SmallFilesystem> {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-fs-'));
  const asRoot = userInfo().uid === 0;
  const mounted =
    asRoot &&
    (await run('mount', ['-t', 'tmpfs', '-o', `size=${sizeMiB}m,mode=0700`, 'tmpfs', dir]).then(
      () => true,
      () => false,
    ));
  const filler = join(dir, 'filler');
  return {
    dir,
    canFill: mounted,
    fill() {
      const chunk = Buffer.alloc(1024 * 1024, 1);
      try {
        for (let i = 0; i < sizeMiB * 2; i += 1) writeFileSync(filler, chunk, { flag: 'a' });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      }
      // Whatever block is left goes too.
      for (let size = 65536; size >= 1; size = Math.floor(size / 2)) {
        try {
          for (;;) writeFileSync(filler, Buffer.alloc(size, 1), { flag: 'a' });
        } catch {
          /* full at this size; try smaller */
        }
      }
    },
    unfill() {
      rmSync(filler, { force: true });
    },
    async readOnly(files) {
      if (mounted) await run('mount', ['-o', 'remount,ro', dir]);
      else for (const file of [...files, dir]) chmodSync(file, file === dir ? 0o500 : 0o400);
    },
    async writable(files) {
      if (mounted) await run('mount', ['-o', 'remount,rw', dir]);
      else for (const file of [dir, ...files]) chmodSync(file, file === dir ? 0o700 : 0o600);
    },
    async destroy() {
      if (mounted) await run('umount', ['-l', dir]).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
