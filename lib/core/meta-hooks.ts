import type { Connection } from './connection';
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

/**
 * Sends a meta-signal about one of `signal`'s connections, robustly, only when something is
 * connected or subscribed to it (connecting pays nothing otherwise: not even the diagnostics
 * channel sees meta-signals nobody listens to), and never about the meta-signals' own.
 * @internal
 */
export function announce(
  meta: MetaSignal | null,
  signal: object,
  connection: Pick<Connection<never>, 'receiver' | 'info'>,
): void {
  if (meta === null || !meta.hasListeners()) return;
  if (signal === metaSignals.connected || signal === metaSignals.disconnected) return;
  meta.notify(signal as Signal<object, unknown>, { receiver: connection.receiver, info: connection.info() });
}
