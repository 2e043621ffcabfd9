import { timedQuery } from './query-metrics.js';

/**
 * The hot path's prepared statements skip Prisma's model API, and so its query extension
 * (create-prisma.ts): this gives each of their methods the same two things, timing as
 * `${model}.${method}` in the database metrics and a lost database turned into the 503 error
 * (timedQuery does both). The wrapper is timedQuery alone: every statement of every token request
 * comes through it, and a frame of its own was one more promise and await each.
 */
export function instrumentPrepared<T extends object>(db: object, model: string, statements: T): T {
  const wrapped: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(statements)) {
    if (typeof value !== 'function') {
      wrapped[name] = value;
      continue;
    }
    const operation = `${model}.${name}`;
    const method = value as (...a: unknown[]) => Promise<unknown>;
    wrapped[name] = (...args: unknown[]) => timedQuery(db, operation, () => method.apply(statements, args));
  }
  return wrapped as T;
}
