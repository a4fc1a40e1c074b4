import { requireSignalName } from './checks';
import { Signal } from './signal';
import type { SignalArgs } from './types';

/** The signals of `namedSignal`, held strongly: a name means one signal for the life of the process. */
const named = new Map<string, Signal<object, unknown>>();

/**
 * The process-wide signal of that name: the same instance every time, whoever asks (created on
 * first use, then held for good). Blinker's `signal(name)`: two modules share a signal by naming
 * it, without importing each other. The type parameters are the caller's word: give the same ones
 * everywhere. Names are their own namespace: a signal made with `new Signal('x')` is not
 * `namedSignal('x')`.
 *
 * @example
 * // billing.ts
 * namedSignal<{ invoice: Invoice }>('invoicePaid').send(billing, { invoice });
 * // mailer.ts
 * namedSignal<{ invoice: Invoice }>('invoicePaid').connect(({ invoice }) => sendReceipt(invoice));
 */
export function namedSignal<Args extends SignalArgs = object, Sender = unknown>(name: string): Signal<Args, Sender> {
  requireSignalName('namedSignal(name)', name, "namedSignal('invoicePaid')");
  let signal = named.get(name);
  if (signal === undefined) {
    signal = new Signal<object, unknown>(name);
    named.set(name, signal);
  }
  return signal as unknown as Signal<Args, Sender>;
}
