/** What Prisma, its driver adapters and the drivers put on their errors. */
export interface DatabaseErrorLike {
  code?: unknown;
  kind?: unknown;
  originalCode?: unknown;
  message?: unknown;
  cause?: unknown;
  meta?: { driverAdapterError?: { cause?: unknown } };
}

/**
 * Whether `test` holds for `error` or for an error it wraps: Prisma wraps the driver adapter's,
 * which carries the driver's as its `cause`. Four levels deep at most.
 */
export function inDatabaseErrorChain(error: unknown, test: (e: DatabaseErrorLike) => boolean, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 4) return false;
  const e = error as DatabaseErrorLike;
  return (
    test(e) ||
    inDatabaseErrorChain(e.meta?.driverAdapterError?.cause, test, depth + 1) ||
    inDatabaseErrorChain(e.cause, test, depth + 1)
  );
}
