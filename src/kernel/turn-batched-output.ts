import { writeSync } from 'node:fs';
import type { DestinationStream } from 'pino';

/** Characters a turn may gather before they are written at once. */
const GATHER_CHARS = 8 * 1024;
/** How long a full pipe is given before the write is tried again. */
const FULL_PIPE_WAIT_MS = 5;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * A file descriptor (stdout) that the log lines of one turn of the event loop reach in one write,
 * at the turn's end (`setImmediate`), instead of one write each. Under load a turn answers several
 * requests, each with its access line, and a write system call costs more than building the line.
 * A line waits at most until its turn ends (or until the turn has gathered 8,192 characters); the
 * process's exit writes what is left, so a crash that reaches `exit` (an uncaught error, a signal
 * Gatehouse handles) loses nothing; only a process killed outright loses the lines of the turn it
 * was in.
 *
 * The lines are kept as they come and joined once per write: pino's own destination (sonic-boom)
 * appends each line to a string, measures its UTF-8 length (which copies a string built by
 * appending) and copies what it wrote into a Buffer. Nothing is synced: its `flushSync` ends with
 * an `fsync`, which on a log file would force the disk at every turn.
 */
export function turnBatchedOutput(fd = 1): DestinationStream {
  let lines: string[] = [];
  let gathered = 0;
  let scheduled = false;
  // EPIPE: whoever read the log is gone; like pino's own destination, stop writing rather than fail.
  let readerGone = false;

  const writeAll = (text: string) => {
    // Only once a pipe has taken part of the text: what it has not taken yet, by bytes.
    let rest: Buffer | undefined;
    for (;;) {
      try {
        const written = rest ? writeSync(fd, rest) : writeSync(fd, text);
        if (written >= (rest ? rest.length : Buffer.byteLength(text))) return;
        rest = (rest ?? Buffer.from(text)).subarray(written);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') {
          // A non-blocking pipe that is full: wait for its reader, as pino's destination does.
          Atomics.wait(sleeper, 0, 0, FULL_PIPE_WAIT_MS);
        } else if (code === 'EPIPE') {
          readerGone = true;
          return;
        } else {
          throw error;
        }
      }
    }
  };

  const flush = () => {
    scheduled = false;
    if (lines.length === 0) return;
    const text = lines.length === 1 ? (lines[0] as string) : lines.join('');
    lines = [];
    gathered = 0;
    writeAll(text);
  };
  process.on('exit', flush);

  return {
    write(line: string) {
      if (readerGone) return;
      lines.push(line);
      gathered += line.length;
      if (gathered >= GATHER_CHARS) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
  };
}
