import type { Context } from 'koa';
import { errorPage } from '../../interactions/views/error-page.js';

/** Writes the readable HTML error page; the status is left as the caller set it. */
export function renderErrorPage(ctx: Context, view: { error: string; description?: string; title?: string }): void {
  ctx.type = 'html';
  ctx.set('Cache-Control', 'no-store');
  ctx.body = errorPage(view);
}
