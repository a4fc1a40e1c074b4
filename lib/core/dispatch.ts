import type { Connection } from './connection';
import { UnreadableThen, adopt, readThen } from './is-thenable';
import type { Muting } from './muting';
import { callObserved } from './observed-call';
import { observers } from './observers';
import { reportReceiverError } from './receiver-errors';

/**
 * How a send treats receiver failures:
 * - `strict` (`send`): the first error stops the send and is thrown to the caller.
 * - `robust` (`sendRobust`): every receiver runs; errors are reported and returned in place.
 * - `async` (`asend`, `asendRobust`): every receiver runs; failures are settled afterwards.
 * - `notify` (`notify`): as `robust`, and no results are kept.
 * @internal
 */
export type SendMode = 'strict' | 'robust' | 'async' | 'notify';

/** A receiver failure kept in place by an asynchronous send until every receiver settled. @internal */
export class Failure {
  constructor(readonly error: unknown) {}
}

/**
 * A thenable response kept in place by an asynchronous send: adopted once, as it was returned,
 * so that settling never reads the receiver's value again.
 * @internal
 */
export class Pending {
  readonly settled: Promise<unknown>;
  constructor(thenable: unknown, then: Function) {
    this.settled = adopt(thenable, then).then(undefined, (error: unknown) => new Failure(error));
  }
}

/** What a dispatch needs of an event and of its signal. */
type AnyEvent = { readonly sender: unknown };
type ReceiverOf<E> = (event: E) => unknown;

/**
 * One send in progress: its event, its results, and how it treats failures (its {@link SendMode}).
 * @internal
 */
export class Dispatch<E extends AnyEvent> {
  /**
   * `[receiver, response]` pairs; sized for every connection the send may reach, trimmed at the
   * end. Empty, and never filled, for `notify`.
   */
  readonly results: [receiver: ReceiverOf<E>, response: unknown][];
  /** False for `notify`: responses are not kept. */
  readonly keepsResults: boolean;
  count = 0;
  /** Strict mode: set by the first receiver error, which ends the walk. */
  stopped = false;
  error: unknown = undefined;
  /** Async mode: a response is a thenable or a failure, so the results must be settled. */
  unsettled = false;
  /** The piped connection this send is pushing its event into, to tell its synchronous deliveries from later ones. */
  pipedConnection: Connection<E> | null = null;

  /** Mode flags, read on the hot path (cheaper than comparing a mode). */
  readonly strict: boolean;
  readonly async: boolean;
  /** True while a profiler runs or the receiver TracingChannel has subscribers: checked once per send. */
  readonly observed: boolean;

  constructor(
    readonly signal: { readonly name: string },
    readonly event: E,
    mode: SendMode,
    capacity: number,
  ) {
    this.strict = mode === 'strict';
    this.async = mode === 'async';
    this.keepsResults = mode !== 'notify';
    this.results = new Array(this.keepsResults ? capacity : 0);
    this.observed = observers.calls;
  }

  /** Calls one receiver of `connection` with `event` and records its response as the send's mode says. */
  call(connection: Connection<E>, receiver: ReceiverOf<E>, event: E): void {
    let response: unknown;
    try {
      // Tracing and profiling cost this one flag while nobody observes.
      response = this.observed ? callObserved(this.signal, connection, receiver, event) : receiver(event);
    } catch (error) {
      if (this.strict) {
        this.stopped = true;
        this.error = error;
        return;
      }
      if (this.async) {
        this.unsettled = true;
        response = new Failure(error);
      } else {
        this.report(receiver, error, event);
        response = error;
      }
    }
    const then = readThen(response);
    if (typeof then === 'function') {
      if (this.async) {
        this.unsettled = true;
        response = new Pending(response, then);
      } else this.reportRejection(receiver, response, then, event);
    } else if (then instanceof UnreadableThen && this.async) {
      // Awaited, as `await` would, it fails with what reading `then` threw; nothing awaits it elsewhere.
      this.unsettled = true;
      response = new Failure(then.error);
    }
    if (this.keepsResults) this.results[this.count++] = [receiver, response];
  }

  /** The results, without the unused slots of connections that were skipped. */
  finish(): [receiver: ReceiverOf<E>, response: unknown][] {
    if (this.results.length !== this.count) this.results.length = this.count;
    return this.results;
  }

  report(receiver: Function, error: unknown, event: E): void {
    reportReceiverError({ signal: this.signal, sender: event.sender, receiver, error, event });
  }

  private reportRejection(receiver: Function, response: unknown, then: Function, event: E): void {
    try {
      then.call(response, undefined, (error: unknown) => this.report(receiver, error, event));
    } catch (error) {
      this.report(receiver, error, event);
    }
  }
}

/**
 * Walks the connections a send reaches, `anySender` and `own` (those bound to its sender) merged
 * by connection order, and calls each receiver or feeds each piped connection, skipping those
 * `muting` silences for this event (null while no mute is active: one check per connection).
 * @internal
 */
export function deliver<E extends AnyEvent>(
  dispatch: Dispatch<E>,
  anySender: readonly Connection<E>[],
  own: readonly Connection<E>[],
  muting: Muting<E> | null,
): void {
  let i = 0;
  let j = 0;
  while (!dispatch.stopped) {
    let connection: Connection<E>;
    if (i < anySender.length && (j === own.length || anySender[i].seq < own[j].seq)) connection = anySender[i++];
    else if (j < own.length) connection = own[j++];
    else break;
    if (connection.closed || (muting !== null && muting.silences(connection, dispatch.event))) continue;
    if (connection.pipeInput !== null) feed(connection, dispatch);
    else {
      const receiver = connection.receiver;
      if (receiver === undefined) connection.end();
      else dispatch.call(connection, receiver, dispatch.event);
    }
  }
}

/** The innermost send pushing an event into a piped connection (sends nest: a receiver may send). */
let feeding: Dispatch<AnyEvent> | null = null;

/**
 * Pushes the send's event into a connection's operator chain. What comes out synchronously
 * belongs to this send (see {@link dispatchFeeding}); only this path sets that, which keeps the
 * dispatch of plain connections free of it.
 */
function feed<E extends AnyEvent>(connection: Connection<E>, dispatch: Dispatch<E>): void {
  const outer = feeding;
  feeding = dispatch as unknown as Dispatch<AnyEvent>;
  dispatch.pipedConnection = connection;
  try {
    connection.pipeInput!.next(dispatch.event);
  } finally {
    dispatch.pipedConnection = null;
    feeding = outer;
  }
}

/**
 * The send whose event is going through `connection`'s operators right now, or null when what
 * the chain emits comes later (a delay, a debounce, a resumed pause).
 * @internal
 */
export function dispatchFeeding<E extends AnyEvent>(connection: Connection<E>): Dispatch<E> | null {
  const dispatch = feeding as unknown as Dispatch<E> | null;
  return dispatch !== null && dispatch.pipedConnection === connection ? dispatch : null;
}
