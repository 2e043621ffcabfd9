/**
 * `load` run at the first call, its promise shared by every later one. A failure is not kept (a
 * chunk or module unreadable for a moment): the next call tries again, rather than every call
 * answering the same rejection until a restart.
 */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () =>
    (loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    }));
}
