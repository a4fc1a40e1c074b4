import diagnosticsChannel, { type Channel } from 'node:diagnostics_channel';
import { noteChannels, observers, watchers } from './observers';
import type { Signal } from './signal';
import type { SignalArgs, SignalEvent } from './signal';

/**
 * The name of the `node:diagnostics_channel` channel on which every send publishes a
 * {@link SendMessage}, while it has subscribers. Tools subscribe by name, without importing
 * rx-signals.
 *
 * @example
 * import diagnosticsChannel from 'node:diagnostics_channel';
 * diagnosticsChannel.subscribe('rx-signals:send', (message) => console.log(message.signal.name));
 */
export const SEND_CHANNEL = 'rx-signals:send';

/**
 * The name of the TracingChannel that every receiver call runs in, while it has subscribers:
 * `tracing:rx-signals:receiver:start`, `:end`, `:error`, `:asyncStart` and `:asyncEnd`, each
 * carrying one {@link ReceiverTraceContext} per call.
 *
 * @example
 * import diagnosticsChannel from 'node:diagnostics_channel';
 * diagnosticsChannel.tracingChannel('rx-signals:receiver').subscribe({
 *   start: (call) => console.log('calling', call.receiver.name),
 *   end: () => {}, asyncStart: () => {}, asyncEnd: () => {}, error: () => {},
 * });
 */
export const RECEIVER_CHANNEL = 'rx-signals:receiver';

/**
 * What `rx-signals:send` carries for one send: published once the event is built, before any
 * receiver or Observable subscriber sees it, whether receivers are connected or not.
 *
 * @example
 * diagnosticsChannel.subscribe(SEND_CHANNEL, (message) => {
 *   const { signal, sender, event } = message as SendMessage;
 *   console.log(`${signal.name} sent by`, sender, event);
 * });
 */
export interface SendMessage<Args extends SignalArgs = object, Sender = unknown> {
  readonly signal: Signal<Args, Sender>;
  readonly sender: Sender;
  readonly event: SignalEvent<Args, Sender>;
}

/**
 * The context object of one receiver call on the `rx-signals:receiver` TracingChannel, with
 * Node's conventions: `start` before the call (stores bound to `start` are entered for it),
 * `end` when it returns or throws, `error` (with `error` set) when it throws. When the response
 * is a Promise or another thenable, `async` is true at `end`, and `asyncStart` then `asyncEnd`
 * follow once it settles (`result` set), preceded by `error` when it rejects.
 *
 * @example
 * const spans = new WeakMap<ReceiverTraceContext, Span>();
 * channel.subscribe({
 *   start: (call) => spans.set(call, tracer.startSpan(call.receiver.name)),
 *   end: (call) => call.async || spans.get(call)?.end(),
 *   asyncEnd: (call) => spans.get(call)?.end(),
 *   asyncStart() {},
 *   error: (call) => spans.get(call)?.recordException(call.error as Error),
 * });
 */
export interface ReceiverTraceContext<Args extends SignalArgs = object, Sender = unknown> {
  readonly signal: Signal<Args, Sender>;
  readonly sender: Sender;
  /** The connected function being called. */
  readonly receiver: Function;
  readonly event: SignalEvent<Args, Sender>;
  /** Set before `end`: true when the response is a thenable, whose settling `asyncStart`/`asyncEnd` report. */
  async: boolean;
  /** The response (a thenable's value once it fulfilled). */
  result?: unknown;
  /** What the receiver threw, or what its Promise rejected with. */
  error?: unknown;
}

/**
 * The channels, held for the life of the process: Node keeps a channel only while someone holds
 * it, and the subscriptions of these very objects are watched (see `observers.ts`).
 * @internal
 */
export const sendChannel = diagnosticsChannel.channel(SEND_CHANNEL);

/**
 * A {@link ReceiverTraceContext} as the dispatch builds it, before any type of args is known.
 * @internal
 */
export interface TraceContext {
  readonly signal: object;
  readonly sender: unknown;
  readonly receiver: Function;
  readonly event: object;
  async: boolean;
  result?: unknown;
  error?: unknown;
}

/** @internal */
export const receiverChannel = diagnosticsChannel.tracingChannel<object, TraceContext>(RECEIVER_CHANNEL);

/** The methods by which a channel gains or loses subscribers and stores. */
const SUBSCRIPTION_METHODS = ['subscribe', 'unsubscribe', 'bindStore', 'unbindStore'] as const;

/**
 * Keeps `observers` current: each channel gets its own subscription methods, which run Node's
 * (those of its prototype at the time, which Node swaps between active and inactive) and then
 * note the channels' state. Every way to subscribe goes through them: `diagnosticsChannel.subscribe`,
 * `channel.subscribe`, `tracingChannel.subscribe` and `bindStore` all call the channel's methods.
 */
function watchSubscriptions(channels: readonly Channel[], note: () => void): void {
  for (const channel of channels) {
    for (const method of SUBSCRIPTION_METHODS) {
      Object.defineProperty(channel, method, {
        configurable: true,
        writable: true,
        value: function watched(this: Channel, ...args: unknown[]): unknown {
          try {
            return Reflect.apply((Object.getPrototypeOf(this) as Record<string, Function>)[method], this, args);
          } finally {
            note();
          }
        },
      });
    }
  }
  note(); // subscribers that came before this module
}

const { start, end, asyncStart, asyncEnd, error } = receiverChannel;
watchSubscriptions([sendChannel, start, end, asyncStart, asyncEnd, error], () =>
  noteChannels(
    sendChannel.hasSubscribers,
    start.hasSubscribers ||
      end.hasSubscribers ||
      asyncStart.hasSubscribers ||
      asyncEnd.hasSubscribers ||
      error.hasSubscribers,
  ),
);

/**
 * Hands one send to the watchers and publishes it on `rx-signals:send`. The caller checks
 * `observers.sends` first, so that an unobserved send pays that check only. A channel subscriber
 * that throws is Node's business (it reports the error as an uncaught exception on the next
 * tick); the send goes on.
 * @internal
 */
export function noteSend(signal: object, sender: unknown, event: object): void {
  for (let index = 0; index < watchers.length; index++) watchers[index].sent(signal, sender, event);
  if (observers.publishedSends) sendChannel.publish({ signal, sender, event });
}
