import type { Context, Middleware } from 'koa';
import { MAX_BODY_BYTES } from '../http/body-limit.js';
import { readBoundedBody } from '../http/request-body.js';
import type Provider from 'oidc-provider';
import type { ProviderHost } from './provider-host.js';

/** The endpoints OIDC requires to take POST as well as GET (Core §3.1.2.1, RP-Initiated Logout §2). */
const ROUTES = ['authorization', 'end_session'] as const;

/** Well under what browsers and Node (16 KiB of request line and headers) accept. */
const MAX_URL_LENGTH = 8 * 1024;

/**
 * A form POST to the authorization or end-session endpoint is answered 303 See Other to the same
 * endpoint with the same parameters as a GET, which the browser follows at once.
 *
 * oidc-provider only takes POST there with `SameSite=None` session cookies (a relying party's form
 * post is cross-site, and `Lax` cookies do not ride along with it), and `None` would give up the
 * CSRF protection `Lax` gives every other request (and needs https). A top-level GET carries `Lax`
 * cookies, so after the 303 the person's session is recognised as for any GET request. Nothing
 * changes on the POST itself, so it needs no CSRF check. Parameters too long for a URL belong in a
 * pushed authorization request (RFC 9126).
 */
export function formPostRedirect(providers: ProviderHost): Middleware {
  // The endpoints' URLs, worked out once per provider (each key rotation builds a new one): every
  // form post to the token endpoints passes here, and building URLs for each was measurable.
  const endpointsOf = new WeakMap<object, ReadonlyMap<string, string>>();
  const endpoints = (provider: Provider) => {
    let found = endpointsOf.get(provider);
    if (!found) {
      found = new Map(ROUTES.map((name) => [new URL(provider.urlFor(name)).pathname, provider.urlFor(name)]));
      endpointsOf.set(provider, found);
    }
    return found;
  };
  const redirect = async (ctx: Context, endpoint: string) => {
    const target = new URL(endpoint);
    const body = await readBoundedBody(ctx.req, MAX_BODY_BYTES);
    if (!body)
      return ctx.throw(413, `request body is larger than ${MAX_BODY_BYTES} bytes`, { error: 'invalid_request' });
    target.search = new URLSearchParams(body.toString('utf8')).toString();
    if (target.href.length > MAX_URL_LENGTH) {
      return ctx.throw(
        400,
        'The request parameters are too long; send them as a pushed authorization request (RFC 9126).',
        { error: 'invalid_request' },
      );
    }
    ctx.set('Cache-Control', 'no-store');
    ctx.redirect(target.href);
    ctx.status = 303;
  };
  // Not async on the way past: every form post to the token endpoints comes by.
  return (ctx, next) => {
    if (ctx.method !== 'POST') return next();
    const endpoint = endpoints(providers.current().provider).get(ctx.path);
    return endpoint && ctx.is('application/x-www-form-urlencoded') ? redirect(ctx, endpoint) : next();
  };
}
