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
 */
export function turnBatchedOutput(fd = 1): DestinationStream {
  const output = pino.destination({ dest: fd, sync: true, minLength: GATHER_BYTES });
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    try {
      output.flushSync();
    } catch (error) {
      // As a write of its own would have: pino stops logging on EPIPE (the reader is gone), and
      // any other failure is the stream's error.
      output.emit('error', error);
    }
  };
  process.on('exit', flush);
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
