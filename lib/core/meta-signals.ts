import { metaSignals } from './meta-hooks';
import { Signal } from './signal';
import type { ReceiverChangeArgs } from './types';

/**
 * Sent (robustly) after a connection is made on any other signal, the library's own connections
 * included: sender the signal, args `{ receiver, info }` with `info` as `signal.receivers()`
 * describes the connection. Blinker's `receiver_connected`. Connecting to it (or to
 * {@link receiverDisconnected}) sends neither. While nothing listens, connecting pays nothing for it.
 *
 * @example
 * receiverConnected.connect(({ sender, info }) => console.log(`${info.name} connected to ${sender.name}`));
 */
export const receiverConnected = new Signal<ReceiverChangeArgs, Signal<object, unknown>>('receiverConnected');

/**
 * Sent (robustly) after a connection ends on any other signal: unsubscribed, disconnected, ended
 * by its pipe, its app closed, or its weak receiver garbage-collected (then `receiver` is
 * undefined and `info.name` is `<collected>`). Blinker's `receiver_disconnected`.
 *
 * @example
 * receiverDisconnected.connect(({ sender, info }) => console.log(`${info.name} left ${sender.name}`));
 */
export const receiverDisconnected = new Signal<ReceiverChangeArgs, Signal<object, unknown>>('receiverDisconnected');

metaSignals.connected = receiverConnected;
metaSignals.disconnected = receiverDisconnected;
