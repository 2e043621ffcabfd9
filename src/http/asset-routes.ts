import { readFileSync } from 'node:fs';
import Router from '@koa/router';

const stylesheet = readFileSync(new URL('../../interactions/assets/gatehouse.css', import.meta.url));

export function assetRoutes(): Router {
  const router = new Router();
  router.get('/assets/gatehouse.css', (ctx) => {
    ctx.type = 'text/css; charset=utf-8';
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = stylesheet;
  });
  return router;
}
