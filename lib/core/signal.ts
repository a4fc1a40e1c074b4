import {
  Observable,
  Subject,
  Subscription,
  observable as interopObservableKey,
  type InteropObservable,
  type MonoTypeOperatorFunction,
  type Observer,
  type OperatorFunction,
  type Subscribable,
} from 'rxjs';
import { Connection, ConnectionRegistry } from './connection';
import { EventBuilder } from './event-builder';
import { describeValue, functionName, rejectUnknownKeys, requireOptionsObject } from './checks';
import { reportReceiverError } from './receiver-errors';
import { isThenable } from './is-thenable';

/**
 * The keyword arguments of a signal, as an object type. `signal` and `sender` are reserved: every
 * event carries the real ones.
 */
export type SignalArgs = object & { readonly signal?: never; readonly sender?: never };

/** What receivers get: the send's args plus the `signal` and its `sender`. Read-only by type. */
export type SignalEvent<Args extends SignalArgs, Sender = unknown> = Readonly<Args> & {
  readonly signal: Signal<Args, Sender>;
  readonly sender: Sender;
};

/** A function connected to a signal. Its return value (a Promise included) is its response. */
export type Receiver<Args extends SignalArgs, Sender = unknown> = (event: SignalEvent<Args, Sender>) => unknown;

/** An operator that can stand between a signal and one receiver (`options.pipe`). */
export type EventOperator<Args extends SignalArgs, Sender = unknown> = MonoTypeOperatorFunction<
  SignalEvent<Args, Sender>
>;

/** Options of {@link Signal.connect}. */
export interface ConnectOptions<Args extends SignalArgs, Sender = unknown> {
  /** Only events sent by this sender (compared by identity); omitted or undefined: any sender. */
  sender?: Sender;
  /** Dedupe key: connecting again with the same uid and sender adds nothing. */
  dispatchUid?: string | symbol;
  /** Operators between the signal and this receiver, such as `pausable(...)` or `filter(...)`. */
  pipe?: EventOperator<Args, Sender> | readonly EventOperator<Args, Sender>[];
  /** Hold the receiver through a `WeakRef`: the connection ends when it is garbage-collected. */
  weak?: boolean;
}

/** Options of {@link Signal.disconnect}: they name the connection as `connect` made it. */
export interface DisconnectOptions<Sender = unknown> {
  sender?: Sender;
  dispatchUid?: string | symbol;
}

/** What {@link Signal.receivers} tells about one connection. */
export interface ReceiverInfo {
  /** The receiver's function name, `<anonymous>`, or `<collected>` for a weak receiver that is gone. */
  readonly name: string;
  /** The receiver, or undefined once a weak receiver was garbage-collected. */
  readonly receiver: Function | undefined;
  /** True when the connection only hears one sender, given in `sender`. */
  readonly bound: boolean;
  readonly sender: unknown;
  readonly dispatchUid: string | symbol | undefined;
  readonly weak: boolean;
  /** How many operators `options.pipe` placed before the receiver. */
  readonly operators: number;
  /** True while an operator of its pipe reports itself paused (see `pausable`). */
  readonly paused: boolean;
}

/** One `[receiver, response]` pair of a send; `response` is the error in the robust variants. */
export type SendResult<Args extends SignalArgs, Sender = unknown> = readonly [
  receiver: Receiver<Args, Sender>,
  response: unknown,
];

/** The results of a send, in connection order. */
export type SendResults<Args extends SignalArgs, Sender = unknown> = readonly SendResult<Args, Sender>[];

/** `args` may be left out when the signal has no required args. */
export type SendArgs<Args extends SignalArgs> = {} extends Args ? [args?: Args] : [args: Args];

const CONNECT_OPTIONS = ['sender', 'dispatchUid', 'pipe', 'weak'] as const;
const DISCONNECT_OPTIONS = ['sender', 'dispatchUid'] as const;
const NO_RESULTS: readonly never[] = Object.freeze([]);

/**
 * How a send treats receiver failures:
 * - `strict` (`send`): the first error stops the send and is thrown to the caller.
 * - `robust` (`sendRobust`): every receiver runs; errors are reported and returned in place.
 * - `async` (`asend`, `asendRobust`): every receiver runs; failures are settled afterwards.
 * - `notify` (`notify`): as `robust`, and no results are kept.
 */
type Mode = 'strict' | 'robust' | 'async' | 'notify';

/** A receiver failure kept in place by an asynchronous send until every receiver settled. */
class Failure {
  constructor(readonly error: unknown) {}
}

/** The state of one send while it walks the connections. */
class Dispatch<E extends object> {
  /**
   * `[receiver, response]` pairs; sized for every connection the send may reach, trimmed at the
   * end. Empty, and never filled, for `notify`.
   */
  readonly results: [receiver: (event: E) => unknown, response: unknown][];
  /** False for `notify`: responses are not kept. */
  readonly keep: boolean;
  count = 0;
  /** Strict mode: set by the first receiver error, which ends the walk. */
  stopped = false;
  error: unknown = undefined;
  /** Async mode: a response is a thenable or a failure, so the results must be settled. */
  unsettled = false;
  /** The piped connection being fed, to tell its synchronous deliveries from later ones. */
  feeding: Connection<E> | null = null;

  /** Mode flags, read on the hot path (cheaper than comparing a mode). */
  readonly strict: boolean;
  readonly async: boolean;

  constructor(
    readonly event: E,
    mode: Mode,
    capacity: number,
  ) {
    this.strict = mode === 'strict';
    this.async = mode === 'async';
    this.keep = mode !== 'notify';
    this.results = new Array(this.keep ? capacity : 0);
  }

  record(receiver: (event: E) => unknown, response: unknown): void {
    if (this.keep) this.results[this.count++] = [receiver, response];
  }

  /** The results, without the unused slots of connections that were skipped. */
  finish(): [receiver: (event: E) => unknown, response: unknown][] {
    if (this.results.length !== this.count) this.results.length = this.count;
    return this.results;
  }
}


/**
 * A Django-style signal backed by one RxJS `Subject`: connect receivers, then send events to them.
 *
 * Connecting returns an RxJS `Subscription`; unsubscribing disconnects. Receivers are called in
 * connection order. The signal itself is an Observable of every event from every sender, and it
 * never completes or errors.
 *
 * @example
 * const userLoggedIn = new Signal<{ user: User }, AuthService>('userLoggedIn');
 * const subscription = userLoggedIn.connect(({ user, sender }) => audit.record(user, sender));
 * userLoggedIn.send(authService, { user });   // [[receiver, response]]
 * subscription.unsubscribe();
 */
export class Signal<Args extends SignalArgs, Sender = unknown> {
  private readonly subject = new Subject<SignalEvent<Args, Sender>>();
  /** How many connections and Observable subscribers there are: one field, read first by every send. */
  private audience = 0;
  private readonly observable = new Observable<SignalEvent<Args, Sender>>((subscriber) => {
    this.audience++;
    const inner = this.subject.subscribe(subscriber);
    return () => {
      this.audience--;
      inner.unsubscribe();
    };
  });
  private readonly registry = new ConnectionRegistry<SignalEvent<Args, Sender>>();
  private readonly events = new EventBuilder();
  private nextSeq = 0;
  private mutes = 0;
  /** The innermost send in progress (sends may nest: a receiver may send again). */
  private current: Dispatch<SignalEvent<Args, Sender>> | null = null;

  constructor(readonly name: string) {
    if (typeof name !== 'string' || name.trim() === '') {
      throw new TypeError(
        `new Signal(name): the name must be a non-empty string, got ${describeValue(name)}. ` +
          `Name the signal after what happened, e.g. new Signal('userLoggedIn').`,
      );
    }
  }

  /**
   * Connects `receiver` and returns the Subscription of the connection.
   *
   * @example
   * const subscription = signal.connect(handler, { sender: app, pipe: pausable(paused$) });
   * subscription.unsubscribe(); // disconnects
   */
  connect(receiver: Receiver<Args, Sender>, options?: ConnectOptions<Args, Sender>): Subscription {
    if (typeof receiver !== 'function') {
      throw new TypeError(
        `${this.name}.connect(receiver): the receiver must be a function, got ${describeValue(receiver)}. ` +
          'Pass a function that takes the event, e.g. signal.connect((event) => ...).',
      );
    }
    requireOptionsObject(`${this.name}.connect()`, options);
    const { sender, dispatchUid, pipe, weak = false } = options ?? {};
    if (options) rejectUnknownKeys(`${this.name}.connect()`, options, CONNECT_OPTIONS);
    checkDispatchUid(`${this.name}.connect()`, dispatchUid);
    if (typeof weak !== 'boolean') {
      throw new TypeError(`${this.name}.connect(): options.weak must be true or false, got ${describeValue(weak)}.`);
    }
    const operators = operatorList(`${this.name}.connect()`, pipe);

    const bound = sender !== undefined;
    const uid = dispatchUid ?? null;
    const existing = this.registry.find(uid ?? receiver, bound, sender);
    if (existing) return existing.subscription;

    const connection = new Connection<SignalEvent<Args, Sender>>(
      this.nextSeq++,
      receiver as (event: SignalEvent<Args, Sender>) => unknown,
      weak,
      uid,
      bound,
      sender,
      operators,
      (ended) => {
        this.registry.remove(ended);
        this.audience--;
      },
    );
    connection.subscription = new Subscription(() => connection.end());
    this.registry.add(connection);
    this.audience++;
    if (operators.length > 0) {
      try {
        this.feedThrough(connection, operators, pipe);
      } catch (error) {
        connection.end();
        throw error;
      }
    }
    return connection.subscription;
  }

  /**
   * Disconnects the connection that `connect` made with this receiver (or `dispatchUid`) and
   * `sender`. Returns true when a connection was removed.
   *
   * @example
   * signal.disconnect(handler);                        // connected without options
   * signal.disconnect(null, { dispatchUid: 'audit' }); // connected with a dispatch uid
   */
  disconnect(receiver?: Receiver<Args, Sender> | null, options?: DisconnectOptions<Sender>): boolean {
    requireOptionsObject(`${this.name}.disconnect()`, options);
    const { sender, dispatchUid } = options ?? {};
    if (options) rejectUnknownKeys(`${this.name}.disconnect()`, options, DISCONNECT_OPTIONS);
    checkDispatchUid(`${this.name}.disconnect()`, dispatchUid);
    if (dispatchUid === undefined && typeof receiver !== 'function') {
      throw new TypeError(
        `${this.name}.disconnect(receiver): the receiver must be a function, got ${describeValue(receiver)}. ` +
          'Pass the connected function, or options.dispatchUid for a connection made with one.',
      );
    }
    const connection = this.registry.find(dispatchUid ?? receiver, sender !== undefined, sender);
    connection?.end();
    return connection !== undefined;
  }

  /**
   * Without an argument: true while anything is connected or subscribed. With a sender: true
   * when a send from that sender would reach a receiver or subscriber.
   */
  hasListeners(sender?: Sender): boolean {
    this.registry.pruneCollected();
    if (this.subject.observed) return true;
    if (arguments.length === 0) return this.audience > 0;
    return this.registry.anySender.length > 0 || this.registry.boundTo(sender).length > 0;
  }

  /**
   * The live connections in connection order: for dashboards, debugging and tests. Django's
   * `signal.receivers`.
   *
   * @example
   * requestFinished.receivers().map((info) => `${info.name}${info.paused ? ' (paused)' : ''}`);
   */
  receivers(): ReceiverInfo[] {
    this.registry.pruneCollected();
    return this.registry.all().map((connection) => {
      const receiver = connection.receiver;
      return {
        name: receiver === undefined ? '<collected>' : functionName(receiver),
        receiver,
        bound: connection.bound,
        sender: connection.sender,
        dispatchUid: connection.uid ?? undefined,
        weak: connection.isWeak,
        operators: connection.operators.length,
        paused: connection.operators.some((operator) => (operator as { paused?: unknown }).paused === true),
      };
    });
  }

  /**
   * Calls every receiver for `sender`, synchronously, in connection order, and returns their
   * responses. The first receiver error is thrown and the receivers after it are not called. A
   * Promise response is returned as is; should it reject, the rejection is reported on
   * `receiverErrors`.
   *
   * @example
   * const results = signal.send(app, { user }); // [[receiver, response], ...]
   */
  send(sender: Sender, ...args: SendArgs<Args>): SendResults<Args, Sender>;
  send(sender: Sender, args?: Args): SendResults<Args, Sender> {
    // Only this check lives here, so that V8 can inline it into the caller even after the
    // dispatch has grown too big to inline along with it (1.8 ns instead of 5 ns per empty send).
    if (this.audience === 0 && isArgsObject(args)) return NO_RESULTS;
    return this.sendStrictly(sender, args);
  }

  /**
   * Calls every receiver; a receiver that throws has its error reported on `receiverErrors` and
   * returned in place of its response.
   *
   * @example
   * for (const [receiver, response] of signal.sendRobust(app, { user })) {
   *   if (response instanceof Error) console.warn(receiver.name, response.message);
   * }
   */
  sendRobust(sender: Sender, ...args: SendArgs<Args>): SendResults<Args, Sender>;
  sendRobust(sender: Sender, args?: Args): SendResults<Args, Sender> {
    if (this.audience === 0 && isArgsObject(args)) return NO_RESULTS; // alone here: see send()
    return this.sendRobustly(sender, args);
  }

  /**
   * Calls every receiver (synchronous ones during the call, asynchronous ones concurrently) and
   * resolves with the settled responses in connection order. Once all have settled, rejects
   * with the error of the earliest-connected receiver that failed; later failures are reported.
   *
   * @example
   * await signal.asend(app, { user }); // [[syncReceiver, 1], [asyncReceiver, 2]]
   */
  asend(sender: Sender, ...args: SendArgs<Args>): Promise<SendResults<Args, Sender>>;
  asend(sender: Sender, args?: Args): Promise<SendResults<Args, Sender>> {
    return this.sendAsync(sender, args, false);
  }

  /**
   * Like {@link asend}, but never rejects: each failure is reported and returned in place.
   *
   * @example
   * const results = await signal.asendRobust(app, { user });
   */
  asendRobust(sender: Sender, ...args: SendArgs<Args>): Promise<SendResults<Args, Sender>>;
  asendRobust(sender: Sender, args?: Args): Promise<SendResults<Args, Sender>> {
    return this.sendAsync(sender, args, true);
  }

  /**
   * The events of this signal, from every sender, as a plain Observable.
   *
   * @example
   * signal.asObservable().pipe(filter((event) => event.sender === app)).subscribe(console.log);
   */
  asObservable(): Observable<SignalEvent<Args, Sender>> {
    return this.observable;
  }

  /**
   * Subscribes an observer to every event, like `asObservable().subscribe(...)`. Such observers
   * follow RxJS's rules, not a connection's: one that throws has its error rethrown
   * asynchronously by RxJS. Use `connect` for error isolation.
   */
  subscribe(
    observer?: Partial<Observer<SignalEvent<Args, Sender>>> | ((event: SignalEvent<Args, Sender>) => void),
  ): Subscription {
    return this.observable.subscribe(observer);
  }

  /**
   * Pipes every event of this signal through RxJS operators.
   *
   * @example
   * const slow$ = requestFinished.pipe(filter((event) => event.elapsedMs > 500));
   */
  pipe(): Observable<SignalEvent<Args, Sender>>;
  pipe<A>(op1: OperatorFunction<SignalEvent<Args, Sender>, A>): Observable<A>;
  pipe<A, B>(op1: OperatorFunction<SignalEvent<Args, Sender>, A>, op2: OperatorFunction<A, B>): Observable<B>;
  pipe<A, B, C>(
    op1: OperatorFunction<SignalEvent<Args, Sender>, A>,
    op2: OperatorFunction<A, B>,
    op3: OperatorFunction<B, C>,
  ): Observable<C>;
  pipe<A, B, C, D>(
    op1: OperatorFunction<SignalEvent<Args, Sender>, A>,
    op2: OperatorFunction<A, B>,
    op3: OperatorFunction<B, C>,
    op4: OperatorFunction<C, D>,
  ): Observable<D>;
  pipe<A, B, C, D, E>(
    op1: OperatorFunction<SignalEvent<Args, Sender>, A>,
    op2: OperatorFunction<A, B>,
    op3: OperatorFunction<B, C>,
    op4: OperatorFunction<C, D>,
    op5: OperatorFunction<D, E>,
  ): Observable<E>;
  pipe<A, B, C, D, E, F>(
    op1: OperatorFunction<SignalEvent<Args, Sender>, A>,
    op2: OperatorFunction<A, B>,
    op3: OperatorFunction<B, C>,
    op4: OperatorFunction<C, D>,
    op5: OperatorFunction<D, E>,
    op6: OperatorFunction<E, F>,
  ): Observable<F>;
  pipe(...operations: OperatorFunction<never, unknown>[]): Observable<unknown>;
  pipe(...operations: OperatorFunction<never, unknown>[]): Observable<unknown> {
    return operations.reduce<Observable<unknown>>(
      (source, operation) => operation(source as Observable<never>),
      this.observable,
    );
  }

  toString(): string {
    return `Signal(${this.name})`;
  }

  /**
   * Stops calling receivers until the returned function is called (nestable). Observable
   * subscribers still see events. Backs `muted()` of the test toolkit.
   * @internal
   */
  muteReceivers(): () => void {
    this.mutes++;
    let released = false;
    return () => {
      if (!released) {
        released = true;
        this.mutes--;
      }
    };
  }

  /**
   * Like `sendRobust`, without building results: for senders that never read them (the Fastify
   * plugin's request signals), which spares an array and a pair per receiver on every send.
   * @internal
   */
  notify(sender: Sender, ...args: SendArgs<Args>): void;
  notify(sender: Sender, args?: Args): void {
    if (this.audience === 0 && isArgsObject(args)) return; // alone here: see send()
    this.dispatch(sender, args, 'notify');
  }

  private sendStrictly(sender: Sender, args: Args | undefined): SendResults<Args, Sender> {
    const dispatch = this.dispatch(sender, args, 'strict');
    if (dispatch.stopped) throw dispatch.error;
    return dispatch.finish();
  }

  private sendRobustly(sender: Sender, args: Args | undefined): SendResults<Args, Sender> {
    return this.dispatch(sender, args, 'robust').finish();
  }

  private sendAsync(sender: Sender, args: Args | undefined, robust: boolean): Promise<SendResults<Args, Sender>> {
    if (this.audience === 0 && isArgsObject(args)) return Promise.resolve(NO_RESULTS);
    const dispatch = this.dispatch(sender, args, 'async');
    const results = dispatch.finish();
    if (!dispatch.unsettled) return Promise.resolve(results);
    return this.settle(results, dispatch.event, robust);
  }

  /** Waits for every response of an async send, then resolves, or rejects with the earliest failure. */
  private async settle(
    pending: SendResults<Args, Sender>,
    event: SignalEvent<Args, Sender>,
    robust: boolean,
  ): Promise<SendResults<Args, Sender>> {
    const responses = await Promise.all(
      pending.map(([, response]) =>
        isThenable(response)
          ? Promise.resolve(response).then(undefined, (error: unknown) => new Failure(error))
          : response,
      ),
    );
    let thrown: Failure | undefined;
    const results = pending.map(([receiver], index): SendResult<Args, Sender> => {
      const response = responses[index];
      if (!(response instanceof Failure)) return [receiver, response];
      if (robust || thrown) this.report(receiver, response.error, event);
      else thrown = response;
      return [receiver, response.error];
    });
    if (thrown) throw thrown.error;
    return results;
  }

  /** Builds the event and delivers it: Observable subscribers first, then receivers in connection order. */
  private dispatch(sender: Sender, args: Args | undefined, mode: Mode): Dispatch<SignalEvent<Args, Sender>> {
    checkArgs(this.name, args);
    const event = this.events.event(this, sender, args) as SignalEvent<Args, Sender>;
    if (this.subject.observed) this.subject.next(event);
    // Merge the any-sender list with this sender's list by connection order.
    const anySender = this.registry.anySender;
    const own = this.registry.boundTo(sender);
    const reach = this.mutes === 0 ? anySender.length + own.length : 0;
    const dispatch = new Dispatch(event, mode, reach);
    if (reach === 0) return dispatch;

    {
      let i = 0;
      let j = 0;
      while (!dispatch.stopped) {
        let connection: Connection<SignalEvent<Args, Sender>>;
        if (i < anySender.length && (j === own.length || anySender[i].seq < own[j].seq)) connection = anySender[i++];
        else if (j < own.length) connection = own[j++];
        else break;
        if (connection.closed) continue;
        if (connection.inlet !== null) this.feed(connection, dispatch);
        else {
          const receiver = connection.receiver;
          if (receiver === undefined) connection.end();
          else this.invoke(receiver, event, dispatch);
        }
      }
    }
    return dispatch;
  }

  /**
   * Pushes the event into a connection's operator chain. What comes out synchronously belongs to
   * this send (`this.current` tells `deliverPiped`); only this path sets it, which keeps the
   * dispatch of plain connections free of it.
   */
  private feed(connection: Connection<SignalEvent<Args, Sender>>, dispatch: Dispatch<SignalEvent<Args, Sender>>): void {
    const outer = this.current;
    this.current = dispatch;
    dispatch.feeding = connection;
    try {
      connection.inlet!.next(dispatch.event);
    } finally {
      dispatch.feeding = null;
      this.current = outer;
    }
  }

  /** Calls one receiver with `event` and records its response as the send's mode says. */
  private invoke(
    receiver: (event: SignalEvent<Args, Sender>) => unknown,
    event: SignalEvent<Args, Sender>,
    dispatch: Dispatch<SignalEvent<Args, Sender>>,
  ): void {
    let response: unknown;
    try {
      response = receiver(event);
    } catch (error) {
      if (dispatch.strict) {
        dispatch.stopped = true;
        dispatch.error = error;
        return;
      }
      if (dispatch.async) {
        dispatch.unsettled = true;
        response = new Failure(error);
      } else {
        this.report(receiver, error, event);
        response = error;
      }
    }
    if (isThenable(response)) {
      if (dispatch.async) dispatch.unsettled = true;
      else this.reportRejection(receiver, response, event);
    }
    dispatch.record(receiver, response);
  }

  /** Delivers what a connection's operator chain lets through to its receiver. */
  private deliverPiped(connection: Connection<SignalEvent<Args, Sender>>, event: SignalEvent<Args, Sender>): void {
    if (this.mutes !== 0) return;
    const receiver = connection.receiver;
    if (receiver === undefined) return connection.end();
    const dispatch = this.current;
    if (dispatch !== null && dispatch.feeding === connection) {
      // Synchronously out of the chain this send is feeding (possibly a replaced or held
      // event): part of this send's results, and of its error handling.
      this.invoke(receiver, event, dispatch);
    } else {
      // Outside the send that carried it (a delay, a debounce, a resumed pause): nobody can
      // receive a throw any more, so the receiver runs robustly.
      this.invoke(receiver, event, new Dispatch(event, 'robust', 1));
    }
  }

  /** Runs a connection's events through its operators; the chain's end or error ends the connection. */
  private feedThrough(
    connection: Connection<SignalEvent<Args, Sender>>,
    operators: readonly EventOperator<Args, Sender>[],
    pipe: ConnectOptions<Args, Sender>['pipe'],
  ): void {
    const inlet = new Observable<SignalEvent<Args, Sender>>((subscriber) => {
      connection.inlet = subscriber;
      return () => {
        connection.inlet = null;
      };
    });
    const chain = operators.reduce<Observable<SignalEvent<Args, Sender>>>((source, operator, index) => {
      const result: unknown = operator(source);
      if (!(result instanceof Observable) && typeof (result as Observable<unknown> | null)?.subscribe !== 'function') {
        throw new TypeError(
          `${this.name}.connect(): ${pipeLabel(pipe, index)} returned ${describeValue(result)} instead of an Observable. ` +
            'Pass RxJS operators such as filter(...) or pausable(...), not plain functions.',
        );
      }
      return result as Observable<SignalEvent<Args, Sender>>;
    }, inlet);
    connection.subscription.add(
      chain.subscribe({
        next: (event) => this.deliverPiped(connection, event),
        error: (error: unknown) => {
          const receiver = connection.receiver;
          const dispatch = this.current;
          const event = dispatch?.feeding === connection ? dispatch.event : undefined;
          connection.end();
          if (receiver) this.report(receiver, error, event, event ? event.sender : connection.sender);
        },
        complete: () => connection.end(),
      }),
    );
  }

  private reportRejection(receiver: Function, response: PromiseLike<unknown>, event: SignalEvent<Args, Sender>): void {
    try {
      response.then(undefined, (error: unknown) => this.report(receiver, error, event));
    } catch (error) {
      this.report(receiver, error, event);
    }
  }

  private report(receiver: Function, error: unknown, event?: SignalEvent<Args, Sender>, sender?: unknown): void {
    reportReceiverError({ signal: this, sender: event ? event.sender : sender, receiver, error, event });
  }
}

// `from(signal)` and friends see the signal as an Observable of its events.
export interface Signal<Args extends SignalArgs, Sender = unknown>
  extends InteropObservable<SignalEvent<Args, Sender>> {}

// The interop method is installed here, not declared in the class body: rxjs types its key
// (`Symbol.observable`, or '@@observable' where that symbol does not exist) as `string | symbol`,
// and a class member with such a computed key gives every Signal a string index signature, so
// that any misspelt member (`signal.sendRobst(...)`, `signal.complete()`) would type-check.
Object.defineProperty(Signal.prototype, interopObservableKey, {
  value: function observableInterop(this: Signal<SignalArgs>): Subscribable<SignalEvent<SignalArgs>> {
    return this.asObservable();
  },
  writable: true,
  configurable: true,
});

/** True for what `send` accepts as args: an object, or nothing. */
function isArgsObject(args: unknown): boolean {
  return args === undefined || (typeof args === 'object' && args !== null);
}

function checkArgs(signalName: string, args: unknown): void {
  if (!isArgsObject(args)) {
    throw new TypeError(
      `${signalName}.send(sender, args): args must be an object of named values, got ${describeValue(args)}. ` +
        'Wrap values in an object, e.g. send(sender, { user }).',
    );
  }
}

function checkDispatchUid(where: string, dispatchUid: unknown): void {
  if (dispatchUid !== undefined && typeof dispatchUid !== 'string' && typeof dispatchUid !== 'symbol') {
    throw new TypeError(
      `${where}: options.dispatchUid must be a string or a symbol, got ${describeValue(dispatchUid)}. ` +
        "Use a stable name such as 'myapp.audit-login'.",
    );
  }
}

/** How an error message names one operator of `options.pipe`. */
function pipeLabel(pipe: unknown, index: number): string {
  return Array.isArray(pipe) ? `options.pipe[${index}]` : 'options.pipe';
}

function operatorList<T>(where: string, pipe: T | readonly T[] | undefined): readonly T[] {
  if (pipe === undefined) return [];
  const operators = Array.isArray(pipe) ? (pipe as readonly T[]) : [pipe as T];
  operators.forEach((operator, index) => {
    if (typeof operator !== 'function') {
      const at = pipeLabel(pipe, index);
      throw new TypeError(
        `${where}: ${at} must be an RxJS operator function, got ${describeValue(operator)}. ` +
          'Pass operators such as filter(...) or pausable(paused$), or an array of them.',
      );
    }
  });
  return operators;
}
