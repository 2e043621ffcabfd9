import { pino, type Logger } from 'pino';

export type { Logger };

export interface LoggerOptions {
  /**
   * Write on a background stream instead of one `write(2)` per line: under load the lines that
   * arrive while a write is in flight go out together. pino flushes what is buffered when the
   * process exits (its `exit` handler), so only a SIGKILL can lose the last lines.
   */
  readonly asynchronous?: boolean;
}

/** Structured JSON logs on stdout. Passwords, tokens and cookies are never passed to it. */
export function createLogger(level: string, { asynchronous = false }: LoggerOptions = {}): Logger {
  return pino(
    {
      level,
      base: { service: 'gatehouse' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.client_secret'],
        censor: '[redacted]',
      },
    },
    pino.destination({ dest: 1, sync: !asynchronous }),
  );
}
