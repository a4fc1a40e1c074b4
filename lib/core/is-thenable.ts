/**
 * True for a Promise or any object with a `then` method: what a receiver's response is awaited as.
 *
 * @example
 * isThenable(fetchUser()); // true
 * isThenable(42);          // false
 * @internal
 */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as PromiseLike<unknown>).then === 'function'
  );
}
