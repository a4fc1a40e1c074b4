import { describeValue, functionName } from '../core/checks';
import type { ReceiverInfo } from '../core/signal';
import type { PanelSignal } from './options';
import { safely } from './safely';
import { labelSignals } from './signal-labels';
import type { ConnectionView, SignalView } from './protocol';

/**
 * Lists each signal with its live connections (Django's `signal.receivers`), described for a
 * page: names (see `labelSignals`) and flags only, the panel's own connections (`own`) marked. A sender is never
 * dumped. Never throws: a signal whose connections cannot be read, or a sender or receiver that
 * throws when looked at, is described as unreadable.
 *
 * @example
 * listConnections([requestFinished], app, ownReceivers);
 * // [{ name: 'requestFinished', receivers: [{ name: 'accessLog', sender: 'this app', paused: false, own: false, ... }] }]
 * @internal
 */
export function listConnections(
  signals: readonly PanelSignal[],
  app: object,
  own: ReadonlySet<Function>,
): SignalView[] {
  const labels = labelSignals(signals);
  return signals.map((signal) => ({
    name: labels.get(signal)!,
    receivers: safely(() => signal.receivers(), [] as ReceiverInfo[]).map((info) => describeConnection(info, app, own)),
  }));
}

function describeConnection(info: ReceiverInfo, app: object, own: ReadonlySet<Function>): ConnectionView {
  const receiver = safely(() => info.receiver, undefined);
  return {
    name: receiver === undefined ? '<collected>' : safely(() => functionName(receiver), '<unreadable name>'),
    sender: safely(() => (info.bound ? describeSender(info.sender, app) : 'any sender'), '<unreadable sender>'),
    paused: safely(() => info.paused === true, false),
    dispatchUid: safely(() => (info.dispatchUid === undefined ? null : String(info.dispatchUid)), '<unreadable uid>'),
    weak: safely(() => info.weak === true, false),
    operators: safely(() => Number(info.operators) || 0, 0),
    own: receiver !== undefined && own.has(receiver),
  };
}

/** A few words about a sender, without revealing its contents (may throw: the caller guards). */
function describeSender(sender: unknown, app: object): string {
  if (typeof sender !== 'object' || sender === null) {
    return typeof sender === 'string' ? describeValue(sender).replace(/^the string /, '') : describeValue(sender);
  }
  const candidate = sender as { inject?: unknown; addHook?: unknown; server?: unknown };
  if (typeof candidate.inject === 'function' && typeof candidate.addHook === 'function') {
    // Every encapsulated context of one app shares its HTTP server.
    return candidate.server === (app as { server?: unknown }).server ? 'this app' : 'another Fastify app';
  }
  const name = (sender as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' ? `a ${name.slice(0, 40)}` : 'an object';
}
