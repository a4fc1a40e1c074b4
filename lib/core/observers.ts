/**
 * Whether anyone observes sends or receiver calls right now: the flags every send reads.
 *
 * Why flags, not `channel.hasSubscribers`: Node marks a channel active or inactive by swapping
 * its prototype when it gains its first or loses its last subscriber, so the channel object
 * changes shape. Read on the hot path, that makes V8 deoptimise `send` at each change; after a
 * few subscribe/unsubscribe cycles (a panel page opened and closed, a test that traces) a send to
 * nobody took 12–20 ns instead of under 1 ns, for the rest of the process. This plain object
 * never changes shape. `tracing.ts` keeps the channels' part current from their own
 * subscribe/unsubscribe/bindStore/unbindStore; the profilers and the watcher keep theirs.
 * @internal
 */
export const observers = {
  /** `rx-signals:send` has subscribers or a {@link SendWatcher} watches: every send goes through `noteSend`. */
  sends: false,
  /** `rx-signals:send` has subscribers: `noteSend` publishes. */
  publishedSends: false,
  /** A profiler runs, a watcher watches or the `rx-signals:receiver` TracingChannel has subscribers: receiver calls go through `callObserved`. */
  calls: false,
  /** The `rx-signals:receiver` TracingChannel has subscribers (on any of its five channels). */
  tracedCalls: false,
};

/**
 * An internal observer of sends and receiver calls: the request timelines of a panel (one per
 * app with a panel page open). It is added while a page is open and stays: following a few
 * requests a second by subscribing to the tracing channels and leaving them swapped the
 * channels' prototypes each second, and the deoptimisations that followed cost an app with the
 * panel open about 12 % of its requests (docs/benchmarks.md, "What the panel costs a request").
 * @internal
 */
export interface SendWatcher {
  /** A send's event is built, before any receiver sees it. Never throws. */
  sent(signal: object, sender: unknown, event: object): void;
  /** A receiver is about to be called with `event`: where to time the call, or null to leave it (another watcher may take it). Never throws. */
  calling(receiver: Function, event: object): WatchedCall | null;
}

/** A receiver call timed for a {@link SendWatcher}: `ms` once it returned or its thenable settled. @internal */
export interface WatchedCall {
  ms: number | null;
  failed: boolean;
}

/** The watchers. @internal */
export const watchers: SendWatcher[] = [];

let runningProfilers = 0;

/** What the channels say, after any change of their subscriptions. @internal */
export function noteChannels(sendsObserved: boolean, callsTraced: boolean): void {
  observers.publishedSends = sendsObserved;
  observers.tracedCalls = callsTraced;
  update();
}

/** How many profilers run, after one starts or stops. @internal */
export function noteProfilers(running: number): void {
  runningProfilers = running;
  update();
}

/** Adds a watcher; idempotent. @internal */
export function addSendWatcher(watcher: SendWatcher): void {
  if (!watchers.includes(watcher)) watchers.push(watcher);
  update();
}

/** Removes a watcher; idempotent. @internal */
export function removeSendWatcher(watcher: SendWatcher): void {
  const index = watchers.indexOf(watcher);
  if (index >= 0) watchers.splice(index, 1);
  update();
}

function update(): void {
  const watched = watchers.length > 0;
  observers.sends = observers.publishedSends || watched;
  observers.calls = observers.tracedCalls || runningProfilers > 0 || watched;
}
