import { pino, type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs on stdout. Passwords, tokens and cookies are never passed to it. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'gatehouse' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.client_secret'],
      censor: '[redacted]',
    },
  });
}
