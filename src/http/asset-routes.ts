import { readFileSync } from 'node:fs';
import Router from '@koa/router';
import { PAGE_SCRIPTS, type PageScript } from './page-scripts.js';

const stylesheet = readFileSync(new URL('../../interactions/assets/gatehouse.css', import.meta.url));

/** The stylesheet and our page scripts (src/http/page-scripts.ts), each at /assets/<file name>. */
export function assetRoutes(scripts: ReadonlyMap<string, PageScript> = PAGE_SCRIPTS): Router {
  const router = new Router();
  router.get('/assets/gatehouse.css', (ctx) => {
    ctx.type = 'text/css; charset=utf-8';
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = stylesheet;
  });
  for (const script of scripts.values()) {
    router.get(`/assets/${script.name}`, (ctx) => {
      ctx.type = 'text/javascript; charset=utf-8';
      ctx.set('Cache-Control', 'public, max-age=3600');
      ctx.body = script.body;
    });
  }
  return router;
}
