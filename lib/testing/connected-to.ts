import type { ConnectOptions, Receiver, Signal, SignalArgs } from '../core/signal';
import { requireSignal } from '../core/checks';
import { requireFunction } from './internal/require';
import { runThen } from './internal/run-then';

/**
 * Connects `receiver` to `signal` while `fn` runs, and disconnects it afterwards, even when `fn`
 * throws or its Promise rejects. Returns what `fn` returns (its Promise, for an async `fn`).
 *
 * When the same connection already existed (same receiver or `dispatchUid`, same sender),
 * `connect` adds nothing and returns the existing Subscription: `connectedTo` then leaves that
 * connection in place afterwards instead of disconnecting a receiver it did not connect.
 *
 * @example
 * const seen: string[] = [];
 * await connectedTo(requestStarted, ({ request }) => seen.push(request.url), () => app.inject('/'));
 * // seen: ['/'], and the receiver is disconnected again
 */
export function connectedTo<Args extends SignalArgs, Sender, R>(
  signal: Signal<Args, Sender>,
  receiver: Receiver<Args, Sender>,
  fn: () => R,
  options?: ConnectOptions<Args, Sender>,
): R {
  requireSignal(
    'connectedTo(signal, receiver, fn)',
    'signal',
    signal,
    'Pass the signal to listen to, e.g. connectedTo(requestStarted, receiver, fn).',
  );
  requireFunction(
    'connectedTo(signal, receiver, fn)',
    fn,
    'connectedTo(requestStarted, receiver, () => app.inject("/"))',
  );
  // connect() validates the receiver and the options with its own messages.
  const before = signal.receivers().length;
  const subscription = signal.connect(receiver, options);
  // A duplicate connect returns the existing connection's Subscription and adds no connection.
  const connectedHere = signal.receivers().length > before;
  return runThen(fn, () => {
    if (connectedHere) subscription.unsubscribe();
  });
}
