import { pino, type DestinationStream } from 'pino';

/** Bytes a turn may gather before they are written at once (below sonic-boom's 16 KiB maxWrite). */
const GATHER_BYTES = 8 * 1024;

/**
 * A file descriptor (stdout) that the log lines of one turn of the event loop reach in one write,
 * at the turn's end (`setImmediate`), instead of one write each. Under load a turn answers several
 * requests, each with its access line, and a write system call costs more than building the line.
 * A line waits at most until its turn ends (or until the turn has gathered 8 KiB); the process's
 * exit writes what is left, so a crash that reaches `exit` (an uncaught error, a signal Gatehouse
 * handles) loses nothing; only a process killed outright loses the lines of the turn it was in.
 *
 * A turn's lines are written, not synced: sonic-boom's `flushSync` ends with an `fsync`, which on a
 * log file forces the disk at every turn (166 µs of event loop here, milliseconds on a disk that
 * syncs) and on a pipe or /dev/null fails with EINVAL and a thrown error. Only the exit syncs.
 */
export function turnBatchedOutput(fd = 1): DestinationStream {
  const output = pino.destination({ dest: fd, sync: true, minLength: GATHER_BYTES });
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    // In sync mode `flush` writes at once; a failed write is the stream's 'error', as a write of
    // its own would have been (pino stops logging on EPIPE: the reader is gone).
    output.flush();
  };
  process.on('exit', () => {
    try {
      output.flushSync();
    } catch (error) {
      output.emit('error', error);
    }
  });
  return {
    write(line: string) {
      output.write(line);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
  };
}
