import type Router from '@koa/router';
import { loadOnce } from '../kernel/load-once.js';

/**
 * A router made at the first request under its prefix, for a part of the site that many servers
 * never serve (the management API): its modules, schemas and route table stay out of memory until
 * then (docs/benchmarks.md, "Memory"). ownRoutes (own-routes.ts) runs it as it runs a router
 * declared with that prefix.
 */
export interface LazyRouter {
  /** Where its routes are, as a Router's `prefix`: all that is known of it before it is made. */
  readonly prefix: string;
  /** The router, made at the first call; every later call answers the same one (a failed make is tried again). */
  load(): Promise<Router>;
}

export function lazyRouter(prefix: string, make: () => Promise<Router>): LazyRouter {
  return { prefix, load: loadOnce(make) };
}
