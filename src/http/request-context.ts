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

/** Gives each request an id (kept from a trusted proxy's X-Request-Id) and logs its outcome. */
export function requestContext(logger: Logger, trustProxy: boolean): Middleware {
  return async (ctx, next) => {
    const offered = ctx.get('X-Request-Id');
    const requestId = trustProxy && VALID_REQUEST_ID.test(offered) ? offered : randomUUID();
    const started = process.hrtime.bigint();
    ctx.state.requestId = requestId;
    ctx.state.log = logger.child({ requestId });
    ctx.set('X-Request-Id', requestId);
    try {
      await next();
    } finally {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      ctx.state.log.info(
        { method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(ms * 10) / 10, ip: ctx.ip },
        'request',
      );
    }
  };
}
