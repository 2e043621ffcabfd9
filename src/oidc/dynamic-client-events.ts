import type Provider from 'oidc-provider';
import type { Client, KoaContextWithOIDC } from 'oidc-provider';
import type { AuditService } from '../audit/audit-service.js';
import type { Logger } from '../kernel/logger.js';
import type { Clock } from '../kernel/clock.js';
import type { DynamicClientQueries } from '../clients/dynamic-client-queries.js';
import { dynamicKindOf } from '../clients/dynamic-client-policy.js';

export interface DynamicClientEventDeps {
  readonly audit: Pick<AuditService, 'record'>;
  readonly queries: Pick<DynamicClientQueries, 'registered' | 'used' | 'forget'>;
  readonly clock: Clock;
  readonly logger?: Logger;
}

const hostsOf = (uris: readonly string[] | undefined) => [
  ...new Set((uris ?? []).map((uri) => URL.parse(uri)?.host).filter(Boolean)),
];

/**
 * What oidc-provider's registration endpoints did (RFC 7591 create, RFC 7592 update and delete):
 * audited with the address it came from and the redirect hosts (never a token), and the client's
 * registration and each token issued to it recorded for the idle sweep (idle-dynamic-clients.ts).
 * Metrics count the audit events (src/metrics/audit-metrics.ts). Subscribed on every provider generation.
 */
export function watchDynamicClients(provider: Provider, deps: DynamicClientEventDeps): void {
  const failed = (what: string) => (error: unknown) => deps.logger?.error({ err: error }, what);
  const audited =
    (type: 'client.registered' | 'client.registration_updated' | 'client.registration_deleted') =>
    (ctx: KoaContextWithOIDC, client: Client) => {
      const record = deps.audit.record({
        type,
        outcome: 'success',
        clientId: client.clientId,
        ip: ctx.ip,
        userAgent: ctx.get('user-agent') || null,
        detail: { name: client.clientName ?? null, redirectHosts: hostsOf(client.redirectUris ?? []) },
      });
      const row =
        type === 'client.registered'
          ? deps.queries.registered(client.clientId, new Date(deps.clock()))
          : type === 'client.registration_deleted'
            ? deps.queries.forget(client.clientId)
            : Promise.resolve();
      Promise.all([record, row]).catch(failed(`could not record ${type}`));
    };
  provider.on('registration_create.success', audited('client.registered'));
  provider.on('registration_update.success', audited('client.registration_updated'));
  provider.on('registration_delete.success', audited('client.registration_deleted'));
  // The idle clock restarts at every token (code, refresh) issued to a self-registered client.
  provider.on('grant.success', (ctx: KoaContextWithOIDC) => {
    const client = ctx.oidc.client;
    if (client && dynamicKindOf(client) === 'registration')
      deps.queries.used(client.clientId, new Date(deps.clock())).catch(failed('could not record a client use'));
  });
}
