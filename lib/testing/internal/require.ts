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
    throw new TypeError(`${where}: fn must be a function, got ${describeValue(fn)}. Pass the work to run, e.g. ${example}.`);
  }
}

/**
 * Normalises "a signal or a non-empty array of signals" and checks each one has the members the
 * helper needs, naming the first bad entry.
 *
 * @example
 * const signals = signalList('muted(signals, fn)', [requestStarted, requestFinished], ['muteReceivers']);
 * @internal
 */
export function signalList<S extends object>(where: string, signals: S | readonly S[], members: readonly string[]): S[] {
  const list: readonly unknown[] = Array.isArray(signals) ? signals : [signals];
  if (list.length === 0) {
    throw new TypeError(`${where}: give at least one signal, got an empty array.`);
  }
  list.forEach((signal, index) => {
    const missing = members.some(
      (member) => typeof (signal as Record<string, unknown> | null)?.[member] !== 'function',
    );
    if (missing) {
      const at = Array.isArray(signals) ? `signals[${index}]` : 'signals';
      throw new TypeError(
        `${where}: ${at} must be a Signal, got ${describeValue(signal)}. ` +
          'Pass a Signal such as requestFinished, or an array of them.',
      );
    }
  });
  return list as S[];
}
