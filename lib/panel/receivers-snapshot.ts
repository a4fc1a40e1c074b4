import type { ReceiverInfo } from '../core/signal';
import type { PanelSignal } from './options';

/**
 * One connection as the panel lists it.
 *
 * @example
 * { name: 'closeStaleConnections', sender: 'this app', paused: true, dispatchUid: null, weak: false, operators: 1 }
 */
export interface ReceiverView {
  /** The receiver's function name (`<anonymous>` for arrow functions assigned nowhere). */
  readonly name: string;
  /** Which sender it listens to: `'any sender'`, `'this app'`, or a short description. */
  readonly sender: string;
  /** True while a `pausable` operator in its pipe holds its events back. */
  readonly paused: boolean;
  readonly dispatchUid: string | null;
  readonly weak: boolean;
  /** How many operators its `pipe` has. */
  readonly operators: number;
}

/**
 * One signal and its connections, in connection order.
 *
 * @example
 * { name: 'requestFinished', receivers: [{ name: 'accessLog', sender: 'this app', paused: false, ... }] }
 */
export interface SignalView {
  readonly name: string;
  readonly receivers: readonly ReceiverView[];
}

/**
 * Lists each signal with its live connections (Django's `signal.receivers`), described for a
 * page: names and flags only. A sender is never dumped: an object is named by its class.
 *
 * @example
 * receiversSnapshot([requestFinished], app);
 * // [{ name: 'requestFinished', receivers: [{ name: 'closeStaleConnections', sender: 'this app', paused: false, ... }] }]
 * @internal
 */
export function receiversSnapshot(signals: readonly PanelSignal[], app: object): SignalView[] {
  return signals.map((signal) => ({
    name: signal.name,
    receivers: signal.receivers().map((info) => describeReceiver(info, app)),
  }));
}

function describeReceiver(info: ReceiverInfo, app: object): ReceiverView {
  return {
    name: info.name,
    sender: info.bound ? describeSender(info.sender, app) : 'any sender',
    paused: info.paused,
    dispatchUid: info.dispatchUid === undefined ? null : String(info.dispatchUid),
    weak: info.weak,
    operators: info.operators,
  };
}

/** A few words about a sender, without revealing its contents. */
function describeSender(sender: unknown, app: object): string {
  if (sender === null) return 'null';
  switch (typeof sender) {
    case 'string':
      return sender.length > 40 ? `"${sender.slice(0, 37)}..."` : `"${sender}"`;
    case 'number':
    case 'boolean':
    case 'bigint':
    case 'symbol':
      return String(sender);
    case 'function':
      return `function ${sender.name || '<anonymous>'}`;
    case 'object':
      if (isFastify(sender)) {
        // Every encapsulated context of one app shares its HTTP server.
        return (sender as { server?: unknown }).server === (app as { server?: unknown }).server
          ? 'this app'
          : 'another Fastify app';
      }
      return `a ${(sender as object).constructor?.name || 'Object'}`;
    default:
      return String(sender);
  }
}

function isFastify(value: object): boolean {
  const candidate = value as { inject?: unknown; addHook?: unknown; register?: unknown };
  return typeof candidate.inject === 'function' && typeof candidate.addHook === 'function' && typeof candidate.register === 'function';
}
