import type { LiveRecord, PreparedOidcRecords } from '../db/oidc-record-queries.js';

/**
 * The kinds oidc-provider looks a presented token up as, all at once: introspection (RFC 7662)
 * and revocation (RFC 7009) without a hint ask AccessToken, ClientCredentials and RefreshToken
 * for the same value in one Promise.all (lib/helpers/token_find.js). No more than
 * prepared-oidc-records.ts's AMONG_MODELS.
 */
const TOKEN_MODELS = new Set(['AccessToken', 'ClientCredentials', 'RefreshToken']);

interface Waiter {
  readonly model: string;
  resolve(record: LiveRecord | null): void;
  reject(error: unknown): void;
}

interface Group {
  readonly id: string;
  now: Date;
  readonly waiters: Waiter[];
}

/**
 * Token look-ups of one id issued in the same turn of the event loop (the provider calls the three
 * adapters' `find` synchronously, one after the other) become one statement instead of three:
 * `WHERE "id" = ? AND "model" IN (…)`. Each caller still gets its own model's live record, or
 * nothing, exactly as from `findLive`; a look-up alone runs the single-model statement as before.
 * Look-ups are grouped by id. Each asks about its own instant, and the three of one request can
 * straddle a millisecond: the group asks about the latest, so "live" means the same for all and
 * never more than any of them asked (a token that expired in between is not found).
 */
export function batchTokenFinds(prepared: PreparedOidcRecords): PreparedOidcRecords {
  let pending: Map<string, Group> | undefined;

  const run = ({ id, now, waiters }: Group) => {
    const [only] = waiters;
    if (waiters.length === 1 && only) {
      prepared.findLive(only.model, id, now).then(only.resolve, only.reject);
      return;
    }
    prepared.findLiveAmong([...new Set(waiters.map((waiter) => waiter.model))], id, now).then(
      (records) => {
        for (const waiter of waiters) waiter.resolve(records.get(waiter.model) ?? null);
      },
      (error: unknown) => {
        for (const waiter of waiters) waiter.reject(error);
      },
    );
  };

  const flush = () => {
    const groups = pending;
    pending = undefined;
    for (const group of groups?.values() ?? []) run(group);
  };

  return {
    ...prepared,
    findLive(model, id, now) {
      if (!TOKEN_MODELS.has(model)) return prepared.findLive(model, id, now);
      return new Promise((resolve, reject) => {
        if (!pending) {
          pending = new Map();
          // After the code that asked has run to its next await: the provider's other finds are in.
          queueMicrotask(flush);
        }
        let group = pending.get(id);
        if (!group) {
          group = { id, now, waiters: [] };
          pending.set(id, group);
        }
        if (now > group.now) group.now = now;
        group.waiters.push({ model, resolve, reject });
      });
    },
  };
}
