import { performance } from 'node:perf_hooks';
import { probeOf, profiling, type ProbedConnection, type ReceiverProbe } from './receiver-probe';
import { receiverChannel, type ReceiverTraceContext } from './tracing';

type AnyEvent = { readonly sender: unknown };

const { start: startChannel, end: endChannel, asyncStart, asyncEnd, error: errorChannel } = receiverChannel;

/**
 * True while someone observes receiver calls (a profiler runs, or the `rx-signals:receiver`
 * TracingChannel has subscribers): the one check that a receiver call pays otherwise. Node 20
 * before 20.13 has no `TracingChannel.hasSubscribers`, hence the five channels.
 * @internal
 */
export function observingCalls(): boolean {
  return profiling.running !== 0 || tracingCalls();
}

function tracingCalls(): boolean {
  return (
    startChannel.hasSubscribers ||
    endChannel.hasSubscribers ||
    asyncStart.hasSubscribers ||
    asyncEnd.hasSubscribers ||
    errorChannel.hasSubscribers
  );
}

/**
 * Calls a receiver under observation: inside the `rx-signals:receiver` TracingChannel when it
 * has subscribers, timed for the profilers that cover `signal`. Returns the response and throws
 * what the receiver throws, exactly as calling it would; observing never throws out of here
 * (channel subscribers that throw are reported by Node on the next tick).
 * @internal
 */
export function callObserved<E extends AnyEvent>(
  signal: object,
  connection: ProbedConnection,
  receiver: (event: E) => unknown,
  event: E,
): unknown {
  const probe = profiling.running === 0 ? null : probeOf(signal, connection);
  if (!tracingCalls()) {
    if (probe === null) return receiver(event);
    // The profiler's common case, kept free of allocation: an untimed call that returns a value.
    if (!probe.begin()) return callUntimed(probe, receiver, event);
    return new ObservedCall(receiver, event, probe, true, null).invoke();
  }
  const context: ReceiverTraceContext = { signal, sender: event.sender, receiver, event, async: false } as never;
  const timed = probe !== null && probe.begin();
  const call = new ObservedCall(receiver, event, probe, timed, context);
  return startChannel.runStores(context, call.invoke, call);
}

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
  else new ObservedCall(receiver, event, probe, false, null).follow(response, then);
  return response;
}

/**
 * One observed call that needs more than counters: timed, traced, or answered with a thenable
 * that must be followed until it settles.
 */
class ObservedCall<E> {
  private startedAt = 0;
  private settled = false;

  constructor(
    private readonly receiver: (event: E) => unknown,
    private readonly event: E,
    private readonly probe: ReceiverProbe | null,
    private readonly timed: boolean,
    private readonly context: ReceiverTraceContext | null,
  ) {}

  /** Calls the receiver (inside the `start` channel's stores when traced: see `callObserved`). */
  invoke(): unknown {
    const context = this.context;
    if (this.timed) this.startedAt = performance.now();
    const receiver = this.receiver; // called as a plain function, as the dispatch calls it
    let response: unknown;
    try {
      response = receiver(this.event);
    } catch (error) {
      this.complete(true);
      if (context !== null) {
        context.error = error;
        errorChannel.publish(context);
        endChannel.publish(context);
      }
      throw error;
    }
    const then = thenOf(response);
    if (then === undefined) {
      this.complete(false);
      if (context !== null) {
        context.result = response;
        endChannel.publish(context);
      }
    } else {
      if (context !== null) {
        context.async = true;
        endChannel.publish(context);
      }
      this.follow(response, then);
    }
    return response;
  }

  /**
   * Waits for a thenable response, calling its `then` once. A `then` that throws counts as a
   * rejection, as `Promise.resolve(thenable)` would make it; a thenable that calls back twice
   * or more is heard once.
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
    this.probe?.settled(this.timed ? performance.now() - this.startedAt : null, failed);
    const context = this.context;
    if (context === null) return;
    if (failed) {
      context.error = outcome;
      errorChannel.publish(context);
    } else context.result = outcome;
    asyncStart.publish(context);
    asyncEnd.publish(context);
  }

  /** A call that completed synchronously. */
  private complete(failed: boolean): void {
    const probe = this.probe;
    if (probe === null) return;
    if (this.timed) probe.timed(performance.now() - this.startedAt, failed);
    else probe.untimed(failed);
  }
}

/**
 * The `then` method of a response, or undefined when it has none. Reading it may throw (a getter,
 * a Proxy, a revoked Proxy): such a response is not followed, as if it had no `then`.
 */
function thenOf(value: unknown): Function | undefined {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return undefined;
  try {
    const then: unknown = (value as { then?: unknown }).then;
    return typeof then === 'function' ? then : undefined;
  } catch {
    return undefined;
  }
}
