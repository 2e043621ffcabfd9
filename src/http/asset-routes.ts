import { readFileSync } from 'node:fs';
import Router from '@koa/router';
import { PAGE_SCRIPTS, type PageScript } from './page-scripts.js';
import type { BrandAssets } from './brand-assets.js';

const stylesheet = readFileSync(new URL('../../interactions/assets/gatehouse.css', import.meta.url));

/**
 * The stylesheet and our page scripts (src/http/page-scripts.ts), each at /assets/<file name>, and
 * the brand's logo and stylesheet at URLs naming their content (brand-assets.ts): those never
 * change, so browsers and proxies keep them a year without asking again (RFC 8246 `immutable`).
 */
export function assetRoutes(brand: BrandAssets = {}, scripts: ReadonlyMap<string, PageScript> = PAGE_SCRIPTS): Router {
  const router = new Router();
  for (const asset of [brand.logo, brand.stylesheet]) {
    if (!asset) continue;
    router.get(asset.href, (ctx) => {
      ctx.type = asset.contentType;
      ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
      ctx.body = asset.body;
    });
  }
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
