import { Readable } from 'node:stream';
import type Router from '@koa/router';
import type { Context } from 'koa';
import type { z } from 'zod';
import { GatehouseError } from '../kernel/gatehouse-error.js';
import { koaPathOf, type AnyApiRoute, type ApiAnswer } from './api-route.js';
import type { BearerAuth } from './bearer-auth.js';
import type { IdempotentCreate } from './idempotent-create.js';
import { readJsonBody } from './json-body.js';

export interface RouteRuntime {
  readonly authenticate: BearerAuth;
  readonly rateLimit: (clientId: string) => Promise<void>;
  readonly idempotent: IdempotentCreate;
}

/** A zod failure as one sentence naming each field (RFC 9457 `detail`): "body.emial: unknown field". */
function describe(where: string, error: z.ZodError): string {
  return error.issues
    .slice(0, 10)
    .map((issue) => {
      const at = [where, ...issue.path.map(String)].join('.');
      if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => `${at}.${key}: unknown field`).join('; ');
      return `${at}: ${issue.message}`;
    })
    .join('; ');
}

function parse<S extends z.ZodType | undefined>(where: string, schema: S, value: unknown): unknown {
  if (!schema) return undefined;
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new GatehouseError('ERR_VALIDATION', describe(where, parsed.error));
  return parsed.data;
}

async function* lines(items: AsyncIterable<unknown>): AsyncGenerator<string> {
  for await (const item of items) yield `${JSON.stringify(item)}\n`;
}

function write(ctx: Context, route: AnyApiRoute, answer: ApiAnswer & { replayed?: boolean }, base: string): void {
  ctx.set('Cache-Control', 'no-store');
  ctx.status = answer.status ?? route.success.status;
  if (answer.etag) ctx.set('ETag', answer.etag);
  if (answer.location) ctx.set('Location', `${base}${answer.location}`);
  if (answer.replayed) ctx.set('Idempotent-Replayed', 'true');
  if (answer.ndjson) {
    ctx.type = 'application/x-ndjson';
    ctx.body = Readable.from(lines(answer.ndjson));
  } else if (answer.body !== undefined) {
    ctx.body = answer.body;
  }
}

/**
 * Adds a declared route to the router with everything every route does, in this order: the token
 * (bearer-auth.ts), its scope (403 insufficient_scope), the client's rate limit, the path, query and
 * body against the route's schemas (422 naming the field), then the handler, through
 * Idempotency-Key for creates. The scope is left on ctx.state for the 403 challenge (problem.ts).
 */
export function mountRoute(router: Router, route: AnyApiRoute, runtime: RouteRuntime, base: string): void {
  router[route.method](koaPathOf(route.path), async (ctx) => {
    ctx.state.adminScope = route.scope;
    const caller = await runtime.authenticate(ctx);
    if (!caller.scopes.has(route.scope))
      throw new GatehouseError('ERR_INSUFFICIENT_SCOPE', `this needs a token with the ${route.scope} scope`);
    await runtime.rateLimit(caller.clientId);
    const params = parse('path', route.params, ctx.params);
    const query = parse('query', route.query, { ...ctx.query });
    const raw = route.method === 'get' || route.method === 'delete' ? undefined : await readJsonBody(ctx);
    if (!route.body && raw !== undefined)
      throw new GatehouseError('ERR_VALIDATION', 'body: this request takes no body');
    const body = parse('body', route.body, raw ?? {});
    const request = { params, query, body, caller, ifMatch: ctx.get('If-Match') || undefined, ctx };
    const key = ctx.get('Idempotency-Key');
    const answer =
      route.idempotent && key
        ? await runtime.idempotent(
            caller.clientId,
            key,
            { method: ctx.method, path: ctx.path, body: raw },
            async () => {
              const first = await route.handle(request);
              return { ...first, status: first.status ?? route.success.status };
            },
          )
        : await route.handle(request);
    write(ctx, route, answer, base);
  });
}
