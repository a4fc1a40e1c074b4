import type { Signal } from './signal';
import type { ReceiverChangeArgs } from './types';

/** A meta-signal: sender the signal whose connection changed. @internal */
export type MetaSignal = Signal<ReceiverChangeArgs, Signal<object, unknown>>;

/**
 * The two meta-signals, once `meta-signals.ts` has made them: a `Signal` announces connections
 * made and ended through these (and never on them), without importing the module that makes
 * them (which imports `Signal`).
 * @internal
 */
export const metaSignals: { connected: MetaSignal | null; disconnected: MetaSignal | null } = {
  connected: null,
  disconnected: null,
};
