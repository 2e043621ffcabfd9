import type { Context } from 'koa';
import type { ErrorView } from './screens.js';

export type RenderErrorPage = (ctx: Context, view: ErrorView) => void;

/** Writes the readable HTML error page made by `errorPage`; the status is left as the caller set it. */
export function createRenderErrorPage(errorPage: (view: ErrorView) => string): RenderErrorPage {
  return (ctx, view) => {
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = errorPage(view);
  };
}
