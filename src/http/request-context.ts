import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger } from '../kernel/logger.js';

declare module 'koa' {
  interface DefaultState {
    requestId: string;
    log: Logger;
  }
}

const VALID_REQUEST_ID = /^[\w.-]{1,64}$/;

/**
 * A request's `ctx.state`: its id, and its logger made on first use. The getter lives on the
 * class, not on each request's object: an accessor defined per object with its own closure gave
 * every request's state a shape of its own.
 */
class RequestState {
  readonly requestId: string;
  readonly #logger: Logger;
  #own: Logger | undefined;
  constructor(requestId: string, logger: Logger) {
    this.requestId = requestId;
    this.#logger = logger;
  }
  get log(): Logger {
    return (this.#own ??= this.#logger.child({ requestId: this.requestId }));
  }
}

/**
 * Gives each request an id (kept from a trusted proxy's X-Request-Id) and logs its outcome.
 *
 * The request's own logger (`ctx.state.log`, which carries the id) is made the first time some
 * code logs through it: most requests log nothing but the access line, and a pino child per
 * request was measurable CPU on the token endpoints. The access line is one call with every field
 * known at the end, as pino's guidance for hot paths suggests, through a child without the
 * logger's redaction: its six fields are ours and never a secret (the path has no query), and
 * matching the redaction's wildcard paths against them was a third of the line's cost.
 */
export function requestContext(logger: Logger, trustProxy: boolean): Middleware {
  const accessLog = logger.child({}, { redact: [] });
  return async (ctx, next) => {
    const offered = trustProxy ? ctx.get('X-Request-Id') : '';
    const requestId = offered && VALID_REQUEST_ID.test(offered) ? offered : randomUUID();
    const started = process.hrtime.bigint();
    // Koa's own `{}` is replaced before anything else has written to it (only metrics runs earlier).
    ctx.state = new RequestState(requestId, logger) as unknown as typeof ctx.state;
    ctx.set('X-Request-Id', requestId);
    try {
      await next();
    } finally {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      accessLog.info(
        {
          requestId,
          method: ctx.method,
          path: ctx.path,
          status: ctx.status,
          ms: Math.round(ms * 10) / 10,
          ip: ctx.ip,
        },
        'request',
      );
    }
  };
}
