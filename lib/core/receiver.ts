import { Subscription, type MonoTypeOperatorFunction } from 'rxjs';
import { requireSignals } from './checks';
import type { Signal } from './signal';
import type { AnySignal, ConnectOptions, Receiver, SignalArgs, SignalEvent } from './types';

/** The event type of a signal; for a union of signals, the union of their events. */
type EventOf<S> = S extends Signal<infer Args, infer Sender> ? SignalEvent<Args, Sender> : never;

/** The sender type of a signal; for a union of signals, the union of their senders. */
type SenderOf<S> = S extends Signal<infer _Args, infer Sender> ? Sender : never;

/** Connect options for several signals of different args: the pipe sees the union of their events. */
type MixedConnectOptions<S> = Omit<ConnectOptions<SignalArgs, SenderOf<S>>, 'pipe'> & {
  pipe?: MonoTypeOperatorFunction<EventOf<S>> | readonly MonoTypeOperatorFunction<EventOf<S>>[];
};

/**
 * Connects one function to one signal or to several, with the same options; the returned
 * Subscription disconnects all of them. Django's `@receiver` decorator.
 *
 * Over signals of different args, `fn` gets the union of their events: read the args they share.
 *
 * @example
 * const subscription = receiver([requestStarted, requestFinished], ({ request }) => closeStaleConnections(request));
 * subscription.unsubscribe(); // disconnected from both
 */
export function receiver<Args extends SignalArgs, Sender = unknown>(
  signals: Signal<Args, Sender> | readonly Signal<Args, Sender>[],
  fn: Receiver<Args, Sender>,
  options?: ConnectOptions<Args, Sender>,
): Subscription;
export function receiver<S extends AnySignal>(
  signals: readonly S[],
  fn: (event: EventOf<S>) => unknown,
  options?: MixedConnectOptions<S>,
): Subscription;
export function receiver(signals: AnySignal | readonly AnySignal[], fn: Function, options?: object): Subscription {
  const list = requireSignals<AnySignal>('receiver(signals, fn)', 'signals', signals);
  const subscription = new Subscription();
  try {
    // Each signal calls fn with its own events, which the overloads above type.
    for (const signal of list) subscription.add(signal.connect(fn as never, options as never));
  } catch (error) {
    subscription.unsubscribe(); // all or nothing: a bad option fails before anything stays connected
    throw error;
  }
  return subscription;
}
