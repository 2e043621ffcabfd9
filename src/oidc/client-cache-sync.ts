import { randomUUID } from 'node:crypto';
import pg from 'pg';

/** A writer's marker, sent after its change commits; each listening instance answers on SYNCED. */
export const SYNC_CHANNEL = 'gatehouse_client_cache_sync';
export const SYNCED_CHANNEL = 'gatehouse_client_cache_synced';
/** Longer than a notification takes (milliseconds) by far; a listener silent that long is not listening. */
const SYNC_TIMEOUT_MS = 1000;

export interface ClientCacheSync {
  /** Resolves once every listening instance has heard of every change committed before the call. */
  sync(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Lets a writer wait until every instance's client cache has heard of what it committed, so that
 * `gatehouse client remove` (rotate-secret, update…) holds on every instance by the time the
 * command returns, not a few milliseconds later. PostgreSQL delivers all notifications to each
 * listener in commit order (one queue, whatever the channel), so a listener that answers a marker
 * sent after the change has already forgotten the client. The writer waits for as many answers as
 * there are listening connections, for a second at most: one that is starting or losing its
 * connection bypasses its cache anyway. Best effort: the change is committed whatever happens here,
 * and the trigger's notification still reaches everyone.
 */
export function clientCacheSync(
  connection: pg.ClientConfig,
  listenerApplication: string,
  timeoutMs = SYNC_TIMEOUT_MS,
): ClientCacheSync {
  const answered = new Map<string, () => void>();
  let opened: Promise<pg.Client> | undefined;

  const open = () => {
    opened ??= (async () => {
      const client = new pg.Client({ ...connection, application_name: `${listenerApplication} sync` });
      // A lost connection is opened anew by the next sync.
      client.on('error', () => {
        opened = undefined;
      });
      client.on('notification', ({ channel, payload }) => {
        if (channel === SYNCED_CHANNEL) answered.get(payload ?? '')?.();
      });
      await client.connect();
      await client.query(`LISTEN ${SYNCED_CHANNEL}`);
      return client;
    })();
    opened.catch(() => {
      opened = undefined;
    });
    return opened;
  };

  const sync = async () => {
    const client = await open();
    const { rows } = await client.query<{ listeners: number }>(
      'SELECT count(*)::int AS "listeners" FROM pg_stat_activity WHERE "datname" = current_database() AND "application_name" = $1',
      [listenerApplication],
    );
    let waitingFor = rows[0]?.listeners ?? 0;
    if (waitingFor === 0) return;
    const marker = randomUUID();
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        answered.delete(marker);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      timer.unref();
      answered.set(marker, () => {
        waitingFor -= 1;
        if (waitingFor <= 0) done();
      });
      client.query('SELECT pg_notify($1, $2)', [SYNC_CHANNEL, marker]).catch(done);
    });
  };

  return {
    sync: () => sync().catch(() => undefined),
    async close() {
      const client = await opened?.catch(() => undefined);
      opened = undefined;
      await client?.end().catch(() => undefined);
    },
  };
}
