import type { Context, Middleware } from 'koa';
import type Router from '@koa/router';
import type { Actor } from '../../src/sessions/session-service.js';
import type { AdminScreen } from './admin-screen.js';
import type { PageScript } from '../../src/http/page-scripts.js';

/**
 * What a section of the console (Applications, APIs, Audit log) needs of the frame: its router
 * (behind the admin gate), the CSRF guard for changes, the administrator of the request, and the
 * layout to answer in.
 */
export interface AdminFrame {
  readonly router: Router;
  readonly guard: Middleware;
  administrator(ctx: Context): { readonly accountId: string; readonly email: string };
  render(ctx: Context, screen: AdminScreen, options?: { readonly scripts?: readonly PageScript[] }): void;
}

/** The administrator as the services' audit records them (operator-audit.ts). */
export function actorOf(frame: AdminFrame, ctx: Context): Actor {
  return {
    by: 'admin',
    administrator: frame.administrator(ctx),
    ip: ctx.ip,
    userAgent: ctx.get('User-Agent') || undefined,
  };
}

/** Sends the browser on after a change (POST → 303 → GET), with one of the section's notice keys. */
export function seeOther(ctx: Context, location: string): void {
  ctx.status = 303;
  ctx.redirect(location);
}

/** A short notice from a fixed list: the query carries only its key, never text to show. */
export const noticeOf = (notices: Record<string, string>, ctx: Context): string | undefined =>
  typeof ctx.query.done === 'string' ? notices[ctx.query.done] : undefined;
