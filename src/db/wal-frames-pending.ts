import { closeSync, openSync, readSync } from 'node:fs';
import { endianness } from 'node:os';

const readU32 = endianness() === 'LE' ? 'readUInt32LE' : 'readUInt32BE';

/**
 * Frames written to the log and not yet checkpointed, from the WAL-index header at the start of
 * the `-shm` file (https://www.sqlite.org/walformat.html, "The WAL-Index Header"): `mxFrame` at
 * byte 16 of each of its two copies, `nBackfill` at byte 96, in the machine's byte order. Read as
 * SQLite's readers do: the copies differ while a writer updates them, and then this is skipped.
 * Undefined when there is no header to read (no file yet, or a write under way).
 */
export function walFramesPending(shmPath: string): number | undefined {
  const header = Buffer.alloc(100);
  let fd: number | undefined;
  try {
    fd = openSync(shmPath, 'r');
    if (readSync(fd, header, 0, header.length, 0) < header.length) return undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  const mxFrame = header[readU32](16);
  if (mxFrame !== header[readU32](48 + 16)) return undefined;
  return Math.max(0, mxFrame - header[readU32](96));
}
