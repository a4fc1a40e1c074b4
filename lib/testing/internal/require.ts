import { describeValue } from '../../core/checks';

/**
 * Throws a `TypeError` unless `fn` is a function: every toolkit helper takes the work to scope
 * as a function.
 *
 * @example
 * requireFunction('muted(signals, fn)', fn, 'muted(requestFinished, () => app.inject("/"))');
 * @internal
 */
export function requireFunction(where: string, fn: unknown, example: string): asserts fn is Function {
  if (typeof fn !== 'function') {
    throw new TypeError(
      `${where}: fn must be a function, got ${describeValue(fn)}. Pass the work to run, e.g. ${example}.`,
    );
  }
}
