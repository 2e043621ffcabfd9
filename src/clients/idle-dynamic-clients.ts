import type { AuditService } from '../audit/audit-service.js';
import type { Clock } from '../kernel/clock.js';
import type { ClientService } from './client-service.js';
import type { ClientSummary } from './client-summary.js';
import type { DynamicClientQueries } from './dynamic-client-queries.js';
import { AS_PART_OF_ANOTHER_CHANGE } from './operator-audit.js';

/** Removed per sweep at most: a backlog goes over a few sweeps rather than in one long run. */
const SWEEP_BATCH = 100;
const DAY_MS = 24 * 3600 * 1000;

export interface DynamicClientListing extends ClientSummary {
  readonly registered_at?: string;
  /** When a token was last issued to it; null when never. */
  readonly last_token_at: string | null;
}

export interface IdleDynamicClientDeps {
  readonly queries: DynamicClientQueries;
  readonly clients: Pick<ClientService, 'remove' | 'list'>;
  readonly audit: Pick<AuditService, 'record'>;
  readonly clock: Clock;
  /** DYNAMIC_CLIENT_IDLE_DAYS. */
  readonly idleDays: number;
}

/**
 * Self-registered clients that stopped being used. Agents register a new client per install and
 * rarely say when they stop (RFC 7592 DELETE is optional for them), so without this the client
 * table fills with thousands of identical, forgotten clients: each one with no token issued for
 * DYNAMIC_CLIENT_IDLE_DAYS (counted from registration when it never got one) is removed, with its
 * grants and tokens, by the background sweep on the leader, and audited as client.idle_removed.
 */
export function createIdleDynamicClients(deps: IdleDynamicClientDeps) {
  return {
    /** One sweep; resolves to how many clients it removed. */
    async sweep(): Promise<number> {
      const cutoff = new Date(deps.clock() - deps.idleDays * DAY_MS);
      const idle = await deps.queries.idleSince(cutoff, SWEEP_BATCH);
      let removed = 0;
      for (const row of idle) {
        try {
          await deps.clients.remove(row.clientId, { actor: AS_PART_OF_ANOTHER_CHANGE });
          removed += 1;
          await deps.audit.record({
            type: 'client.idle_removed',
            outcome: 'success',
            clientId: row.clientId,
            detail: { lastTokenAt: row.lastTokenAt?.toISOString() ?? null, idleDays: deps.idleDays },
          });
        } catch (error) {
          // Removed meanwhile (`gatehouse client remove`, RFC 7592 DELETE): only the row is left.
          if ((error as { code?: unknown }).code !== 'ERR_CLIENT_NOT_FOUND') throw error;
        }
        await deps.queries.forget(row.clientId);
      }
      return removed;
    },

    /** `gatehouse client list --dynamic`: every self-registered client still registered, with its last use. */
    async list(): Promise<DynamicClientListing[]> {
      const uses = new Map((await deps.queries.list()).map((row) => [row.clientId, row]));
      return (await deps.clients.list())
        .filter((client) => client.dynamic !== undefined)
        .map((client) => {
          const use = uses.get(client.client_id);
          return {
            ...client,
            ...(use ? { registered_at: use.registeredAt.toISOString() } : {}),
            last_token_at: use?.lastTokenAt?.toISOString() ?? null,
          };
        });
    },
  };
}

export type IdleDynamicClients = ReturnType<typeof createIdleDynamicClients>;
