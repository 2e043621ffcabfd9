import type { Middleware, Next, ParameterizedContext } from 'koa';
import type Router from '@koa/router';
import type { LazyRouter } from './lazy-router.js';

/**
 * Where a router's routes can match: its prefix, or else the literal start of each route's path.
 * An empty answer means "could match anywhere".
 */
function pathPrefixes(router: Router): string[] {
  const prefix = router.opts.prefix;
  if (prefix) return [prefix.toLowerCase()];
  // The site's root ("/", the landing page) is a path of its own, not a prefix of every path.
  const literal = router.stack.map((layer) =>
    layer.path === '/'
      ? '/'
      : typeof layer.path === 'string'
        ? (layer.path.split(/[:(*{]/)[0]?.replace(/\/+$/, '') ?? '')
        : '',
  );
  return literal.some((p) => p === '') ? [] : literal.map((p) => p.toLowerCase());
}

const isLazy = (router: Router | LazyRouter): router is LazyRouter => 'load' in router;

const stepsOf = (router: Router): Middleware[] => [
  router.routes() as unknown as Middleware,
  router.allowedMethods() as unknown as Middleware,
];

/** A lazy router's two steps: it is made when a request first reaches them, then run as made. */
function lazySteps(lazy: LazyRouter): Middleware[] {
  let steps: Middleware[] | undefined;
  const step =
    (i: number): Middleware =>
    async (ctx, next) => {
      steps ??= stepsOf(await lazy.load());
      return (steps[i] as Middleware)(ctx, next);
    };
  return [step(0), step(1)];
}

/**
 * Our routers (health, assets, the UI layer's), run only for requests under their own paths.
 * Every protocol request (token, introspection, userinfo…) would otherwise walk each router's
 * route table and its allowedMethods before reaching the provider: on the hot endpoints that was
 * measurable CPU for no answer. Matching is as loose as the routers' own (case-insensitive, an
 * optional trailing slash), so a request a router would have taken still reaches it.
 *
 * A router declared for a deeper prefix owns that subtree: under /admin/api/v1 the management
 * API answers alone, so the admin console's catch-all (/admin/...) neither answers there nor makes
 * the API's allowedMethods believe some route takes every method (its 405 would become a 404).
 * A lazy router (lazy-router.ts) counts as declared for its prefix.
 */
export function ownRoutes(routers: readonly (Router | LazyRouter)[]): Middleware {
  const entries = routers.map((router) =>
    isLazy(router)
      ? { declared: router.prefix.toLowerCase(), prefixes: [router.prefix.toLowerCase()], steps: lazySteps(router) }
      : { declared: router.opts.prefix?.toLowerCase(), prefixes: pathPrefixes(router), steps: stepsOf(router) },
  );
  const anywhere = entries.some((e) => e.prefixes.length === 0);
  const own = [...new Set(entries.flatMap((e) => e.prefixes))];
  const declared = [...new Set(entries.flatMap((e) => (e.declared ? [e.declared] : [])))];
  const under = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`);

  const run = (ctx: ParameterizedContext, next: Next, chain: readonly Middleware[], i: number): Promise<void> => {
    const step = chain[i];
    if (!step) return next();
    return Promise.resolve(step(ctx as never, () => run(ctx, next, chain, i + 1)));
  };

  return (ctx, next) => {
    const path = ctx.path.toLowerCase();
    if (!anywhere && !own.some((p) => under(path, p))) return next();
    const deepest = declared.filter((p) => under(path, p)).reduce((a, b) => (b.length > a.length ? b : a), '');
    const chain = entries
      .filter((e) => !e.declared || e.declared.length >= deepest.length || !under(path, e.declared))
      .flatMap((e) => e.steps);
    return run(ctx, next, chain, 0);
  };
}
