import type { Context, Middleware } from 'koa';
import { responseFinishers } from './response-finishers.js';
import { allowedScriptHashes } from './page-scripts.js';
import { allowedImageOrigins } from './page-images.js';

// No scripts unless a page is allowed its own (below); styles from our own origin; never framed (clickjacking on sign-in and consent).
// form-action is left out on purpose: browsers apply it to the redirect that follows a form post,
// which would block the hop back to the client's redirect_uri.
const IMG_SRC = "img-src 'self' data:";
const CSP = `default-src 'none'; style-src 'self'; ${IMG_SRC}; base-uri 'none'; frame-ancestors 'none'`;

// Offered to oidc-provider while it renders: its response_mode=form_post page (OAuth 2.0 Form Post
// Response Mode §2) needs one inline script that submits the form, and the provider appends that
// script's own sha256 to an existing script-src (lib/helpers/script_src_sha.js). Only the provider
// computes it, from its constant script, never from anything in the page.
const OFFERED_SCRIPT_SRC = "script-src 'none'";
const SCRIPT_HASH = /'sha256-[A-Za-z0-9+/]+={0,2}'/g;

/**
 * The page's CSP: strict, plus exactly the inline script hashes the provider vouched for and the
 * hashes of our own scripts the page was allowed (src/http/page-scripts.ts). A page with one of our
 * scripts may also fetch from its own origin (`connect-src 'self'`): the script asks our JSON
 * endpoints for WebAuthn options. A page with neither has no script-src: default-src 'none' holds.
 */
function finalCsp(offered: string, pageScripts: readonly string[], imageOrigins: readonly string[]): string {
  // The one other origin a page may show an image from: the consent page's app logo (page-images.ts).
  const csp = imageOrigins.length ? CSP.replace(IMG_SRC, `${IMG_SRC} ${imageOrigins.join(' ')}`) : CSP;
  const hashes = [...new Set(offered.match(SCRIPT_HASH) ?? [])];
  const sources = [...hashes, ...pageScripts];
  if (sources.length === 0) return csp;
  const connect = pageScripts.length ? "; connect-src 'self'" : '';
  return `${csp}; script-src ${sources.join(' ')}${connect}`;
}

/** Before anything answers: the script-src the provider may extend (OFFERED_SCRIPT_SRC above). */
export function offerScriptSources(ctx: Context): void {
  ctx.set('Content-Security-Policy', `${CSP}; ${OFFERED_SCRIPT_SRC}`);
}

/** Once the answer is final: the headers every answer carries, and a page's own CSP. */
export function finishSecurityHeaders(ctx: Context): void {
  ctx.set('X-Content-Type-Options', 'nosniff');
  // Nothing (no interaction URL, no code) leaks to other sites; same-origin posts keep a real
  // Origin header, which the form guard checks (no-referrer would make browsers send "null").
  ctx.set('Referrer-Policy', 'same-origin');
  // The media type alone (Koa's response.type), not type-is's lookup: this runs on every answer.
  if (ctx.response.type === 'text/html') {
    ctx.set(
      'Content-Security-Policy',
      finalCsp(ctx.response.get('Content-Security-Policy'), allowedScriptHashes(ctx), allowedImageOrigins(ctx)),
    );
    ctx.set('X-Frame-Options', 'DENY');
  } else {
    ctx.remove('Content-Security-Policy');
  }
  if (ctx.secure) ctx.set('Strict-Transport-Security', 'max-age=31536000');
}

/** Both, as one middleware (create-app.ts runs them among the other response finishers). */
export function securityHeaders(): Middleware {
  return responseFinishers(offerScriptSources, [finishSecurityHeaders]);
}
