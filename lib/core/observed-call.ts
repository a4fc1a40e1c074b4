import { performance } from 'node:perf_hooks';
import { thenOf } from './is-thenable';
import { observers } from './observers';
import { probeOf, profiling, type ProbedConnection, type ReceiverProbe } from './receiver-probe';
import { receiverChannel, type TraceContext } from './tracing';

type AnyEvent = { readonly sender: unknown };

const { start: startChannel, end: endChannel, asyncStart, asyncEnd, error: errorChannel } = receiverChannel;

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
  if (observers.tracedCalls) {
    const context: TraceContext = { signal, sender: event.sender, receiver, event, async: false };
    // The receiver runs inside the stores that subscribers bound to `start` (their spans).
    return startChannel.runStores(context, callTraced, undefined, probe, receiver, event, context);
  }
  if (probe === null) return receiver(event);
  return probe.begin() ? callTimed(probe, receiver, event) : callUntimed(probe, receiver, event);
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
  else new Settlement(probe, startedAt, null).follow(response, then);
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
  else new Settlement(probe, null, null).follow(response, then);
  return response;
}

/** A traced call (and profiled, when `probe` is not null), with Node's traceSync/tracePromise conventions. */
function callTraced<E>(
  probe: ReceiverProbe | null,
  receiver: (event: E) => unknown,
  event: E,
  context: TraceContext,
): unknown {
  const startedAt = probe !== null && probe.begin() ? performance.now() : null;
  let response: unknown;
  try {
    response = receiver(event);
  } catch (error) {
    completed(probe, startedAt, true);
    context.error = error;
    errorChannel.publish(context);
    endChannel.publish(context);
    throw error;
  }
  const then = thenOf(response);
  if (then === undefined) {
    completed(probe, startedAt, false);
    context.result = response;
    endChannel.publish(context);
  } else {
    context.async = true;
    endChannel.publish(context);
    new Settlement(probe, startedAt, context).follow(response, then);
  }
  return response;
}

/** Hands a call that completed synchronously to the profilers. */
function completed(probe: ReceiverProbe | null, startedAt: number | null, failed: boolean): void {
  if (probe === null) return;
  if (startedAt === null) probe.untimed(failed);
  else probe.timed(performance.now() - startedAt, failed);
}

/**
 * A thenable response followed until it settles, for the profilers (timed from `startedAt`, or
 * untimed when null) and the TracingChannel's `asyncStart`/`asyncEnd` (when `context` is set).
 */
class Settlement {
  private settled = false;

  constructor(
    private readonly probe: ReceiverProbe | null,
    private readonly startedAt: number | null,
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
    this.probe?.settled(this.startedAt === null ? null : performance.now() - this.startedAt, failed);
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
