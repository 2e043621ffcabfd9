import type { Context, Middleware, Next } from 'koa';
import { GatehouseError } from '../kernel/gatehouse-error.js';
import { ERROR_CODES, type ErrorCode } from '../kernel/error-codes.js';
import { asDatabaseError } from '../db/as-database-error.js';

/** RFC 9457 §3: the media type of every error this API answers. */
export const PROBLEM_JSON = 'application/problem+json';

/** Where the `type` URIs of our problems point: the README's list of the API's error codes. */
const TYPE_BASE = 'https://github.com/gatehouse/gatehouse#management-api-errors';

export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  /** Our stable code (src/kernel/error-codes.ts): what programs should branch on. */
  readonly code: ErrorCode;
}

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  412: 'Precondition failed',
  413: 'Content too large',
  415: 'Unsupported media type',
  421: 'Misdirected request',
  422: 'Unprocessable content',
  428: 'Precondition required',
  429: 'Too many requests',
  503: 'Service unavailable',
};

/** What Koa's and the routers' own errors (ctx.throw, 404, 405, 413 of body-limit.ts) are called here. */
const CODE_OF_STATUS: Record<number, ErrorCode> = {
  404: 'ERR_NOT_FOUND',
  405: 'ERR_METHOD_NOT_ALLOWED',
  413: 'ERR_BODY_TOO_LARGE',
  415: 'ERR_UNSUPPORTED_MEDIA_TYPE',
};

interface HttpishError {
  status?: number;
  expose?: boolean;
  message?: string;
  headers?: Record<string, string>;
  retryAfterSeconds?: number;
}

export function problemOf(status: number, code: ErrorCode, detail: string): Problem {
  return {
    type: `${TYPE_BASE}-${code.toLowerCase().replace(/_/g, '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
  };
}

function send(ctx: Context, problem: Problem, headers: Record<string, string> = {}): void {
  ctx.status = problem.status;
  ctx.set(headers);
  ctx.set('Cache-Control', 'no-store');
  ctx.body = problem;
  ctx.type = PROBLEM_JSON;
}

/**
 * RFC 6750 §3: a refused token is told why in WWW-Authenticate; for a missing scope (§3.1
 * insufficient_scope) the scope that was needed. A DPoP request is answered in its scheme too
 * (RFC 9449 §7.1).
 */
function challenge(ctx: Context, code: ErrorCode, detail: string): Record<string, string> {
  const quoted = detail.replace(/["\\]/g, "'");
  const scheme = /^dpop /i.test(ctx.get('Authorization')) ? 'DPoP' : 'Bearer';
  const algs = scheme === 'DPoP' ? ', algs="ES256 RS256 PS256 EdDSA"' : '';
  if (code === 'ERR_INSUFFICIENT_SCOPE') {
    const scope = String(ctx.state.adminScope ?? '');
    return { 'WWW-Authenticate': `${scheme} error="insufficient_scope", scope="${scope}"${algs}` };
  }
  if (!ctx.get('Authorization')) return { 'WWW-Authenticate': `Bearer realm="gatehouse-admin"` };
  return { 'WWW-Authenticate': `${scheme} error="invalid_token", error_description="${quoted}"${algs}` };
}

/**
 * Every answer under `prefix` that is an error becomes an RFC 9457 problem, never an HTML page, an
 * OAuth-style body or a stack: our errors with their own code and status, the routers' and Koa's
 * (404, 405, 413) with theirs, anything unexpected as a 500 whose detail says nothing inside.
 * Placed before the issuer-host check and the body limit, so their refusals are problems too.
 */
export function problemBoundary(prefix: string): Middleware {
  const lower = prefix.toLowerCase();
  const under = (path: string) => path === lower || path.startsWith(`${lower}/`);
  const boundary = async (ctx: Context, next: Next) => {
    try {
      await next();
      if (ctx.body == null && ctx.status === 404)
        send(ctx, problemOf(404, 'ERR_NOT_FOUND', 'There is nothing at this address.'));
    } catch (thrown) {
      const caught = asDatabaseError(thrown) ?? thrown;
      if (caught instanceof GatehouseError) {
        const detail = caught.expose ? caught.message : 'An unexpected error occurred. It has been logged.';
        if (caught.status >= 500 && !caught.expose) ctx.state.log?.error({ err: caught }, 'unhandled error');
        const headers: Record<string, string> =
          caught.status === 401 || caught.status === 403 ? challenge(ctx, caught.code, detail) : {};
        if (caught.retryAfterSeconds) headers['Retry-After'] = String(caught.retryAfterSeconds);
        send(ctx, problemOf(caught.status, caught.code, detail), headers);
        return;
      }
      const err = (caught ?? {}) as HttpishError;
      const status = typeof err.status === 'number' && err.status >= 400 && err.status < 600 ? err.status : 500;
      if (status >= 500) {
        ctx.state.log?.error({ err: caught }, 'unhandled error');
        send(ctx, problemOf(500, 'ERR_INTERNAL', 'An unexpected error occurred. It has been logged.'));
        return;
      }
      const code = CODE_OF_STATUS[status] ?? 'ERR_BAD_REQUEST';
      const headers = { ...(err.headers ?? {}) };
      if (status === 405) headers.Allow = ctx.response.get('Allow') || headers.Allow || '';
      send(
        ctx,
        problemOf(status, code, err.expose === false ? (TITLES[status] ?? 'Error') : (err.message ?? '')),
        headers,
      );
    }
  };
  // Not async on the way past: every request goes by here, and an async frame each is CPU on the token endpoints.
  return (ctx, next) => (under(ctx.path.toLowerCase()) ? boundary(ctx, next) : next());
}

/** The status a code is answered with (for the OpenAPI document's list of answers). */
export const statusOf = (code: ErrorCode): number => ERROR_CODES[code].status;
