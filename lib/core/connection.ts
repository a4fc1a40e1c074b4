import { Subscription, type Subscriber } from 'rxjs';
import { functionName } from './checks';
import type { ConnectionPlan } from './connect-options';
import type { ReceiverProbe } from './receiver-probe';
import type { ReceiverInfo } from './types';

/** Cleans up weak connections whose receiver was garbage-collected. */
const weakConnections = new FinalizationRegistry<{ end(): void }>((connection) => connection.end());

/**
 * One receiver connected to one signal: how to reach the receiver (strongly or through a
 * `WeakRef`), which sender it listens to, its place in connection order, and its Subscription.
 * @internal
 */
export class Connection<E> {
  /** True once disconnected: a send in progress skips it from then on. */
  closed = false;
  /** True once `connect` has finished making it (its pipe is in place): only such an end is announced. */
  made = false;
  /** What `connect` returned; unsubscribing it ends the connection. */
  readonly subscription = new Subscription(() => this.end());
  /** Where a send pushes its event when the connection has `options.pipe` (the head of its operator chain), else null. */
  pipeInput: Subscriber<E> | null = null;
  /** What the running profilers keep of this connection's calls (see `receiver-probe.ts`), cached. */
  probe: ReceiverProbe | null = null;
  private readonly strong: ((event: E) => unknown) | undefined;
  private readonly weak: WeakRef<(event: E) => unknown> | undefined;

  /** The dispatch uid, or null when the receiver itself is the key. */
  readonly uid: string | symbol | null;
  /** True when bound to one sender, `sender`. */
  readonly bound: boolean;
  readonly sender: unknown;
  /** The operators of `options.pipe` (empty without). */
  readonly operators: readonly Function[];

  constructor(
    /** Position in connection order (per signal, increasing). */
    readonly seq: number,
    receiver: (event: E) => unknown,
    plan: ConnectionPlan<unknown>,
    /** Removes the connection from its signal; called once, by `end()`. */
    private readonly detach: (connection: Connection<E>) => void,
  ) {
    this.uid = plan.uid;
    this.bound = plan.bound;
    this.sender = plan.sender;
    this.operators = plan.operators;
    if (plan.weak) {
      this.strong = undefined;
      this.weak = new WeakRef(receiver);
      weakConnections.register(receiver, this, this);
    } else {
      this.strong = receiver;
      this.weak = undefined;
    }
  }

  get isWeak(): boolean {
    return this.weak !== undefined;
  }

  /** The receiver, or undefined once a weak receiver was garbage-collected. */
  get receiver(): ((event: E) => unknown) | undefined {
    return this.strong ?? this.weak?.deref();
  }

  /** True when `connect`/`disconnect` with this key (uid or receiver) and sender mean this connection. */
  matches(key: unknown, bound: boolean, sender: unknown): boolean {
    return (
      !this.closed &&
      this.bound === bound &&
      // SameValueZero, as the sender index (a Map) compares: 0 and -0 are one sender.
      (!bound || this.sender === sender || (this.sender !== this.sender && sender !== sender)) &&
      (this.uid !== null ? this.uid === key : this.receiver === key)
    );
  }

  /** This connection as {@link Signal.receivers} describes it. */
  info(): ReceiverInfo {
    const receiver = this.receiver;
    return {
      name: receiver === undefined ? '<collected>' : functionName(receiver),
      receiver,
      bound: this.bound,
      sender: this.sender,
      dispatchUid: this.uid ?? undefined,
      weak: this.isWeak,
      operators: this.operators.length,
      paused: this.operators.some((operator) => (operator as { paused?: unknown }).paused === true),
    };
  }

  /** Disconnects: idempotent, from any side (unsubscribe, disconnect, garbage collection, pipe end). */
  end(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.weak) weakConnections.unregister(this);
    this.detach(this);
    this.subscription.unsubscribe();
  }
}
