import { isThenable } from '../../core/is-thenable';

/**
 * Runs `fn`, then `cleanup`, whether `fn` is synchronous or returns a Promise, and whether it
 * succeeds or fails. `cleanup` learns whether `fn` failed, so it may add an error of its own only
 * when `fn` succeeded (the error of `fn` always wins).
 *
 * The toolkit's helpers all wrap a user function this way: a scope that must end exactly once,
 * when the work ends, never before an awaited Promise settles.
 *
 * @example
 * const result = runThen(() => app.inject('/'), () => release()); // a Promise: released after it settles
 * @internal
 */
export function runThen<R>(fn: () => R, cleanup: (failed: boolean) => void): R {
  let result: R;
  try {
    result = fn();
  } catch (error) {
    cleanup(true);
    throw error;
  }
  if (!isThenable(result)) {
    cleanup(false);
    return result;
  }
  return Promise.resolve(result).then(
    (value) => {
      cleanup(false);
      return value;
    },
    (error: unknown) => {
      cleanup(true);
      throw error;
    },
  ) as R;
}
