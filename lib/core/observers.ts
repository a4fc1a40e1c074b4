/**
 * Whether anyone observes sends or receiver calls right now: the flags every send reads.
 *
 * Why flags, not `channel.hasSubscribers`: Node marks a channel active or inactive by swapping
 * its prototype when it gains its first or loses its last subscriber, so the channel object
 * changes shape. Read on the hot path, that makes V8 deoptimise `send` at each change; after a
 * few subscribe/unsubscribe cycles (a panel page opened and closed, a test that traces) a send to
 * nobody took 12–20 ns instead of under 1 ns, for the rest of the process. This plain object
 * never changes shape. `tracing.ts` keeps `sends` current from the channels' own
 * subscribe/unsubscribe/bindStore/unbindStore; the profilers keep their part of `calls`.
 * @internal
 */
export const observers = {
  /** `rx-signals:send` has subscribers: every send publishes, receivers or not. */
  sends: false,
  /** A profiler runs or the `rx-signals:receiver` TracingChannel has subscribers: receiver calls go through `callObserved`. */
  calls: false,
  /** The `rx-signals:receiver` TracingChannel has subscribers (on any of its five channels). */
  tracedCalls: false,
};

let runningProfilers = 0;

/** What the channels say, after any change of their subscriptions. @internal */
export function noteChannels(sendsObserved: boolean, callsTraced: boolean): void {
  observers.sends = sendsObserved;
  observers.tracedCalls = callsTraced;
  observers.calls = callsTraced || runningProfilers > 0;
}

/** How many profilers run, after one starts or stops. @internal */
export function noteProfilers(running: number): void {
  runningProfilers = running;
  observers.calls = observers.tracedCalls || running > 0;
}
