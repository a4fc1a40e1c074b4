import { performance } from 'node:perf_hooks';
import { thenOf } from './is-thenable';
import { observers, watchers, type WatchedCall } from './observers';
import { probeOf, profiling, type ProbedConnection, type ReceiverProbe } from './receiver-probe';
import { receiverChannel, type TraceContext } from './tracing';

type AnyEvent = { readonly sender: unknown };

const { start: startChannel, end: endChannel, asyncStart, asyncEnd, error: errorChannel } = receiverChannel;

/**
 * Calls a receiver under observation: inside the `rx-signals:receiver` TracingChannel when it
 * has subscribers, timed for the profilers that cover `signal` and for the watcher that follows
 * `event`. Returns the response and throws what the receiver throws, exactly as calling it
 * would; observing never throws out of here (channel subscribers that throw are reported by
 * Node on the next tick).
 * @internal
 */
export function callObserved<E extends AnyEvent>(
  signal: object,
  connection: ProbedConnection,
  receiver: (event: E) => unknown,
  event: E,
): unknown {
  const probe = profiling.running === 0 ? null : probeOf(signal, connection);
  const watched = watchers.length === 0 ? null : watchedCall(receiver, event);
  if (observers.tracedCalls) {
    const context: TraceContext = { signal, sender: event.sender, receiver, event, async: false };
    // The receiver runs inside the stores that subscribers bound to `start` (their spans).
    return startChannel.runStores(context, callFollowed, undefined, probe, watched, receiver, event, context);
  }
  if (watched !== null) return callFollowed(probe, watched, receiver, event, null);
  if (probe === null) return receiver(event);
  return probe.begin() ? callTimed(probe, receiver, event) : callUntimed(probe, receiver, event);
}

/** Where the first watcher that follows `event` times this call, or null. */
function watchedCall(receiver: Function, event: object): WatchedCall | null {
  for (let index = 0; index < watchers.length; index++) {
    const call = watchers[index].calling(receiver, event);
    if (call !== null) return call;
  }
  return null;
}

/** A profiled call that is timed. The synchronous case allocates nothing. */
function callTimed<E>(probe: ReceiverProbe, receiver: (event: E) => unknown, event: E): unknown {
  const startedAt = performance.now();
  let response: unknown;
  try {
    response = receiver(event);
  } catch (error) {
    probe.timed(performance.now() - startedAt, true);
    throw error;
  }
  const then = thenOf(response);
  if (then === undefined) probe.timed(performance.now() - startedAt, false);
  else new Settlement(probe, true, null, startedAt, null).follow(response, then);
  return response;
}

/** A profiled call that is not timed (sampled out): counted only. */
function callUntimed<E>(probe: ReceiverProbe, receiver: (event: E) => unknown, event: E): unknown {
  let response: unknown;
  try {
    response = receiver(event);
  } catch (error) {
    probe.untimed(true);
    throw error;
  }
  const then = thenOf(response);
  if (then === undefined) probe.untimed(false);
  else new Settlement(probe, false, null, 0, null).follow(response, then);
  return response;
}

/**
 * A call followed by the TracingChannel (`context`, with Node's traceSync/tracePromise
 * conventions), a watcher (`watched`) or both, and profiled when `probe` is set.
 */
function callFollowed<E>(
  probe: ReceiverProbe | null,
  watched: WatchedCall | null,
  receiver: (event: E) => unknown,
  event: E,
  context: TraceContext | null,
): unknown {
  const profiled = probe !== null && probe.begin();
  const startedAt = profiled || watched !== null ? performance.now() : 0;
  let response: unknown;
  try {
    response = receiver(event);
  } catch (error) {
    completed(probe, profiled, watched, startedAt, true);
    if (context !== null) {
      context.error = error;
      errorChannel.publish(context);
      endChannel.publish(context);
    }
    throw error;
  }
  const then = thenOf(response);
  if (then === undefined) {
    completed(probe, profiled, watched, startedAt, false);
    if (context !== null) {
      context.result = response;
      endChannel.publish(context);
    }
  } else {
    if (context !== null) {
      context.async = true;
      endChannel.publish(context);
    }
    new Settlement(probe, profiled, watched, startedAt, context).follow(response, then);
  }
  return response;
}

/** Hands a call that completed (returned, threw, or its thenable settled) to the profilers and the watcher. */
function completed(
  probe: ReceiverProbe | null,
  profiled: boolean,
  watched: WatchedCall | null,
  startedAt: number,
  failed: boolean,
): void {
  const ms = profiled || watched !== null ? performance.now() - startedAt : 0;
  if (watched !== null) {
    watched.ms = ms;
    watched.failed = failed;
  }
  if (probe === null) return;
  if (profiled) probe.timed(ms, failed);
  else probe.untimed(failed);
}

/**
 * A thenable response followed until it settles, for the profilers (timed from `startedAt` when
 * `profiled`), the watcher, and the TracingChannel's `asyncStart`/`asyncEnd` (when `context` is set).
 */
class Settlement {
  private settled = false;

  constructor(
    private readonly probe: ReceiverProbe | null,
    private readonly profiled: boolean,
    private readonly watched: WatchedCall | null,
    private readonly startedAt: number,
    private readonly context: TraceContext | null,
  ) {}

  /**
   * Calls the response's `then` once. A `then` that throws counts as a rejection, as
   * `Promise.resolve(thenable)` would make it; a thenable that calls back twice or more is heard once.
   */
  follow(response: unknown, then: Function): void {
    this.probe?.awaiting();
    try {
      then.call(
        response,
        (value: unknown) => this.settle(false, value),
        (error: unknown) => this.settle(true, error),
      );
    } catch (error) {
      this.settle(true, error);
    }
  }

  private settle(failed: boolean, outcome: unknown): void {
    if (this.settled) return;
    this.settled = true;
    const { probe, profiled, watched } = this;
    const ms = profiled || watched !== null ? performance.now() - this.startedAt : 0;
    if (probe !== null) probe.settled(profiled ? ms : null, failed);
    if (watched !== null) {
      watched.ms = ms;
      watched.failed = failed;
    }
    const context = this.context;
    if (context === null) return;
    if (failed) {
      context.error = outcome;
      errorChannel.publish(context);
    } else context.result = outcome;
    asyncStart.publish(context);
    asyncEnd.publish(context);
  }
}
