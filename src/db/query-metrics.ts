/** Told about every database operation: its name ("OidcRecord.findUnique"), duration and whether it failed. */
export type QueryObserver = (operation: string, seconds: number, failed: boolean) => void;

const observers = new WeakMap<object, QueryObserver>();

/** Attaches the observer that createPrisma's client reports to (src/metrics). */
export function observeQueries(db: object, observer: QueryObserver): void {
  observers.set(db, observer);
}

/**
 * Times `run` as the database operation `operation` of `db`, for work that bypasses the Prisma
 * model API (raw SQL, prepared statements) so it shows in the same metrics. A no-op wrapper when
 * nothing observes `db` (the CLI, tests).
 */
export async function timedQuery<T>(db: object, operation: string, run: () => Promise<T>): Promise<T> {
  const observer = observers.get(db);
  if (!observer) return run();
  const started = process.hrtime.bigint();
  let failed = false;
  try {
    return await run();
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    observer(operation, Number(process.hrtime.bigint() - started) / 1e9, failed);
  }
}
