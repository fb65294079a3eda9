/**
 * The promise, marked as handled now: it is awaited later, after other awaits, and its rejection must not
 * count as unhandled meanwhile (Node reports a rejection nobody listens to yet, and vitest fails the run).
 */
export function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}
