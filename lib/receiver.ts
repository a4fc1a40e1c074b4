import { Subscription } from 'rxjs';
import { describe } from './internal/describe';
import type { ConnectOptions, Receiver, Signal, SignalArgs } from './signal';

/**
 * Connects one function to one signal or to several, with the same options; the returned
 * Subscription disconnects all of them. Django's `@receiver` decorator.
 *
 * @example
 * const subscription = receiver([requestStarted, requestFinished], closeStaleConnections);
 * subscription.unsubscribe(); // disconnected from both
 */
export function receiver<Args extends SignalArgs, Sender = unknown>(
  signals: Signal<Args, Sender> | readonly Signal<Args, Sender>[],
  fn: Receiver<Args, Sender>,
  options?: ConnectOptions<Args, Sender>,
): Subscription {
  const list: readonly Signal<Args, Sender>[] = Array.isArray(signals) ? signals : [signals as Signal<Args, Sender>];
  if (list.length === 0 || list.some((signal) => typeof signal?.connect !== 'function')) {
    throw new TypeError(
      `receiver(signals, fn): signals must be a Signal or a non-empty array of Signals, got ${describe(signals)}.`,
    );
  }
  const subscription = new Subscription();
  try {
    for (const signal of list) subscription.add(signal.connect(fn, options));
  } catch (error) {
    subscription.unsubscribe(); // all or nothing: a bad option fails before anything stays connected
    throw error;
  }
  return subscription;
}
