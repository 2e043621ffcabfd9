import type { Middleware } from 'koa';
import mount from 'koa-mount';
import type Provider from 'oidc-provider';
import type { ProviderHost } from '../oidc/provider-host.js';

/** Hands each request to the host's current provider (which changes when keys rotate). */
export function mountProvider(providers: ProviderHost): Middleware {
  const mounted = new WeakMap<Provider, Middleware>();
  return (ctx, next) => {
    const { provider } = providers.current();
    let middleware = mounted.get(provider);
    if (!middleware) {
      middleware = mount(provider);
      mounted.set(provider, middleware);
    }
    return middleware(ctx, next);
  };
}
