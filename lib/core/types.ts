import type { MonoTypeOperatorFunction, Subscription } from 'rxjs';
import type { Signal } from './signal';

/**
 * The keyword arguments of a signal, as an object type. `signal` and `sender` are reserved: every
 * event carries the real ones.
 *
 * @example
 * interface UserLoggedInArgs extends SignalArgs { user: User }
 */
export type SignalArgs = object & { readonly signal?: never; readonly sender?: never };

/**
 * What receivers get: the send's args plus the `signal` and its `sender`. Read-only by type.
 *
 * @example
 * const audit = ({ user, sender }: SignalEvent<{ user: User }, AuthService>) => log(user, sender);
 */
export type SignalEvent<Args extends SignalArgs, Sender = unknown> = Readonly<Args> & {
  readonly signal: Signal<Args, Sender>;
  readonly sender: Sender;
};

/**
 * A function connected to a signal. Its return value (a Promise included) is its response.
 *
 * @example
 * const audit: Receiver<{ user: User }> = ({ user }) => log.info(user.id);
 */
export type Receiver<Args extends SignalArgs, Sender = unknown> = (event: SignalEvent<Args, Sender>) => unknown;

/**
 * An operator that can stand between a signal and one receiver (`options.pipe`).
 *
 * @example
 * const onlyAdmins: EventOperator<{ user: User }> = filter(({ user }) => user.admin);
 */
export type EventOperator<Args extends SignalArgs, Sender = unknown> = MonoTypeOperatorFunction<
  SignalEvent<Args, Sender>
>;

/**
 * Options of {@link Signal.connect}.
 *
 * @example
 * const options: ConnectOptions<{ user: User }, App> = { sender: app, dispatchUid: 'audit' };
 */
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

/**
 * Options of {@link Signal.disconnect}: they name the connection as `connect` made it.
 *
 * @example
 * signal.disconnect(null, { dispatchUid: 'audit', sender: app } satisfies DisconnectOptions<App>);
 */
export interface DisconnectOptions<Sender = unknown> {
  sender?: Sender;
  dispatchUid?: string | symbol;
}

/**
 * What {@link Signal.receivers} tells about one connection.
 *
 * @example
 * const names = signal.receivers().map((info: ReceiverInfo) => info.name);
 */
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

/**
 * One `[receiver, response]` pair of a send; `response` is the error in the robust variants.
 *
 * @example
 * const [receiver, response]: SendResult<{ user: User }> = signal.send(app, { user })[0];
 */
export type SendResult<Args extends SignalArgs, Sender = unknown> = readonly [
  receiver: Receiver<Args, Sender>,
  response: unknown,
];

/**
 * The results of a send, in connection order.
 *
 * @example
 * const results: SendResults<{ user: User }> = signal.sendRobust(app, { user });
 */
export type SendResults<Args extends SignalArgs, Sender = unknown> = readonly SendResult<Args, Sender>[];

/**
 * `args` may be left out when the signal has no required args.
 *
 * @example
 * function sendTwice<A extends SignalArgs>(signal: Signal<A>, ...args: SendArgs<A>) {
 *   signal.send(undefined, ...args);
 *   signal.send(undefined, ...args);
 * }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- "does an empty object satisfy Args?"
export type SendArgs<Args extends SignalArgs> = {} extends Args ? [args?: Args] : [args: Args];

/**
 * Any signal, whatever its args and sender: a `Signal` is invariant in them, so a list of signals
 * of different args needs this shape (method parameters compare bivariantly).
 *
 * @example
 * const watched: AnySignal[] = [requestStarted, settingChanged];
 */
export interface AnySignal {
  /** The signal's name, as in reports and the panel. */
  readonly name: string;
  /** The signal's `connect`, its parameters left open (see {@link Signal.connect}). */
  connect(receiver: never, options?: never): Subscription;
}

/**
 * The args of `receiverConnected` and `receiverDisconnected`: the receiver (undefined for a weak
 * one that was garbage-collected) and its connection, as `signal.receivers()` describes it.
 *
 * @example
 * receiverConnected.connect(({ sender, info }: SignalEvent<ReceiverChangeArgs, Signal<object>>) =>
 *   console.log(`${info.name} connected to ${sender.name}`));
 */
export interface ReceiverChangeArgs {
  readonly receiver: Function | undefined;
  readonly info: ReceiverInfo;
}

/**
 * Options of {@link Signal.receivers}.
 *
 * @example
 * requestFinished.receivers({ sender: app }); // the connections a send from app would reach
 */
export interface ReceiversOptions<Sender = unknown> {
  /** Only the connections a send from this sender would reach (those for any sender, and its own). */
  sender?: Sender;
}
