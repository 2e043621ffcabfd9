import pg from 'pg';
import type { Logger } from '../kernel/logger.js';

export interface NotificationListenerOptions {
  /** Who listens, for the log ("client cache"). */
  readonly name: string;
  /** Connection settings; a connection of its own, never one of the pool's (a pooled one is handed on). */
  readonly connection: pg.ClientConfig;
  /** Plain identifiers (each is written into `LISTEN`, which takes no parameter). */
  readonly channels: readonly string[];
  /** LISTEN is in effect: from now on every commit that notifies reaches `onNotification`. */
  onListening(): void;
  /** Called in commit order, whatever the channel: all of one queue (PostgreSQL's NOTIFY docs). */
  onNotification(channel: string, payload: string): void;
  /** Not listening any more (or failed to start): notifications may be missed until `onListening`. */
  onLost(error?: unknown): void;
  readonly logger?: Logger;
  /** How often the connection proves it is alive (a dead peer otherwise goes unseen for minutes). */
  readonly heartbeatMs?: number;
  /** Waits between attempts to listen again: doubling from the first to the last. */
  readonly retryMs?: readonly [first: number, last: number];
}

export interface NotificationListener {
  /** True while LISTEN is in effect on a live connection. */
  listening(): boolean;
  /** Sends a notification from this connection (nothing while it is not listening). */
  notify(channel: string, payload: string): Promise<void>;
  close(): Promise<void>;
}

const HEARTBEAT_MS = 5000;
const RETRY_MS: readonly [number, number] = [250, 10_000];

/**
 * One PostgreSQL connection that LISTENs on some channels (NOTIFY is delivered to a session, so it
 * cannot be a pooled connection), and says at once when it stops: on an error, an end (a restart,
 * `pg_terminate_backend`), or a heartbeat that fails or gets no answer in time. Then it connects
 * again, waiting longer after each failure, until closed. Timers never keep the process alive.
 */
export function listenForNotifications(options: NotificationListenerOptions): NotificationListener {
  const { name, channels, logger } = options;
  for (const channel of channels)
    if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`not a plain channel name: ${channel}`);
  const heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
  const [firstRetry, lastRetry] = options.retryMs ?? RETRY_MS;
  let current: pg.Client | undefined;
  let isListening = false;
  let closed = false;
  let failures = 0;
  let heartbeat: NodeJS.Timeout | undefined;
  let retry: NodeJS.Timeout | undefined;

  const lost = (client: pg.Client, error?: unknown) => {
    if (current !== client) return;
    current = undefined;
    clearInterval(heartbeat);
    const wasListening = isListening;
    isListening = false;
    options.onLost(error);
    // A dead peer may never answer the goodbye: do not wait for it.
    client.end().catch(() => undefined);
    if (closed) return;
    failures += 1;
    // One line when listening stops, one when a first attempt fails; not one per retry of an outage.
    if (wasListening || failures === 1)
      logger?.warn({ channels, err: error }, `${name} stopped listening for notifications; retrying`);
    retry = setTimeout(connect, Math.min(lastRetry, firstRetry * 2 ** (failures - 1)));
    retry.unref();
  };

  const connect = async () => {
    if (closed) return;
    // Each query must answer within a heartbeat, or the connection counts as dead.
    const client = new pg.Client({ ...options.connection, query_timeout: heartbeatMs, keepAlive: true });
    current = client;
    client.on('error', (error) => lost(client, error));
    client.on('end', () => lost(client));
    client.on('notification', (message) => {
      if (current === client && isListening) options.onNotification(message.channel, message.payload ?? '');
    });
    try {
      await client.connect();
      await client.query(channels.map((name) => `LISTEN ${name}`).join('; '));
    } catch (error) {
      lost(client, error);
      return;
    }
    if (current !== client) {
      // Closed (or lost and replaced) while connecting.
      await client.end().catch(() => undefined);
      return;
    }
    isListening = true;
    failures = 0;
    options.onListening();
    logger?.info({ channels }, `${name} listening for notifications`);
    heartbeat = setInterval(() => {
      client.query('SELECT 1').catch((error: unknown) => lost(client, error));
    }, heartbeatMs);
    heartbeat.unref();
  };

  void connect();

  return {
    listening: () => isListening,
    async notify(to, payload) {
      const client = current;
      if (!client || !isListening) return;
      await client.query('SELECT pg_notify($1, $2)', [to, payload]).catch((error: unknown) => lost(client, error));
    },
    async close() {
      closed = true;
      clearTimeout(retry);
      clearInterval(heartbeat);
      const client = current;
      current = undefined;
      isListening = false;
      await client?.end().catch(() => undefined);
    },
  };
}
