import { timedQuery } from './query-metrics.js';
import { asDatabaseUnavailable } from './database-unavailable.js';

/**
 * The hot path's prepared statements skip Prisma's model API, and so its query extension
 * (create-prisma.ts): this gives each of their methods the same two things, timing as
 * `${model}.${method}` in the database metrics and a lost database turned into the 503 error.
 */
export function instrumentPrepared<T extends object>(db: object, model: string, statements: T): T {
  const wrapped: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(statements)) {
    wrapped[name] =
      typeof value !== 'function'
        ? value
        : async (...args: unknown[]) => {
            try {
              return await timedQuery(db, `${model}.${name}`, () =>
                (value as (...a: unknown[]) => Promise<unknown>).apply(statements, args),
              );
            } catch (error) {
              throw asDatabaseUnavailable(error);
            }
          };
  }
  return wrapped as T;
}
