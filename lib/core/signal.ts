import {
  Observable,
  Subject,
  Subscription,
  observable as interopObservableKey,
  type InteropObservable,
  type Observer,
  type Subscribable,
} from 'rxjs';
import {
  SIGNAL_MARK,
  rejectUnknownKeys,
  requireDispatchUid,
  requireFunction,
  requireObserver,
  requireOptionsObject,
  requireSignalName,
} from './checks';
import { planConnection } from './connect-options';
import { Connection } from './connection';
import { ConnectionIndex } from './connection-index';
import { dispatch } from './dispatch';
import { EventBuilder } from './event-builder';
import { announce, metaSignals } from './meta-hooks';
import { Muting, type ReceiverSelector } from './muting';
import { connectThroughOperators } from './piped';
import { isSendArgs } from './send-args';
import { settle, unsettled } from './settle';
import { pipeSignal, type SignalPipe } from './signal-pipe';
import { observers } from './observers';
import { rememberSignal } from './signal-list';
import type {
  ConnectOptions,
  DisconnectOptions,
  Receiver,
  ReceiverInfo,
  ReceiversOptions,
  SendArgs,
  SendResults,
  SignalArgs,
  SignalEvent,
} from './types';

export type * from './types';

const DISCONNECT_OPTIONS = ['sender', 'dispatchUid'] as const;
const RECEIVERS_OPTIONS = ['sender'] as const;
const NO_RESULTS: readonly never[] = Object.freeze([]);
const NO_RELAYS: readonly never[] = Object.freeze([]);

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
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- the interface below adds only the interop key and `pipe`, both installed on the prototype
export class Signal<Args extends SignalArgs, Sender = unknown> {
  // The state a send walks, read by `dispatch`, which takes the signal whole (see send()):
  // internal members, left out of the published types.
  /** @internal */
  readonly subject = new Subject<SignalEvent<Args, Sender>>();
  /** @internal */
  readonly connections = new ConnectionIndex<SignalEvent<Args, Sender>>();
  /** See {@link relayEvents}: replaced, never mutated, so a send in progress keeps its list. @internal */
  relays: readonly ((event: SignalEvent<Args, Sender>) => void)[] = NO_RELAYS;
  /** @internal */
  readonly events = new EventBuilder();
  /** @internal */
  readonly muting = new Muting<SignalEvent<Args, Sender>>();

  /** Connections plus Observable subscribers: one field, read first by every send. */
  private listenerCount = 0;
  private readonly observable = new Observable<SignalEvent<Args, Sender>>((subscriber) => {
    this.listenerCount++;
    const inner = this.subject.subscribe(subscriber);
    return () => {
      this.listenerCount--;
      inner.unsubscribe();
    };
  });
  private nextSeq = 0;

  constructor(readonly name: string) {
    requireSignalName('new Signal(name)', name, "new Signal('userLoggedIn')");
    rememberSignal(this as unknown as Signal<object, unknown>);
  }

  /**
   * Connects `receiver` and returns the Subscription of the connection.
   *
   * @example
   * const subscription = signal.connect(handler, { sender: app, pipe: pausable(paused$) });
   * subscription.unsubscribe(); // disconnects
   */
  connect(receiver: Receiver<Args, Sender>, options?: ConnectOptions<Args, Sender>): Subscription {
    requireFunction(
      `${this.name}.connect(receiver)`,
      'the receiver',
      receiver,
      'Pass a function that takes the event, e.g. signal.connect((event) => ...).',
    );
    const plan = planConnection(`${this.name}.connect()`, options);
    const existing = this.connections.find(plan.uid ?? receiver, plan.bound, plan.sender);
    if (existing) return existing.subscription;

    const connection = new Connection(this.nextSeq++, receiver, plan, (ended) => {
      this.connections.remove(ended);
      this.listenerCount--;
      if (ended.made) announce(metaSignals.disconnected, this, ended);
    });
    this.connections.add(connection);
    this.listenerCount++;
    if (plan.operators.length > 0) {
      connectThroughOperators(
        this,
        connection,
        plan.operators as readonly ((source: Observable<SignalEvent<Args, Sender>>) => unknown)[],
        plan.describeOperator,
        this.muting,
      );
    }
    connection.made = true;
    announce(metaSignals.connected, this, connection);
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
    requireDispatchUid(`${this.name}.disconnect()`, dispatchUid);
    if (dispatchUid === undefined) {
      requireFunction(
        `${this.name}.disconnect(receiver)`,
        'the receiver',
        receiver,
        'Pass the connected function, or options.dispatchUid for a connection made with one.',
      );
    }
    const connection = this.connections.find(dispatchUid ?? receiver, sender !== undefined, sender);
    connection?.end();
    return connection !== undefined;
  }

  /**
   * Without an argument: true while anything is connected or subscribed. With a sender: true
   * when a send from that sender would reach a receiver or subscriber.
   *
   * @example
   * if (requestFinished.hasListeners(app)) requestFinished.send(app, buildPayload());
   */
  hasListeners(sender?: Sender): boolean {
    this.connections.pruneCollected();
    if (this.subject.observed || this.relays.length > 0) return true;
    if (arguments.length === 0) return this.listenerCount > 0;
    return this.connections.anySender.length > 0 || this.connections.boundTo(sender).length > 0;
  }

  /**
   * The live connections in connection order: for dashboards, debugging and tests. Django's
   * `signal.receivers`. With `options.sender`, only those a send from that sender would reach.
   *
   * @example
   * requestFinished.receivers().map((info) => `${info.name}${info.paused ? ' (paused)' : ''}`);
   * requestFinished.receivers({ sender: app }); // for any sender, and for app
   */
  receivers(options?: ReceiversOptions<Sender>): ReceiverInfo[] {
    requireOptionsObject(`${this.name}.receivers()`, options);
    if (options) rejectUnknownKeys(`${this.name}.receivers()`, options, RECEIVERS_OPTIONS);
    const live = this.liveConnections(); // a weak connection whose receiver was collected ends here
    const connections =
      options !== undefined && 'sender' in options ? this.connections.reachedBy(options.sender) : live;
    return connections.map((connection) => connection.info());
  }

  /**
   * The live connections in connection order (a weak one whose receiver was collected ends here).
   * @internal
   */
  liveConnections(): Connection<SignalEvent<Args, Sender>>[] {
    this.connections.pruneCollected();
    return this.connections.all();
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
    // Only this check lives here, and the send itself in dispatch(), too big for V8 to inline:
    // so this method is inlined into its callers and a send to nobody costs them a field check.
    // dispatch() takes the signal whole: no wrapper method to inline and no fields to pass keep
    // this method small in the inlining budget its callers share (docs/benchmarks.md).
    if (this.listenerCount === 0 && isSendArgs(args) && !observers.sends) return NO_RESULTS;
    return dispatch(this, sender, args, 'strict');
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
    if (this.listenerCount === 0 && isSendArgs(args) && !observers.sends) return NO_RESULTS; // alone here: see send()
    return dispatch(this, sender, args, 'robust');
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
   *
   * @example
   * const subscription = signal.subscribe((event) => console.log(event.sender));
   */
  subscribe(
    observer?: Partial<Observer<SignalEvent<Args, Sender>>> | ((event: SignalEvent<Args, Sender>) => void),
  ): Subscription {
    requireObserver(`${this.name}.subscribe(observer)`, observer);
    return this.observable.subscribe(observer);
  }

  /**
   * The signal for logs: `Signal(name)`.
   *
   * @example
   * String(new Signal('userLoggedIn')); // 'Signal(userLoggedIn)'
   */
  toString(): string {
    return `Signal(${this.name})`;
  }

  /**
   * Stops calling receivers until the returned function is called (idempotent). Without
   * `selectors`, every receiver; with them, only the receivers they name (a function, a weak
   * receiver's function included, or the dispatch uid it was connected with), wherever and
   * whenever connected on this signal, `options.pipe` or not. With `appliesTo`, only for the
   * events it returns true for (for a piped receiver: the event as its pipe delivers it). Mutes
   * nest; connections and their order never change; Observable subscribers still see every event.
   * Backs `muted()` and `testClient`'s `mute` of the test toolkit. No cost to sends while none is active.
   *
   * @example
   * const release = requestFinished.muteReceivers([closeStaleConnections], (event) => event.request === request);
   * try { await app.inject('/'); } finally { release(); }
   * @internal
   */
  muteReceivers(
    selectors?: readonly ReceiverSelector[],
    appliesTo?: (event: SignalEvent<Args, Sender>) => boolean,
  ): () => void {
    return this.muting.add(`${this.name}.muteReceivers()`, selectors, appliesTo);
  }

  /**
   * Like `sendRobust`, without building results: for senders that never read them (the Fastify
   * plugin's request signals), which spares an array and a pair per receiver on every send.
   * @internal
   */
  notify(sender: Sender, ...args: SendArgs<Args>): void;
  notify(sender: Sender, args?: Args): void {
    if (this.listenerCount === 0 && isSendArgs(args) && !observers.sends) return; // alone here: see send()
    dispatch(this, sender, args, 'notify');
  }

  private sendAsync(sender: Sender, args: Args | undefined, robust: boolean): Promise<SendResults<Args, Sender>> {
    if (this.listenerCount === 0 && isSendArgs(args) && !observers.sends) return Promise.resolve(NO_RESULTS);
    try {
      const results = dispatch(this, sender, args, 'async');
      return unsettled(results) ? settle(this, results, robust) : Promise.resolve(results);
    } catch (error) {
      return Promise.reject(error); // bad args (or args whose getters throw): a Promise-returning call rejects
    }
  }

  /**
   * Hands every event of this signal to `relay` first, before Observable subscribers and
   * receivers, without the layers of an RxJS subscription (the Redis bridge's relay: a
   * subscriber cost half a send more). `relay` must never throw. Returns the function that
   * removes it. It counts as a listener for `hasListeners()` and the empty-send check.
   *
   * @example
   * const stop = signal.relayEvents((event) => outbox.push(event));
   * @internal
   */
  relayEvents(relay: (event: SignalEvent<Args, Sender>) => void): () => void {
    this.relays = [...this.relays, relay];
    this.listenerCount++;
    let removed = false;
    return () => {
      if (removed) return;
      removed = true;
      this.relays = this.relays.filter((other) => other !== relay);
      this.listenerCount--;
    };
  }
}

// `from(signal)` and friends see the signal as an Observable of its events.
// Its `pipe` overloads are declared in signal-pipe.ts.
export interface Signal<Args extends SignalArgs, Sender = unknown>
  extends InteropObservable<SignalEvent<Args, Sender>>, SignalPipe<SignalEvent<Args, Sender>> {}

Object.defineProperty(Signal.prototype, 'pipe', { value: pipeSignal, writable: true, configurable: true });

// The mark isSignal() recognises, also across copies of the library.
Object.defineProperty(Signal.prototype, SIGNAL_MARK, { value: true });

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
