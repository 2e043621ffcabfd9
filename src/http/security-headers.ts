import type { Middleware } from 'koa';

// No scripts at all; styles from our own origin; never framed (clickjacking on sign-in and consent).
// form-action is left out on purpose: browsers apply it to the redirect that follows a form post,
// which would block the hop back to the client's redirect_uri.
const CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'";

export function securityHeaders(): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } finally {
      ctx.set('X-Content-Type-Options', 'nosniff');
      // Nothing (no interaction URL, no code) leaks to other sites; same-origin posts keep a real
      // Origin header, which the form guard checks (no-referrer would make browsers send "null").
      ctx.set('Referrer-Policy', 'same-origin');
      if (ctx.response.is('html')) {
        ctx.set('Content-Security-Policy', CSP);
        ctx.set('X-Frame-Options', 'DENY');
      }
      if (ctx.secure) ctx.set('Strict-Transport-Security', 'max-age=31536000');
    }
  };
}
