/** What reading a value's `then` threw (a throwing getter, a Proxy, a revoked Proxy). @internal */
export class UnreadableThen {
  constructor(readonly error: unknown) {}
}

/**
 * The `then` method of a Promise or any other thenable, undefined for anything else, or what
 * reading it threw. Never throws. Read it once and call what it returned: a getter may answer
 * differently the next time.
 *
 * @example
 * const then = readThen(response);
 * if (typeof then === 'function') then.call(response, onValue, onError);
 * else if (then instanceof UnreadableThen) fail(then.error); // as `await response` would
 * @internal
 */
export function readThen(value: unknown): Function | UnreadableThen | undefined {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return undefined;
  try {
    const then: unknown = (value as { then?: unknown }).then;
    return typeof then === 'function' ? then : undefined;
  } catch (error) {
    return new UnreadableThen(error);
  }
}

/**
 * The `then` method of a thenable, or undefined for anything else, a value whose `then` cannot be
 * read included: never throws (see {@link readThen}).
 *
 * @example
 * const then = thenOf(response);
 * if (then !== undefined) then.call(response, onValue, onError);
 * @internal
 */
export function thenOf(value: unknown): Function | undefined {
  const then = readThen(value);
  return typeof then === 'function' ? then : undefined;
}

/**
 * True for a Promise or any object with a `then` method: what a receiver's response is awaited
 * as. Never throws (see {@link thenOf}).
 *
 * @example
 * isThenable(fetchUser()); // true
 * isThenable(42);          // false
 * @internal
 */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return thenOf(value) !== undefined;
}

/**
 * A native Promise that follows `thenable` through its `then` (read once, by {@link thenOf}): a
 * `then` that throws when called rejects the Promise instead of throwing, and nothing else of
 * the thenable is read (`Promise.resolve` would read a Promise's `constructor`).
 *
 * @example
 * const settled = adopt(response, then); // never throws
 * @internal
 */
export function adopt(thenable: unknown, then: Function): Promise<unknown> {
  return new Promise((resolve, reject) => then.call(thenable, resolve, reject));
}
