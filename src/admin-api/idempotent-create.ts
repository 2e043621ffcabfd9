import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import type { Clock } from '../kernel/clock.js';
import { GatehouseError } from '../kernel/gatehouse-error.js';
import type { IdempotencyQueries } from './idempotency-queries.js';

/** How long a key is remembered: a day covers any sane retry policy. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;
/** A key is a client's random string (a UUID, say): printable ASCII, bounded. */
const KEY = /^[\x21-\x7E]{1,255}$/;

export interface StoredAnswer {
  readonly status: number;
  readonly body?: unknown;
  readonly etag?: string;
  readonly location?: string;
}

/**
 * `Idempotency-Key` on creates (draft-ietf-httpapi-idempotency-key-header): the first request with
 * a key runs and its successful answer is kept; a retry with the same key and the same request
 * gets that answer again (with `Idempotent-Replayed: true`) and creates nothing. The key is
 * claimed by inserting its row before the create runs, so two identical requests at once create
 * one thing: the second is told 409 (ERR_IDEMPOTENCY_IN_PROGRESS) while the first runs. The same
 * key with another request is 422 (ERR_IDEMPOTENCY_KEY_REUSED, the draft's answer). A request
 * that fails releases its key, so fixing the mistake and retrying with the same key works.
 */
export function createIdempotentCreate(queries: IdempotencyQueries, clock: Clock, kek: Buffer) {
  // A first answer may hold a secret shown once (a client's); it is kept sealed (AES-256-GCM under
  // a key derived from the KEK), as the outbox keeps mail, never in the clear.
  const key32 = Buffer.from(hkdfSync('sha256', kek, Buffer.alloc(0), 'gatehouse admin-api idempotency', 32));
  const seal = (plain: string) => {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key32, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [iv, cipher.getAuthTag(), data].map((b) => b.toString('base64url')).join('.');
  };
  const open = (sealed: string) => {
    const [iv, tag, data] = sealed.split('.').map((part) => Buffer.from(part, 'base64url'));
    const decipher = createDecipheriv('aes-256-gcm', key32, iv as Buffer);
    decipher.setAuthTag(tag as Buffer);
    return Buffer.concat([decipher.update(data as Buffer), decipher.final()]).toString('utf8');
  };

  return async function idempotent(
    clientId: string,
    key: string,
    request: { method: string; path: string; body: unknown },
    create: () => Promise<StoredAnswer>,
  ): Promise<StoredAnswer & { replayed: boolean }> {
    if (!KEY.test(key))
      throw new GatehouseError('ERR_BAD_REQUEST', 'Idempotency-Key must be 1 to 255 printable ASCII characters');
    const fingerprint = createHash('sha256')
      .update(JSON.stringify([request.method, request.path, request.body ?? null]))
      .digest('base64url');
    const now = clock();
    // An expired key is free again (the sweeper may not have come by yet).
    await queries.release(clientId, key, new Date(now));
    if (!(await queries.claim({ clientId, key, fingerprint, expiresAt: new Date(now + IDEMPOTENCY_TTL_MS) }))) {
      const row = await queries.find(clientId, key);
      if (row && row.fingerprint !== fingerprint)
        throw new GatehouseError('ERR_IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used for another request');
      if (!row || row.status === 0)
        throw new GatehouseError(
          'ERR_IDEMPOTENCY_IN_PROGRESS',
          'a request with this Idempotency-Key is still running',
          {
            retryAfterSeconds: 1,
          },
        );
      return {
        status: row.status,
        body: row.body === null ? undefined : JSON.parse(open(row.body)),
        ...(row.etag ? { etag: row.etag } : {}),
        ...(row.location ? { location: row.location } : {}),
        replayed: true,
      };
    }
    let answer: StoredAnswer;
    try {
      answer = await create();
    } catch (error) {
      await queries.release(clientId, key);
      throw error;
    }
    await queries.complete(clientId, key, {
      status: answer.status,
      body: answer.body === undefined ? null : seal(JSON.stringify(answer.body)),
      etag: answer.etag ?? null,
      location: answer.location ?? null,
    });
    return { ...answer, replayed: false };
  };
}

export type IdempotentCreate = ReturnType<typeof createIdempotentCreate>;
