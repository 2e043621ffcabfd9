import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Metrics } from './create-metrics.js';

const isJwt = (value: unknown) => typeof value === 'string' && value.split('.').length === 3;

/**
 * Counts what a provider issues at its token endpoint (oidc-provider's `grant.success`, emitted
 * once per successful token response) by grant type, kind and format, and the grants it revokes.
 * Subscribed on every provider generation (a new one is built when keys rotate).
 */
export function watchProvider(provider: Provider, metrics: Metrics): void {
  provider.on('grant.success', (ctx: KoaContextWithOIDC) => {
    const grantType = (ctx.oidc.params as { grant_type?: string } | undefined)?.grant_type;
    const body = ctx.body as { access_token?: unknown; refresh_token?: unknown; id_token?: unknown } | undefined;
    if (body?.access_token) metrics.tokenIssued(grantType, 'access_token', isJwt(body.access_token) ? 'jwt' : 'opaque');
    if (body?.refresh_token) metrics.tokenIssued(grantType, 'refresh_token', 'opaque');
    if (body?.id_token) metrics.tokenIssued(grantType, 'id_token', 'jwt');
  });
  provider.on('grant.revoked', () => metrics.revocation('grant', 'revoked'));
}
