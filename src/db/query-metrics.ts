import { asDatabaseError } from './as-database-error.js';

/** Told about every database operation: its name ("OidcRecord.findUnique"), duration and whether it failed. */
export type QueryObserver = (operation: string, seconds: number, failed: boolean) => void;

const observers = new WeakMap<object, QueryObserver>();

/** Attaches the observer that createPrisma's client reports to (src/metrics). */
export function observeQueries(db: object, observer: QueryObserver): void {
  observers.set(db, observer);
}

/**
 * Runs `run` as the database operation `operation` of `db`: timed for the metrics when something
 * observes `db`, and with its errors read as what they mean for the request (as-database-error.ts:
 * "database unreachable" a 503, a NUL character a 400). Every Prisma operation goes through it (create-prisma.ts); work that bypasses the model
 * API (raw SQL, prepared statements) should call it too, so it shows in the same metrics and
 * fails the same way.
 *
 * Every statement of every token request comes through here, so it chains on `run`'s promise
 * rather than being an async function of its own (one promise fewer a statement), and reads the
 * clock as a float (two readings as BigInts and their difference were three allocations).
 */
export function timedQuery<T>(db: object, operation: string, run: () => PromiseLike<T>): Promise<T> {
  const observer = observers.get(db);
  const started = performance.now();
  const report = (failed: boolean) => observer?.(operation, (performance.now() - started) / 1000, failed);
  let pending: PromiseLike<T>;
  try {
    pending = run();
  } catch (error) {
    report(true);
    return Promise.reject(asDatabaseError(error));
  }
  return Promise.resolve(pending).then(
    (value) => {
      report(false);
      return value;
    },
    (error: unknown) => {
      report(true);
      throw asDatabaseError(error);
    },
  );
}
