import type { Middleware, Next, ParameterizedContext } from 'koa';
import type Router from '@koa/router';

/**
 * Where a router's routes can match: its prefix, or else the literal start of each route's path.
 * An empty answer means "could match anywhere".
 */
function pathPrefixes(router: Router): string[] {
  const prefix = router.opts.prefix;
  if (prefix) return [prefix.toLowerCase()];
  const literal = router.stack.map((layer) =>
    typeof layer.path === 'string' ? (layer.path.split(/[:(*{]/)[0]?.replace(/\/+$/, '') ?? '') : '',
  );
  return literal.some((p) => p === '') ? [] : literal.map((p) => p.toLowerCase());
}

/**
 * Our routers (health, assets, the UI layer's), run only for requests under their own paths.
 * Every protocol request (token, introspection, userinfo…) would otherwise walk each router's
 * route table and its allowedMethods before reaching the provider: on the hot endpoints that was
 * measurable CPU for no answer. Matching is as loose as the routers' own (case-insensitive, an
 * optional trailing slash), so a request a router would have taken still reaches it.
 */
export function ownRoutes(routers: readonly Router[]): Middleware {
  const chain: Middleware[] = routers.flatMap((router) => [
    router.routes() as unknown as Middleware,
    router.allowedMethods() as unknown as Middleware,
  ]);
  const prefixes = routers.map(pathPrefixes);
  const anywhere = prefixes.some((p) => p.length === 0);
  const own = [...new Set(prefixes.flat())];

  const run = (ctx: ParameterizedContext, next: Next, i: number): Promise<void> => {
    const step = chain[i];
    if (!step) return next();
    return Promise.resolve(step(ctx as never, () => run(ctx, next, i + 1)));
  };

  return (ctx, next) => {
    const path = ctx.path.toLowerCase();
    if (anywhere || own.some((p) => path === p || path.startsWith(`${p}/`))) return run(ctx, next, 0);
    return next();
  };
}
