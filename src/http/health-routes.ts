import Router from '@koa/router';

export interface HealthDeps {
  /** Resolves when the database answers a trivial query. */
  readonly pingDatabase: () => Promise<void>;
}

export function healthRoutes({ pingDatabase }: HealthDeps): Router {
  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    try {
      await pingDatabase();
      ctx.body = { status: 'ready' };
    } catch (error) {
      ctx.state.log.warn({ err: error }, 'database not reachable');
      ctx.status = 503;
      ctx.body = { status: 'unavailable', reason: 'database not reachable' };
    }
  });
  return router;
}
