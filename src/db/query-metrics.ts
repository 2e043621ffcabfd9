import { asDatabaseUnavailable } from './database-unavailable.js';

/** Told about every database operation: its name ("OidcRecord.findUnique"), duration and whether it failed. */
export type QueryObserver = (operation: string, seconds: number, failed: boolean) => void;

const observers = new WeakMap<object, QueryObserver>();

/** Attaches the observer that createPrisma's client reports to (src/metrics). */
export function observeQueries(db: object, observer: QueryObserver): void {
  observers.set(db, observer);
}

/**
 * Runs `run` as the database operation `operation` of `db`: timed for the metrics when something
 * observes `db`, and with "database unreachable" errors turned into DatabaseUnavailableError (a
 * 503). Every Prisma operation goes through it (create-prisma.ts); work that bypasses the model
 * API (raw SQL, prepared statements) should call it too, so it shows in the same metrics and
 * fails the same way.
 */
export async function timedQuery<T>(db: object, operation: string, run: () => Promise<T>): Promise<T> {
  const observer = observers.get(db);
  const started = process.hrtime.bigint();
  let failed = false;
  try {
    return await run();
  } catch (error) {
    failed = true;
    throw asDatabaseUnavailable(error);
  } finally {
    observer?.(operation, Number(process.hrtime.bigint() - started) / 1e9, failed);
  }
}
