import type { Subject } from 'rxjs';
import type { Connection } from './connection';
import type { ConnectionIndex } from './connection-index';
import type { EventBuilder } from './event-builder';
import { readThen } from './is-thenable';
import type { Muting } from './muting';
import { callObserved } from './observed-call';
import { observers } from './observers';
import { reportReceiverError } from './receiver-errors';
import { badSendArgs } from './send-args';
import { Failure, Pending } from './settle';
import { noteSend } from './tracing';

/**
 * How a send treats receiver failures:
 * - `strict` (`send`): the first error stops the send and is thrown to the caller.
 * - `robust` (`sendRobust`): every receiver runs; errors are reported and returned in place.
 * - `async` (`asend`, `asendRobust`): every receiver runs; thenables and failures are kept in
 *   place (as {@link Pending} and {@link Failure}) and settled afterwards.
 * - `notify` (`notify`): as `robust`, and no results are kept.
 * @internal
 */
export type SendMode = 'strict' | 'robust' | 'async' | 'notify';

/** What a dispatch needs of an event, and its helpers of the signal. */
type AnyEvent = { readonly sender: unknown };
type SignalOfEvent = { readonly name: string };
type ReceiverOf<E> = (event: E) => unknown;

/**
 * What a dispatch reads of its signal: the name for errors and the state a send walks (internal
 * members of `Signal`).
 * @internal
 */
export interface DispatchedSignal<E> {
  readonly name: string;
  readonly events: EventBuilder;
  readonly relays: readonly ((event: E) => void)[];
  readonly subject: Subject<E>;
  readonly connections: ConnectionIndex<E>;
  readonly muting: Muting<E>;
}

/**
 * The `[receiver, response]` pairs of a send, in connection order.
 * @internal
 */
export type Results<E> = [receiver: ReceiverOf<E>, response: unknown][];

/** What a `notify` send "collects": never written to, shared. */
const NOTHING_KEPT: Results<never> = Object.freeze([]) as unknown as Results<never>;

/**
 * One send, whole: checks the args, builds the event, shows it to the `rx-signals:send` channel,
 * the relays (the Redis bridge's) and the Observable subscribers, then walks the connections the
 * send reaches (`anySender` and those bound to its sender, merged by connection order), skipping
 * those a mute silences, and calls each receiver or feeds each piped connection. Returns the
 * results, or throws the first receiver error of a strict send.
 *
 * Why one function with local state and no per-send object: this is the whole cost of a send
 * beyond the event and the results (docs/benchmarks.md). A {@link PipedSend} is made only when
 * the send reaches a piped connection, which needs an object to hand to the operators' far end.
 * Why this function is not split further: V8 inlines a function into its caller only while it
 * is under 460 bytes of bytecode and the caller's budget lasts. Kept whole, it is never inlined
 * into `Signal.send`, which stays small enough to be inlined everywhere, so that a send to nobody
 * stays a field check in its caller's code (≤ 2 ns) wherever the same call site also sends to
 * receivers. Split into inlinable pieces, the send path's bulk was inlined into every caller
 * (four times over in the benchmark's unrolled loop) and the send to nobody took 4–20 ns. For the
 * same reason it takes the signal whole: a method of `Signal` that passed it the fields was small
 * enough to inline, and V8, which inlines the most-called first, spent the budget on it before
 * the args check that a send to nobody runs (a call each time, ~6 ns, in 3 of 5 processes).
 * @internal
 */
export function dispatch<E extends AnyEvent>(
  signal: DispatchedSignal<E>,
  sender: unknown,
  args: object | undefined,
  mode: SendMode,
): Results<E> {
  const { events, relays, subject, connections, muting } = signal;
  const event = events.event(signal, sender, args) as E | null;
  if (event === null) throw badSendArgs(signal.name, args);
  if (observers.sends) noteSend(signal, sender, event);
  for (let r = 0; r < relays.length; r++) relays[r](event);
  if (subject.observed) subject.next(event);
  const anySender = connections.anySender;
  const own = connections.boundTo(sender);
  const silencing = muting.active ? muting : null;
  const keepsResults = mode !== 'notify';
  const reachable = anySender.length + own.length;
  // Sized for every connection the send may reach, trimmed at the end. A send that may reach one
  // makes its results after the call instead, as a literal `[[receiver, response]]`: V8 then
  // allocates both arrays at once, where `new Array(n)` of a length it cannot bound is a builtin
  // call (about 90 instructions, docs/benchmarks.md).
  let results: Results<E> | null = !keepsResults ? NOTHING_KEPT : reachable > 1 ? new Array(reachable) : null;
  const observed = observers.calls; // tracing and profiling cost this one flag while nobody observes
  let piped: PipedSend<E> | null = null;
  let count = 0;
  let i = 0;
  let j = 0;
  for (;;) {
    let connection: Connection<E>;
    if (i < anySender.length && (j === own.length || anySender[i].seq < own[j].seq)) connection = anySender[i++];
    else if (j < own.length) connection = own[j++];
    else break;
    if (connection.closed || (silencing !== null && silencing.silences(connection, event))) continue;
    if (connection.pipeInput !== null) {
      piped ??= new PipedSend(signal, event, mode, (results ??= new Array(reachable)));
      piped.count = count;
      feed(connection, piped);
      count = piped.count;
      if (piped.stopped) throw piped.error;
      continue;
    }
    const receiver = connection.receiver;
    if (receiver === undefined) connection.end();
    else {
      const response = respond(signal, connection, receiver, event, mode, observed);
      if (results === null) return [[receiver, response]]; // the one connection this send reaches
      if (keepsResults) results[count++] = [receiver, response];
    }
  }
  if (results === null) return [];
  if (results.length !== count) results.length = count;
  return results;
}

/**
 * Calls one receiver and returns its response as `mode` keeps it. Throws only in `strict` mode,
 * what the receiver threw; a thenable response is watched for rejection (reported) except in
 * `async` mode, which keeps it as a {@link Pending}.
 * @internal
 */
export function respond<E extends AnyEvent>(
  signal: SignalOfEvent,
  connection: Connection<E>,
  receiver: ReceiverOf<E>,
  event: E,
  mode: SendMode,
  observed: boolean,
  /** The send's own event, whose sender failures are reported with (`event` may be what a pipe made of it). */
  sent: E = event,
): unknown {
  let response: unknown;
  try {
    response = observed ? callObserved(signal, connection, receiver, event) : receiver(event);
  } catch (error) {
    if (mode === 'strict') throw error;
    if (mode === 'async') return new Failure(error, sent);
    report(signal, receiver, error, event, sent);
    return error;
  }
  const then = readThen(response);
  if (then === undefined) return response;
  if (typeof then === 'function') {
    if (mode === 'async') return new Pending(response, then, sent);
    reportRejection(signal, receiver, response, then, event, sent);
    return response;
  }
  // Reading `then` threw. Awaited, as `await` would, it fails with that; nothing awaits it elsewhere.
  return mode === 'async' ? new Failure(then.error, sent) : response;
}

/** Reports a failure with the sender of the send (`sent`), safely: a pipe may hand on what is not an event. */
function report<E extends AnyEvent>(
  signal: SignalOfEvent,
  receiver: Function,
  error: unknown,
  event: E,
  sent: E,
): void {
  reportReceiverError({ signal, sender: senderOf(sent), receiver, error, event });
}

function senderOf(event: unknown): unknown {
  try {
    return typeof event === 'object' && event !== null ? (event as AnyEvent).sender : undefined;
  } catch {
    return undefined; // a Proxy that a pipe made of the event
  }
}

function reportRejection<E extends AnyEvent>(
  signal: SignalOfEvent,
  receiver: Function,
  response: unknown,
  then: Function,
  event: E,
  sent: E,
): void {
  try {
    then.call(response, undefined, (error: unknown) => report(signal, receiver, error, event, sent));
  } catch (error) {
    report(signal, receiver, error, event, sent);
  }
}

/**
 * A send that reached a piped connection: what the operators emit synchronously while the send
 * feeds them is delivered through this (see {@link dispatchFeeding}), into the send's results
 * and under its mode. A strict error stops the send through `stopped`: thrown into the
 * operators, it would become an error of the chain.
 * @internal
 */
export class PipedSend<E extends AnyEvent> {
  count = 0;
  stopped = false;
  error: unknown = undefined;
  /** The piped connection being fed, to tell its synchronous deliveries from later ones. */
  feeding: Connection<E> | null = null;

  constructor(
    readonly signal: SignalOfEvent,
    readonly event: E,
    readonly mode: SendMode,
    readonly results: Results<E>,
  ) {}

  /** Calls the receiver of the connection being fed with what its operators let through. */
  call(connection: Connection<E>, receiver: ReceiverOf<E>, event: E): void {
    let response: unknown;
    try {
      response = respond(this.signal, connection, receiver, event, this.mode, observers.calls, this.event);
    } catch (error) {
      this.stopped = true;
      this.error = error;
      return;
    }
    if (this.mode !== 'notify') this.results[this.count++] = [receiver, response];
  }
}

/** The innermost send pushing an event into a piped connection (sends nest: a receiver may send). */
let innermost: PipedSend<AnyEvent> | null = null;

/** Pushes the send's event into a connection's operator chain. */
function feed<E extends AnyEvent>(connection: Connection<E>, send: PipedSend<E>): void {
  const outer = innermost;
  innermost = send as unknown as PipedSend<AnyEvent>;
  send.feeding = connection;
  try {
    connection.pipeInput!.next(send.event);
  } finally {
    send.feeding = null;
    innermost = outer;
  }
}

/**
 * The send whose event is going through `connection`'s operators right now, or null when what
 * the chain emits comes later (a delay, a debounce, a resumed pause).
 * @internal
 */
export function dispatchFeeding<E extends AnyEvent>(connection: Connection<E>): PipedSend<E> | null {
  const send = innermost as unknown as PipedSend<E> | null;
  return send !== null && send.feeding === connection ? send : null;
}
