import type pg from 'pg';
import type { Logger } from '../kernel/logger.js';
import { listenForNotifications, type NotificationListener } from '../db/notification-listener.js';
import type { CacheWatch } from './cache-watch.js';
import { clientCacheSync, SYNC_CHANNEL, SYNCED_CHANNEL } from './client-cache-sync.js';

/**
 * The channel the database notifies on every change to a Client record, with the client id as the
 * payload (empty: forget every client). A trigger sends it (the migration
 * client_change_notifications), so every writer is heard: this server, a CLI in another process,
 * another instance, an operator's SQL.
 */
export const CLIENT_CHANNEL = 'gatehouse_client_changed';
/**
 * The channel the database notifies on every statement that changes the Resource table (no
 * payload: APIs are few and change rarely, so every cached API is forgotten). The migration
 * resource_change_notifications installs its trigger.
 */
export const RESOURCE_CHANNEL = 'gatehouse_resource_changed';
/**
 * The channel the database notifies on every statement that changes the Connection table (no
 * payload: the sign-in page's list of connections is cached whole). The migration
 * connection_change_notifications installs its trigger.
 */
export const CONNECTION_CHANNEL = 'gatehouse_connection_changed';

/**
 * The PostgreSQL watch of the caches (clients, APIs, connections): usable only while LISTEN is in
 * effect. Whatever changed while it was not (before the first LISTEN, during an outage) went
 * unheard, so the cache is emptied when it stops listening and again when it listens anew. It
 * also answers the markers writers send to learn that every instance has heard them
 * (client-cache-sync.ts), and sends its own after this process's changes.
 */
export function cacheChangeNotifications(
  connection: pg.ClientConfig & { application_name: string },
  logger?: Logger,
): CacheWatch {
  let listener: NotificationListener | undefined;
  const writer = clientCacheSync(connection, connection.application_name);
  return {
    start(changed) {
      listener = listenForNotifications({
        name: 'client cache',
        connection,
        channels: [CLIENT_CHANNEL, RESOURCE_CHANNEL, CONNECTION_CHANNEL, SYNC_CHANNEL],
        logger,
        onListening: () => changed(),
        onNotification: (channel, payload) => {
          // Every notification committed before the marker has been handled by now (commit order).
          if (channel === SYNC_CHANNEL) void listener?.notify(SYNCED_CHANNEL, payload);
          else if (channel === RESOURCE_CHANNEL) changed('Resource');
          else if (channel === CONNECTION_CHANNEL) changed('Connection');
          else changed('Client', payload || undefined);
        },
        onLost: () => changed(),
      });
    },
    usable: () => listener?.listening() ?? false,
    announce: () => writer.sync(),
    async close() {
      await Promise.all([listener?.close(), writer.close()]);
    },
  };
}
