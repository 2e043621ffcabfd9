import { randomUUID } from 'node:crypto';
import type { NewOutboxRow, OutboxQueries } from './outbox-queries.js';
import { seal, unseal } from '../keys/key-sealing.js';
import type { Clock } from '../kernel/clock.js';

/** What the outbox carries, by kind. Mail may hold a one-time link, so every payload is sealed at rest. */
export type OutboxKind = 'mail' | 'backchannel_logout' | 'password_reset_request' | 'registration_request';

/** The AES-GCM additional data binds a sealed payload to its row. */
const aad = (id: string) => `outbox:${id}`;

export interface OutboxDeps {
  readonly queries: OutboxQueries;
  /** The key store's key-encryption key. */
  readonly kek: Buffer;
  readonly clock: Clock;
}

/**
 * Writing to the outbox. Rows are delivered by the server (src/mail/outbox-delivery.ts), with
 * retries; `onEnqueued` lets a running server deliver at once instead of at its next tick.
 */
export function createOutbox({ queries, kek, clock }: OutboxDeps) {
  const listeners: (() => void)[] = [];
  const notify = () => {
    for (const listener of listeners) listener();
  };
  return {
    /** A row ready to be written, alone or in the transaction of what it carries. */
    row(kind: OutboxKind, payload: unknown, tokenId?: string, id: string = randomUUID()): NewOutboxRow {
      const at = new Date(clock());
      return {
        id,
        kind,
        payload: seal(kek, aad(id), JSON.stringify(payload)),
        tokenId: tokenId ?? null,
        createdAt: at,
        nextAttemptAt: at,
      };
    },

    async enqueue(kind: OutboxKind, payload: unknown): Promise<void> {
      await queries.insert(this.row(kind, payload));
      notify();
    },

    /** Tells the delivery loop that rows were written in a caller's own transaction. */
    written: notify,

    onEnqueued(listener: () => void): void {
      listeners.push(listener);
    },

    open<T>(row: { id: string; payload: string }): T {
      return JSON.parse(unseal(kek, aad(row.id), row.payload)) as T;
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
